#include "solver/z3/chc_engine.h"

#include <functional>
#include <set>

#include "model/cone.h"
#include "solver/z3/bmc_engine.h"
#include "solver/z3/encoding.h"
#include "solver/z3/interrupt.h"
#include "solver/z3/isolated.h"
#include "solver/z3/prover_hint.h"
#include "solver/z3/response_bmc.h"
#include "solver/z3/response_monitor.h"
#include "solver/z3/solver_timeout.h"
#include "solver/z3/start_check.h"
#include "solver/z3/time_stops.h"

namespace interlock {
namespace {

// Every uninterpreted constant in e: the variables a Horn rule quantifies over.
void collect_constants(const z3::expr& e, std::set<unsigned>& seen, z3::expr_vector& out) {
  if (!seen.insert(e.id()).second) return;
  if (e.is_app()) {
    if (e.num_args() == 0 && e.decl().decl_kind() == Z3_OP_UNINTERPRETED) {
      out.push_back(e);
      return;
    }
    for (unsigned i = 0; i < e.num_args(); ++i) collect_constants(e.arg(i), seen, out);
  } else if (e.is_quantifier()) {
    collect_constants(e.body(), seen, out);
  }
}

z3::expr close(const z3::expr& rule) {
  std::set<unsigned> seen;
  z3::expr_vector vars(rule.ctx());
  collect_constants(rule, seen, vars);
  if (vars.empty()) return rule;
  return z3::forall(vars, rule);
}

enum class Answer { Safe, Unknown, Unsafe };

// What Spacer's failure means for the user, in one line (it may come with a dump of its rules),
// and what kind of failure it is, for the advice that follows it (solver/z3/prover_hint.h).
struct Failure {
  std::string reason;
  ProverStop stop;
};

Failure spacer_failure(const std::string& why) {
  if (stop_requested(StopReason::Interrupt)) return {describe_interrupt(), ProverStop::Interrupted};
  if (stop_requested()) return {"interrupted", ProverStop::Timeout};
  if (why.find("timeout") != std::string::npos || why.find("canceled") != std::string::npos)
    return {why.substr(0, why.find('\n')), ProverStop::Timeout};
  if (why.find("'div'") != std::string::npos || why.find("'mod'") != std::string::npos)
    return {"it cannot reason about division by a variable", ProverStop::Division};
  if (why.find("incomplete") != std::string::npos)
    return {"it cannot decide nonlinear arithmetic (a product of parameters or variables)", ProverStop::Nonlinear};
  if (why.find("quantifier") != std::string::npos || why.find("exists") != std::string::npos)
    return {"it cannot reason about a broadcast receiver's `choose` over a wide range", ProverStop::Quantifier};
  std::string line = why.substr(0, why.find('\n'));
  if (line.size() > 160) line = line.substr(0, 160) + "...";
  return {line, ProverStop::Timeout};
}

// A safety question as Horn clauses over one predicate Inv(args): `ok` holds of every state
// (parameters and ranges), `init` of the initial ones, `step` relates args to next, and no
// state in Inv may satisfy `bad`.
struct Horn {
  std::vector<z3::expr> args, next;  // the parameters first, in both
  z3::expr ok, init, step, bad;
};

// The parameters, then `state`: Inv's arguments.
std::vector<z3::expr> inv_args(z3::context& ctx, const Model& model, const std::vector<z3::expr>& state) {
  std::vector<z3::expr> out;
  for (const Param& param : model.params) {
    std::string n = "p_";
    n += param.name;
    out.push_back(ctx.int_const(n.c_str()));
  }
  out.insert(out.end(), state.begin(), state.end());
  return out;
}

// One Spacer run and, when it says safe, the re-check of its invariant: "SAFE", "UNSAFE" or
// "UNKNOWN:why". Runs in a child process (see isolated.h).
std::string spacer_solve(z3::context& ctx, const Horn& h, const std::string& name, int iuc, double seconds) {
  z3::expr_vector args(ctx), next_args(ctx);
  z3::sort_vector sorts(ctx);
  for (const z3::expr& a : h.args) {
    args.push_back(a);
    sorts.push_back(a.get_sort());
  }
  for (const z3::expr& a : h.next) next_args.push_back(a);
  z3::func_decl inv = ctx.function("Inv", sorts, ctx.bool_sort());
  z3::expr inv_s = inv(args), inv_next = inv(next_args);

  z3::solver horn(ctx, "HORN");
  z3::params settings(ctx);
  settings.set("fp.engine", "spacer");
  settings.set("fp.spacer.iuc", static_cast<unsigned>(iuc));
  keep_ctrl_c(settings);
  horn.set(settings);
  horn.add(close(z3::implies(h.ok && h.init, inv_s)));
  horn.add(close(z3::implies(inv_s && h.step, inv_next)));
  horn.add(close(z3::implies(inv_s && h.bad, ctx.bool_val(false))));
  z3::check_result result = z3::unknown;
  bool timed_out = false;
  try {
    Interrupter dog(ctx, nullptr, seconds);
    result = horn.check();
    timed_out = dog.fired();
  } catch (const z3::exception& e) {
    return std::string("UNKNOWN:") + e.msg();
  }
  // An answer as the deadline fires is not trusted (Z3 4.8.12 can answer a cancelled check wrongly).
  if (result == z3::unknown || timed_out) return std::string("UNKNOWN:") + (timed_out ? "timeout" : horn.reason_unknown());
  if (result == z3::unsat) return "UNSAFE";
  // Safe: check the invariant Spacer found with plain SMT before believing it.
  z3::model m = horn.get_model();
  z3::expr inv_now = m.eval(inv_s), inv_after = m.eval(inv_next);
  struct Obligation {
    z3::expr formula;
    const char* what;
  };
  std::vector<Obligation> obligations = {{h.ok && h.init && !inv_now, "initiation"},
                                         {h.ok && inv_now && h.step && !inv_after, "consecution"},
                                         {h.ok && inv_now && h.bad, "safety"}};
  for (const Obligation& o : obligations) {
    z3::solver check(ctx, z3::solver::simple());
    z3::params quiet(ctx);
    keep_ctrl_c(quiet);
    check.set(quiet);
    check.add(o.formula);
    z3::check_result r = check.check();
    if (r == z3::sat)
      throw std::logic_error(std::string("internal error: Spacer's invariant for '") + name + "' fails " + o.what);
    if (r != z3::unsat) return std::string("UNKNOWN:the re-check of the invariant's ") + o.what + " answered unknown";
  }
  return "SAFE";
}

// An invariant: is a state reachable where it is false, cannot be evaluated, or a step fails?
std::string spacer_attempt(const Model& model, const Property& p, int iuc, double seconds) {
  z3::context ctx;
  Encoding enc(ctx, model);
  SymState s = enc.state(0), next = enc.state(1);
  Encoding::Condition value = enc.property(*p.a, s);
  Horn h{inv_args(ctx, model, s), inv_args(ctx, model, next), enc.parameters_ok() && enc.in_ranges(s), enc.initial(s),
         enc.in_ranges(next) && enc.transition(0, s, next), !value.holds || value.fault || enc.fault(0, s)};
  return spacer_solve(ctx, h, p.name, iuc, seconds);
}

// A response in product with its observer (solver/z3/response_monitor.h): can a trigger wait
// too long (or a step or the property fail)? Is a timelock, or a cycle of actions without a
// tick, reachable while one waits?
enum class ResponseQuestion { Waits, Timelock, Cycle };

std::string spacer_response(const Model& model, const Property& p, ResponseQuestion question, int iuc, double seconds) {
  z3::context ctx;
  // Time stops matter only where a trigger waits: the wait's length is settled by then.
  const ResponseProduct::Bound bound = question != ResponseQuestion::Waits ? ResponseProduct::Bound::None
                                       : p.within                          ? ResponseProduct::Bound::Within
                                                                           : ResponseProduct::Bound::Liveness;
  ResponseProduct product(ctx, model, p, bound, question == ResponseQuestion::Cycle);
  Encoding& enc = product.encoding();
  ResponseProduct::State x = product.state(0), next = product.state(1);
  z3::expr bad = question == ResponseQuestion::Waits      ? product.violated(x) || product.fault(0, x)
                 : question == ResponseQuestion::Timelock ? product.time_stops(0, x)
                                                          : product.cycle_closed(x);
  Horn h{inv_args(ctx, model, product.terms(x)), inv_args(ctx, model, product.terms(next)),
         enc.parameters_ok() && product.in_ranges(x), product.initial(x),
         product.in_ranges(next) && product.transition(0, x, next), bad};
  return spacer_solve(ctx, h, p.name, iuc, seconds);
}

// Spacer with its interpolation option off, then on, each with half of `budget` and in a child
// process of its own; `why` says what the last attempt said when neither answered.
Answer spacer_portfolio(const std::function<std::string(int, double)>& attempt, double budget, RunContext& context,
                        std::string& why) {
  for (int iuc : {0, 1}) {
    if (context.timed_out()) break;
    const double seconds = budget / 2;
    IsolatedResult run = run_isolated([&] { return attempt(iuc, seconds); }, seconds + 5, [&] { return context.timed_out(); },
                                      context.limits().memory_mb * 1024 * 1024);
    if (!run.output) {
      why = run.failure;
      continue;
    }
    const std::string& out = *run.output;
    if (out == "SAFE") return Answer::Safe;
    if (out == "UNSAFE") return Answer::Unsafe;
    if (out.rfind("EXCEPTION:internal error", 0) == 0) throw std::logic_error(out.substr(10));
    why = out.rfind("UNKNOWN:", 0) == 0 ? out.substr(8) : out;
  }
  return Answer::Unknown;
}

// What is left of the run's time (kDefaultTimeout without --timeout).
double budget_left(const RunContext& context) {
  return context.limits().timeout_seconds > 0 ? context.limits().timeout_seconds - context.elapsed() : ChcEngine::kDefaultTimeout;
}

void no_answer(const Model& model, const Property& p, const RunContext& context, const std::string& why, PropertyResult& res) {
  const Failure failure = context.timed_out() ? Failure{context.stop_reason(), stop_kind(context)} : spacer_failure(why);
  res.detail = with_prover_hint("Spacer gave no answer: " + failure.reason, model, p, "chc", failure.stop);
  res.stopped_by_limit = context.timed_out();
}

void prove_response(const Model& whole, int index, RunContext& context, PropertyResult& res) {
  if (!settle_bound(whole, whole.properties[static_cast<std::size_t>(index)], res)) return;
  // Variables neither p, q nor the rest of the model reads are kept constant (model/cone.h).
  const Cone cone = cone_of_influence(whole, {index});
  const Model& model = cone.model;
  const Property& p = model.properties[static_cast<std::size_t>(index)];
  const double budget = budget_left(context);
  if (budget <= 0 || context.timed_out()) {  // out of time, or stopped (Ctrl-C, --memory)
    res.detail = "stopped before this property (" + context.stop_reason() + ")";
    return;
  }
  if (!p.within) {
    // A violation here is a lasso, which Spacer would have to unroll for more ticks than the
    // model has states: bmc looks for one first, with a quarter of the time.
    Limits first = context.limits();
    first.timeout_seconds = budget / 4;
    RunContext own(first, nullptr);
    PropertyResult lasso = check_response_bmc(whole, index, own, first.depth > 0 ? first.depth : BmcEngine::kDefaultDepth, "chc");
    if (lasso.verdict == Verdict::Violated || lasso.verdict == Verdict::ModelError) {
      res.verdict = lasso.verdict;
      res.trace = std::move(lasso.trace);
      res.detail = "bmc found this lasso before Spacer ran: " + lasso.detail;
      return;
    }
  }
  std::string why;
  const Answer waits = spacer_portfolio(
      [&](int iuc, double s) { return spacer_response(model, p, ResponseQuestion::Waits, iuc, s); }, budget_left(context) * 3 / 4,
      context, why);
  if (waits == Answer::Unsafe) {
    trace_with_bmc(whole, index, context,
                   p.within ? "chc: a trigger can wait too long"
                            : "chc: a trigger can wait longer than the model has states, so time passes forever without the "
                              "target on some run",
                   res);
    return;
  }
  if (waits == Answer::Unknown) {
    no_answer(whole, p, context, why, res);
    return;
  }
  const std::string proven =
      p.within ? "no trigger waits longer than the bound, for every parameter value allowed (an inductive invariant of the "
                 "model and an observer of the wait, re-checked)"
               : "every wait is finite, for every parameter value allowed (an inductive invariant bounds the ticks since the "
                 "trigger, re-checked)";
  finish_response_proof(model, p, context, proven, [&](TimeStop stop) {
    const double left = budget_left(context);
    if (left <= 0) return std::string("no time left");
    const ResponseQuestion question = stop == TimeStop::Timelock ? ResponseQuestion::Timelock : ResponseQuestion::Cycle;
    std::string stop_why;
    switch (spacer_portfolio([&](int iuc, double s) { return spacer_response(model, p, question, iuc, s); }, left / 2, context,
                             stop_why)) {
      case Answer::Safe: return std::string("no");
      case Answer::Unsafe: return std::string("yes");
      default: return "Spacer gave no answer (" + spacer_failure(stop_why).reason + ")";
    }
  }, res);
}

}  // namespace

std::vector<PropertyResult> ChcEngine::check(const Model& model, const std::vector<int>& properties,
                                             RunContext& context) {
  std::vector<PropertyResult> results(properties.size());
  const double start = context.elapsed();
  for (std::size_t r = 0; r < properties.size(); ++r) results[r] = PropertyResult(model.properties[properties[r]], name());
  if (apply_start_check(check_start(model, context), results)) {
    stamp_symbolic_stats(results, context.elapsed() - start);
    return results;
  }
  for (std::size_t r = 0; r < properties.size(); ++r) {
    const Property& p = model.properties[properties[r]];
    PropertyResult& res = results[r];
    if (p.kind == Property::Kind::Response) {
      prove_response(model, properties[r], context, res);
      continue;
    }
    if (p.kind != Property::Kind::Invariant) {
      res.detail = "chc proves invariant and response properties only; " + engines_for_kind(p.kind);
      continue;
    }
    const double budget = budget_left(context);
    if (budget <= 0 || context.timed_out()) {  // out of time, or stopped (Ctrl-C, --memory)
      res.detail = "stopped before this property (" + context.stop_reason() + ")";
      continue;
    }
    std::string why;
    const Answer answer = spacer_portfolio([&](int iuc, double s) { return spacer_attempt(model, p, iuc, s); }, budget, context, why);
    if (answer == Answer::Safe) {
      res.verdict = Verdict::Holds;
      res.detail = "proven for every parameter value allowed; the inductive invariant was re-checked";
    } else if (answer == Answer::Unsafe) {
      trace_with_bmc(model, properties[r], context, "chc: a bad state is reachable", res);
    } else {
      no_answer(model, p, context, why, res);
    }
  }
  stamp_symbolic_stats(results, context.elapsed() - start);
  return results;
}

}  // namespace interlock

#include "solver/z3/chc_engine.h"

#include <set>

#include "solver/z3/bmc_engine.h"
#include "solver/z3/encoding.h"
#include "solver/z3/interrupt.h"
#include "solver/z3/isolated.h"
#include "solver/z3/solver_timeout.h"
#include "solver/z3/start_check.h"

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

// What Spacer's failure means for the user, in one line: it may come with a dump of its rules.
std::string spacer_failure(const std::string& why) {
  if (stop_requested()) return "interrupted";
  if (why.find("timeout") != std::string::npos || why.find("canceled") != std::string::npos)
    return why.substr(0, why.find('\n')) + " (try --engine kind, or --engine bmc --depth N to look for a violation)";
  if (why.find("'div'") != std::string::npos || why.find("'mod'") != std::string::npos)
    return "it cannot reason about division by a variable (try --engine kind, or give the divisor's parameters values)";
  if (why.find("incomplete") != std::string::npos)
    return "it cannot decide nonlinear arithmetic (a product of parameters or variables); try --engine kind or bmc";
  if (why.find("quantifier") != std::string::npos || why.find("exists") != std::string::npos)
    return "it cannot reason about a broadcast receiver's `choose` over a wide range (try --engine kind)";
  std::string line = why.substr(0, why.find('\n'));
  if (line.size() > 160) line = line.substr(0, 160) + "...";
  return line + " (try --engine kind)";
}

// One Spacer run and, when it says safe, the re-check of its invariant: "SAFE", "UNSAFE" or
// "UNKNOWN:why". Runs in a child process (see isolated.h).
std::string spacer_attempt(const Model& model, const Property& p, int iuc, double seconds) {
  z3::context ctx;
  Encoding enc(ctx, model);
  SymState s = enc.state(0), next = enc.state(1);
  z3::expr_vector args(ctx);
  z3::sort_vector sorts(ctx);
  for (const Param& param : model.params) {
    std::string n = "p_";
    n += param.name;
    args.push_back(ctx.int_const(n.c_str()));
    sorts.push_back(ctx.int_sort());
  }
  const unsigned param_count = args.size();
  for (const z3::expr& v : s) {
    args.push_back(v);
    sorts.push_back(ctx.int_sort());
  }
  z3::func_decl inv = ctx.function("Inv", sorts, ctx.bool_sort());
  z3::expr_vector next_args(ctx);
  for (unsigned i = 0; i < param_count; ++i) next_args.push_back(args[i]);
  for (const z3::expr& v : next) next_args.push_back(v);
  z3::expr inv_s = inv(args), inv_next = inv(next_args);
  Encoding::Condition value = enc.property(*p.a, s);
  z3::expr bad = !value.holds || value.fault || enc.fault(0, s);

  z3::solver horn(ctx, "HORN");
  z3::params settings(ctx);
  settings.set("fp.engine", "spacer");
  settings.set("fp.spacer.iuc", static_cast<unsigned>(iuc));
  keep_ctrl_c(settings);
  horn.set(settings);
  horn.add(close(z3::implies(enc.parameters_ok() && enc.in_ranges(s) && enc.initial(s), inv_s)));
  horn.add(close(z3::implies(inv_s && enc.in_ranges(next) && enc.transition(0, s, next), inv_next)));
  horn.add(close(z3::implies(inv_s && bad, ctx.bool_val(false))));
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
  z3::expr ok = enc.parameters_ok() && enc.in_ranges(s);
  struct Obligation {
    z3::expr formula;
    const char* what;
  };
  std::vector<Obligation> obligations = {
      {ok && enc.initial(s) && !inv_now, "initiation"},
      {ok && inv_now && enc.in_ranges(next) && enc.transition(0, s, next) && !inv_after, "consecution"},
      {ok && inv_now && bad, "safety"}};
  for (const Obligation& o : obligations) {
    z3::solver check(ctx, z3::solver::simple());
    z3::params quiet(ctx);
    keep_ctrl_c(quiet);
    check.set(quiet);
    check.add(o.formula);
    z3::check_result r = check.check();
    if (r == z3::sat)
      throw std::logic_error(std::string("internal error: Spacer's invariant for '") + p.name + "' fails " + o.what);
    if (r != z3::unsat) return std::string("UNKNOWN:the re-check of the invariant's ") + o.what + " answered unknown";
  }
  return "SAFE";
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
    if (p.kind != Property::Kind::Invariant) {
      res.detail = "chc proves invariant properties only; use bmc or the explicit engine for this one";
      continue;
    }
    double budget = context.limits().timeout_seconds > 0 ? context.limits().timeout_seconds - context.elapsed()
                                                         : kDefaultTimeout;
    if (budget <= 0) {
      res.detail = "timeout before this property";
      continue;
    }
    Answer answer = Answer::Unknown;
    std::string why;
    for (int iuc : {0, 1}) {
      if (context.timed_out()) break;
      const double attempt = budget / 2;
      IsolatedResult run = run_isolated([&] { return spacer_attempt(model, p, iuc, attempt); }, attempt + 5,
                                        [&] { return context.timed_out(); }, context.limits().memory_mb * 1024 * 1024);
      if (!run.output) {
        why = run.failure;
        continue;
      }
      const std::string& out = *run.output;
      if (out == "SAFE") {
        answer = Answer::Safe;
        res.detail = "proven for every parameter value allowed; the inductive invariant was re-checked";
        break;
      }
      if (out == "UNSAFE") {
        answer = Answer::Unsafe;
        break;
      }
      if (out.rfind("EXCEPTION:internal error", 0) == 0) throw std::logic_error(out.substr(10));
      why = out.rfind("UNKNOWN:", 0) == 0 ? out.substr(8) : out;
    }
    if (answer == Answer::Safe) {
      res.verdict = Verdict::Holds;
    } else if (answer == Answer::Unsafe) {
      trace_with_bmc(model, properties[r], context, "chc: a bad state is reachable", res);
    } else if (context.timed_out()) {
      res.detail = "Spacer gave no answer: " + context.stop_reason() +
                   " (try --engine kind, or --engine bmc --depth N to look for a violation)";
      res.stopped_by_limit = true;
    } else {
      res.detail = "Spacer gave no answer: " + spacer_failure(why);
    }
  }
  stamp_symbolic_stats(results, context.elapsed() - start);
  return results;
}

}  // namespace interlock

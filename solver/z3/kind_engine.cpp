#include "solver/z3/kind_engine.h"

#include "model/cone.h"
#include "solver/z3/bmc_engine.h"
#include "solver/z3/encoding.h"
#include "solver/z3/interrupt.h"
#include "solver/z3/prover_hint.h"
#include "solver/z3/response_monitor.h"
#include "solver/z3/solver_timeout.h"
#include "solver/z3/start_check.h"
#include "solver/z3/time_stops.h"

namespace interlock {
namespace {

enum class Induction { Proven, NotInductive, Unknown };

// The step case for k: k + 1 distinct states on a path (from anywhere) whose first k are good and
// whose last is bad. Unsat = inductive. Good means: the property holds and can be evaluated, and
// no step from the state fails; bad is the opposite.
Induction step_case(const Model& model, const Property& property, int k, RunContext& context) {
  z3::context ctx;
  Interrupter interrupt(ctx, &context);
  Encoding enc(ctx, model);
  z3::solver solver(ctx, z3::solver::simple());
  set_solver_timeout(solver, context);
  solver.add(enc.parameters_ok());
  std::vector<SymState> s;
  for (int i = 0; i <= k; ++i) {
    s.push_back(enc.state(i));
    solver.add(enc.in_ranges(s[i]));
    solver.add(enc.invariants(s[i]));
    solver.add(enc.static_facts(s[i]));
    if (i > 0) solver.add(enc.transition(i - 1, s[i - 1], s[i]));
    if (i > 1) solver.add(enc.canonical_order(i - 2));
  }
  // Simple paths: on a shortest path to a bad state no state repeats, so requiring it keeps the
  // step sound and makes k-induction complete for a finite state space.
  solver.add(enc.all_distinct(s));
  for (int i = 0; i < k; ++i) {
    Encoding::Condition value = enc.property(*property.a, s[i]);
    solver.add(value.holds && !value.fault && !enc.fault(i, s[i]));
  }
  Encoding::Condition last = enc.property(*property.a, s[k]);
  solver.add(!last.holds || last.fault || enc.fault(k, s[k]));
  z3::check_result r = check_with_retry(solver, z3::expr_vector(ctx), context).result;
  if (r == z3::unsat) return Induction::Proven;
  if (r == z3::sat) return Induction::NotInductive;
  return Induction::Unknown;
}

// A bounded response in product with its observer (solver/z3/response_monitor.h). The bad
// states: a trigger that has waited too long, or a fault (Waits); a timelock while a trigger
// waits (Timelock); back where a cycle of actions without a tick began, a trigger waiting all
// along (Cycle).
enum class ResponseQuestion { Waits, Timelock, Cycle };

// Time stops matter only where a trigger waits: the wait's length is settled by then.
ResponseProduct::Bound bound_for(ResponseQuestion question) {
  return question == ResponseQuestion::Waits ? ResponseProduct::Bound::Within : ResponseProduct::Bound::None;
}

z3::expr response_bad(ResponseProduct& product, ResponseQuestion question, int step, const ResponseProduct::State& x) {
  if (question == ResponseQuestion::Timelock) return product.time_stops(step, x);
  if (question == ResponseQuestion::Cycle) return product.cycle_closed(x);
  return product.violated(x) || product.fault(step, x);
}

// The step case on the product: k + 1 distinct product states on a path from any state that
// keeps the invariants, the static facts and the observer's own facts.
Induction response_step_case(const Model& model, const Property& property, ResponseQuestion question, int k,
                             RunContext& context) {
  z3::context ctx;
  Interrupter interrupt(ctx, &context);
  ResponseProduct product(ctx, model, property, bound_for(question), question == ResponseQuestion::Cycle);
  Encoding& enc = product.encoding();
  z3::solver solver(ctx, z3::solver::simple());
  set_solver_timeout(solver, context);
  solver.add(enc.parameters_ok());
  std::vector<ResponseProduct::State> x;
  std::vector<SymState> terms;
  for (int i = 0; i <= k; ++i) {
    x.push_back(product.state(i));
    terms.push_back(product.terms(x[static_cast<std::size_t>(i)]));
    const ResponseProduct::State& now = x.back();
    solver.add(product.in_ranges(now));
    solver.add(product.consistent(now));
    solver.add(enc.invariants(now.s));
    solver.add(enc.static_facts(now.s));
    if (i > 0) solver.add(product.transition(i - 1, x[static_cast<std::size_t>(i - 1)], now));
    // The path rules keep a shortest path to every state with the observer's state; a copy taken
    // at one step is not kept by them, so the search for cycles goes without.
    if (i > 1 && question != ResponseQuestion::Cycle)
      solver.add(product.path_rules(i - 2, x[static_cast<std::size_t>(i - 2)], x[static_cast<std::size_t>(i - 1)]));
  }
  solver.add(enc.all_distinct(terms));
  for (int i = 0; i < k; ++i) solver.add(!response_bad(product, question, i, x[static_cast<std::size_t>(i)]));
  solver.add(response_bad(product, question, k, x[static_cast<std::size_t>(k)]));
  z3::check_result r = check_with_retry(solver, z3::expr_vector(ctx), context).result;
  if (r == z3::unsat) return Induction::Proven;
  if (r == z3::sat) return Induction::NotInductive;
  return Induction::Unknown;
}

// k-induction on the product for one question: Proven, NotInductive (a base case reaches a bad
// state: `reached`), or Unknown with `stop` saying why (also when k ran out).
Induction response_induction(const Model& model, const Property& property, ResponseQuestion question, int max_k,
                             RunContext& context, bool& reached, int& k, std::string& stop) {
  reached = false;
  z3::context ctx;
  Interrupter interrupt(ctx, &context);
  ResponseProduct product(ctx, model, property, bound_for(question), question == ResponseQuestion::Cycle);
  Encoding& enc = product.encoding();
  z3::solver base(ctx, z3::solver::simple());
  std::vector<ResponseProduct::State> x = {product.state(0)};
  base.add(enc.parameters_ok());
  base.add(product.in_ranges(x[0]));
  base.add(product.initial(x[0]));
  for (k = 1; k <= max_k; ++k) {
    if (context.timed_out()) {
      stop = context.stop_reason() + " at k = " + std::to_string(k);
      return Induction::Unknown;
    }
    const int depth = k - 1;
    z3::expr lit = ctx.bool_const(Encoding::name('b', {depth}).c_str());
    base.add(z3::implies(lit, response_bad(product, question, depth, x[static_cast<std::size_t>(depth)])));
    z3::expr_vector assume(ctx);
    assume.push_back(lit);
    const z3::check_result b = check_with_retry(base, assume, context).result;
    if (b == z3::unknown) {
      stop = (context.timed_out() ? context.stop_reason() : std::string("the solver answered unknown")) +
             " in the base case at depth " + std::to_string(depth);
      return Induction::Unknown;
    }
    if (b == z3::sat) {
      reached = true;
      return Induction::NotInductive;
    }
    Induction step = response_step_case(model, property, question, k, context);
    if (step == Induction::Proven) step = response_step_case(model, property, question, k, context);  // re-checked
    if (step == Induction::Proven) return step;
    if (step == Induction::Unknown) {
      stop = (context.timed_out() ? context.stop_reason() : std::string("the solver answered unknown")) +
             " in the step case for k = " + std::to_string(k);
      return Induction::Unknown;
    }
    x.push_back(product.state(k));
    base.add(product.in_ranges(x.back()));
    base.add(product.transition(k - 1, x[static_cast<std::size_t>(k - 1)], x.back()));
  }
  stop = with_prover_hint(
      "not " + std::to_string(max_k) + "-inductive over simple paths of the model and an observer of the wait", model,
      property, "kind", ProverStop::NotInductive, max_k);
  return Induction::Unknown;
}

void check_response(const Model& whole, int index, RunContext& context, PropertyResult& res) {
  if (!whole.properties[static_cast<std::size_t>(index)].within) {
    res.detail = "k-induction decides bounded responses (within T) only; try --engine chc to prove this one, or "
                 "--engine bmc --depth N to look for a run where time passes forever without the target";
    return;
  }
  if (!settle_bound(whole, whole.properties[static_cast<std::size_t>(index)], res)) return;
  const Cone cone = cone_of_influence(whole, {index});  // as in bmc: p, q and what they depend on
  const Model& model = cone.model;
  const Property& p = model.properties[static_cast<std::size_t>(index)];
  const int max_k = context.limits().depth > 0 ? context.limits().depth : KInductionEngine::kDefaultMaxK;
  bool reached = false;
  int k = 0;
  std::string stop;
  const Induction waits = response_induction(model, p, ResponseQuestion::Waits, max_k, context, reached, k, stop);
  if (reached) {
    Limits deep = context.limits();
    deep.depth = std::max(k, deep.depth);
    if (deep.timeout_seconds > 0) deep.timeout_seconds = std::max(0.001, deep.timeout_seconds - context.elapsed());
    RunContext bmc_context(deep, nullptr);
    trace_with_bmc(whole, index, bmc_context, "k-induction's base case reaches a trigger that waits too long", res);
    return;
  }
  if (waits != Induction::Proven) {
    res.stopped_by_limit = context.timed_out();
    res.detail = stop;
    if (res.stopped_by_limit) res.detail = with_prover_hint(stop, whole, p, "kind", stop_kind(context));
    return;
  }
  const std::string proven = "no trigger waits longer than the bound, for every parameter value allowed (proven by " +
                             std::to_string(k) + "-induction over simple paths of the model and an observer of the wait, "
                             "step re-checked)";
  finish_response_proof(model, p, context, proven, [&](TimeStop stop) {
    bool reached_stop = false;
    int depth = 0;
    std::string why;
    const ResponseQuestion question = stop == TimeStop::Timelock ? ResponseQuestion::Timelock : ResponseQuestion::Cycle;
    const Induction answer = response_induction(model, p, question, max_k, context, reached_stop, depth, why);
    if (reached_stop) return std::string("yes");
    return answer == Induction::Proven ? std::string("no") : why;
  }, res);
}

}  // namespace

std::vector<PropertyResult> KInductionEngine::check(const Model& model, const std::vector<int>& properties,
                                                    RunContext& context) {
  std::vector<PropertyResult> results(properties.size());
  const double start = context.elapsed();
  for (std::size_t r = 0; r < properties.size(); ++r) results[r] = PropertyResult(model.properties[properties[r]], name());
  if (apply_start_check(check_start(model, context), results)) {
    stamp_symbolic_stats(results, context.elapsed() - start);
    return results;
  }
  const int max_k = context.limits().depth > 0 ? context.limits().depth : kDefaultMaxK;
  for (std::size_t r = 0; r < properties.size(); ++r) {
    const Property& p = model.properties[properties[r]];
    PropertyResult& res = results[r];
    if (p.kind == Property::Kind::Response) {
      check_response(model, properties[r], context, res);
      continue;
    }
    if (p.kind != Property::Kind::Invariant) {
      res.detail = "k-induction proves invariant and bounded response properties only; " + engines_for_kind(p.kind);
      continue;
    }
    // Base cases, incrementally: no bad state within k - 1 steps of the start.
    z3::context ctx;
    Interrupter interrupt(ctx, &context);
    Encoding enc(ctx, model);
    z3::solver base(ctx, z3::solver::simple());
    std::vector<SymState> s = {enc.assert_start(base)};
    std::string stop;
    bool violated = false;
    int k = 1;
    for (; k <= max_k; ++k) {
      if (context.timed_out()) {
        stop = context.stop_reason() + " at k = " + std::to_string(k);
        res.stopped_by_limit = true;
        break;
      }
      const int depth = k - 1;  // the newest base state
      z3::expr lit = ctx.bool_const(Encoding::name('b', {depth}).c_str());
      Encoding::Condition value = enc.property(*p.a, s[depth]);
      base.add(z3::implies(lit, !value.holds || value.fault || enc.fault(depth, s[depth])));
      z3::expr_vector assume(ctx);
      assume.push_back(lit);
      z3::check_result b = check_with_retry(base, assume, context).result;
      if (b == z3::unknown) {
        stop = context.timed_out() ? context.stop_reason() + " in the base case at depth " + std::to_string(depth)
                                   : "the solver answered unknown in the base case at depth " + std::to_string(depth);
        res.stopped_by_limit = context.timed_out();
        break;
      }
      if (b == z3::sat) {
        violated = true;
        break;
      }
      Induction step = step_case(model, p, k, context);
      if (step == Induction::Unknown) {
        stop = context.timed_out() ? context.stop_reason() + " in the step case for k = " + std::to_string(k)
                                   : "the solver answered unknown in the step case for k = " + std::to_string(k);
        res.stopped_by_limit = context.timed_out();
        break;
      }
      if (step == Induction::Proven) {
        // Re-run the decisive query on its own before believing it (a stop in between is no answer).
        const Induction again = step_case(model, p, k, context);
        if (again == Induction::Unknown) {
          stop = "stopped while re-checking the step for k = " + std::to_string(k);
          res.stopped_by_limit = true;
          break;
        }
        if (again != Induction::Proven)
          throw std::logic_error("internal error: the k-induction step for '" + p.name + "' did not re-check");
        res.verdict = Verdict::Holds;
        res.detail = "proven by " + std::to_string(k) +
                     "-induction over simple paths (all states distinct; state invariants and the spec's static facts assumed) "
                     "for every parameter value allowed (step re-checked)";
        break;
      }
      s.push_back(enc.state(k));
      base.add(enc.in_ranges(s[k]));
      base.add(enc.transition(k - 1, s[k - 1], s[k]));
    }
    if (res.verdict == Verdict::Holds) continue;
    if (violated) {
      Limits deep = context.limits();
      deep.depth = std::max(k, deep.depth);
      if (deep.timeout_seconds > 0) deep.timeout_seconds = std::max(0.001, deep.timeout_seconds - context.elapsed());
      RunContext bmc_context(deep, nullptr);
      trace_with_bmc(model, properties[r], bmc_context, "k-induction's base case reaches a bad state", res);
      continue;
    }
    if (stop.empty())
      res.detail = with_prover_hint("not " + std::to_string(max_k) + "-inductive over simple paths", model, p, "kind",
                                    ProverStop::NotInductive, max_k);
    else
      res.detail = res.stopped_by_limit ? with_prover_hint(stop, model, p, "kind", stop_kind(context)) : stop;
  }
  stamp_symbolic_stats(results, context.elapsed() - start);
  return results;
}

}  // namespace interlock

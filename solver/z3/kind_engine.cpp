#include "solver/z3/kind_engine.h"

#include "solver/z3/bmc_engine.h"
#include "solver/z3/encoding.h"
#include "solver/z3/solver_timeout.h"

namespace interlock {
namespace {

enum class Induction { Proven, NotInductive, Unknown };

// The step case for k: k good states in a row (from anywhere), then a bad one. Unsat = inductive.
Induction step_case(const Model& model, const Property& property, int k, RunContext& context) {
  z3::context ctx;
  Encoding enc(ctx, model);
  z3::solver solver(ctx, z3::solver::simple());
  set_solver_timeout(solver, context);
  solver.add(enc.parameters_ok());
  std::vector<SymState> s;
  for (int i = 0; i <= k; ++i) {
    s.push_back(enc.state(i));
    solver.add(enc.in_ranges(s[i]));
    solver.add(enc.invariants(s[i]));
    if (i > 0) solver.add(enc.transition(i - 1, s[i - 1], s[i]));
  }
  for (int i = 0; i < k; ++i) solver.add(enc.condition(*property.a, s[i]) && !enc.may_fault(i, s[i]));
  solver.add(!enc.condition(*property.a, s[k]) || enc.may_fault(k, s[k]));
  z3::check_result r = solver.check();
  if (r == z3::unsat) return Induction::Proven;
  if (r == z3::sat) return Induction::NotInductive;
  return Induction::Unknown;
}

}  // namespace

std::vector<PropertyResult> KInductionEngine::check(const Model& model, const std::vector<int>& properties,
                                                    RunContext& context) {
  std::vector<PropertyResult> results(properties.size());
  const double start = context.elapsed();
  const int max_k = context.limits().depth > 0 ? context.limits().depth : kDefaultMaxK;
  for (std::size_t r = 0; r < properties.size(); ++r) {
    const Property& p = model.properties[properties[r]];
    PropertyResult& res = results[r] = PropertyResult(p, name());
    if (p.kind != Property::Kind::Invariant) {
      res.detail = "k-induction proves invariant properties only";
      continue;
    }
    // Base cases, incrementally: no bad state and no fault within k - 1 steps of the start.
    z3::context ctx;
    Encoding enc(ctx, model);
    z3::solver base(ctx, z3::solver::simple());
    std::vector<SymState> s = {enc.assert_start(base)};
    std::string stop;
    bool violated = false;
    int k = 1;
    for (; k <= max_k; ++k) {
      if (context.timed_out()) {
        stop = "timeout at k = " + std::to_string(k);
        break;
      }
      const int depth = k - 1;  // the newest base state
      set_solver_timeout(base, context);
      z3::expr lit = ctx.bool_const(Encoding::name('b', {depth}).c_str());
      base.add(z3::implies(lit, !enc.condition(*p.a, s[depth]) || enc.may_fault(depth, s[depth])));
      z3::expr_vector assume(ctx);
      assume.push_back(lit);
      z3::check_result b = base.check(assume);
      if (b == z3::unknown) {
        stop = "the solver answered unknown in the base case at depth " + std::to_string(depth);
        break;
      }
      if (b == z3::sat) {
        violated = true;
        break;
      }
      Induction step = step_case(model, p, k, context);
      if (step == Induction::Unknown) {
        stop = "the solver answered unknown in the step case for k = " + std::to_string(k);
        break;
      }
      if (step == Induction::Proven) {
        // Re-run the decisive query on its own before believing it.
        if (step_case(model, p, k, context) != Induction::Proven)
          throw std::logic_error("internal error: the k-induction step for '" + p.name + "' did not re-check");
        res.verdict = Verdict::Holds;
        res.detail = "proven by " + std::to_string(k) + "-induction for every parameter value allowed (step re-checked)";
        break;
      }
      s.push_back(enc.state(k));
      base.add(enc.in_ranges(s[k]));
      base.add(enc.transition(k - 1, s[k - 1], s[k]));
    }
    if (res.verdict == Verdict::Holds) continue;
    if (violated) {
      RunContext deep(Limits{context.limits().timeout_seconds, context.limits().memory_mb, std::max(k, context.limits().depth)}, nullptr);
      trace_with_bmc(model, properties[r], deep, "k-induction's base case reaches a bad state", res);
      continue;
    }
    res.detail = !stop.empty() ? stop : "not " + std::to_string(max_k) + "-inductive (raise --depth, or try --engine chc)";
  }
  stamp_symbolic_stats(results, context.elapsed() - start);
  return results;
}

}  // namespace interlock

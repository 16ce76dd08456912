#include "solver/z3/bmc_engine.h"

#include <sstream>

#include "model/cone.h"
#include "solver/trace/replay.h"
#include "solver/z3/encoding.h"
#include "solver/z3/solver_timeout.h"

namespace interlock {

namespace {

struct Goal {
  std::size_t result;
  const Property* property;
  bool reachable;
  bool done = false;
};

}  // namespace

std::vector<PropertyResult> BmcEngine::check(const Model& model, const std::vector<int>& properties,
                                             RunContext& context) {
  std::vector<PropertyResult> results(properties.size());
  std::vector<Goal> goals;
  for (std::size_t r = 0; r < properties.size(); ++r) {
    const Property& p = model.properties[properties[r]];
    results[r] = PropertyResult(p, name());
    if (p.kind == Property::Kind::Invariant || p.kind == Property::Kind::Reachable) {
      goals.push_back({r, &p, p.kind == Property::Kind::Reachable});
    } else {
      results[r].detail = std::string("bmc checks invariant and reachable properties only; use the explicit engine for ") +
                          property_kind_name(p.kind) + " properties";
    }
  }
  const int max_depth = context.limits().depth > 0 ? context.limits().depth : kDefaultDepth;
  const double start = context.elapsed();

  // Variables no goal reads are kept constant (model/cone.h): fewer terms per step, and every
  // step of the reduced model is a step of the whole one, where the traces are replayed.
  std::vector<int> goal_properties;
  for (const Goal& goal : goals) goal_properties.push_back(properties[goal.result]);
  Cone cone = cone_of_influence(model, goal_properties);
  z3::context ctx;
  Encoding enc(ctx, cone.model);
  z3::solver solver(ctx, z3::solver::simple());
  // Measured on the KB spec (docs/performance.md): the older arithmetic solver without
  // relevancy filtering proves the deep depths about twice as fast as the defaults.
  z3::params tuning(ctx);
  tuning.set("arith.solver", 2u);
  tuning.set("relevancy", 0u);
  solver.set(tuning);
  std::vector<SymState> states = {enc.assert_start(solver)};

  std::size_t open = goals.size();
  int depth = 0;
  int checked = -1;  // the deepest depth fully checked
  std::string stop_reason;
  for (; depth <= max_depth && open > 0; ++depth) {
    for (Goal& goal : goals) {
      if (goal.done) continue;
      if (context.timed_out()) {
        stop_reason = "timeout after " + format_seconds(context.limits().timeout_seconds) + " at depth " + std::to_string(depth);
        break;
      }
      set_solver_timeout(solver, context);
      z3::expr holds = enc.condition(*goal.property->a, states[depth]);
      z3::expr target = goal.reachable ? holds : !holds;
      z3::expr lit = ctx.bool_const(Encoding::name('a', {depth, static_cast<long>(goal.result)}).c_str());
      solver.add(z3::implies(lit, target));
      z3::expr_vector assumptions(ctx);
      assumptions.push_back(lit);
      z3::check_result answer = solver.check(assumptions);
      if (answer == z3::unknown) {
        std::string reason = solver.reason_unknown();
        if (reason.find("cancel") != std::string::npos || reason.find("timeout") != std::string::npos || context.timed_out())
          stop_reason = "timeout after " + format_seconds(context.limits().timeout_seconds) + " at depth " + std::to_string(depth);
        else
          stop_reason = "the solver answered unknown (" + reason + ") at depth " + std::to_string(depth);
        break;
      }
      if (answer == z3::unsat) {
        solver.add(!target);  // follows from the path so far: said once, not found again
        continue;
      }
      z3::model m = solver.get_model();
      Model fixed = with_params(model, enc.decode_params(m));
      Replayed replay = replay_steps(fixed, enc.decode_steps(m, depth));
      PropertyResult& res = results[goal.result];
      goal.done = true;
      --open;
      if (replay.outcome == Replayed::Outcome::Fault) {
        res.verdict = Verdict::ModelError;
        res.detail = replay.fault.message + " (found by bmc, confirmed by the explicit semantics)";
        res.trace = replay.trace;
        res.trace->final_note = "the next step fails: " + replay.fault.message;
        continue;
      }
      if (replay.outcome == Replayed::Outcome::Disabled)
        throw std::logic_error("internal error: the bmc trace for '" + res.property + "' does not replay: step " +
                               std::to_string(replay.failed_step + 1) + " is not possible in the explicit semantics");
      Semantics check(fixed);
      ModelFault fault;
      bool value = check.holds(check.compile(*goal.property->a), replay.trace.states.back().data(), fault);
      if (value != goal.reachable)
        throw std::logic_error("internal error: the bmc trace for '" + res.property + "' replays but its last state does not " +
                               (goal.reachable ? "reach" : "violate") + " the property");
      res.verdict = goal.reachable ? Verdict::Holds : Verdict::Violated;
      res.trace = replay.trace;
      res.trace->final_note = goal.reachable ? "reaches " + res.property : "violates " + res.property;
      res.detail = std::string(goal.reachable ? "reachable" : "violated") + " in " + std::to_string(depth) +
                   " symbolic steps (a delay is one step); the trace replays on the explicit semantics";
    }
    if (!stop_reason.empty()) break;
    checked = depth;
    if (depth < max_depth) {
      states.push_back(enc.state(depth + 1));
      solver.add(enc.in_ranges(states.back()));
      solver.add(enc.transition(depth, states[depth], states.back(), Encoding::InvariantPlacement::Shared));
      // Paths that only reorder independent neighbours, or split a delay, are searched once.
      if (depth >= 1) solver.add(enc.canonical_order(depth - 1));
    }
    context.progress([&] {
      std::ostringstream line;
      line << "bmc: depth " << depth << " done, " << open << " properties open";
      return line.str();
    });
  }
  for (const Goal& goal : goals) {
    PropertyResult& res = results[goal.result];
    if (goal.done) continue;
    res.verdict = Verdict::Unknown;
    res.detail = !stop_reason.empty() ? stop_reason
                 : goal.reachable ? "no witness within " + std::to_string(max_depth) + " steps (bmc cannot prove unreachability)"
                                  : "no counterexample within " + std::to_string(max_depth) + " steps (bmc proves no invariant)";
  }
  stamp_symbolic_stats(results, context.elapsed() - start, std::max(checked, 0));
  return results;
}

void trace_with_bmc(const Model& model, int property, RunContext& context, const std::string& finding,
                    PropertyResult& res) {
  RunContext own(context.limits(), nullptr);
  PropertyResult found = BmcEngine().check(model, {property}, own).at(0);
  if (found.verdict == Verdict::Violated || found.verdict == Verdict::ModelError) {
    res.verdict = found.verdict;
    res.trace = found.trace;
    res.detail = finding + "; bmc found this trace: " + found.detail;
  } else {
    res.detail = finding + " (a violation or a possible model fault), but bmc found no trace (" + found.detail +
                 "); the explicit engine can show a fault's trace";
  }
}

}  // namespace interlock

#include "solver/z3/bmc_engine.h"

#include <algorithm>
#include <optional>
#include <sstream>

#include "model/cone.h"
#include "solver/trace/replay.h"
#include "solver/z3/encoding.h"
#include "solver/z3/interrupt.h"
#include "solver/z3/prover_hint.h"
#include "solver/z3/response_bmc.h"
#include "solver/z3/solver_timeout.h"
#include "solver/z3/start_check.h"

namespace interlock {

namespace {

struct Goal {
  std::size_t result;
  const Property* property;
  bool reachable;
  bool done = false;
  int depth = 0;  // once done: the depth of its trace, which its line shows
};

}  // namespace

std::optional<ModelFault> expansion_fault(const Model& model, const std::vector<int32_t>& state) {
  Semantics semantics(model);
  std::vector<int32_t> padded = state;
  padded.resize(model.slots.size() + 1);
  ModelFault fault;
  if (semantics.successors(padded.data(), [](const Step&, const int32_t*) {}, fault)) return std::nullopt;
  return fault;
}

std::string located_fault(const Model& model, const ModelFault& fault) {
  if (fault.loc.line <= 0) return fault.message;
  return fault.message + " at " + model.file + ":" + std::to_string(fault.loc.line) + ":" + std::to_string(fault.loc.col);
}

std::vector<PropertyResult> BmcEngine::check(const Model& model, const std::vector<int>& properties,
                                             RunContext& context) {
  std::vector<PropertyResult> results(properties.size());
  std::vector<Goal> goals;
  std::vector<std::size_t> responses;  // each searched on its own (solver/z3/response_bmc.h)
  std::vector<std::size_t> refused;    // kinds bmc does not check: searched to no depth
  for (std::size_t r = 0; r < properties.size(); ++r) {
    const Property& p = model.properties[properties[r]];
    results[r] = PropertyResult(p, name());
    if (p.kind == Property::Kind::Invariant || p.kind == Property::Kind::Reachable) {
      goals.push_back({r, &p, p.kind == Property::Kind::Reachable});
    } else if (p.kind == Property::Kind::Response) {
      responses.push_back(r);
    } else {
      results[r].detail = "bmc checks invariant, reachable and response properties only; " + engines_for_kind(p.kind);
      refused.push_back(r);
    }
  }
  const int max_depth = context.limits().depth > 0 ? context.limits().depth : kDefaultDepth;
  const double start = context.elapsed();
  if (apply_start_check(check_start(model, context), results)) {
    stamp_symbolic_stats(results, context.elapsed() - start);
    return results;
  }

  // Variables no goal reads are kept constant (model/cone.h): fewer terms per step, and every
  // step of the reduced model is a step of the whole one, where the traces are replayed. No
  // update of a dropped variable can fail, so the faults are the same.
  std::vector<int> goal_properties;
  for (const Goal& goal : goals) goal_properties.push_back(properties[goal.result]);
  Cone cone = cone_of_influence(model, goal_properties);
  z3::context ctx;
  Interrupter interrupt(ctx, &context);
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
  // Asks whether `target` can hold at this depth; the model of the path when it can.
  auto ask = [&](const z3::expr& target, long tag, std::optional<z3::model>& found) {
    if (context.timed_out()) {
      stop_reason = context.stop_reason() + " at depth " + std::to_string(depth);
      return false;
    }
    SolverAnswer answer = ask_under_literal(solver, target, Encoding::name('a', {depth, tag}), context);
    if (answer.result == z3::unknown) {
      const std::string& reason = answer.reason;
      if (context.timed_out() || reason.find("cancel") != std::string::npos || reason.find("timeout") != std::string::npos)
        stop_reason = (context.timed_out() ? context.stop_reason() : "timeout after " + format_seconds(context.limits().timeout_seconds)) +
                      " at depth " + std::to_string(depth);
      else
        stop_reason = "the solver answered unknown (" + reason + ") at depth " + std::to_string(depth);
      return false;
    }
    if (answer.result == z3::sat) found = answer.model;
    return true;
  };
  // The path's steps replayed on the whole model at the values the solver chose.
  struct Path {
    Model fixed;
    Replayed replay;
  };
  auto replay_path = [&](const z3::model& m) {
    Model fixed = with_params(model, enc.decode_params(m));
    Replayed replay = replay_steps(fixed, enc.decode_steps(m, depth));
    return Path{std::move(fixed), std::move(replay)};
  };
  auto model_error = [&](Goal& goal, const Path& path, const std::string& detail, const std::string& note) {
    PropertyResult& res = results[goal.result];
    goal.done = true;
    goal.depth = depth;
    --open;
    res.verdict = Verdict::ModelError;
    res.detail = detail + " (found by bmc, confirmed by the explicit semantics)";
    res.trace = path.replay.trace;
    res.trace->final_note = note;
  };
  for (; depth <= max_depth && open > 0; ++depth) {
    solver.add(enc.input_bounds(depth));  // the inputs of the step from here
    // One question for everything first: at most depths nothing is found, and then one check
    // is all this depth costs.
    z3::expr_vector anything(ctx);
    for (const Goal& goal : goals) {
      if (goal.done) continue;
      Encoding::Condition value = enc.property(*goal.property->a, states[depth]);
      anything.push_back(((goal.reachable ? value.holds : !value.holds) && !value.fault) || value.fault);
    }
    anything.push_back(enc.fault(depth, states[depth]));
    std::optional<z3::model> any_found;
    // Not with nonlinear terms: Z3 4.8.12 can loop on the disjunction where it gives up at once
    // on each part (and a second solver then answers it).
    if (!enc.nonlinear() && !ask(z3::mk_or(anything), static_cast<long>(3 * results.size()), any_found)) break;
    const bool look = enc.nonlinear() || any_found.has_value();
    // Then, in the order of the explicit engine, which checks the properties on a state before it
    // expands it: a violation (or a witness) first.
    for (Goal& goal : goals) {
      if (goal.done || !look) continue;
      Encoding::Condition value = enc.property(*goal.property->a, states[depth]);
      std::optional<z3::model> found;
      if (!ask((goal.reachable ? value.holds : !value.holds) && !value.fault, static_cast<long>(goal.result), found)) break;
      if (!found) continue;
      Path path = replay_path(*found);
      PropertyResult& res = results[goal.result];
      if (path.replay.outcome == Replayed::Outcome::Fault) {
        model_error(goal, path, located_fault(model, path.replay.fault), "the next step fails: " + path.replay.fault.message);
        continue;
      }
      if (path.replay.outcome == Replayed::Outcome::Disabled)
        throw std::logic_error("internal error: the bmc trace for '" + res.property + "' does not replay: step " +
                               std::to_string(path.replay.failed_step + 1) + " is not possible in the explicit semantics");
      Semantics check(path.fixed);
      ModelFault fault;
      bool holds = check.holds(check.compile(*goal.property->a), path.replay.trace.states.back().data(), fault);
      if (!fault.message.empty() || holds != goal.reachable)
        throw std::logic_error("internal error: the bmc trace for '" + res.property + "' replays but its last state does not " +
                               (goal.reachable ? "reach" : "violate") + " the property");
      goal.done = true;
      goal.depth = depth;
      --open;
      res.verdict = goal.reachable ? Verdict::Holds : Verdict::Violated;
      res.trace = path.replay.trace;
      res.trace->final_note = goal.reachable ? "reaches " + res.property : "violates " + res.property;
      res.detail = std::string(goal.reachable ? "reachable" : "violated") + " in " + std::to_string(depth) +
                   " symbolic steps (a delay is one step); the trace replays on the explicit semantics";
      // A witness fixes the free parameters: other values need not reach it (an invariant's
      // counterexample, in contrast, already answers for every value).
      if (goal.reachable && model.has_free_params()) res.detail += "; reachable for the trace's parameter values, not shown for every value";
    }
    if (!stop_reason.empty()) break;
    // Then a property that cannot be evaluated here: that property's own model error.
    for (Goal& goal : goals) {
      if (goal.done || !look) continue;
      z3::expr fails = enc.property(*goal.property->a, states[depth]).fault;
      if (fails.is_false()) continue;
      std::optional<z3::model> found;
      if (!ask(fails, static_cast<long>(results.size() + goal.result), found)) break;
      if (!found) continue;
      Path path = replay_path(*found);
      Semantics check(path.fixed);
      ModelFault fault;
      if (path.replay.outcome == Replayed::Outcome::Ok)
        check.holds(check.compile(*goal.property->a), path.replay.trace.states.back().data(), fault);
      if (fault.message.empty())
        throw std::logic_error("internal error: bmc finds '" + results[goal.result].property +
                               "' failing where the explicit semantics evaluates it");
      fault.loc = goal.property->loc;
      model_error(goal, path, located_fault(model, fault) + " in property '" + results[goal.result].property + "'",
                  "'" + results[goal.result].property + "' cannot be evaluated here: " + fault.message);
    }
    if (!stop_reason.empty()) break;
    // Then a step from here that fails: a model error every open property shares.
    z3::expr fails = enc.fault(depth, states[depth]);
    if (look && open > 0 && !fails.is_false()) {
      std::optional<z3::model> found;
      if (!ask(fails, static_cast<long>(2 * results.size()), found)) break;
      if (found) {
        Path path = replay_path(*found);
        std::optional<ModelFault> fault;
        if (path.replay.outcome == Replayed::Outcome::Fault) fault = path.replay.fault;
        else if (path.replay.outcome == Replayed::Outcome::Ok) fault = expansion_fault(path.fixed, path.replay.trace.states.back());
        if (!fault)
          throw std::logic_error("internal error: bmc finds a step that fails where the explicit semantics takes every step");
        const std::string step = fault->step.edges.empty() && !fault->step.tick ? "" : " (" + Semantics(path.fixed).describe_step(fault->step) + ")";
        for (Goal& goal : goals)
          if (!goal.done) model_error(goal, path, located_fault(model, *fault), "the next step" + step + " fails: " + fault->message);
      }
    }
    checked = depth;
    if (depth < max_depth && open > 0) {
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
    res.stopped_by_limit = !stop_reason.empty() || depth > max_depth;
    res.detail = !stop_reason.empty() ? stop_reason
                 : goal.reachable ? "no witness within " + std::to_string(max_depth) + " steps (bmc cannot prove unreachability)"
                                  : "no counterexample within " + std::to_string(max_depth) + " steps (bmc proves no invariant)";
  }
  stamp_symbolic_stats(results, context.elapsed() - start, std::max(checked, 0));
  for (const Goal& goal : goals)  // a property decided early shows its own depth, not the run's
    if (goal.done) results[goal.result].stats.depth = goal.depth;
  for (std::size_t r : refused) results[r].stats.depth = 0;
  for (std::size_t r : responses) results[r] = check_response_bmc(model, properties[r], context, max_depth);
  return results;
}

void trace_with_bmc(const Model& model, int property, RunContext& context, const std::string& finding,
                    PropertyResult& res) {
  // What is left of the run's time, not the whole of it again.
  Limits limits = context.limits();
  if (limits.timeout_seconds > 0) limits.timeout_seconds = std::max(0.001, limits.timeout_seconds - context.elapsed());
  RunContext own(limits, nullptr);
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

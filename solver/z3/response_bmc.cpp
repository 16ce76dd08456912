#include "solver/z3/response_bmc.h"

#include <optional>
#include <sstream>

#include "model/cone.h"
#include "solver/trace/replay.h"
#include "solver/z3/bmc_engine.h"
#include "solver/z3/interrupt.h"
#include "solver/z3/response_monitor.h"
#include "solver/z3/response_trace.h"
#include "solver/z3/solver_timeout.h"

namespace interlock {

PropertyResult check_response_bmc(const Model& model, int property, RunContext& context, int max_depth,
                                  const std::string& engine) {
  const Property& original = model.properties[static_cast<std::size_t>(property)];
  PropertyResult res(original, engine);
  const bool bounded = original.within.has_value();
  const double start = context.elapsed();
  if (!settle_bound(model, original, res)) return res;
  // Variables neither p, q nor the rest of the model reads are kept constant (model/cone.h).
  Cone cone = cone_of_influence(model, {property});
  const Property& prop = cone.model.properties[static_cast<std::size_t>(property)];
  z3::context ctx;
  Interrupter interrupt(ctx, &context);
  ResponseProduct product(ctx, cone.model, prop, bounded ? ResponseProduct::Bound::Within : ResponseProduct::Bound::None);
  Encoding& enc = product.encoding();
  z3::solver solver(ctx, z3::solver::simple());
  z3::params tuning(ctx);  // as in bmc_engine.cpp
  tuning.set("arith.solver", 2u);
  tuning.set("relevancy", 0u);
  solver.set(tuning);
  std::vector<ResponseProduct::State> x = {product.state(0)};
  solver.add(enc.parameters_ok());
  solver.add(product.in_ranges(x[0]));
  solver.add(product.initial(x[0]));

  int depth = 0;
  std::string stop_reason;
  bool decided = false;
  auto ask = [&](const z3::expr& target, long tag, std::optional<z3::model>& found) {
    if (context.timed_out()) {
      stop_reason = context.stop_reason() + " at depth " + std::to_string(depth);
      return false;
    }
    SolverAnswer answer = ask_under_literal(solver, target, Encoding::name('a', {depth, tag}), context);
    if (answer.result == z3::unknown) {
      stop_reason = (context.timed_out() ? context.stop_reason() : "the solver answered unknown (" + answer.reason + ")") +
                    " at depth " + std::to_string(depth);
      return false;
    }
    if (answer.result == z3::sat) found = answer.model;
    return true;
  };
  struct Path {
    Model fixed;
    Replayed replay;
  };
  auto replay_path = [&](const z3::model& m) {
    Model fixed = with_params(model, enc.decode_params(m));
    Replayed replay = replay_steps(fixed, enc.decode_steps(m, depth));
    return Path{std::move(fixed), std::move(replay)};
  };
  auto model_error = [&](const Path& path, const std::string& detail, const std::string& note) {
    decided = true;
    res.verdict = Verdict::ModelError;
    res.detail = detail + " (found by bmc, confirmed by the explicit semantics)";
    res.trace = path.replay.trace;
    res.trace->final_note = note;
  };
  // Without a bound: the lassos that close at this depth, one per state they may return to.
  auto lassos = [&](std::vector<z3::expr>& closes) {
    closes.clear();
    z3::expr waits = x[static_cast<std::size_t>(depth)].pending == 1;
    z3::expr ticks = ctx.bool_val(false);
    for (int i = depth - 1; i >= 0; --i) {
      waits = waits && x[static_cast<std::size_t>(i)].pending == 1;
      ticks = ticks || enc.is_delay(i);
      closes.insert(closes.begin(), waits && ticks && product.same_waiting(x[static_cast<std::size_t>(i)], x[static_cast<std::size_t>(depth)]));
    }
  };

  // What this depth shows, in the order of the explicit engine: a violation, then p or q that
  // cannot be evaluated (the property's own model error), then a step that fails. False when
  // the search is over (decided, or stopped).
  auto examine = [&](const z3::expr& goal, const std::vector<z3::expr>& closes, const z3::expr& conditions_fail,
                     const z3::expr& step_fails) {
    std::optional<z3::model> found;
    if (!ask(goal, 0, found)) return false;
    if (found) {
      Path path = replay_path(*found);
      if (path.replay.outcome == Replayed::Outcome::Fault) {
        model_error(path, located_fault(model, path.replay.fault), "the next step fails: " + path.replay.fault.message);
        return false;
      }
      if (path.replay.outcome == Replayed::Outcome::Disabled)
        throw std::logic_error("internal error: the bmc trace for '" + res.property + "' does not replay: step " +
                               std::to_string(path.replay.failed_step + 1) + " is not possible in the explicit semantics");
      Trace trace = path.replay.trace;
      for (std::size_t i = 0; i < closes.size() && trace.loop_start < 0; ++i)
        if (found->eval(closes[i], true).is_true())
          trace.loop_start = static_cast<int>(enc.decode_steps(*found, static_cast<int>(i)).size());
      if (!bounded && trace.loop_start < 0) throw std::logic_error("internal error: bmc's lasso for '" + res.property + "' has no cycle");
      ResponseCheck check = confirm_response_violation(path.fixed, original, trace);
      if (!check.problem.empty())
        throw std::logic_error("internal error: the bmc trace for '" + res.property + "' replays but " + check.problem);
      decided = true;
      res.verdict = Verdict::Violated;
      res.unbounded = !bounded;  // a lasso: the wait never ends, as the explicit engine says of it
      res.trace = std::move(trace);
      res.detail = check.detail + " (" + (bounded ? "violated in " : "a lasso of ") + std::to_string(depth) +
                   " symbolic steps, a delay is one step; the trace replays on the explicit semantics)";
      return false;
    }
    if (!conditions_fail.is_false()) {
      std::optional<z3::model> fails;
      if (!ask(conditions_fail, 1, fails)) return false;
      if (fails) {
        Path path = replay_path(*fails);
        Semantics check(path.fixed);
        ModelFault fault;
        if (path.replay.outcome == Replayed::Outcome::Ok)
          for (const Expr* e : {&*original.a, &*original.b})
            if (fault.message.empty()) check.holds(check.compile(*e), path.replay.trace.states.back().data(), fault);
        if (fault.message.empty())
          throw std::logic_error("internal error: bmc finds '" + res.property + "' failing where the explicit semantics evaluates it");
        fault.loc = original.loc;
        model_error(path, located_fault(model, fault) + " in property '" + res.property + "'",
                    "'" + res.property + "' cannot be evaluated here: " + fault.message);
        return false;
      }
    }
    if (!step_fails.is_false()) {
      std::optional<z3::model> fails;
      if (!ask(step_fails, 2, fails)) return false;
      if (fails) {
        Path path = replay_path(*fails);
        std::optional<ModelFault> fault;
        if (path.replay.outcome == Replayed::Outcome::Fault) fault = path.replay.fault;
        else if (path.replay.outcome == Replayed::Outcome::Ok) fault = expansion_fault(path.fixed, path.replay.trace.states.back());
        if (!fault) throw std::logic_error("internal error: bmc finds a step that fails where the explicit semantics takes every step");
        const std::string step = fault->step.edges.empty() && !fault->step.tick ? "" : " (" + Semantics(path.fixed).describe_step(fault->step) + ")";
        model_error(path, located_fault(model, *fault), "the next step" + step + " fails: " + fault->message);
        return false;
      }
    }
    return true;
  };

  for (; depth <= max_depth && !decided; ++depth) {
    solver.add(enc.input_bounds(depth));
    const ResponseProduct::State now = x[static_cast<std::size_t>(depth)];
    std::vector<z3::expr> closes;
    z3::expr goal = product.violated(now);
    if (!bounded) {
      lassos(closes);
      z3::expr_vector any(ctx);
      for (const z3::expr& c : closes) any.push_back(c);
      goal = any.empty() ? ctx.bool_val(false) : z3::mk_or(any);
    }
    const z3::expr conditions_fail = enc.property(*prop.a, now.s).fault || enc.property(*prop.b, now.s).fault;
    const z3::expr step_fails = enc.fault(depth, now.s);
    std::optional<z3::model> any_found;
    // Not with nonlinear terms: see bmc_engine.cpp.
    if (!enc.nonlinear() && !ask(goal || conditions_fail || step_fails, 3, any_found)) break;
    if ((enc.nonlinear() || any_found) && !examine(goal, closes, conditions_fail, step_fails)) break;
    if (depth < max_depth) {
      x.push_back(product.state(depth + 1));
      solver.add(product.in_ranges(x.back()));
      solver.add(product.transition(depth, now, x.back(), Encoding::InvariantPlacement::Shared));
      // Paths that only reorder what the observer cannot tell apart are searched once; a lasso
      // may need the other order where it closes, so its search keeps every path.
      if (bounded && depth >= 1) solver.add(product.path_rules(depth - 1, x[static_cast<std::size_t>(depth - 1)], now));
    }
    context.progress([&] { return "bmc: depth " + std::to_string(depth) + " done, " + res.property + " open"; });
  }
  if (!decided) {
    res.verdict = Verdict::Unknown;
    res.stopped_by_limit = true;
    res.detail = !stop_reason.empty() ? stop_reason
                 : bounded ? "no violation within " + std::to_string(max_depth) + " steps (bmc proves no response)"
                           : "no lasso within " + std::to_string(max_depth) + " steps (bmc proves no response)";
  }
  std::vector<PropertyResult> one = {res};
  stamp_symbolic_stats(one, context.elapsed() - start, std::min(depth, max_depth));
  return one[0];
}

}  // namespace interlock

#include "solver/z3/time_stops.h"

#include <vector>

#include "solver/z3/encoding.h"
#include "solver/z3/interrupt.h"
#include "solver/z3/solver_timeout.h"
#include "solver/z3/zero_time_edges.h"

namespace interlock {

namespace {

constexpr int kLongestTimelessRun = 48;  // actions without a tick followed before giving up
constexpr std::size_t kExampleChars = 240;

// "M=A, c=2, x=1": a state of a model, cut short when long.
std::string example(const Model& model, const z3::model& m, const SymState& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    int64_t v = 0;
    if (!m.eval(s[i], true).is_numeral_i64(v)) continue;
    std::string item = model.slots[i].name + "=" + format_value(model, static_cast<int>(i), v);
    if (out.size() + item.size() > kExampleChars) return out + ", ...";
    out += (out.empty() ? "" : ", ") + item;
  }
  return out;
}

std::string parameters(const Model& model, Encoding& enc, const z3::model& m) {
  std::string out;
  std::size_t k = 0;
  for (const auto& [name, value] : enc.decode_params(m))
    if (!model.params[k++].value) out += (out.empty() ? " (" : " ") + name + "=" + std::to_string(value);
  return out.empty() ? out : out + ")";
}

}  // namespace

TimeStops check_time_stops(const Model& model, const Property& response, RunContext& context) {
  TimeStops out;
  z3::context ctx;
  Interrupter interrupt(ctx, &context);
  Encoding enc(ctx, model);
  // Every state a waiting trigger may be in, reachable or not.
  auto waiting = [&](const SymState& s) {
    return enc.in_ranges(s) && enc.invariants(s) && enc.static_facts(s) && !enc.condition(*response.b, s);
  };

  {
    z3::solver solver(ctx, z3::solver::simple());
    const SymState s = enc.state(0);
    solver.add(enc.parameters_ok());
    solver.add(waiting(s));
    solver.add(!enc.tick_possible(s, 0));
    solver.add(!enc.some_action(s, 0));
    SolverAnswer a = check_with_retry(solver, z3::expr_vector(ctx), context);
    if (a.result == z3::unsat) out.timelock_free = true;
    else if (a.result == z3::sat)
      out.timelock_why = "in a state where the target does not hold, time may not pass and no action be possible: " +
                         example(model, *a.model, s) + parameters(model, enc, *a.model);
    else out.timelock_why = "the solver answered unknown (" + a.reason + ") on whether time can stop";
  }

  const std::vector<bool> usable = zero_time_edges(model);
  bool any = false;
  for (bool u : usable) any = any || u;
  if (!any) {
    out.cycle_free = true;
    return out;
  }
  // Paths of actions without a tick, from any such state, through such states: a cycle of
  // length L is a path back to its start; when no path of L distinct states exists, no longer
  // cycle does either.
  z3::solver solver(ctx, z3::solver::simple());
  std::vector<SymState> u = {enc.state(0)};
  solver.add(enc.parameters_ok());
  solver.add(waiting(u[0]));
  for (int length = 1; length <= kLongestTimelessRun; ++length) {
    u.push_back(enc.state(length));
    const SymState& last = u.back();
    solver.add(waiting(last));
    solver.add(enc.input_bounds(length - 1));
    solver.add(enc.transition(length - 1, u[static_cast<std::size_t>(length - 1)], last));
    solver.add(enc.actions_within(length - 1, usable));
    z3::expr_vector back(ctx);
    z3::expr_vector same(ctx);
    for (std::size_t k = 0; k < last.size(); ++k) same.push_back(last[k] == u[0][k]);
    z3::expr closes = ctx.bool_const(Encoding::name('z', {length}).c_str());
    solver.add(z3::implies(closes, z3::mk_and(same)));
    back.push_back(closes);
    SolverAnswer a = check_with_retry(solver, back, context);
    if (a.result == z3::sat) {
      out.cycle_why = "a cycle of " + std::to_string(length) + " action" + (length == 1 ? "" : "s") +
                      " without a tick may run through states where the target does not hold, from " +
                      example(model, *a.model, u[0]) + parameters(model, enc, *a.model) + " (perhaps unreachable)";
      return out;
    }
    if (a.result == z3::unknown) {
      out.cycle_why = "the solver answered unknown (" + a.reason + ") on cycles of actions without a tick";
      return out;
    }
    for (std::size_t i = 0; i + 1 < u.size(); ++i) {
      z3::expr_vector differ(ctx);
      for (std::size_t k = 0; k < last.size(); ++k) differ.push_back(last[k] != u[i][k]);
      solver.add(z3::mk_or(differ));
    }
    a = check_with_retry(solver, z3::expr_vector(ctx), context);
    if (a.result == z3::unsat) {
      out.cycle_free = true;
      return out;
    }
    if (a.result == z3::unknown) {
      out.cycle_why = "the solver answered unknown (" + a.reason + ") on cycles of actions without a tick";
      return out;
    }
  }
  out.cycle_why = "actions without a tick can follow each other more than " + std::to_string(kLongestTimelessRun) +
                  " times in states where the target does not hold; whether they can cycle was not decided";
  return out;
}

void finish_response_proof(const Model& model, const Property& response, RunContext& context, const std::string& proven,
                           const std::function<std::string(TimeStop)>& reachable, PropertyResult& res) {
  const TimeStops stops = check_time_stops(model, response, context);
  std::string unknown;
  std::vector<std::string> ruled_out;  // what only the reachable states rule out
  auto settle = [&](bool free, TimeStop question, const std::string& why, const char* what) {
    if (free || !unknown.empty()) return;
    const std::string answer = reachable(question);
    if (answer == "no") ruled_out.push_back(what);
    else if (answer == "yes") unknown = std::string(what) + " is reachable while a trigger waits (" + why + ")";
    else unknown = why + "; whether that is reachable while a trigger waits: " + answer;
  };
  settle(stops.cycle_free, TimeStop::Cycle, stops.cycle_why, "a cycle of actions without a tick");
  settle(stops.timelock_free, TimeStop::Timelock, stops.timelock_why, "a timelock");
  if (unknown.empty()) {
    res.verdict = Verdict::Holds;
    res.detail = proven + "; time cannot stop while a trigger waits";
    for (std::size_t i = 0; i < ruled_out.size(); ++i)
      res.detail += (i == 0 ? " (no " : " and no ") + ruled_out[i].substr(2) + (i + 1 == ruled_out.size() ? " is reachable then)" : "");
    return;
  }
  res.verdict = Verdict::Unknown;
  res.stopped_by_limit = context.timed_out();
  res.detail = "cannot decide: " + proven + ", but time may stop while a trigger waits (a run that stops time is not a "
               "run, docs/language.md): " + unknown;
}

}  // namespace interlock

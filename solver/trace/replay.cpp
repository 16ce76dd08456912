#include "solver/trace/replay.h"

#include <algorithm>
#include <map>

namespace interlock {

Replayed replay_steps(const Model& model, const std::vector<Step>& steps) {
  Replayed r;
  Semantics sem(model);
  for (const auto& p : model.params) r.trace.params.emplace_back(p.name, *p.value);
  std::vector<int32_t> state;
  if (!sem.initial(state, r.fault)) {
    r.outcome = Replayed::Outcome::Fault;
    return r;
  }
  r.trace.states.push_back(state);
  std::vector<int32_t> next(model.slots.size() + 1);
  for (std::size_t i = 0; i < steps.size(); ++i) {
    state.resize(model.slots.size() + 1);
    Applied a = sem.apply(state.data(), steps[i], next.data(), r.fault);
    if (a != Applied::Taken) {
      r.outcome = a == Applied::Fault ? Replayed::Outcome::Fault : Replayed::Outcome::Disabled;
      r.failed_step = i;
      return r;
    }
    state.assign(next.begin(), next.begin() + static_cast<std::ptrdiff_t>(model.slots.size()));
    r.trace.steps.push_back(steps[i]);
    r.trace.states.push_back(state);
  }
  return r;
}

bool close_cycle(const Model& model, Trace& trace, std::size_t max_rounds) {
  if (trace.loop_start < 0 || trace.states.size() != trace.steps.size() + 1) return false;
  const std::size_t from = static_cast<std::size_t>(trace.loop_start), end = trace.steps.size();
  if (from >= end) return false;
  if (trace.states[from] == trace.states[end]) return true;
  Semantics sem(model);
  ModelFault fault;
  std::map<std::vector<int32_t>, std::size_t> round_starts{{trace.states[from], from}};
  std::vector<Step> steps = trace.steps, cycle(trace.steps.begin() + static_cast<std::ptrdiff_t>(from), trace.steps.end());
  std::vector<std::vector<int32_t>> states = trace.states;
  std::vector<int32_t> state = states.back(), next(model.slots.size() + 1);
  for (std::size_t round = 1; round <= max_rounds; ++round) {
    const auto [seen, fresh] = round_starts.emplace(state, states.size() - 1);
    if (!fresh) {
      trace.steps = std::move(steps);
      trace.states = std::move(states);
      trace.loop_start = static_cast<int>(seen->second);
      return true;
    }
    for (const Step& step : cycle) {
      state.resize(model.slots.size() + 1);
      if (sem.apply(state.data(), step, next.data(), fault) != Applied::Taken) return false;
      state.assign(next.begin(), next.begin() + static_cast<std::ptrdiff_t>(model.slots.size()));
      steps.push_back(step);
      states.push_back(state);
    }
  }
  return false;
}

namespace {

std::string differences(const Model& model, const std::vector<int32_t>& want, const int32_t* got) {
  std::string out;
  for (std::size_t s = 0; s < model.slots.size(); ++s)
    if (want[s] != got[s])
      out += (out.empty() ? "" : ", ") + model.slots[s].name + " would be " + format_value(model, static_cast<int>(s), got[s]) +
             ", not " + format_value(model, static_cast<int>(s), want[s]);
  return out;
}

// How far the clocks moved from `from` to `to` if nothing else changed (0 if something did).
int64_t clock_advance(const Model& model, const std::vector<int32_t>& from, const std::vector<int32_t>& to) {
  int64_t wait = 0;
  for (std::size_t s = 0; s < model.slots.size(); ++s) {
    if (model.slots[s].kind != Slot::Kind::Clock) {
      if (from[s] != to[s]) return 0;
      continue;
    }
    wait = std::max<int64_t>(wait, static_cast<int64_t>(to[s]) - from[s]);
  }
  return wait;
}

}  // namespace

StateRunCheck check_state_run(const Model& model, const std::vector<std::vector<int32_t>>& states, const RunContext* context) {
  StateRunCheck check;
  Semantics sem(model);
  std::vector<int32_t> init;
  ModelFault fault;
  if (!sem.initial(init, fault)) {
    check.problem = "the spec's initial state fails: " + fault.message;
    return check;
  }
  if (init != states[0]) {
    check.problem = "state 0 is not the initial state: " + differences(model, states[0], init.data());
    return check;
  }
  for (std::size_t i = 0; i + 1 < states.size(); ++i) {
    if (context && context->timed_out()) {
      check.stopped = context->stop_reason() + " after " + std::to_string(i) + " of " + std::to_string(states.size() - 1) + " steps";
      return check;
    }
    std::vector<int32_t> from = states[i];
    from.resize(model.slots.size() + 1);
    bool found = false;
    std::vector<std::string> options;
    bool ok = sem.successors(from.data(), [&](const Step& step, const int32_t* next) {
      if (found) return;
      if (std::equal(states[i + 1].begin(), states[i + 1].end(), next)) {
        check.steps.push_back(step);
        found = true;
        return;
      }
      std::string what = sem.describe_step(step);
      options.push_back(what + ": " + differences(model, states[i + 1], next));
    }, fault);
    if (!ok) {
      check.problem = "from state " + std::to_string(i) + " a step of the spec fails: " + fault.message;
      check.failed_at = i + 1;
      return check;
    }
    if (found) continue;
    // A wait of several ticks in one step (a symbolic engine's long delay): only clocks moved.
    if (const int64_t wait = clock_advance(model, from, states[i + 1]); wait > 1) {
      std::vector<int32_t> later(model.slots.size() + 1);
      ModelFault f;
      if (sem.delay(from.data(), wait, later.data(), f) && std::equal(states[i + 1].begin(), states[i + 1].end(), later.begin())) {
        Step step;
        step.tick = true;
        step.ticks = wait;
        check.steps.push_back(step);
        continue;
      }
    }
    check.failed_at = i + 1;
    check.problem = "step " + std::to_string(i + 1) + " (state " + std::to_string(i) + " to state " + std::to_string(i + 1) +
                    ") is not possible in this spec";
    if (options.empty()) check.problem += ": nothing can happen in state " + std::to_string(i);
    for (std::size_t k = 0; k < options.size() && k < 6; ++k) check.problem += "\n  possible: " + options[k];
    if (options.size() > 6) check.problem += "\n  (and " + std::to_string(options.size() - 6) + " more)";
    return check;
  }
  return check;
}

}  // namespace interlock

#include "solver/replay.h"

namespace interlock {

Model with_params(const Model& model, const std::vector<std::pair<std::string, int64_t>>& values) {
  Model out = model;
  for (const auto& [name, value] : values) {
    int i = out.find_param(name);
    if (i >= 0) out.params[i].value = value;
  }
  return out;
}

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

}  // namespace interlock

#include "solver/trace/simulate.h"

#include <random>

#include "model/semantics.h"
#include "model/stuck_explanation.h"

namespace interlock {

Simulation simulate(const Model& model, uint64_t seed, int steps, const RunContext* context) {
  Semantics sem(model);
  Simulation sim;
  for (const Param& p : model.params) sim.trace.params.emplace_back(p.name, *p.value);
  std::vector<int32_t> state;
  if (!sem.initial(state, sim.fault)) {
    sim.end = Simulation::End::Fault;
    return sim;
  }
  sim.trace.states.push_back(state);
  std::mt19937_64 rng(seed);
  std::vector<std::pair<Step, std::vector<int32_t>>> options;
  // What the trace holds so far, for --memory: each state's values and each step.
  const uint64_t state_bytes = model.slots.size() * sizeof(int32_t) + sizeof(std::vector<int32_t>);
  for (int k = 0; k < steps; ++k) {
    if (context && (context->timed_out() || context->over_memory((k + 1) * (state_bytes + sizeof(Step))))) {
      sim.end = Simulation::End::Stopped;
      sim.stopped = context->timed_out() ? context->stop_reason() : context->memory_limit_reached();
      sim.trace.final_note = "stopped after " + std::to_string(k) + " steps: " + sim.stopped;
      return sim;
    }
    options.clear();
    state.resize(model.slots.size() + 1);
    ModelFault fault;
    bool ok = sem.successors(state.data(), [&](const Step& step, const int32_t* next) {
      options.emplace_back(step, std::vector<int32_t>(next, next + model.slots.size()));
    }, fault);
    if (!ok) {
      sim.fault = fault;
      sim.end = Simulation::End::Fault;
      sim.trace.final_note = "the next step would fail: " + fault.message;
      return sim;
    }
    if (options.empty()) {
      sim.end = Simulation::End::Stuck;
      sim.trace.final_note = "no step is possible here: neither an action nor a tick";
      int64_t now = 0;
      for (const Step& s : sim.trace.steps) now += s.elapsed();
      sim.trace.why = explain_stuck(sem, state, now).lines;
      return sim;
    }
    auto& [step, next] = options[rng() % options.size()];
    sim.trace.steps.push_back(step);
    sim.trace.states.push_back(next);
    state = next;
  }
  sim.trace.final_note = std::to_string(steps) + " steps simulated";
  return sim;
}

}  // namespace interlock

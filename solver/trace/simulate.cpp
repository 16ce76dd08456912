#include "solver/trace/simulate.h"

#include <random>

#include "model/semantics.h"
#include "model/stuck_explanation.h"

namespace interlock {
namespace {

int64_t time_of(const Trace& trace) {
  int64_t now = 0;
  for (const Step& s : trace.steps) now += s.elapsed();
  return now;
}

// The run ends because a property is broken, or cannot be evaluated, in its last state: true.
bool ends_on_property(Semantics& sem, const PropertyWatch& watch, Simulation& sim) {
  if (watch.broken()) {
    sim.end = Simulation::End::Violated;
    sim.violated = sem.model().properties[static_cast<std::size_t>(watch.broken()->property)].name;
    note_broken(sem, *watch.broken(), sim.trace);
    return true;
  }
  if (watch.fault().empty()) return false;
  sim.end = Simulation::End::Fault;
  sim.fault.message = watch.fault();
  sim.trace.final_note = watch.fault();
  return true;
}

}  // namespace

void note_broken(Semantics& semantics, const PropertyWatch::Broken& broken, Trace& trace) {
  trace.final_note = broken.note;
  trace.loop_start = broken.loop_start;
  if (broken.trigger) trace.marks.emplace_back(*broken.trigger, "the trigger holds here, and the target does not");
  if (broken.stuck && !trace.states.empty()) {
    trace.stuck = true;
    trace.why = explain_stuck(semantics, trace.states.back(), time_of(trace)).lines;
  }
}

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
  PropertyWatch watch(sem, PropertyWatch::breakable(model));
  state.resize(model.slots.size() + 1);
  watch.start(state.data());
  if (ends_on_property(sem, watch, sim)) return sim;
  std::mt19937_64 rng(seed);
  std::vector<std::pair<Step, std::vector<int32_t>>> options;
  // What the trace holds so far, for --memory: each state's values and each step.
  const uint64_t state_bytes = model.slots.size() * sizeof(int32_t) + sizeof(std::vector<int32_t>);
  for (int k = 0; k < steps; ++k) {
    if (context && (context->timed_out() || context->over_memory((k + 1) * (state_bytes + sizeof(Step)) + watch.bytes()))) {
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
      sim.trace.why = explain_stuck(sem, state, time_of(sim.trace)).lines;
      return sim;
    }
    auto& [step, next] = options[rng() % options.size()];
    sim.trace.steps.push_back(step);
    sim.trace.states.push_back(next);
    state = next;
    state.resize(model.slots.size() + 1);
    watch.step(step, state.data());
    if (ends_on_property(sem, watch, sim)) return sim;
  }
  sim.trace.final_note = std::to_string(steps) + " steps simulated";
  return sim;
}

}  // namespace interlock

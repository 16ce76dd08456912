// A random run of the model: at each state one of the possible steps (actions and the tick) is
// picked with equal chance by a 64-bit Mersenne Twister seeded with `seed`, so the same seed on
// the same spec gives the same run. The run stops at the first step that breaks one of the
// spec's properties that a run can break (solver/property_watch.h: an invariant, deadlock_free,
// a response's deadline, or a response's cycle that can repeat forever).
#pragma once

#include <cstdint>

#include "model/model.h"
#include "solver/result.h"
#include "solver/property_watch.h"
#include "solver/run_context.h"

namespace interlock {

struct Simulation {
  Trace trace;
  // Why it ended: the steps asked for, nothing possible, a model error, a limit of the run
  // (--timeout, --memory on the trace, Ctrl-C: `stopped` says which), or a broken property
  // (`violated` names it; the trace's final note says how).
  enum class End { Steps, Stuck, Fault, Stopped, Violated } end = End::Steps;
  ModelFault fault;
  std::string stopped;
  std::string violated;
};

// With a context, the run stops at its limits and keeps the steps taken so far.
Simulation simulate(const Model& model, uint64_t seed, int steps, const RunContext* context = nullptr);

// Ends `trace` where `broken` says a property breaks: its note, a cycle's start, the trigger's
// mark, and for a deadlock why nothing can happen (shared with simulate --interactive).
void note_broken(Semantics& semantics, const PropertyWatch::Broken& broken, Trace& trace);

}  // namespace interlock

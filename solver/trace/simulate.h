// A random run of the model: at each state one of the possible steps (actions and the tick) is
// picked with equal chance by a 64-bit Mersenne Twister seeded with `seed`, so the same seed on
// the same spec gives the same run.
#pragma once

#include <cstdint>

#include "model/model.h"
#include "solver/result.h"
#include "solver/run_context.h"

namespace interlock {

struct Simulation {
  Trace trace;
  // Why it ended: the steps asked for, nothing possible, a model error, or a limit of the run
  // (--timeout, --memory on the trace, Ctrl-C: `stopped` says which).
  enum class End { Steps, Stuck, Fault, Stopped } end = End::Steps;
  ModelFault fault;
  std::string stopped;
};

// With a context, the run stops at its limits and keeps the steps taken so far.
Simulation simulate(const Model& model, uint64_t seed, int steps, const RunContext* context = nullptr);

}  // namespace interlock

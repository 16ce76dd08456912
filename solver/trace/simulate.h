// A random run of the model: at each state one of the possible steps (actions and the tick) is
// picked with equal chance by a 64-bit Mersenne Twister seeded with `seed`, so the same seed on
// the same spec gives the same run.
#pragma once

#include <cstdint>

#include "model/model.h"
#include "solver/result.h"

namespace interlock {

struct Simulation {
  Trace trace;
  enum class End { Steps, Stuck, Fault } end = End::Steps;  // why it stopped
  ModelFault fault;
};

Simulation simulate(const Model& model, uint64_t seed, int steps);

}  // namespace interlock

// Replays steps (from any engine) on the explicit semantics, with given parameter values, and
// returns the trace with every state filled in: the check every trace passes before it is shown.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "model/model.h"
#include "model/semantics.h"
#include "solver/result.h"

namespace interlock {

struct Replayed {
  enum class Outcome { Ok, Disabled, Fault } outcome = Outcome::Ok;
  Trace trace;        // the states reached (up to the failing step)
  std::size_t failed_step = 0;
  ModelFault fault;
};

// The model with the given parameter values set (others keep theirs).
Model with_params(const Model& model, const std::vector<std::pair<std::string, int64_t>>& values);

Replayed replay_steps(const Model& model, const std::vector<Step>& steps);

}  // namespace interlock

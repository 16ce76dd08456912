// Loads the spec of a run under the run's limits: loading stops (LoadStopped, exit 3) at
// --timeout, --memory or Ctrl-C, as every later phase does.
#pragma once

#include <string>

#include "model/lower.h"
#include "solver/run_context.h"

namespace interlock {

Model load_spec(const std::string& path, const LowerOptions& options, const RunContext& context);

}  // namespace interlock

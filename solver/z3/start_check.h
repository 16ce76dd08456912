// What every symbolic engine settles before it answers anything: that some parameter values
// satisfy the spec's ranges and assumptions, and that at none of them the initial state fails
// (an initial value out of its range or not computable, an invariant false or failing there).
// Either would make every proof vacuous, where the explicit engine reports a model error.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "model/model.h"
#include "solver/result.h"
#include "solver/run_context.h"

namespace interlock {

struct StartCheck {
  enum class Outcome { Ok, ModelError, Unknown } outcome = Outcome::Ok;
  std::string detail;  // for a model error: what fails, at which parameter values; for unknown: why
};

StartCheck check_start(const Model& model, RunContext& context);

// Gives every result the start check's model error or unknown; false when the check passed.
bool apply_start_check(const StartCheck& check, std::vector<PropertyResult>& results);

}  // namespace interlock

// Cone-of-influence reduction: variables that no guard, invariant, choose bound or checked
// property reads, directly or through the updates of variables that are read, cannot change any
// verdict. The explicit engine drops their updates and keeps them constant, so they cost no
// states. A variable is dropped only when none of its updates can fail (an out-of-range value, a
// division by zero), shown by interval arithmetic, so a model error is never hidden.
#pragma once

#include <string>
#include <vector>

#include "model/model.h"

namespace interlock {

struct Cone {
  Model model;                     // the reduced model: same slots, fewer updates
  std::vector<std::string> dropped;  // the variables kept constant
};

// `properties` are indexes into model.properties; a parameter without a value is taken over its range.
Cone cone_of_influence(const Model& model, const std::vector<int>& properties);

}  // namespace interlock

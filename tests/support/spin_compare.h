// What SPIN's answer on an exported model (support/spin_runner.h) says interlock's explicit
// engine must answer, and the comparison. SPIN reports each finding at the depth of the state
// where it shows; interlock's breadth-first search meets them in an order that this file
// reproduces: a property is decided (or fails to evaluate) when a state is stored, a step fails
// when a state is expanded, and the states of depth d are expanded while those of depth d + 1 are
// stored, so a failing step at depth d and a property at depth d + 1 may come in either order.
#pragma once

#include <string>
#include <vector>

#include "model/model.h"
#include "solver/result.h"
#include "support/spin_runner.h"

namespace interlock::testing {

// Returns "" when interlock's result for property `index` agrees with SPIN's answer, else why not.
std::string compare_property(const Model& model, int index, const PropertyResult& interlock, const SpinAnswer& spin);

// The whole search (a run of deadlock_free, which explores every state): the same states and
// greatest depth, or the same model error at the same depth. "" when they agree.
std::string compare_search(const PropertyResult& interlock, const SpinAnswer& spin);

}  // namespace interlock::testing

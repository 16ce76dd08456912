// The one interface every engine implements; cli/engine_registry.cpp is the one place that lists
// them, so adding an engine is adding a file and a line there.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "model/model.h"
#include "solver/result.h"
#include "solver/run_context.h"

namespace interlock {

class Engine {
 public:
  virtual ~Engine() = default;
  virtual std::string name() const = 0;
  // Checks the listed properties (indexes into model.properties), one result each, in order.
  virtual std::vector<PropertyResult> check(const Model& model, const std::vector<int>& properties,
                                            RunContext& context) = 0;
};

}  // namespace interlock

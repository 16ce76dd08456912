// The one place that lists the engines: adding an engine is adding its files and a line here.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "model/model.h"
#include "solver/engine.h"

namespace interlock {

std::unique_ptr<Engine> make_engine(const std::string& name);  // nullptr if unknown
std::vector<std::string> engine_names();

// What `--engine auto` runs: the explicit engine when every parameter has a value, bmc otherwise.
std::string auto_engine(const Model& model);

}  // namespace interlock

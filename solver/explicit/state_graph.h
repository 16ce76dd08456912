// The reachable state graph as Graphviz DOT, built with Boost.Graph: one vertex per state
// (labelled with its machines' states and variables), one edge per step.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

#include "model/model.h"
#include "solver/run_context.h"

namespace interlock {

struct GraphResult {
  bool written = false;
  uint64_t states = 0;
  std::string message;  // why nothing was written
};

GraphResult write_state_graph(const Model& model, RunContext& context, uint64_t max_states, std::ostream& out);

}  // namespace interlock

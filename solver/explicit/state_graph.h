// The reachable state graph as Graphviz DOT, built with Boost.Graph: one vertex per state
// (labelled with its machines' states and variables), one edge per step.
#pragma once

#include <cstdint>
#include <functional>
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

// `output` is called once, when the graph is complete and about to be written: a graph refused
// (too many states, a model error, a limit) opens no file.
GraphResult write_state_graph(const Model& model, RunContext& context, uint64_t max_states,
                              const std::function<std::ostream&()>& output);

}  // namespace interlock

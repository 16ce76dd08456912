// A trace as a Graphviz graph: one node per state (its time and what changed), one edge per step
// labelled with the machines' moves; a lasso's last edge goes back to where its cycle began.
#pragma once

#include <string>

#include "model/model.h"
#include "solver/result.h"

namespace interlock {

std::string format_trace_dot(const Model& model, const Trace& trace);

}  // namespace interlock

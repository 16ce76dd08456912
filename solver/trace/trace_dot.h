// A trace as a Graphviz graph: one node per state its timeline shows (the start, and the state
// after each action and each wait, with its time and what changed), one edge per action labelled
// with the machines' moves and what each read and assigned, and one edge per wait, a run of
// ticks, labelled with its duration ("wait 55 minutes"); a lasso's last edge goes back to where
// its cycle began.
#pragma once

#include <string>

#include "model/model.h"
#include "solver/result.h"

namespace interlock {

std::string format_trace_dot(const Model& model, const Trace& trace);

}  // namespace interlock

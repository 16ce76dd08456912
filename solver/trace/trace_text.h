// The text timeline of a trace: one line per step with the time, the machines that moved, the
// edges, the channel and the variables that changed. Runs of ticks are shown as one wait line.
#pragma once

#include <string>

#include "model/model.h"
#include "model/semantics.h"
#include "solver/result.h"

namespace interlock {

std::string format_trace_text(const Model& model, const Trace& trace);

}  // namespace interlock

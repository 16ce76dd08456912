// The text timeline of a trace: one line per step with the time, the machines that moved, the
// edges, the channel, what each action read from other machines and globals and every assignment
// it made (solver/trace/step_effects.h). Runs of ticks are shown as one wait line.
#pragma once

#include <string>

#include "model/model.h"
#include "model/semantics.h"
#include "solver/result.h"

namespace interlock {

std::string format_trace_text(const Model& model, const Trace& trace);

// "129 steps (53 actions, 76 ticks)": the size of the trace, as its text and HTML forms say it.
std::string trace_count(const Model& model, const Trace& trace);

}  // namespace interlock

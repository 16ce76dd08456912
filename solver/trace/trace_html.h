// A trace as one self-contained HTML file (no network, no external script): lifelines of the
// machines over the steps, the step list, and the whole state at the selected step; the arrow
// keys, Home/End and the mouse move the selection. The violating step is highlighted and a
// lasso's cycle is marked. The page's data is the display steps of the text timeline (a run of
// ticks is one "wait" step), each with the index of the trace state it shows.
#pragma once

#include <string>

#include "model/model.h"
#include "solver/result.h"
#include "solver/trace/trace_itf.h"

namespace interlock {

std::string format_trace_html(const Model& model, const Trace& trace, const TraceHeader& header);

}  // namespace interlock

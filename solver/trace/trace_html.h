// A trace as one self-contained HTML file (no network, no external script): the steps of the
// text timeline down the page on a time axis (a wait as tall as it is long; a long one folded
// to a short row labelled "... 21 h ..."), a lifeline per machine beside them with a dot where a
// machine moves, what each action read and assigned, and the whole state at the selected step.
// The header and the lifelines' names stay at the top; the page opens at the start, or at the
// step its address names (#step=42, steps numbered from 1 as in the ITF states); the arrow keys,
// j/k, Home/End and the mouse move the selection. The violating step is highlighted and a
// lasso's cycle is marked.
#pragma once

#include <string>

#include "model/model.h"
#include "solver/result.h"
#include "solver/trace/trace_itf.h"

namespace interlock {

std::string format_trace_html(const Model& model, const Trace& trace, const TraceHeader& header);

}  // namespace interlock

// Every way a trace can be written, from the one Trace type: text (the timeline), json (ITF),
// mermaid (a sequence diagram), dot (Graphviz) and html (a page to step through).
#pragma once

#include <string>
#include <vector>

#include "model/model.h"
#include "solver/result.h"
#include "solver/trace/trace_itf.h"

namespace interlock {

const std::vector<std::string>& trace_format_names();  // text, json, mermaid, dot, html

std::string format_trace(const Model& model, const Trace& trace, const std::string& format, const TraceHeader& header);

}  // namespace interlock

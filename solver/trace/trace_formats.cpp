#include "solver/trace/trace_formats.h"

#include <stdexcept>

#include "solver/trace/trace_dot.h"
#include "solver/trace/trace_html.h"
#include "solver/trace/trace_mermaid.h"
#include "solver/trace/trace_text.h"

namespace interlock {

const std::vector<std::string>& trace_format_names() {
  static const std::vector<std::string> names = {"text", "json", "mermaid", "dot", "html"};
  return names;
}

std::string format_trace(const Model& model, const Trace& trace, const std::string& format, const TraceHeader& header) {
  if (format == "text") return format_trace_text(model, trace);
  if (format == "json") return format_trace_itf(model, trace, header);
  if (format == "mermaid") return format_trace_mermaid(model, trace);
  if (format == "dot") return format_trace_dot(model, trace);
  if (format == "html") return format_trace_html(model, trace, header);
  throw std::invalid_argument("unknown trace format " + format);
}

}  // namespace interlock

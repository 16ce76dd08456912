#include "solver/trace/trace_dot.h"

#include "model/time_format.h"

namespace interlock {
namespace {

std::string node(std::size_t i) {
  std::string out = "s";  // built with += : GCC 12 warns falsely about "s" + std::to_string(...)
  out += std::to_string(i);
  return out;
}

std::string quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (c == '\n') {
      out += "\\n";  // a line break inside a Graphviz label
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::string state_label(const Model& model, const Trace& trace, std::size_t i, int64_t time) {
  std::string label = "t=" + (model.calendar == Calendar::None ? std::to_string(time) : wall_time(model, time));
  const std::vector<int32_t>& now = trace.states[i];
  for (std::size_t s = 0; s < model.slots.size(); ++s) {
    const Slot& slot = model.slots[s];
    if (i > 0 && trace.states[i - 1][s] == now[s]) continue;
    if (i > 0 && slot.kind == Slot::Kind::Clock && now[s] > trace.states[i - 1][s]) continue;
    label += "\n" + slot.name + (slot.kind == Slot::Kind::Location ? "." : "=") + format_value(model, static_cast<int>(s), now[s]);
  }
  return label;
}

}  // namespace

std::string format_trace_dot(const Model& model, const Trace& trace) {
  std::string out = "digraph trace {\n  rankdir=TB;\n  node [shape=box, fontname=\"monospace\"];\n";
  int64_t time = 0;
  const std::size_t last = trace.states.size() - 1;
  const bool lasso = trace.loop_start >= 0;
  for (std::size_t i = 0; i <= last; ++i) {
    if (i > 0) time += trace.steps[i - 1].elapsed();
    if (lasso && i == last) break;  // the same state as the loop's start
    std::string attrs = "label=" + quoted(state_label(model, trace, i, time));
    if (i == last && !trace.final_note.empty()) attrs += ", color=red, xlabel=" + quoted(trace.final_note);
    out += "  " + node(i) + " [" + attrs + "];\n";
  }
  for (std::size_t i = 0; i < trace.steps.size(); ++i) {
    const Step& step = trace.steps[i];
    std::string label;
    if (step.tick) {
      label = step.ticks == 1 ? "tick" : "wait " + std::to_string(step.ticks);
    } else {
      if (step.channel >= 0) label = model.channels[static_cast<std::size_t>(step.channel)].name + ": ";
      label += describe_step_edges(model, step, "\n");
    }
    const std::size_t to = lasso && i + 1 == last ? static_cast<std::size_t>(trace.loop_start) : i + 1;
    out += "  " + node(i) + " -> " + node(to) + " [label=" + quoted(label) +
           (to <= i ? ", style=dashed, color=blue" : "") + "];\n";
  }
  return out + "}\n";
}

}  // namespace interlock

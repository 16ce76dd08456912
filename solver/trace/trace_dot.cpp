#include "solver/trace/trace_dot.h"

#include "model/time_format.h"
#include "solver/trace/step_effects.h"
#include "solver/trace/trace_entries.h"

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

// State `i` at `time`, with what changed since state `prev` (none for the start).
std::string state_label(const Model& model, const Trace& trace, std::size_t i, std::size_t prev, int64_t time) {
  std::string label = "t=" + (model.calendar == Calendar::None ? std::to_string(time) : wall_time(model, time));
  const std::vector<int32_t>& now = trace.states[i];
  for (std::size_t s = 0; s < model.slots.size(); ++s) {
    const Slot& slot = model.slots[s];
    if (i > 0 && trace.states[prev][s] == now[s]) continue;
    if (i > 0 && slot.kind == Slot::Kind::Clock && now[s] > trace.states[prev][s]) continue;
    label += "\n" + slot.name + (slot.kind == Slot::Kind::Location ? "." : "=") + format_value(model, static_cast<int>(s), now[s]);
  }
  return label;
}

}  // namespace

std::string format_trace_dot(const Model& model, const Trace& trace) {
  std::string out = "digraph trace {\n  rankdir=TB;\n  node [shape=box, fontname=\"monospace\"];\n";
  const std::size_t last = trace.states.size() - 1;
  const bool lasso = trace.loop_start >= 0;
  const std::vector<TraceEntry> entries = trace_entries(trace);
  const std::vector<StepEffects> effects = trace_effects(model, trace);
  // A node per entry: the state after it (a lasso's last state is its cycle's first).
  std::size_t prev = 0;
  for (const TraceEntry& e : entries) {
    if (lasso && e.last == last && last > 0) break;
    std::string attrs = "label=" + quoted(state_label(model, trace, e.last, prev, e.to));
    if (e.last == last && !trace.final_note.empty()) attrs += ", color=red, xlabel=" + quoted(trace.final_note);
    out += "  " + node(e.last) + " [" + attrs + "];\n";
    prev = e.last;
  }
  // An edge per action or wait.
  for (const TraceEntry& e : entries) {
    if (e.kind == TraceEntry::Kind::Start) continue;
    std::string label;
    if (e.kind == TraceEntry::Kind::Wait) {
      label = "wait " + duration_text(model, e.to - e.from);
    } else {
      const Step& step = trace.steps[e.first - 1];
      if (step.channel >= 0) label = model.channels[static_cast<std::size_t>(step.channel)].name + ": ";
      label += describe_step_edges(model, step, "\n");
      for (const std::string& x : effects_list(model, effects[e.first - 1], trace.states[e.first - 1], trace.states[e.first]))
        label += "\n" + x;
    }
    const std::size_t from = e.first - 1;
    const std::size_t to = lasso && e.last == last ? static_cast<std::size_t>(trace.loop_start) : e.last;
    out += "  " + node(from) + " -> " + node(to) + " [label=" + quoted(label) + (to <= from ? ", style=dashed, color=blue" : "") +
           (e.kind == TraceEntry::Kind::Wait ? ", class=wait" : "") + "];\n";
  }
  return out + "}\n";
}

}  // namespace interlock

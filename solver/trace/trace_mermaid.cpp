#include "solver/trace/trace_mermaid.h"

#include "model/time_format.h"

namespace interlock {
namespace {

// Mermaid ends a message at ';' and reads '#' as an entity: keep the text plain.
std::string plain(std::string s) {
  for (char& c : s) {
    if (c == ';') c = ',';
    if (c == '#') c = '.';
  }
  return s;
}

std::string id(int instance) {
  std::string out = "M";  // built with += : GCC 12 warns falsely about "M" + std::to_string(...)
  out += std::to_string(instance);
  return out;
}

std::string changes(const Model& model, const std::vector<int32_t>& before, const std::vector<int32_t>& after) {
  std::string out;
  for (std::size_t s = 0; s < model.slots.size(); ++s) {
    const Slot& slot = model.slots[s];
    if (slot.kind == Slot::Kind::Location || before[s] == after[s]) continue;
    if (slot.kind == Slot::Kind::Clock && after[s] > before[s]) continue;
    out += (out.empty() ? "" : ", ") + slot.name + " := " + format_value(model, static_cast<int>(s), after[s]);
  }
  return out;
}

std::string move_of(const Model& model, int edge) {
  const Edge& e = model.edges[static_cast<std::size_t>(edge)];
  const Instance& inst = model.instances[static_cast<std::size_t>(e.instance)];
  return inst.locations[static_cast<std::size_t>(e.src)].name + " -> " + inst.locations[static_cast<std::size_t>(e.dst)].name;
}

}  // namespace

std::string format_trace_mermaid(const Model& model, const Trace& trace) {
  std::string out = "sequenceDiagram\n";
  for (std::size_t i = 0; i < model.instances.size(); ++i)
    out += "  participant " + id(static_cast<int>(i)) + " as " + plain(model.instances[i].name) + "\n";
  const std::string all = id(0) + (model.instances.size() > 1 ? "," + id(static_cast<int>(model.instances.size()) - 1) : "");
  auto note_all = [&](const std::string& text) { out += "  Note over " + all + ": " + plain(text) + "\n"; };
  auto notes_at = [&](std::size_t state) {
    for (const auto& [at, note] : trace.marks)
      if (at == state) note_all("=> " + note);
  };
  note_all("time " + wall_time(model, 0) + ": start");
  notes_at(0);
  int64_t time = 0, shown_time = 0;
  bool in_loop = false;
  for (std::size_t i = 0; i < trace.steps.size(); ++i) {
    if (trace.loop_start >= 0 && static_cast<std::size_t>(trace.loop_start) == i) {
      out += "  loop repeats forever\n";
      in_loop = true;
    }
    const Step& step = trace.steps[i];
    if (step.tick) {
      time += step.elapsed();
      const bool last_tick = i + 1 == trace.steps.size() || !trace.steps[i + 1].tick ||
                             (trace.loop_start >= 0 && static_cast<std::size_t>(trace.loop_start) == i + 1);
      if (last_tick) {
        note_all("time " + wall_time(model, time) + " (waited " +
                 (model.tick_seconds > 0 ? duration_text(model, time - shown_time) : std::to_string(time - shown_time)) + ")");
        shown_time = time;
      }
      notes_at(i + 1);
      continue;
    }
    const std::string changed = changes(model, trace.states[i], trace.states[i + 1]);
    const int first = step.edges.front();
    const int emitter = model.edges[static_cast<std::size_t>(first)].instance;
    if (step.channel < 0) {
      out += "  Note over " + id(emitter) + ": " + plain(move_of(model, first)) + "\n";
    } else {
      const std::string channel = plain(model.channels[static_cast<std::size_t>(step.channel)].name);
      if (step.edges.size() == 1) out += "  Note over " + id(emitter) + ": " + channel + "! (no receiver)\n";
      for (std::size_t k = 1; k < step.edges.size(); ++k) {
        const int receiver = model.edges[static_cast<std::size_t>(step.edges[k])].instance;
        out += "  " + id(emitter) + "->>" + id(receiver) + ": " + channel + " (" + plain(move_of(model, step.edges[k])) + ")\n";
      }
      out += "  Note over " + id(emitter) + ": " + plain(move_of(model, first)) + "\n";
    }
    if (!changed.empty()) out += "  Note right of " + id(emitter) + ": " + plain(changed) + "\n";
    notes_at(i + 1);
  }
  if (in_loop) out += "  end\n";
  if (!trace.final_note.empty()) note_all("=> " + trace.final_note);
  return out;
}

}  // namespace interlock

#include "solver/trace/trace_mermaid.h"

#include <algorithm>
#include <vector>

#include "model/time_format.h"
#include "solver/trace/step_effects.h"
#include "solver/trace/trace_entries.h"

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

// The move of the step's k-th edge, with the values its `choose`s took (the note is over its machine).
std::string move_of(const Model& model, const Step& step, std::size_t k) {
  std::size_t offset = 0;
  for (std::size_t j = 0; j < k; ++j) offset += model.edges[static_cast<std::size_t>(step.edges[j])].chooses.size();
  offset = std::min(offset, step.choices.size());
  const int edge = step.edges[k];
  const std::string text = describe_edge(model, edge, step.choices.data() + offset, step.choices.size() - offset);
  const std::string& machine = model.instances[static_cast<std::size_t>(model.edges[static_cast<std::size_t>(edge)].instance)].name;
  return text.substr(machine.size() + 2);
}

// The messages of one entry of the timeline, a line each.
std::vector<std::string> entry_messages(const Model& model, const Trace& trace, const TraceEntry& e, const StepEffects& effects,
                                        const std::string& all) {
  std::vector<std::string> out;
  auto note_all = [&](const std::string& text) { out.push_back("  Note over " + all + ": " + plain(text)); };
  if (e.kind == TraceEntry::Kind::Start) {
    note_all("time " + wall_time(model, 0) + ": start");
  } else if (e.kind == TraceEntry::Kind::Wait) {
    note_all("time " + wall_time(model, e.to) + " (waited " + duration_text(model, e.to - e.from) + ")");
  } else {
    const std::size_t i = e.first - 1;
    const Step& step = trace.steps[i];
    const int first = step.edges.front();
    const int emitter = model.edges[static_cast<std::size_t>(first)].instance;
    if (step.channel >= 0) {
      const std::string channel = plain(model.channels[static_cast<std::size_t>(step.channel)].name);
      if (step.edges.size() == 1) out.push_back("  Note over " + id(emitter) + ": " + channel + "! (no receiver)");
      for (std::size_t k = 1; k < step.edges.size(); ++k) {
        const int receiver = model.edges[static_cast<std::size_t>(step.edges[k])].instance;
        out.push_back("  " + id(emitter) + "->>" + id(receiver) + ": " + channel + " (" + plain(move_of(model, step, k)) + ")");
      }
    }
    out.push_back("  Note over " + id(emitter) + ": " + plain(move_of(model, step, 0)));
    const std::string changed = effects_text(model, effects, trace.states[i], trace.states[i + 1]);
    if (!changed.empty()) out.push_back("  Note right of " + id(emitter) + ": " + plain(changed));
  }
  for (const auto& [at, note] : trace.marks)
    if (at == e.last) note_all("=> " + note);
  return out;
}

}  // namespace

std::string format_trace_mermaid(const Model& model, const Trace& trace, std::size_t max_messages) {
  std::string participants;
  for (std::size_t i = 0; i < model.instances.size(); ++i)
    participants += "  participant " + id(static_cast<int>(i)) + " as " + plain(model.instances[i].name) + "\n";
  const std::string all = id(0) + (model.instances.size() > 1 ? "," + id(static_cast<int>(model.instances.size()) - 1) : "");
  const std::vector<StepEffects> effects = trace_effects(model, trace);
  const std::vector<TraceEntry> entries = trace_entries(trace);
  const std::string final_note = trace.final_note.empty() ? "" : "  Note over " + all + ": " + plain("=> " + trace.final_note);

  // Each entry's messages; the loop block's lines are not counted.
  struct Part {
    std::size_t begin = 0, end = 0;  // entries
    std::size_t messages = 0;
  };
  std::vector<std::vector<std::string>> messages;
  for (const TraceEntry& e : entries)
    messages.push_back(entry_messages(model, trace, e, e.kind == TraceEntry::Kind::Action ? effects[e.first - 1] : StepEffects{}, all));
  if (!final_note.empty()) messages.back().push_back(final_note);
  std::vector<Part> parts(1);
  for (std::size_t k = 0; k < entries.size(); ++k) {
    if (parts.back().messages > 0 && parts.back().messages + messages[k].size() > max_messages) parts.push_back({k, k, 0});
    parts.back().end = k + 1;
    parts.back().messages += messages[k].size();
  }

  const std::size_t steps = trace.steps.size();
  std::string out;
  for (std::size_t p = 0; p < parts.size(); ++p) {
    const Part& part = parts[p];
    // The steps this part covers, numbered from 1 as in the HTML page and the ITF states.
    const std::size_t first = part.begin == 0 ? 1 : entries[part.begin].first;
    const std::size_t last = entries[part.end - 1].last;
    if (parts.size() > 1) {
      if (p) out += "\n";
      out += "## Part " + std::to_string(p + 1) + " of " + std::to_string(parts.size()) + ": ";
      out += first > last ? std::string("the start") : "steps " + std::to_string(first) + " to " + std::to_string(last);
      out += " of " + std::to_string(steps);
      if (part.begin > 0) out += ", from time " + wall_time(model, entries[part.begin].from);
      out += "\n\n```mermaid\n";
    }
    out += "sequenceDiagram\n" + participants;
    bool in_loop = false;
    for (std::size_t k = part.begin; k < part.end; ++k) {
      const TraceEntry& e = entries[k];
      if (e.cycle_start || (e.in_cycle && !in_loop)) {
        out += e.cycle_start ? "  loop repeats forever\n"
                             : "  loop repeats forever (from step " + std::to_string(trace.loop_start + 1) + ", continued)\n";
        in_loop = true;
      }
      if (in_loop && !final_note.empty() && k + 1 == entries.size()) {
        // The final note belongs after the cycle.
        for (std::size_t m = 0; m + 1 < messages[k].size(); ++m) out += messages[k][m] + "\n";
        out += "  end\n" + final_note + "\n";
        in_loop = false;
        continue;
      }
      for (const std::string& m : messages[k]) out += m + "\n";
    }
    if (in_loop) out += "  end\n";
    if (parts.size() > 1) out += "```\n";
  }
  return out;
}

}  // namespace interlock

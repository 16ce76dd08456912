#include "solver/trace/trace_text.h"

#include <algorithm>
#include <sstream>

#include "model/time_format.h"
#include "solver/trace/step_effects.h"
#include "solver/trace/trace_entries.h"

namespace interlock {
namespace {

std::string initial_state(const Model& model, const std::vector<int32_t>& state) {
  std::string machines, vars;
  for (std::size_t s = 0; s < model.slots.size(); ++s) {
    const Slot& slot = model.slots[s];
    std::string v = format_value(model, static_cast<int>(s), state[s]);
    if (slot.kind == Slot::Kind::Location) machines += (machines.empty() ? "" : ", ") + slot.name + "=" + v;
    else if (slot.kind == Slot::Kind::Var) vars += (vars.empty() ? "" : ", ") + slot.name + "=" + v;
  }
  return machines + (vars.empty() ? "" : "; " + vars);
}

}  // namespace

std::string trace_count(const Model&, const Trace& trace) {
  int actions = 0;
  int64_t total_time = 0;
  for (const Step& s : trace.steps) {
    actions += !s.tick;
    total_time += s.elapsed();
  }
  const auto counted = [](int64_t n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); };
  return counted(static_cast<int64_t>(trace.steps.size()), "step", "steps") + " (" + counted(actions, "action", "actions") + ", " +
         counted(total_time, "tick", "ticks") + ")";
}

std::string format_trace_text(const Model& model, const Trace& trace) {
  std::ostringstream out;
  int64_t time = 0;
  int64_t total_time = 0;
  for (const Step& s : trace.steps) total_time += s.elapsed();
  out << "  trace: " << trace_count(model, trace);
  if (model.time_unit != "ticks") out << ", time in " << model.time_unit;
  if (!trace.params.empty()) {
    out << "; parameters";
    for (const auto& [name, value] : trace.params) {
      const int p = model.find_param(name);
      const TimeKind kind = p >= 0 ? model.params[p].time : TimeKind::Plain;
      std::string shown = time_value(model, kind, value);
      if (kind == TimeKind::Duration) shown.erase(std::remove(shown.begin(), shown.end(), ' '), shown.end());  // 1h5min
      out << " " << name << "=" << shown;
    }
  }
  out << "\n";
  // The time column: plain numbers six wide, or with a calendar as wide as its widest time.
  std::size_t width = 6;
  if (model.calendar != Calendar::None) width = std::max(wall_time(model, 0).size(), wall_time(model, total_time).size());
  out << "  time" << std::string(width - 3, ' ') << "step\n";
  auto line = [&](int64_t t, const std::string& text) {
    std::string ts = wall_time(model, t);
    out << "  " << std::string(ts.size() < width ? width - ts.size() : 0, ' ') << ts << " " << text << "\n";
  };
  auto show_marks = [&](std::size_t state, int64_t t) {
    for (const auto& [at, note] : trace.marks)
      if (at == state) line(t, "=> " + note);
  };
  const std::vector<StepEffects> effects = trace_effects(model, trace);
  for (const TraceEntry& e : trace_entries(trace)) {
    if (e.cycle_start) line(e.from, "-- the cycle below repeats forever --");
    if (e.kind == TraceEntry::Kind::Start) {
      line(0, "start    " + initial_state(model, trace.states.front()));
    } else if (e.kind == TraceEntry::Kind::Wait) {
      line(e.from, "wait     " + duration_text(model, e.to - e.from) + " (until " + wall_time(model, e.to) + ")");
    } else {
      const std::size_t i = e.first - 1;
      const Step& step = trace.steps[i];
      const std::string text = describe_step_edges(model, step);
      std::string kind = "action   ";
      if (step.channel >= 0) {
        const Channel& c = model.channels[step.channel];
        kind = (c.broadcast ? "bcast " : "sync  ") + c.name + (step.edges.size() == 1 ? "! (no receiver)" : "") + "  ";
        kind.resize(std::max<std::size_t>(kind.size(), 9), ' ');
      }
      const std::string changes = effects_text(model, effects[i], trace.states[i], trace.states[i + 1]);
      line(e.from, kind + text + (changes.empty() ? "" : "   {" + changes + "}"));
    }
    show_marks(e.last, e.to);
    time = e.to;
  }
  if (!trace.final_note.empty()) line(time, "=> " + trace.final_note);
  const std::size_t indent = 2 + std::max(width, wall_time(model, time).size()) + 1 + 3;
  for (const std::string& why : trace.why) out << std::string(indent, ' ') << why << "\n";
  return out.str();
}

}  // namespace interlock

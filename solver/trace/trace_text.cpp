#include "solver/trace/trace_text.h"

#include <algorithm>
#include <sstream>

#include "model/time_format.h"

namespace interlock {
namespace {

std::string changed_values(const Model& model, const std::vector<int32_t>& before, const std::vector<int32_t>& after) {
  std::string out;
  for (std::size_t s = 0; s < model.slots.size(); ++s) {
    const Slot& slot = model.slots[s];
    if (slot.kind == Slot::Kind::Location || before[s] == after[s]) continue;
    if (slot.kind == Slot::Kind::Clock && after[s] > before[s]) continue;  // only resets are news
    out += (out.empty() ? "" : ", ") + slot.name + " := " + format_value(model, static_cast<int>(s), after[s]);
  }
  return out;
}

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

std::string format_trace_text(const Model& model, const Trace& trace) {
  std::ostringstream out;
  int64_t time = 0;
  int actions = 0;
  int64_t total_time = 0;
  for (const Step& s : trace.steps) {
    actions += !s.tick;
    total_time += s.elapsed();
  }
  out << "  trace: " << trace.steps.size() << " steps (" << actions << " actions, " << total_time << " ticks)";
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
  auto marked = [&](std::size_t state) {
    for (const auto& [at, note] : trace.marks)
      if (at == state) return true;
    return false;
  };
  auto show_marks = [&](std::size_t state, int64_t t) {
    for (const auto& [at, note] : trace.marks)
      if (at == state) line(t, "=> " + note);
  };
  line(0, "start    " + initial_state(model, trace.states.front()));
  show_marks(0, 0);
  for (std::size_t i = 0; i < trace.steps.size(); ++i) {
    if (trace.loop_start >= 0 && static_cast<std::size_t>(trace.loop_start) == i) line(time, "-- the cycle below repeats forever --");
    const Step& step = trace.steps[i];
    if (step.tick) {
      std::size_t j = i;
      while (j + 1 < trace.steps.size() && trace.steps[j + 1].tick && !marked(j + 1) &&
             !(trace.loop_start >= 0 && static_cast<std::size_t>(trace.loop_start) == j + 1))
        ++j;
      int64_t n = 0;
      for (std::size_t k = i; k <= j; ++k) n += trace.steps[k].elapsed();
      line(time, "wait     " + duration_text(model, n) + " (until " + wall_time(model, time + n) + ")");
      time += n;
      i = j;
      show_marks(i + 1, time);
      continue;
    }
    const std::string text = describe_step_edges(model, step);
    std::string kind = "action   ";
    if (step.channel >= 0) {
      const Channel& c = model.channels[step.channel];
      kind = (c.broadcast ? "bcast " : "sync  ") + c.name + (step.edges.size() == 1 ? "! (no receiver)" : "") + "  ";
      kind.resize(std::max<std::size_t>(kind.size(), 9), ' ');
    }
    std::string changes = changed_values(model, trace.states[i], trace.states[i + 1]);
    line(time, kind + text + (changes.empty() ? "" : "   {" + changes + "}"));
    show_marks(i + 1, time);
  }
  if (!trace.final_note.empty()) line(time, "=> " + trace.final_note);
  const std::size_t indent = 2 + std::max(width, wall_time(model, time).size()) + 1 + 3;
  for (const std::string& why : trace.why) out << std::string(indent, ' ') << why << "\n";
  return out.str();
}

}  // namespace interlock

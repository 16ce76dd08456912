#include "solver/trace/trace_entries.h"

namespace interlock {

bool has_mark(const Trace& trace, std::size_t state) {
  for (const auto& [at, note] : trace.marks)
    if (at == state) return true;
  return false;
}

std::vector<TraceEntry> trace_entries(const Trace& trace) {
  std::vector<TraceEntry> out;
  out.push_back(TraceEntry{});
  const auto cycle_starts = [&](std::size_t step) {  // step: an index into trace.steps
    return trace.loop_start >= 0 && static_cast<std::size_t>(trace.loop_start) == step;
  };
  int64_t time = 0;
  for (std::size_t i = 0; i < trace.steps.size(); ++i) {
    TraceEntry e;
    e.cycle_start = cycle_starts(i);
    e.in_cycle = trace.loop_start >= 0 && i >= static_cast<std::size_t>(trace.loop_start);
    e.from = time;
    std::size_t j = i;
    if (trace.steps[i].tick) {
      e.kind = TraceEntry::Kind::Wait;
      while (j + 1 < trace.steps.size() && trace.steps[j + 1].tick && !has_mark(trace, j + 1) && !cycle_starts(j + 1)) ++j;
      for (std::size_t k = i; k <= j; ++k) time += trace.steps[k].elapsed();
    } else {
      e.kind = TraceEntry::Kind::Action;
    }
    e.to = time;
    e.first = i + 1;
    e.last = j + 1;
    out.push_back(e);
    i = j;
  }
  return out;
}

}  // namespace interlock

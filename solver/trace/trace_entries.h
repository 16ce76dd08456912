// A trace as its timeline shows it: the start, each action, and each run of ticks as one wait
// (a run ends where a mark falls or where the cycle of a lasso begins). The text, HTML, Mermaid
// and DOT traces are all drawn from these entries, so they agree on what a step is.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "solver/result.h"

namespace interlock {

struct TraceEntry {
  enum class Kind : uint8_t { Start, Action, Wait };
  Kind kind = Kind::Start;
  // The steps it stands for, numbered from 1 (step k is trace.steps[k - 1], from state k - 1 to
  // state k): first..last; 0..0 for the start. The state after it is `last`.
  std::size_t first = 0, last = 0;
  int64_t from = 0, to = 0;  // the time before and after it
  bool cycle_start = false;  // a lasso's cycle begins with it
  bool in_cycle = false;
};

std::vector<TraceEntry> trace_entries(const Trace& trace);

// Whether the trace marks state `state` (Trace::marks).
bool has_mark(const Trace& trace, std::size_t state);

}  // namespace interlock

// How far `wait ARG` and `until ARG` go in `simulate --interactive`:
//   wait 5         five ticks of the spec's unit of time (`wait` alone: one)
//   wait 5min      a duration (`90s`, `1h30min`), in a spec that uses clock time
//   until 180      until tick 180 since the start
//   until 03:00    until the next 03:00, in a spec whose time 0 is midnight (a calendar)
//   until Tue 03:00  until the next Tuesday 03:00, in a spec with a weekly calendar
// Anything else is an error that says what is accepted.
#pragma once

#include <cstdint>
#include <string>

#include "model/model.h"

namespace interlock {

// The longest wait one command may ask for: every tick of it may be a state of the trace.
constexpr int64_t kMaxWaitTicks = 1000000;

struct TimeArg {
  bool ok = false;
  int64_t ticks = 0;  // how many ticks to let pass from now
  std::string error;
};

TimeArg wait_ticks(const Model& model, const std::string& text);
// `now`: ticks since the start of the run.
TimeArg until_ticks(const Model& model, const std::string& text, int64_t now);

}  // namespace interlock

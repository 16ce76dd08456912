// What one `timer` declaration means once its text is read: when it elapses (in the system's
// ticks, within one period), the random delay it adds, whether a missed elapse fires later.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "model/ast.h"
#include "model/diagnostics.h"
#include "model/schedules/calendar.h"

namespace interlock {

struct TimerPlan {
  schedules::Elapses elapses;     // as read; the period is chosen from every timer's
  std::vector<int64_t> ticks;     // elapse times in ticks since the period began (set by timer_ticks)
  int64_t max_delay_seconds = 0;  // RandomizedDelaySec= plus AccuracySec=: elapses fire up to this late
  // RandomizedDelaySec=NAME: a parameter or constant of the spec, in its ticks, added to the above
  // (so that `synth --param NAME` can ask which delays are safe); empty when a span is written.
  std::string delay_name;
  SourceLoc delay_loc;
  bool persistent = false;        // Persistent=true: an elapse missed while the gate was false fires when it opens
};

// Reads a timer's settings; errors are located in its strings. Empty when an error was reported.
std::optional<TimerPlan> read_timer(const ast::Timer& timer, Diagnostics& diags);

// The plan's elapse times in ticks of `tick_seconds` within a period of `period_seconds`, into
// `plan.ticks`; false (with an error at the timer) when one is not a whole tick or there are too many.
bool timer_ticks(const ast::Timer& timer, TimerPlan& plan, int64_t tick_seconds, int64_t period_seconds,
                 const char* unit, Diagnostics& diags);

// systemd's default AccuracySec= (systemd.timer(5)): an elapse may come up to a minute late.
constexpr int64_t kSystemdDefaultAccuracySeconds = 60;
// How late an elapse may fire, in whole seconds: RandomizedDelaySec= plus AccuracySec= (systemd's
// default when not given), in microseconds, their sum rounded down once (0.5 s + 0.5 s is a second).
int64_t timer_lateness_seconds(int64_t randomized_us, std::optional<int64_t> accuracy_us);
// The most elapses a timer may have in one period: a week of minutes.
constexpr std::size_t kMaxElapsesPerPeriod = 10080;

}  // namespace interlock

// Elapses::weekly and elapse_seconds: the elapse times of a schedule in one period.
#include <algorithm>

#include "model/schedules/calendar.h"

namespace interlock::schedules {

bool Elapses::weekly() const {
  return std::any_of(sets.begin(), sets.end(), [](const CalendarSet& s) { return !s.weekdays.all(); });
}

// Time t of the period (t in 0..period_seconds-1) is on weekday (t / 86400) % 7, Monday first: a
// period of a day is a Monday, which for a schedule that is not weekly() is any day. The period is
// walked a day at a time, marking the day's seconds in a bitmap, so that the result comes out
// sorted and without repeats whatever the sets overlap, and stops at `limit`.
std::vector<int64_t> elapse_seconds(const Elapses& elapses, int64_t period_seconds, std::size_t limit,
                                    bool& truncated) {
  constexpr int64_t kDay = 86400;
  truncated = false;
  std::vector<int64_t> out;
  if (period_seconds <= 0) return out;
  // A set with an empty member names no time; without a set that names one, nothing elapses (and
  // a long period is not walked for nothing).
  const bool names_a_time = std::any_of(elapses.sets.begin(), elapses.sets.end(), [](const CalendarSet& s) {
    return s.weekdays.any() && s.hours.any() && s.minutes.any() && s.seconds.any();
  });
  if (!names_a_time) return out;
  std::vector<bool> day(kDay);
  for (int64_t start = 0; start < period_seconds; start += kDay) {
    const int weekday = static_cast<int>((start / kDay) % 7);
    std::fill(day.begin(), day.end(), false);
    bool any = false;
    for (const CalendarSet& s : elapses.sets) {
      if (!s.weekdays.test(weekday)) continue;
      for (int h = 0; h < 24; ++h) {
        if (!s.hours.test(h)) continue;
        for (int m = 0; m < 60; ++m) {
          if (!s.minutes.test(m)) continue;
          for (int sec = 0; sec < 60; ++sec) {
            if (s.seconds.test(sec)) {
              day[h * 3600 + m * 60 + sec] = true;
              any = true;
            }
          }
        }
      }
    }
    if (!any) continue;
    for (int64_t t = 0; t < kDay && start + t < period_seconds; ++t) {
      if (!day[t]) continue;
      if (out.size() >= limit) {
        truncated = true;
        return out;
      }
      out.push_back(start + t);
    }
  }
  return out;
}

}  // namespace interlock::schedules

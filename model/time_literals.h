// Clock-time and duration literals (`02:30`, `23:59:30`, `2h`, `45min`, `1h30min`, `90s`, `1d`,
// `Mon 02:30`): how they are scanned out of the source and converted to the system's ticks.
// docs/language.md, "Time literals", is the reference.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace interlock {

// What an integer was written as: a plain number, a time of day (`02:30`), a time in the week
// (`Tue 02:30`) or a duration (`1h30min`). Its value is in ticks either way; the kind decides only
// how values are shown (model/time_format.h).
enum class TimeKind : uint8_t { Plain, TimeOfDay, WeekTime, Duration };

// The period the system's clock times are read in: a day (`02:30`, "day 2 01:50") or a week
// (`Tue 02:30`), said with `system NAME in minutes, daily;` or `, weekly`; None when not said.
enum class Calendar : uint8_t { None, Day, Week };

// What a literal means: a time of day (seconds since midnight) or an amount of time.
enum class TimeLiteralKind : uint8_t { ClockTime, Duration };

// The outcome of scanning a literal that starts with a digit at `text[at]`.
struct TimeScan {
  // 0: the digits there are a plain integer (or not a time literal at all): the caller lexes them.
  std::size_t length = 0;
  TimeLiteralKind kind = TimeLiteralKind::ClockTime;
  int64_t seconds = 0;  // the value, in seconds
  std::string error;    // non-empty: the `length` characters are a malformed time literal
};

// Scans a clock time (`H:MM`, `HH:MM`, `HH:MM:SS`; hours 00..23, minutes and seconds 00..59) or a
// duration (one or more `<digits><unit>` with units d, h, min, s, each at most once, largest
// first). Anything else (a plain integer, `2x`) gives length 0.
TimeScan scan_time_literal(std::string_view text, std::size_t at);

// Seconds per tick for a unit of time written after `system NAME in`: seconds, minutes, hours
// (singular too); 0 for any other unit (ticks, cycles, ...), which clock times do not apply to.
int64_t seconds_per_tick(std::string_view unit);

// The literal's value in ticks of `tick_seconds` seconds; empty when it is not a whole number.
std::optional<int64_t> literal_ticks(int64_t seconds, int64_t tick_seconds);

// A whole text that is one time literal ("02:30", "Tue 02:30", "1h30min"), as given to --set:
// its kind and seconds (a weekday's offset included), or an error saying why not.
struct TimeText {
  bool ok = false;
  TimeKind kind = TimeKind::Plain;
  int64_t seconds = 0;
  std::string error;
};
TimeText parse_time_text(std::string_view text);

// Mon = 0 .. Sun = 6 for the three-letter day names; -1 otherwise.
int weekday_index(std::string_view name);
const char* weekday_name(int index);  // 0..6

constexpr int64_t kSecondsPerDay = 86400;
constexpr int64_t kSecondsPerWeek = 7 * kSecondsPerDay;

}  // namespace interlock

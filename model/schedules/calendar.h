// When a timer elapses: a cron line's five fields and a systemd OnCalendar= expression, read into
// one form (a union of sets of weekdays x hours x minutes x seconds, plus "at boot"), and systemd
// time spans (RandomizedDelaySec=, AccuracySec=). Pure text in, values or a located error out:
// this library knows nothing of specs; model/ compiles the result into machines.
#pragma once

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace interlock::schedules {

// Every combination of the members of the four sets is an elapse time.
struct CalendarSet {
  std::bitset<7> weekdays;  // Mon = 0 .. Sun = 6
  std::bitset<24> hours;
  std::bitset<60> minutes;
  std::bitset<60> seconds;
};

struct Elapses {
  std::vector<CalendarSet> sets;  // the timer elapses at every time any set names
  bool at_boot = false;           // cron's @reboot: elapses when the host starts, not on a calendar
  // A set leaves out a day of the week, so the schedule repeats over a week, not a day.
  bool weekly() const;
};

// What is wrong with an expression, located in the text that was parsed: `offset` is the byte of
// the offending part (a field, a value), `length` its length (at least 1). `message` names the
// field and says what is allowed there, e.g. "the minute field allows 0-59, '*', lists (1,30),
// ranges (1-5) and steps (*/15); '61' is out of range".
struct ParseError {
  std::size_t offset = 0;
  std::size_t length = 1;
  std::string message;
};

template <class T>
using Parsed = std::variant<T, ParseError>;

// A cron schedule: five fields "minute hour day-of-month month day-of-week" with '*', numbers,
// lists, ranges, steps and names (jan..dec, sun..sat; 0 and 7 are Sunday), or one of @yearly,
// @annually, @monthly, @weekly, @daily, @midnight, @hourly, @reboot. Schedules repeat over a day
// or a week, so a day-of-month or month field must name every day or month ('*', '1-31',
// 'jan-dec'): anything narrower is an error located at that field, saying so (@monthly and
// @yearly likewise).
Parsed<Elapses> parse_cron(std::string_view text);

// A systemd calendar event (systemd.time(7)): the shorthands minutely, hourly, daily, weekly
// (monthly, yearly, quarterly... are errors like cron's month fields), and the normalized form
// "[WEEKDAYS] [*-*-*] HH:MM[:SS]" where each time component is '*', a number, a list (00,12), a
// range (a..b) or a repetition (0/15, */15), and WEEKDAYS is a list or range of day names
// (Mon..Fri, Sat,Sun, Monday). A date other than "*-*-*" is an error (the schedule repeats over
// a day or a week). Omitted seconds are 00.
Parsed<Elapses> parse_on_calendar(std::string_view text);

// A systemd time span: "43200" (seconds), "12h", "1h 30min", "90s", "5m", "2 days", "1w", in
// whole seconds (a fraction of a second is an error).
Parsed<int64_t> parse_time_span(std::string_view text);
// The same in microseconds, systemd's own resolution: "1us", "500ms" and "1.5s" too (a timer's
// AccuracySec=1us asks for exact timing, as systemd.timer(5) advises).
Parsed<int64_t> parse_time_span_us(std::string_view text);

// The elapse times of `elapses` in one period of `period_seconds` (86400 or 604800), as seconds
// since its start (midnight, or Monday 00:00 for a week), sorted, without repeats. At most
// `limit` are returned; `truncated` is set when there were more.
std::vector<int64_t> elapse_seconds(const Elapses& elapses, int64_t period_seconds, std::size_t limit,
                                    bool& truncated);

}  // namespace interlock::schedules

#include "model/time_literals.h"

#include <array>

namespace interlock {
namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }
bool letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }

constexpr int64_t kMaxPart = INT64_C(1) << 40;  // as for integers (docs/language.md, Limits)

// Reads the digits at text[j...]; false when there are none or they exceed kMaxPart.
bool number(std::string_view text, std::size_t& j, int64_t& value, bool& too_large) {
  const std::size_t start = j;
  value = 0;
  while (j < text.size() && digit(text[j])) {
    if (value > (kMaxPart - (text[j] - '0')) / 10) too_large = true;
    else value = value * 10 + (text[j] - '0');
    ++j;
  }
  return j > start;
}

// Two digits at text[j], not followed by a third.
bool two_digits(std::string_view text, std::size_t j) {
  return j + 1 < text.size() && digit(text[j]) && digit(text[j + 1]) && (j + 2 >= text.size() || !digit(text[j + 2]));
}

std::size_t word_end(std::string_view text, std::size_t j) {
  while (j < text.size() && (letter(text[j]) || digit(text[j]))) ++j;
  return j;
}

constexpr const char* kDurationForms = "a duration is written as 2h, 45min, 90s, 1d or 1h30min";

TimeScan clock_time(std::string_view text, std::size_t at, std::size_t colon) {
  TimeScan out;
  out.kind = TimeLiteralKind::ClockTime;
  const int hours = colon - at == 2 ? (text[at] - '0') * 10 + (text[at + 1] - '0') : text[at] - '0';
  const int minutes = (text[colon + 1] - '0') * 10 + (text[colon + 2] - '0');
  std::size_t end = colon + 3;
  int seconds = 0;
  if (end < text.size() && text[end] == ':' && two_digits(text, end + 1)) {
    seconds = (text[end + 1] - '0') * 10 + (text[end + 2] - '0');
    end += 3;
  }
  out.length = end;
  if (end < text.size() && (letter(text[end]) || text[end] == ':')) {
    out.length = word_end(text, end);
    if (out.length == end) ++out.length;
    out.length -= at;
    out.error = "malformed time of day '" + std::string(text.substr(at, out.length)) + "': write HH:MM or HH:MM:SS, as in 02:30";
    return out;
  }
  out.length = end - at;
  const std::string shown(text.substr(at, out.length));
  if (hours == 24 && minutes == 0 && seconds == 0)
    out.error = "'" + shown + "' is not a time of day (hours go from 00 to 23): write 00:00 for midnight, or 1d for the length of a day";
  else if (hours > 23)
    out.error = "'" + shown + "' is not a time of day: hours go from 00 to 23";
  else if (minutes > 59)
    out.error = "'" + shown + "' is not a time of day: minutes go from 00 to 59";
  else if (seconds > 59)
    out.error = "'" + shown + "' is not a time of day: seconds go from 00 to 59";
  out.seconds = hours * INT64_C(3600) + minutes * INT64_C(60) + seconds;
  return out;
}

struct Unit {
  std::string_view name;
  int64_t seconds;
};
constexpr std::array<Unit, 4> kUnits = {{{"d", kSecondsPerDay}, {"h", 3600}, {"min", 60}, {"s", 1}}};

int unit_rank(std::string_view name) {
  for (std::size_t k = 0; k < kUnits.size(); ++k)
    if (kUnits[k].name == name) return static_cast<int>(k);
  return -1;
}

TimeScan duration(std::string_view text, std::size_t at) {
  TimeScan out;
  out.kind = TimeLiteralKind::Duration;
  const std::size_t end = word_end(text, at);
  out.length = end - at;
  const std::string shown(text.substr(at, out.length));
  std::size_t j = at;
  int last_rank = -1;
  bool too_large = false;
  while (j < end) {
    int64_t value = 0;
    if (!number(text, j, value, too_large)) {
      out.error = "malformed duration '" + shown + "': " + kDurationForms;
      return out;
    }
    const std::size_t unit_start = j;
    while (j < end && letter(text[j])) ++j;
    const std::string_view unit = text.substr(unit_start, j - unit_start);
    const int rank = unit_rank(unit);
    if (rank < 0) {
      if (unit.empty()) out.error = "malformed duration '" + shown + "': every number needs its unit (d, h, min or s), as in 1h30min";
      else if (unit == "m") out.error = "malformed duration '" + shown + "': write 'min' for minutes, as in 45min";
      else if (last_rank < 0 && unit_rank(unit.substr(0, 1)) < 0 && unit.substr(0, 3) != "min")
        out.error = "malformed number '" + shown + "' (" + kDurationForms + ")";
      else out.error = "malformed duration '" + shown + "': the units are d, h, min and s, as in 1h30min";
      return out;
    }
    if (rank <= last_rank) {
      out.error = "malformed duration '" + shown + "': its units go from the largest to the smallest, each once, as in 1d2h30min";
      return out;
    }
    last_rank = rank;
    out.seconds += value * kUnits[rank].seconds;
  }
  if (too_large || out.seconds > kMaxPart) out.error = "duration '" + shown + "' too large (limit is 2^40 seconds)";
  return out;
}

}  // namespace

TimeScan scan_time_literal(std::string_view text, std::size_t at) {
  std::size_t j = at;
  while (j < text.size() && digit(text[j])) ++j;
  if (j == at || j >= text.size()) return {};
  if (text[j] == ':' && (j - at == 1 || j - at == 2) && two_digits(text, j + 1)) return clock_time(text, at, j);
  if (letter(text[j])) return duration(text, at);
  return {};
}

TimeText parse_time_text(std::string_view text) {
  TimeText out;
  int day = -1;
  if (text.size() > 4 && text[3] == ' ') {
    day = weekday_index(text.substr(0, 3));
    if (day >= 0) text.remove_prefix(4);
  }
  const TimeScan scan = scan_time_literal(text, 0);
  if (scan.length == 0 || scan.length != text.size()) {
    out.error = "not a time (02:30, Tue 02:30) or a duration (1h30min)";  // the caller quotes the text
    return out;
  }
  if (!scan.error.empty()) {
    out.error = scan.error;
    return out;
  }
  if (day >= 0 && scan.kind != TimeLiteralKind::ClockTime) {
    out.error = "a day of the week goes with a time of day, as in Tue 02:30";
    return out;
  }
  out.ok = true;
  out.kind = day >= 0 ? TimeKind::WeekTime : scan.kind == TimeLiteralKind::ClockTime ? TimeKind::TimeOfDay : TimeKind::Duration;
  out.seconds = scan.seconds + (day >= 0 ? day * kSecondsPerDay : 0);
  return out;
}

int64_t seconds_per_tick(std::string_view unit) {
  if (unit == "seconds" || unit == "second") return 1;
  if (unit == "minutes" || unit == "minute") return 60;
  if (unit == "hours" || unit == "hour") return 3600;
  return 0;
}

std::optional<int64_t> literal_ticks(int64_t seconds, int64_t tick_seconds) {
  if (tick_seconds <= 0 || seconds % tick_seconds != 0) return std::nullopt;
  return seconds / tick_seconds;
}

namespace {
constexpr std::array<const char*, 7> kWeekdays = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
}

int weekday_index(std::string_view name) {
  for (std::size_t k = 0; k < kWeekdays.size(); ++k)
    if (name == kWeekdays[k]) return static_cast<int>(k);
  return -1;
}

const char* weekday_name(int index) { return index >= 0 && index < 7 ? kWeekdays[index] : "?"; }

}  // namespace interlock

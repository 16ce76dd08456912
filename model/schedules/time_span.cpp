// parse_time_span and parse_time_span_us: a systemd time span (systemd.time(7), "Parsing Time
// Spans"), in whole seconds or in microseconds.
#include <limits>

#include "model/schedules/calendar.h"
#include "model/schedules/field_list.h"

namespace interlock::schedules {

namespace {

constexpr int64_t kUsec = 1;
constexpr int64_t kMsec = 1000;
constexpr int64_t kSec = 1000 * kMsec;
constexpr int64_t kMinute = 60 * kSec;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;
constexpr int64_t kWeek = 7 * kDay;
constexpr int64_t kMonth = 2629800 * kSec;  // systemd's month: a twelfth of 365.25 days
constexpr int64_t kYear = 31557600 * kSec;  // 365.25 days

struct Unit {
  const char* name;
  int64_t usec;
};

// Units are case-sensitive: "M" is a month, "m" a minute. Longest names first where one is a
// prefix of another is not needed: a unit is read as the whole run of letters.
const Unit kUnits[] = {
    {"usec", kUsec},      {"us", kUsec},       {"\xCE\xBCs", kUsec}, {"\xC2\xB5s", kUsec}, {"msec", kMsec},
    {"ms", kMsec},        {"seconds", kSec},   {"second", kSec},     {"sec", kSec},        {"s", kSec},
    {"minutes", kMinute}, {"minute", kMinute}, {"min", kMinute},     {"m", kMinute},       {"hours", kHour},
    {"hour", kHour},      {"hr", kHour},       {"h", kHour},         {"days", kDay},       {"day", kDay},
    {"d", kDay},          {"weeks", kWeek},    {"week", kWeek},      {"w", kWeek},         {"months", kMonth},
    {"month", kMonth},    {"M", kMonth},       {"years", kYear},     {"year", kYear},      {"y", kYear},
};

const char* const kAllowed =
    "a time span is numbers with units, added up (\"1h 30min\", \"90s\", \"2 days\"; a number alone is "
    "seconds); "
    "units: usec/us, msec/ms, seconds/second/sec/s, minutes/minute/min/m, hours/hour/hr/h, days/day/d, "
    "weeks/week/w, months/month/M, years/year/y";

bool is_space(char c) { return c == ' ' || c == '\t'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
// A unit's characters: ASCII letters and the bytes of the micro sign.
bool is_unit_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || static_cast<unsigned char>(c) >= 0x80;
}

ParseError error_at(std::size_t offset, std::size_t length, const std::string& problem) {
  return ParseError{offset, std::max<std::size_t>(length, 1), detail::cat(problem, "; ", kAllowed)};
}

bool add(int64_t& total, int64_t value) {
  if (value > std::numeric_limits<int64_t>::max() - total) return false;
  total += value;
  return true;
}

}  // namespace

Parsed<int64_t> parse_time_span_us(std::string_view text) {
  std::size_t i = 0;
  int64_t total = 0;  // microseconds
  bool any = false;
  while (true) {
    while (i < text.size() && is_space(text[i])) ++i;
    if (i >= text.size()) break;
    const std::size_t start = i;
    if (!is_digit(text[i]) && text[i] != '.') {
      std::size_t end = i;
      while (end < text.size() && !is_space(text[end])) ++end;
      const std::string what(text.substr(start, end - start));
      if (what == "infinity") return error_at(start, end - start, "'infinity' is not supported here");
      if (text[i] == '-') return error_at(start, end - start, detail::cat("'", what, "' is negative"));
      return error_at(start, end - start, detail::cat("'", what, "' does not start with a number"));
    }
    const std::size_t int_start = i;
    while (i < text.size() && is_digit(text[i])) ++i;
    const std::string_view whole = text.substr(int_start, i - int_start);
    std::string_view fraction;
    if (i < text.size() && text[i] == '.') {
      ++i;
      const std::size_t frac_start = i;
      while (i < text.size() && is_digit(text[i])) ++i;
      fraction = text.substr(frac_start, i - frac_start);
      if (fraction.empty()) {
        return error_at(start, i - start,
                        detail::cat("'", text.substr(start, i - start), "' has no digits after '.'"));
      }
    }
    const std::size_t number_end = i;
    while (i < text.size() && is_space(text[i])) ++i;
    const std::size_t unit_start = i;
    while (i < text.size() && is_unit_char(text[i])) ++i;
    const std::string_view unit_text = text.substr(unit_start, i - unit_start);
    int64_t unit = kSec;
    if (!unit_text.empty()) {
      unit = 0;
      for (const Unit& u : kUnits) {
        if (unit_text == u.name) unit = u.usec;
      }
      if (unit == 0) {
        return error_at(unit_start, unit_text.size(), detail::cat("'", unit_text, "' is not a unit"));
      }
    } else {
      i = number_end;  // the spaces belong to the next part
    }
    if (i < text.size() && !is_space(text[i]) && !is_digit(text[i]) && text[i] != '.') {
      std::size_t end = i;
      while (end < text.size() && !is_space(text[end])) ++end;
      return error_at(i, end - i, detail::cat("'", text.substr(i, end - i), "' is not part of a time span"));
    }
    const std::size_t part_end = i;
    const auto too_large = [&] {
      return error_at(start, part_end - start,
                      detail::cat("'", text.substr(start, part_end - start), "' is too large"));
    };
    if (whole.size() > 18) return too_large();
    if (fraction.size() > 12) {
      return error_at(
          start, part_end - start,
          detail::cat("'", text.substr(start, part_end - start), "' has too many digits after '.'"));
    }
    const int64_t w = whole.empty() ? 0 : std::stoll(std::string(whole));
    if (w != 0 && unit > std::numeric_limits<int64_t>::max() / w) return too_large();
    int64_t value = w * unit;
    if (!fraction.empty()) {
      int64_t scale = 1;
      for (std::size_t k = 0; k < fraction.size(); ++k) scale *= 10;
      const int64_t f = std::stoll(std::string(fraction));
      // f / scale of a unit, exactly: f * unit / scale, which must be a whole number of microseconds.
      const __int128 product = static_cast<__int128>(f) * unit;
      if (product % scale != 0) {
        return error_at(
            start, part_end - start,
            detail::cat("'", text.substr(start, part_end - start), "' is finer than a microsecond"));
      }
      if (!add(value, static_cast<int64_t>(product / scale))) return too_large();
    }
    if (!add(total, value)) return too_large();
    any = true;
  }
  if (!any) return error_at(0, 1, "this one is empty");
  return total;
}

Parsed<int64_t> parse_time_span(std::string_view text) {
  Parsed<int64_t> parsed = parse_time_span_us(text);
  if (std::holds_alternative<ParseError>(parsed)) return parsed;
  const int64_t total = std::get<int64_t>(parsed);
  if (total % kSec != 0) {
    std::size_t begin = 0, end = text.size();
    while (begin < end && is_space(text[begin])) ++begin;
    while (end > begin && is_space(text[end - 1])) --end;
    return error_at(begin, end - begin,
                    detail::cat("'", text.substr(begin, end - begin), "' is not a whole number of seconds (",
                                total / kSec, " s and ", total % kSec, " us)"));
  }
  return total / kSec;
}

}  // namespace interlock::schedules

// parse_on_calendar: a systemd calendar event (systemd.time(7), "Calendar Events"), restricted to
// schedules that repeat over a day or a week: "[WEEKDAYS] [*-*-*] [HH:MM[:SS]]" and the shorthands.
#include <array>

#include "model/schedules/calendar.h"
#include "model/schedules/field_list.h"

namespace interlock::schedules {

namespace {

using detail::FieldSpec;
using detail::FieldValue;
using detail::ListSyntax;
using detail::Mask;

// systemd writes ranges a..b and repetitions a/b, a..b/c; not */15, which it refuses (0/15 is
// every 15 from 0).
const ListSyntax kSystemdSyntax{"..", true, false, true, true, "repetition", true};
const ListSyntax kSystemdSecondsSyntax{"..", true, false, true, true, "repetition", true, true};

const FieldSpec kHour{"the hour",
                      "00-23, '*', lists (00,12), ranges (08..18) and repetitions (0/2, 08..18/2)", 0, 23};
const FieldSpec kMinute{"the minute",
                        "00-59, '*', lists (00,30), ranges (10..50) and repetitions (0/15, 5..55/10)", 0, 59};
const FieldSpec kSecond{"the second", "00-59, '*', lists (00,30), ranges and repetitions (0/15)", 0, 59};
const FieldSpec kMonth{"the month of the date", "only '*' here (every month)", 1, 12};
const FieldSpec kDay{"the day of the date", "only '*' here (every day)", 1, 31};

const char* const kShortDays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};
const char* const kLongDays[] = {"monday", "tuesday",  "wednesday", "thursday",
                                 "friday", "saturday", "sunday"};
const char* const kWeekdaysAllowed =
    "the weekdays allow day names (Mon or Monday .. Sun or Sunday, in any case), lists (Sat,Sun) and ranges "
    "(Mon..Fri)";

bool is_space(char c) { return c == ' ' || c == '\t'; }
bool is_letter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

ParseError error_at(std::size_t offset, std::size_t length, std::string message) {
  return ParseError{offset, std::max<std::size_t>(length, 1), std::move(message)};
}

int day_index(std::string_view name) {
  for (int i = 0; i < 7; ++i) {
    if (detail::equals_ignoring_case(name, kShortDays[i]) ||
        detail::equals_ignoring_case(name, kLongDays[i])) {
      return i;
    }
  }
  return -1;
}

// "Mon..Fri", "Sat,Sun", "Mon, Wed" (a space may follow a comma), "mon-fri" (systemd reads '-' as
// '..' here), a trailing comma ("Wed, 17:48").
Parsed<std::bitset<7>> read_weekdays(std::string_view text, std::size_t offset) {
  std::bitset<7> days;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i])) ++i;
    if (i >= text.size()) break;  // after a trailing comma
    const std::size_t start = i;
    std::size_t end = text.find(',', i);
    if (end == std::string_view::npos) end = text.size();
    std::string_view item = text.substr(start, end - start);
    while (!item.empty() && is_space(item.back())) item.remove_suffix(1);
    if (item.empty()) {
      return error_at(offset + start, 1, detail::cat(kWeekdaysAllowed, "; the list has an empty entry"));
    }
    std::size_t sep = item.find("..");
    std::size_t sep_len = 2;
    if (sep == std::string_view::npos) {
      sep = item.find('-');
      sep_len = 1;
    }
    const std::string_view first = sep == std::string_view::npos ? item : item.substr(0, sep);
    const int a = day_index(first);
    if (a < 0) {
      return error_at(offset + start, first.size(),
                      detail::cat(kWeekdaysAllowed, "; '", first, "' is not a day name"));
    }
    int b = a;
    if (sep != std::string_view::npos) {
      const std::string_view second = item.substr(sep + sep_len);
      b = day_index(second);
      if (b < 0) {
        return error_at(offset + start + sep + sep_len, second.size(),
                        detail::cat(kWeekdaysAllowed, "; '", second, "' is not a day name"));
      }
      if (b < a) {
        return error_at(offset + start, item.size(),
                        detail::cat(kWeekdaysAllowed, "; '", item,
                                    "' runs backwards: a range goes from Monday towards Sunday (write "
                                    "Sat..Sun,Mon..Tue for days across the week's end)"));
      }
    }
    for (int d = a; d <= b; ++d) days.set(d);
    i = end + 1;
    if (end == text.size()) break;
  }
  if (days.none()) return error_at(offset, text.size(), detail::cat(kWeekdaysAllowed, "; no day is named"));
  return days;
}

struct Part {
  std::size_t offset;
  std::string_view text;
};

std::vector<Part> split(std::string_view text, std::size_t offset, char sep) {
  std::vector<Part> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t end = text.find(sep, start);
    if (end == std::string_view::npos) {
      parts.push_back({offset + start, text.substr(start)});
      return parts;
    }
    parts.push_back({offset + start, text.substr(start, end - start)});
    start = end + 1;
  }
}

const char* const kDateOnlyEvery =
    "a date other than *-*-* is not supported: schedules here repeat over a day or a week, and ";

// "*-*-*" or "*-*" (and forms that name every month and day, like "*-01..12-*").
std::optional<ParseError> read_date(std::string_view text, std::size_t offset) {
  const std::size_t tilde = text.find('~');
  if (tilde != std::string_view::npos) {
    return error_at(offset + tilde, 1,
                    detail::cat(kDateOnlyEvery, "'~' counts days from the end of the month"));
  }
  const std::vector<Part> parts = split(text, offset, '-');
  if (parts.size() > 3) {
    return error_at(offset, text.size(),
                    detail::cat("a date is [YEAR-]MONTH-DAY, and '", text, "' has ", parts.size(), " parts"));
  }
  std::size_t k = 0;
  if (parts.size() == 3) {
    if (parts[0].text != "*") {
      return error_at(parts[0].offset, parts[0].text.size(),
                      detail::cat(kDateOnlyEvery, "'", parts[0].text, "' names a year"));
    }
    k = 1;
  }
  const FieldSpec* specs[2] = {&kMonth, &kDay};
  for (int j = 0; j < 2; ++j, ++k) {
    const Part& p = parts[k];
    auto read = detail::read_field(p.text, p.offset, *specs[j], kSystemdSyntax);
    if (auto* e = std::get_if<ParseError>(&read)) return *e;
    const Mask every = j == 0 ? detail::all_of(1, 12) : detail::all_of(1, 31);
    if (std::get<FieldValue>(read).mask != every) {
      return error_at(p.offset, p.text.size(),
                      detail::cat(kDateOnlyEvery, "'", p.text, "' names only some ",
                                  j == 0 ? "months" : "days of the month"));
    }
  }
  return std::nullopt;
}

template <std::size_t N>
void copy_mask(Mask mask, std::bitset<N>& out) {
  for (std::size_t v = 0; v < N; ++v) out[v] = (mask >> v & 1) != 0;
}

std::optional<ParseError> read_time(std::string_view text, std::size_t offset, CalendarSet& set) {
  const std::vector<Part> parts = split(text, offset, ':');
  if (parts.size() > 3) {
    return error_at(
        offset, text.size(),
        detail::cat("a time is HH:MM or HH:MM:SS, and '", text, "' has ", parts.size(), " parts"));
  }
  const FieldSpec* specs[3] = {&kHour, &kMinute, &kSecond};
  Mask masks[3] = {0, 0, 1};
  for (std::size_t j = 0; j < parts.size(); ++j) {
    const Part& p = parts[j];
    const std::size_t dot = p.text.find('.');
    std::string_view field = p.text;
    if (j == 2 && dot != std::string_view::npos && p.text.find("..") != dot) {
      // `02:30:00.000` is a whole second written with its fraction: read as `02:30:00`.
      const std::string_view fraction = p.text.substr(dot + 1);
      if (fraction.empty() || fraction.find_first_not_of('0') != std::string_view::npos)
        return error_at(p.offset + dot, p.text.size() - dot,
                        detail::cat("the second allows whole seconds only: '", p.text,
                                    "' has a fraction of a second, which is not supported"));
      field = p.text.substr(0, dot);
    }
    auto read = detail::read_field(field, p.offset, *specs[j], j == 2 ? kSystemdSecondsSyntax : kSystemdSyntax);
    if (auto* e = std::get_if<ParseError>(&read)) return *e;
    masks[j] = std::get<FieldValue>(read).mask;
  }
  copy_mask(masks[0], set.hours);
  copy_mask(masks[1], set.minutes);
  copy_mask(masks[2], set.seconds);
  return std::nullopt;
}

// The shorthands of systemd.time(7): those that repeat over a day or a week, and those that do not.
std::optional<Parsed<Elapses>> shorthand(std::string_view word, std::size_t offset) {
  CalendarSet set;
  set.weekdays.set();
  set.seconds.set(0);
  if (detail::equals_ignoring_case(word, "minutely")) {
    set.hours.set();
    set.minutes.set();
  } else if (detail::equals_ignoring_case(word, "hourly")) {
    set.hours.set();
    set.minutes.set(0);
  } else if (detail::equals_ignoring_case(word, "daily")) {
    set.hours.set(0);
    set.minutes.set(0);
  } else if (detail::equals_ignoring_case(word, "weekly")) {
    set.weekdays.reset();
    set.weekdays.set(0);  // Mon *-*-* 00:00:00
    set.hours.set(0);
    set.minutes.set(0);
  } else {
    for (const char* other : {"monthly", "yearly", "annually", "quarterly", "semiannually"}) {
      if (detail::equals_ignoring_case(word, other)) {
        return Parsed<Elapses>(
            error_at(offset, word.size(),
                     detail::cat("'", word,
                                 "' names days of the month or the year, and schedules here "
                                 "repeat over a day or a week: allowed shorthands are minutely, "
                                 "hourly, daily and weekly")));
      }
    }
    return std::nullopt;
  }
  Elapses e;
  e.sets.push_back(set);
  return Parsed<Elapses>(e);
}

}  // namespace

Parsed<Elapses> parse_on_calendar(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size() && is_space(text[i])) ++i;
  if (i >= text.size()) {
    return error_at(
        0, 1, "a calendar event is [WEEKDAYS] [*-*-*] HH:MM[:SS] or a shorthand (daily); this one is empty");
  }
  CalendarSet set;
  set.weekdays.set();
  bool have_time = false;
  bool have_date = false;
  if (is_letter(text[i])) {
    // The weekdays: up to the first space, as systemd reads them (a comma before it ends the
    // list; "Mon, Tue 02:30" is refused there, as the date or time 'Tue').
    const std::size_t start = i;
    std::size_t j = i;
    while (j < text.size() && !is_space(text[j])) ++j;
    const std::string_view word = text.substr(start, j - start);
    if (auto s = shorthand(word, start)) {
      if (auto* e = std::get_if<ParseError>(&*s)) return *e;
      std::size_t k = j;
      while (k < text.size() && is_space(text[k])) ++k;
      if (k < text.size()) {
        std::size_t end = text.size();
        while (end > k && is_space(text[end - 1])) --end;
        return error_at(
            k, end - k,
            detail::cat("'", text.substr(k, end - k), "' after '", word,
                        "': a shorthand stands alone (time zones are not supported: the wall clock "
                        "is the host's local time)"));
      }
      return *s;
    }
    auto days = read_weekdays(word, start);
    if (auto* e = std::get_if<ParseError>(&days)) return *e;
    set.weekdays = std::get<std::bitset<7>>(days);
    i = j;
  }
  while (true) {
    while (i < text.size() && is_space(text[i])) ++i;
    if (i >= text.size()) break;
    const std::size_t start = i;
    while (i < text.size() && !is_space(text[i])) ++i;
    const std::string_view token = text.substr(start, i - start);
    if (token.find(':') != std::string_view::npos) {
      if (have_time) {
        return error_at(
            start, token.size(),
            detail::cat("'", token,
                        "' is a second time: an expression has one (use lists, 00,12:00, or another "
                        "OnCalendar= line)"));
      }
      if (auto e = read_time(token, start, set)) return *e;
      have_time = true;
    } else if (token.find('-') != std::string_view::npos) {
      if (have_date || have_time) {
        return error_at(start, token.size(),
                        detail::cat("'", token, "' looks like a date, which comes once, before the time"));
      }
      if (auto e = read_date(token, start)) return *e;
      have_date = true;
    } else if (is_letter(token[0])) {
      return error_at(
          start, token.size(),
          detail::cat("'", token,
                      "' is not a date or a time; if it is a time zone: time zones are not supported "
                      "(the wall clock is the host's local time), and weekdays come first"));
    } else {
      return error_at(
          start, token.size(),
          detail::cat("'", token,
                      "' is neither a date (*-*-*) nor a time (HH:MM or HH:MM:SS, with '*', lists, "
                      "ranges a..b and repetitions a/b)"));
    }
  }
  if (!have_time) {
    set.hours.set(0);
    set.minutes.set(0);
    set.seconds.set(0);
  }
  Elapses e;
  e.sets.push_back(set);
  return e;
}

}  // namespace interlock::schedules

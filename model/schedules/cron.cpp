// parse_cron: a cron schedule (crontab(5)): five fields or an @word.
#include <array>

#include "model/schedules/calendar.h"
#include "model/schedules/field_list.h"

namespace interlock::schedules {

namespace {

using detail::FieldSpec;
using detail::FieldValue;
using detail::ListSyntax;
using detail::Mask;

const char* const kMonthNames[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                   "jul", "aug", "sep", "oct", "nov", "dec"};
const char* const kDayNames[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

const FieldSpec kFields[5] = {
    {"the minute field", "0-59, '*', lists (1,30), ranges (1-5) and steps (*/15)", 0, 59},
    {"the hour field", "0-23, '*', lists (0,12), ranges (9-17) and steps (*/2)", 0, 23},
    {"the day-of-month field", "1-31, '*', lists, ranges and steps", 1, 31},
    {"the month field", "1-12 or jan..dec, '*', lists, ranges and steps", 1, 12, kMonthNames, 12, 1,
     "a month name (jan..dec)"},
    {"the day-of-week field",
     "0-7 (0 and 7 are Sunday) or sun..sat, '*', lists (sat,sun), ranges (mon-fri) and steps", 0, 7,
     kDayNames, 7, 0, "a day name (sun..sat)"},
};

const ListSyntax kCronSyntax{};  // '-' ranges, '*', steps after '*' and ranges

bool is_space(char c) { return c == ' ' || c == '\t'; }

struct Word {
  std::size_t offset;
  std::string_view text;
};

std::vector<Word> split_words(std::string_view text) {
  std::vector<Word> words;
  std::size_t i = 0;
  while (i < text.size()) {
    while (i < text.size() && is_space(text[i])) ++i;
    if (i >= text.size()) break;
    const std::size_t start = i;
    while (i < text.size() && !is_space(text[i])) ++i;
    words.push_back({start, text.substr(start, i - start)});
  }
  return words;
}

ParseError error_at(std::size_t offset, std::size_t length, std::string message) {
  return ParseError{offset, std::max<std::size_t>(length, 1), std::move(message)};
}

Elapses from_masks(Mask minutes, Mask hours, Mask weekdays_cron) {
  CalendarSet set;
  for (int d = 0; d <= 7; ++d) {
    if (weekdays_cron >> d & 1) set.weekdays.set((d + 6) % 7);  // cron 0 and 7 = Sunday = 6 here
  }
  for (int h = 0; h < 24; ++h) set.hours[h] = (hours >> h & 1) != 0;
  for (int m = 0; m < 60; ++m) set.minutes[m] = (minutes >> m & 1) != 0;
  set.seconds.set(0);
  Elapses e;
  e.sets.push_back(set);
  return e;
}

Parsed<Elapses> at_word(const Word& w) {
  const std::string_view name = w.text;
  if (name == "@reboot") {
    Elapses e;
    e.at_boot = true;
    return e;
  }
  if (name == "@hourly") return from_masks(1, detail::all_of(0, 23), detail::all_of(0, 6));
  if (name == "@daily" || name == "@midnight") return from_masks(1, 1, detail::all_of(0, 6));
  if (name == "@weekly") return from_masks(1, 1, 1);  // "0 0 * * 0": Sunday
  if (name == "@monthly" || name == "@yearly" || name == "@annually") {
    return error_at(
        w.offset, name.size(),
        detail::cat(name, " runs on one day of the ", name == "@monthly" ? "month" : "year",
                    ", and schedules here repeat over a day or a week: use @daily, @weekly or five "
                    "fields with '*' for the day of the month and the month"));
  }
  return error_at(
      w.offset, name.size(),
      detail::cat("'", name,
                  "' is not a cron schedule word: allowed are @reboot, @hourly, @daily, @midnight, "
                  "@weekly (and @monthly, @yearly, @annually, which are not supported here), in lower "
                  "case"));
}

}  // namespace

// Day-of-month and day-of-week, as cron reads them: when either field starts with '*', a day must
// match both; otherwise (both restricted) a day matching either is enough. The day of the month
// must name every day here, so in the second case every day of the week runs ("1-31 * mon" is
// every day in cron, not only Mondays).
Parsed<Elapses> parse_cron(std::string_view text) {
  const std::vector<Word> words = split_words(text);
  if (words.empty()) {
    return error_at(0, 1,
                    "a cron schedule is five fields (minute hour day-of-month month day-of-week) or an @word "
                    "(@daily); this one is empty");
  }
  if (words[0].text[0] == '@') {
    auto parsed = at_word(words[0]);
    if (std::holds_alternative<Elapses>(parsed) && words.size() > 1) {
      return error_at(words[1].offset, text.size() - words[1].offset,
                      detail::cat(words[0].text, " stands for all five fields: nothing may follow it"));
    }
    return parsed;
  }
  if (words.size() < 5) {
    return error_at(
        text.size(), 1,
        detail::cat(kFields[words.size()].what,
                    " is missing: a cron schedule has five fields (minute hour day-of-month month "
                    "day-of-week)"));
  }
  if (words.size() > 5) {
    return error_at(words[5].offset, text.size() - words[5].offset,
                    "a cron schedule has five fields (minute hour day-of-month month day-of-week); this text "
                    "goes on after them");
  }
  std::array<FieldValue, 5> values;
  for (int i = 0; i < 5; ++i) {
    auto read = detail::read_field(words[i].text, words[i].offset, kFields[i], kCronSyntax);
    if (auto* e = std::get_if<ParseError>(&read)) return *e;
    values[i] = std::get<FieldValue>(read);
  }
  if (values[2].mask != detail::all_of(1, 31)) {
    return error_at(
        words[2].offset, words[2].text.size(),
        detail::cat("the day-of-month field must name every day ('*' or 1-31): schedules here repeat "
                    "over a day or a week, and '",
                    words[2].text, "' names only some days of the month"));
  }
  if (values[3].mask != detail::all_of(1, 12)) {
    return error_at(
        words[3].offset, words[3].text.size(),
        detail::cat("the month field must name every month ('*', 1-12 or jan-dec): schedules here "
                    "repeat over a day or a week, and '",
                    words[3].text, "' names only some months"));
  }
  Mask days = values[4].mask;
  if (!values[2].starts_with_star && !values[4].starts_with_star) days = detail::all_of(0, 6);
  return from_masks(values[0].mask, values[1].mask, days);
}

}  // namespace interlock::schedules

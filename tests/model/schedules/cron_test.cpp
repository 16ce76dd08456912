// parse_cron: the five fields, the @words, the errors with their places, and random lines against a
// naive minute-by-minute matcher.
#include <random>

#include "tests/model/schedules/schedule_test_support.h"

namespace interlock::schedules {
namespace {

using testing::kDay;
using testing::kWeek;
using testing::ok;
using testing::times;

Elapses cron(const std::string& text) { return ok(parse_cron(text), text); }

TEST(Cron, WorkdayQuarterHoursElapse180TimesAWeek) {
  const Elapses e = cron("*/15 9-17 * * mon-fri");
  EXPECT_TRUE(e.weekly());
  const std::vector<int64_t> t = times(e, kWeek);
  ASSERT_EQ(t.size(), 4u * 9 * 5);
  EXPECT_EQ(t.front(), 9 * 3600);                       // Monday 09:00
  EXPECT_EQ(t[1], 9 * 3600 + 15 * 60);                  // Monday 09:15
  EXPECT_EQ(t.back(), 4 * kDay + 17 * 3600 + 45 * 60);  // Friday 17:45
}

TEST(Cron, MidnightAndNoon) {
  const Elapses e = cron("0 0,12 * * *");
  EXPECT_FALSE(e.weekly());
  EXPECT_EQ(times(e, kDay), (std::vector<int64_t>{0, 43200}));
  EXPECT_EQ(times(e, kWeek).size(), 14u);
}

TEST(Cron, ListsRangesAndSteps) {
  EXPECT_EQ(times(cron("1,15,30 0 * * *"), kDay), (std::vector<int64_t>{60, 900, 1800}));
  EXPECT_EQ(times(cron("1-5/2 0 * * *"), kDay), (std::vector<int64_t>{60, 180, 300}));
  EXPECT_EQ(times(cron("0-10/5,58 0 * * *"), kDay), (std::vector<int64_t>{0, 300, 600, 3480}));
  EXPECT_EQ(times(cron("0 */8 * * *"), kDay), (std::vector<int64_t>{0, 8 * 3600, 16 * 3600}));
  EXPECT_EQ(times(cron("30 2 * * *"), kDay), (std::vector<int64_t>{9000}));
  EXPECT_EQ(times(cron("* * * * *"), kDay).size(), 1440u);
  // A step larger than its range names the start only.
  EXPECT_EQ(times(cron("5-10/60 0 * * *"), kDay), (std::vector<int64_t>{300}));
}

TEST(Cron, SundayIsZeroAndSeven) {
  const std::vector<int64_t> sunday{6 * kDay};  // the week starts on Monday
  EXPECT_EQ(times(cron("0 0 * * 0"), kWeek), sunday);
  EXPECT_EQ(times(cron("0 0 * * 7"), kWeek), sunday);
  EXPECT_EQ(times(cron("0 0 * * sun"), kWeek), sunday);
  EXPECT_EQ(times(cron("0 0 * * 0,7"), kWeek), sunday);
  EXPECT_EQ(times(cron("0 0 * * 6-7"), kWeek), (std::vector<int64_t>{5 * kDay, 6 * kDay}));
  EXPECT_EQ(times(cron("0 0 * * 1"), kWeek), (std::vector<int64_t>{0}));
  EXPECT_EQ(times(cron("0 0 * * 0-7"), kWeek).size(), 7u);
  EXPECT_FALSE(cron("0 0 * * 0-7").weekly());
}

TEST(Cron, NamesAreCaseInsensitive) {
  const std::vector<int64_t> workdays{0, kDay, 2 * kDay, 3 * kDay, 4 * kDay};
  EXPECT_EQ(times(cron("0 0 * * MON-Fri"), kWeek), workdays);
  EXPECT_EQ(times(cron("0 0 * * mon,TUE,wEd,thu,fri"), kWeek), workdays);
  EXPECT_EQ(times(cron("0 0 * JAN-dec *"), kWeek).size(), 7u);
  EXPECT_EQ(times(cron("0 0 * jan-jun,jul-dec sat"), kWeek), (std::vector<int64_t>{5 * kDay}));
}

TEST(Cron, DayOfMonthAndMonthThatNameEveryValueAreAccepted) {
  for (const char* every_day : {"*", "1-31", "*/1", "1-31/1", "1-15,16-31"}) {
    EXPECT_EQ(times(cron(std::string("0 3 ") + every_day + " * *"), kDay), (std::vector<int64_t>{3 * 3600}))
        << every_day;
  }
  for (const char* every_month : {"*", "1-12", "jan-dec", "*/1", "1-6,7-12"}) {
    EXPECT_EQ(times(cron(std::string("0 3 * ") + every_month + " *"), kDay), (std::vector<int64_t>{3 * 3600}))
        << every_month;
  }
}

// cron's rule: when day-of-month and day-of-week are both restricted (neither starts with '*'),
// a day matching either runs. "1-31" matches every day, so the weekday does not restrict.
TEST(Cron, RestrictedDayOfMonthOrsWithTheWeekday) {
  EXPECT_EQ(times(cron("0 0 * * mon"), kWeek), (std::vector<int64_t>{0}));
  EXPECT_EQ(times(cron("0 0 */1 * mon"), kWeek), (std::vector<int64_t>{0}));
  EXPECT_EQ(times(cron("0 0 1-31 * mon"), kWeek).size(), 7u);
  EXPECT_FALSE(cron("0 0 1-31 * mon").weekly());
  // '*' first in the weekday field makes it "starred" too: then both must match.
  EXPECT_EQ(times(cron("0 0 1-31 * */3"), kWeek), (std::vector<int64_t>{2 * kDay, 5 * kDay, 6 * kDay}));
}

TEST(Cron, AtWords) {
  EXPECT_EQ(times(cron("@daily"), kDay), (std::vector<int64_t>{0}));
  EXPECT_EQ(times(cron("@midnight"), kDay), (std::vector<int64_t>{0}));
  EXPECT_EQ(times(cron("@hourly"), kDay).size(), 24u);
  EXPECT_EQ(times(cron("@hourly"), kDay)[1], 3600);
  const Elapses weekly = cron("@weekly");  // "0 0 * * 0"
  EXPECT_TRUE(weekly.weekly());
  EXPECT_EQ(times(weekly, kWeek), (std::vector<int64_t>{6 * kDay}));
  const Elapses boot = cron("@reboot");
  EXPECT_TRUE(boot.at_boot);
  EXPECT_TRUE(boot.sets.empty());
  EXPECT_FALSE(boot.weekly());
  EXPECT_TRUE(times(boot, kWeek).empty());
  EXPECT_FALSE(cron("@daily").at_boot);
  EXPECT_EQ(times(cron("  @daily  "), kDay), (std::vector<int64_t>{0}));
}

TEST(Cron, FieldsMaySitApartWithTabsAndSpaces) {
  EXPECT_EQ(times(cron(" 30\t2  *\t* *\t"), kDay), (std::vector<int64_t>{9000}));
}

void expect_errors(const std::vector<testing::ErrorCase>& cases) {
  testing::expect_errors([](const std::string& text) { return parse_cron(text); }, cases);
}

TEST(CronErrors, OutOfRangeValuesNameTheFieldAndWhatItAllows) {
  expect_errors({
      {"61 * * * *", 0, 2,
       "the minute field allows 0-59, '*', lists (1,30), ranges (1-5) and steps (*/15); '61' is out of "
       "range"},
      {"0 24 * * *", 2, 2, "the hour field allows 0-23"},
      {"0 0 0 * *", 4, 1, "the day-of-month field allows 1-31"},
      {"0 0 * 13 *", 6, 2, "the month field allows 1-12 or jan..dec"},
      {"0 0 * * 8", 8, 1, "the day-of-week field allows 0-7 (0 and 7 are Sunday) or sun..sat"},
      {"0 1-99 * * *", 4, 2, "'99' is out of range"},
      {"0 0 * * 1,9", 10, 1, "'9' is out of range"},
      {"99999999999 * * * *", 0, 11, "out of range"},
  });
}

TEST(CronErrors, MalformedListsRangesAndSteps) {
  expect_errors({
      {"5-1 * * * *", 0, 3, "'5-1' runs backwards"},
      {"*/0 * * * *", 0, 3, "'*/0' has a step of 0"},
      {"5/15 * * * *", 0, 4, "a step follows '*' or a range"},
      {"1,,2 * * * *", 2, 1, "has an empty entry"},
      {"1, * * * *", 1, 1, "has an empty entry"},
      {"x * * * *", 0, 1, "'x' is not a number"},
      {"0 0 * * sunday", 8, 6, "'sunday' is neither a number nor a day name (sun..sat)"},
      {"0 0 * foo *", 6, 3, "'foo' is neither a number nor a month name (jan..dec)"},
      {"0 0 * * mon-", 8, 4, "misses a value"},
      {"*/ * * * *", 0, 2, "needs a number after '/'"},
      {"1-5/2/3 * * * *", 0, 7, "is not a value, a range or a step"},
      {"0 jan * * *", 2, 3, "'jan' is not a number"},
      {"1x * * * *", 0, 2, "is not a number"},
  });
}

TEST(CronErrors, DaysOfTheMonthAndMonthsMustAllBeNamed) {
  expect_errors({
      {"0 0 1 * *", 4, 1, "the day-of-month field must name every day"},
      {"0 0 1,15 * *", 4, 4, "'1,15' names only some days of the month"},
      {"0 0 */2 * *", 4, 3, "day-of-month"},
      {"0 0 * 2 *", 6, 1, "the month field must name every month"},
      {"0 0 * jan-nov *", 6, 7, "names only some months"},
      {"0 0 * */2 *", 6, 3, "month"},
  });
}

TEST(CronErrors, AtWordsThatDoNotRepeatOverADayOrAWeekAreLocatedAtTheWord) {
  expect_errors({
      {"@monthly", 0, 8, "@monthly runs on one day of the month"},
      {"@yearly", 0, 7, "@yearly runs on one day of the year"},
      {"@annually", 0, 9, "one day of the year"},
      {"  @monthly", 2, 8, "@monthly"},
      {"@Daily", 0, 6, "is not a cron schedule word"},
      {"@often", 0, 6, "allowed are @reboot, @hourly, @daily, @midnight, @weekly"},
      {"@daily 5", 7, 1, "nothing may follow it"},
  });
}

TEST(CronErrors, TooFewOrTooManyFields) {
  expect_errors({
      {"", 0, 1, "this one is empty"},
      {"   ", 0, 1, "this one is empty"},
      {"0 0 * *", 7, 1, "the day-of-week field is missing"},
      {"0", 1, 1, "the hour field is missing"},
      {"0 0 * * * /bin/true", 10, 9, "goes on after them"},
  });
}

// --- random lines against a naive matcher ---

// One entry of a field's list, as the generator wrote it: values lo..hi every `step`.
struct Item {
  int lo, hi, step;
};

struct Field {
  std::string text;
  std::vector<Item> items;
  bool matches(int v) const {
    for (const Item& i : items) {
      if (v >= i.lo && v <= i.hi && (v - i.lo) % i.step == 0) return true;
    }
    return false;
  }
};

const char* const kDays[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

std::string day_text(int v, std::mt19937& rng) {
  if (v <= 6 && rng() % 3 == 0) {
    std::string s = kDays[v];
    if (rng() % 2) s[0] = static_cast<char>(s[0] - 'a' + 'A');
    return s;
  }
  return std::to_string(v);
}

// A random list over min..max; `names` writes day names sometimes.
Field random_field(int min, int max, bool names, std::mt19937& rng) {
  Field f;
  const int entries = 1 + static_cast<int>(rng() % 3);
  for (int k = 0; k < entries; ++k) {
    if (k) f.text += ",";
    const auto value = [&](int v) { return names ? day_text(v, rng) : std::to_string(v); };
    const int lo = min + static_cast<int>(rng() % (max - min + 1));
    const int hi = lo + static_cast<int>(rng() % (max - lo + 1));
    const int step = 1 + static_cast<int>(rng() % 20);
    switch (rng() % 5) {
      case 0:
        f.text += "*";
        f.items.push_back({min, max, 1});
        break;
      case 1:
        f.text += "*/" + std::to_string(step);
        f.items.push_back({min, max, step});
        break;
      case 2:
        f.text += value(lo);
        f.items.push_back({lo, lo, 1});
        break;
      case 3:
        f.text += value(lo) + "-" + value(hi);
        f.items.push_back({lo, hi, 1});
        break;
      default:
        f.text += value(lo) + "-" + value(hi) + "/" + std::to_string(step);
        f.items.push_back({lo, hi, step});
        break;
    }
  }
  return f;
}

std::string space(std::mt19937& rng) {
  const char* spaces[] = {" ", "  ", "\t", " \t "};
  return spaces[rng() % 4];
}

TEST(CronProperty, RandomLinesElapseWhereANaiveMinuteByMinuteMatcherSays) {
  std::mt19937 rng(20260101);
  const char* every_day[] = {"*", "1-31", "*/1", "1-31/1", "1-10,11-31"};
  const char* every_month[] = {"*", "1-12", "jan-dec", "*/1", "JAN-jun,7-12"};
  int weekly = 0;
  for (int round = 0; round < 400; ++round) {
    const Field minute = random_field(0, 59, false, rng);
    const Field hour = random_field(0, 23, false, rng);
    const Field dow = random_field(0, 7, true, rng);
    const std::string dom = every_day[rng() % 5];
    const std::string line = minute.text + space(rng) + hour.text + space(rng) + dom + space(rng) +
                             every_month[rng() % 5] + space(rng) + dow.text;
    const Elapses e = cron(line);
    // The naive matcher: every minute of a week from Monday 00:00. cron's days: when either day
    // field starts with '*' a day must match both (and the day of the month matches every day);
    // otherwise either is enough, and the day of the month is.
    const bool either = dom[0] != '*' && dow.text[0] != '*';
    std::vector<int64_t> expected;
    for (int t = 0; t < 7 * 1440; ++t) {
      const int weekday = (t / 1440 + 1) % 7;  // cron's numbering: Monday is 1, Sunday 0
      const bool day = either || dow.matches(weekday) || (weekday == 0 && dow.matches(7));
      if (day && hour.matches(t % 1440 / 60) && minute.matches(t % 60)) expected.push_back(int64_t{t} * 60);
    }
    EXPECT_EQ(times(e, kWeek), expected) << line;
    if (e.weekly()) ++weekly;
  }
  EXPECT_GT(weekly, 100);  // the generator does restrict the weekdays, often
}

}  // namespace
}  // namespace interlock::schedules

// parse_on_calendar: the shorthands, weekdays, times with lists, ranges and repetitions, dates that
// name every day, and the errors with their places.
#include "tests/model/schedules/schedule_test_support.h"

namespace interlock::schedules {
namespace {

using testing::kDay;
using testing::kWeek;
using testing::ok;
using testing::times;

Elapses cal(const std::string& text) { return ok(parse_on_calendar(text), text); }

std::vector<int64_t> at(std::initializer_list<int64_t> t) { return t; }

TEST(OnCalendar, Shorthands) {
  EXPECT_EQ(times(cal("minutely"), kDay).size(), 1440u);
  EXPECT_EQ(times(cal("minutely"), kDay)[1], 60);
  EXPECT_EQ(times(cal("hourly"), kDay).size(), 24u);
  EXPECT_EQ(times(cal("hourly"), kDay)[23], 23 * 3600);
  EXPECT_EQ(times(cal("daily"), kDay), at({0}));
  EXPECT_EQ(times(cal("DAILY"), kDay), at({0}));
  const Elapses weekly = cal("weekly");  // Mon *-*-* 00:00:00
  EXPECT_TRUE(weekly.weekly());
  EXPECT_EQ(times(weekly, kWeek), at({0}));
  EXPECT_FALSE(cal("daily").weekly());
  EXPECT_FALSE(cal("daily").at_boot);
}

TEST(OnCalendar, WeekdaysAndTimes) {
  EXPECT_EQ(times(cal("Mon..Fri 02:30"), kWeek),
            at({9000, kDay + 9000, 2 * kDay + 9000, 3 * kDay + 9000, 4 * kDay + 9000}));
  EXPECT_EQ(times(cal("Sat,Sun 10:00"), kWeek), at({5 * kDay + 36000, 6 * kDay + 36000}));
  EXPECT_EQ(times(cal("Mon *-*-* 00:00:00"), kWeek), at({0}));
  EXPECT_EQ(times(cal("Monday 9:00"), kWeek), at({9 * 3600}));
  EXPECT_EQ(times(cal("monday..wednesday 9:00"), kWeek),
            at({9 * 3600, kDay + 9 * 3600, 2 * kDay + 9 * 3600}));
  EXPECT_EQ(times(cal("mon-wed 9:00"), kWeek), at({9 * 3600, kDay + 9 * 3600, 2 * kDay + 9 * 3600}));
  EXPECT_EQ(times(cal("Mon,Wed..Fri 1:00"), kWeek),
            at({3600, 2 * kDay + 3600, 3 * kDay + 3600, 4 * kDay + 3600}));
  EXPECT_EQ(times(cal("Mon,Sun 3:00"), kWeek), at({3 * 3600, 6 * kDay + 3 * 3600}));
  // A space ends the list, as in systemd (which refuses "Mon, Sun 3:00"); a comma may end it.
  EXPECT_TRUE(std::holds_alternative<ParseError>(parse_on_calendar("Mon, Sun 3:00")));
  EXPECT_EQ(times(cal("Mon,Sun, 3:00"), kWeek), at({3 * 3600, 6 * kDay + 3 * 3600}));
  EXPECT_EQ(times(cal("Wed, 17:48"), kWeek), at({2 * kDay + 17 * 3600 + 48 * 60}));
  EXPECT_EQ(times(cal("SUN"), kWeek), at({6 * kDay}));  // no time: 00:00:00
  EXPECT_EQ(times(cal("Sat..Sun,Mon..Tue 5:00"), kWeek).size(), 4u);
  EXPECT_FALSE(cal("Mon..Sun 5:00").weekly());
}

TEST(OnCalendar, TimeComponents) {
  EXPECT_EQ(times(cal("*-*-* 00,12:00:00"), kDay), at({0, 43200}));
  EXPECT_EQ(times(cal("02:30"), kDay), at({9000}));
  EXPECT_EQ(times(cal("12:00:30"), kDay), at({43230}));
  EXPECT_EQ(times(cal("1,2:3"), kDay), at({3600 + 180, 7200 + 180}));
  const std::vector<int64_t> quarters = times(cal("*:0/15"), kDay);
  ASSERT_EQ(quarters.size(), 96u);
  EXPECT_EQ(quarters[1], 900);
  EXPECT_EQ(quarters.back(), 23 * 3600 + 45 * 60);
  EXPECT_EQ(times(cal("00/6:00"), kDay), at({0, 6 * 3600, 12 * 3600, 18 * 3600}));
  EXPECT_EQ(times(cal("8..18/2:00"), kDay).size(), 6u);
  EXPECT_EQ(times(cal("8..18/2:00"), kDay).back(), 18 * 3600);
  EXPECT_EQ(times(cal("0:5..50/10"), kDay), at({300, 900, 1500, 2100, 2700}));
  EXPECT_EQ(times(cal("12..14:10,20,30"), kDay).size(), 9u);
  EXPECT_EQ(times(cal("0:0:*"), kDay).size(), 60u);
  EXPECT_EQ(times(cal("*:*:0/20"), kDay).size(), 1440u * 3);
  EXPECT_EQ(times(cal("*-*-* 1:00:00,30"), kDay), at({3600, 3630}));
  // A whole second written with a zero fraction (systemd accepts it): an outside tester's
  // `02:30:00.000` was refused as "a fraction of a second".
  EXPECT_EQ(times(cal("*-*-* 02:30:00.000"), kDay), at({9000}));
  EXPECT_EQ(times(cal("02:30:15.0"), kDay), at({9015}));
}

TEST(OnCalendar, DatesThatNameEveryDay) {
  EXPECT_EQ(times(cal("*-*-*"), kDay), at({0}));
  EXPECT_EQ(times(cal("*-* 1:00"), kDay), at({3600}));
  EXPECT_EQ(times(cal("*-01..12-* 1:00"), kDay), at({3600}));
  EXPECT_EQ(times(cal("*-*-1/1 1:00"), kDay), at({3600}));
  EXPECT_EQ(times(cal("Fri *-*-* 1:00"), kWeek), at({4 * kDay + 3600}));
  EXPECT_EQ(times(cal("  daily  "), kDay), at({0}));
}

void expect_errors(const std::vector<testing::ErrorCase>& cases) {
  testing::expect_errors([](const std::string& text) { return parse_on_calendar(text); }, cases);
}

TEST(OnCalendarErrors, DatesOtherThanEveryDaySayWhy) {
  expect_errors({
      {"*-*-01 00:00", 4, 2,
       "a date other than *-*-* is not supported: schedules here repeat over a day or a week, and '01' names "
       "only some days of the month"},
      {"2026-12-01", 0, 4, "'2026' names a year"},
      {"*-12-* 1:00", 2, 2, "'12' names only some months"},
      {"Mon *-*-1,15", 8, 4, "names only some days"},
      {"*-02~03", 4, 1, "'~' counts days from the end of the month"},
      {"*-*-32", 4, 2, "the day of the date allows only '*' here (every day); '32' is out of range"},
      {"1-2-3-4 1:00", 0, 7, "has 4 parts"},
      {"monthly", 0, 7, "allowed shorthands are minutely, hourly, daily and weekly"},
      {"yearly", 0, 6, "names days of the month or the year"},
      {"Quarterly", 0, 9, "shorthands"},
      {"annually", 0, 8, "shorthands"},
      {"semiannually", 0, 12, "shorthands"},
  });
}

TEST(OnCalendarErrors, WeekdaysTimesAndZones) {
  expect_errors({
      {"Tues 1:00", 0, 4,
       "the weekdays allow day names (Mon or Monday .. Sun or Sunday, in any case), lists (Sat,Sun) and "
       "ranges (Mon..Fri); 'Tues' is not a day name"},
      {"Mon..Fri,Sonday 1:00", 9, 6, "'Sonday' is not a day name"},
      {"Mon..Fry 1:00", 5, 3, "'Fry' is not a day name"},
      {"Fri..Mon 1:00", 0, 8, "runs backwards"},
      {"Mon,,Tue 1:00", 4, 1, "empty entry"},
      {"24:00", 0, 2,
       "the hour allows 00-23, '*', lists (00,12), ranges (08..18) and repetitions (0/2, 08..18/2); '24' is "
       "out of range"},
      {"*:60", 2, 2, "the minute allows 00-59"},
      {"1:00:60", 5, 2, "the second allows 00-59"},
      {"9:5:3.5", 5, 2, "a fraction of a second"},
      {"2/0:00", 0, 3, "has a repetition of 0"},
      {"5..3:00", 0, 4, "'5..3' runs backwards"},
      {"1:2:3:4", 0, 7, "has 4 parts"},
      {"1:x", 2, 1, "'x' is not a number"},
      {"1:", 2, 1, "is empty"},
      {"daily UTC", 6, 3, "time zones are not supported"},
      {"*-*-* 1:00 UTC", 11, 3, "time zones are not supported"},
      {"1:00 Mon", 5, 3, "weekdays come first"},
      {"9", 0, 1, "'9' is neither a date (*-*-*) nor a time"},
      {"1:00 2:00", 5, 4, "is a second time"},
      {"1:00 *-*-*", 5, 5, "comes once, before the time"},
      {"", 0, 1, "this one is empty"},
      {"  ", 0, 1, "this one is empty"},
  });
}

// What systemd itself refuses (systemd-analyze calendar: "Invalid argument"), an outside tester
// found accepted and modelled as firing: a timer whose only OnCalendar= systemd drops never
// elapses. A repetition follows a value or a range, never '*', and a value's first repetition
// must not pass the field's largest value. (tests/model/schedules/systemd_oracle_test.cpp asks
// systemd-analyze about many more.)
TEST(OnCalendarErrors, RepetitionsSystemdRefuses) {
  expect_errors({
      {"*:*/15", 2, 4, "'*/15' has a repetition where none is allowed"},
      {"*:0/60", 2, 4, "'0/60' repeats every 60 from 0, past the largest value 59 at once: systemd refuses it"},
      {"*:30/30", 2, 5, "'30/30' repeats every 30 from 30"},
      {"*:0/100", 2, 5, "repeats every 100"},
      {"0/24:00", 0, 4, "'0/24' repeats every 24 from 0, past the largest value 23"},
      {"*:*:0/60", 4, 4, "the second allows 00-59"},
      {"1:2:05..05", 4, 6, "'05..05' is a range of one value: systemd refuses that here"},
  });
  EXPECT_EQ(times(cal("1:05..05"), kDay), at({3900}));  // in the minutes it is the value
  EXPECT_EQ(times(cal("*:0/59"), kDay).size(), 48u);       // 00 and 59 of every hour
  EXPECT_EQ(times(cal("*:30/29"), kDay).size(), 48u);      // 30 and 59
  EXPECT_EQ(times(cal("*:0..59/60"), kDay).size(), 24u);   // a range with a repetition past its end: its start
  EXPECT_EQ(times(cal("0/23:00"), kDay).size(), 2u);       // 00:00 and 23:00
}

}  // namespace
}  // namespace interlock::schedules

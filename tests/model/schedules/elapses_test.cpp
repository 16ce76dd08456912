// Elapses::weekly and elapse_seconds on hand-made sets: unions, limits, periods.
#include "tests/model/schedules/schedule_test_support.h"

namespace interlock::schedules {
namespace {

using testing::kDay;
using testing::kWeek;
using testing::times;

CalendarSet set_at(std::initializer_list<int> hours, int minute, int second = 0) {
  CalendarSet s;
  s.weekdays.set();
  for (int h : hours) s.hours.set(h);
  s.minutes.set(minute);
  s.seconds.set(second);
  return s;
}

TEST(Elapses, UnionOfSetsIsSortedWithoutRepeats) {
  Elapses e;
  e.sets.push_back(set_at({12, 0}, 0));
  e.sets.push_back(set_at({18, 12}, 0));
  e.sets.push_back(set_at({6}, 30, 15));
  EXPECT_EQ(times(e, kDay), (std::vector<int64_t>{0, 6 * 3600 + 30 * 60 + 15, 12 * 3600, 18 * 3600}));
  EXPECT_EQ(times(e, kWeek).size(), 28u);
  EXPECT_FALSE(e.weekly());
}

TEST(Elapses, WeeklyWhenASetLeavesOutADay) {
  Elapses e;
  e.sets.push_back(set_at({1}, 0));
  EXPECT_FALSE(e.weekly());
  CalendarSet sunday = set_at({2}, 0);
  sunday.weekdays.reset();
  sunday.weekdays.set(6);
  e.sets.push_back(sunday);
  EXPECT_TRUE(e.weekly());
  EXPECT_EQ(times(e, kWeek).size(), 8u);
  EXPECT_EQ(times(e, kWeek).back(), 6 * kDay + 2 * 3600);
  // A period of a day is a Monday.
  EXPECT_EQ(times(e, kDay), (std::vector<int64_t>{3600}));
  EXPECT_FALSE(Elapses{}.weekly());
}

TEST(Elapses, LimitTruncates) {
  Elapses e;
  CalendarSet every;
  every.weekdays.set();
  every.hours.set();
  every.minutes.set();
  every.seconds.set();
  e.sets.push_back(every);
  bool truncated = false;
  const std::vector<int64_t> first = elapse_seconds(e, kWeek, 10, truncated);
  EXPECT_TRUE(truncated);
  EXPECT_EQ(first, (std::vector<int64_t>{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
  const std::vector<int64_t> all = elapse_seconds(e, kWeek, kWeek, truncated);
  EXPECT_FALSE(truncated);
  EXPECT_EQ(all.size(), static_cast<std::size_t>(kWeek));
  EXPECT_TRUE(elapse_seconds(e, kDay, 0, truncated).empty());
  EXPECT_TRUE(truncated);
}

TEST(Elapses, EmptySchedulesAndPeriods) {
  bool truncated = true;
  EXPECT_TRUE(elapse_seconds(Elapses{}, kWeek, 100, truncated).empty());
  EXPECT_FALSE(truncated);
  Elapses no_minute;
  CalendarSet s = set_at({1}, 0);
  s.minutes.reset();
  no_minute.sets.push_back(s);
  EXPECT_TRUE(elapse_seconds(no_minute, int64_t{1} << 50, 100, truncated).empty());  // returns at once
  Elapses daily;
  daily.sets.push_back(set_at({0}, 0));
  EXPECT_TRUE(elapse_seconds(daily, 0, 100, truncated).empty());
  EXPECT_TRUE(elapse_seconds(daily, -5, 100, truncated).empty());
  // A period that is not whole days stops where it ends; a longer one goes on day by day.
  EXPECT_EQ(elapse_seconds(daily, kDay + 1, 100, truncated), (std::vector<int64_t>{0, kDay}));
  EXPECT_EQ(elapse_seconds(daily, 14 * kDay, 100, truncated).size(), 14u);
}

}  // namespace
}  // namespace interlock::schedules

// Times and durations as people read them (model/time_format.h), and their round trip through the
// literals a spec writes.
#include <gtest/gtest.h>

#include "model/lower.h"
#include "model/time_format.h"

namespace interlock {
namespace {

TEST(TimeFormat, Durations) {
  EXPECT_EQ(format_duration(0, 60), "0 min");
  EXPECT_EQ(format_duration(0, 1), "0 s");
  EXPECT_EQ(format_duration(0, 3600), "0 h");
  EXPECT_EQ(format_duration(65, 60), "1 h 5 min");
  EXPECT_EQ(format_duration(357, 60), "5 h 57 min");
  EXPECT_EQ(format_duration(1440, 60), "1 d");
  EXPECT_EQ(format_duration(1441, 60), "1 d 1 min");
  EXPECT_EQ(format_duration(90, 1), "1 min 30 s");
  EXPECT_EQ(format_duration(26, 3600), "1 d 2 h");
  EXPECT_EQ(format_duration(-5, 60), "-5 min");
}

TEST(TimeFormat, TimesOfDayAndOfTheWeek) {
  EXPECT_EQ(format_time_of_day(0, 60), "00:00");
  EXPECT_EQ(format_time_of_day(150, 60), "02:30");
  EXPECT_EQ(format_time_of_day(1439, 60), "23:59");
  EXPECT_EQ(format_time_of_day(1440, 60), "day 2 00:00");  // the end of day 1 is the start of day 2
  EXPECT_EQ(format_time_of_day(1440 + 110, 60), "day 2 01:50");
  EXPECT_EQ(format_time_of_day(9015, 1), "02:30:15");
  EXPECT_EQ(format_time_of_day(9000, 1), "02:30");
  EXPECT_EQ(format_time_of_day(2, 3600), "02:00");
  EXPECT_EQ(format_week_time(0, 60), "Mon 00:00");
  EXPECT_EQ(format_week_time(1440 + 110, 60), "Tue 01:50");
  EXPECT_EQ(format_week_time(6 * 1440 + 1439, 60), "Sun 23:59");
  EXPECT_EQ(format_week_time(7 * 1440 + 110, 60), "week 2 Mon 01:50");
}

// Every time a spec can write comes back as the text it was written as.
TEST(TimeFormat, RoundTripsThroughTheSpecLanguage) {
  for (const char* text : {"00:00", "00:01", "02:30", "12:00", "23:59"}) {
    Model m = load_model_from_text("t.sched", std::string("system t in minutes; param X : 0..1439 = ") + text + ";");
    EXPECT_EQ(time_value(m, m.params[0].time, *m.params[0].value), text);
  }
  for (const char* text : {"Mon 00:00", "Tue 01:50", "Sun 23:59"}) {
    Model m = load_model_from_text("t.sched", std::string("system t in minutes, weekly; param X : 0..10079 = ") + text + ";");
    EXPECT_EQ(time_value(m, m.params[0].time, *m.params[0].value), text);
  }
  struct Case {
    const char* literal;
    const char* shown;
  };
  for (const Case& c : {Case{"1h5min", "1 h 5 min"}, Case{"1d", "1 d"}, Case{"45min", "45 min"}, Case{"0min", "0 min"}}) {
    Model m = load_model_from_text("t.sched", std::string("system t in minutes; param X : 0..10000 = ") + c.literal + ";");
    EXPECT_EQ(time_value(m, m.params[0].time, *m.params[0].value), c.shown);
  }
  // Every minute of the day: formatted and read back, the same value.
  for (int64_t v = 0; v < 1440; ++v) {
    const std::string text = format_time_of_day(v, 60);
    Model m = load_model_from_text("t.sched", "system t in minutes; const X = " + text + "; param P : 0..1439 = X;");
    ASSERT_EQ(*m.params[0].value, v) << text;
  }
}

TEST(TimeFormat, WallTimeAndDurationsFollowTheSpec) {
  Model plain = load_model_from_text("t.sched", "system t in minutes;");
  EXPECT_EQ(wall_time(plain, 150), "150");
  EXPECT_EQ(duration_text(plain, 65), "65 minutes");
  EXPECT_EQ(duration_with_ticks(plain, 65), "65 minutes");
  Model clock = load_model_from_text("t.sched", "system t in minutes; const X = 02:00;");
  EXPECT_EQ(wall_time(clock, 150), "02:30");
  EXPECT_EQ(wall_time(clock, 1440 + 110), "day 2 01:50");
  EXPECT_EQ(duration_text(clock, 65), "1 h 5 min");
  EXPECT_EQ(duration_with_ticks(clock, 65), "1 h 5 min (65 minutes)");
  EXPECT_EQ(duration_with_ticks(clock, 50), "50 min");
  Model week = load_model_from_text("t.sched", "system t in minutes, weekly;");
  EXPECT_EQ(wall_time(week, 1440 + 110), "Tue 01:50");
}

}  // namespace
}  // namespace interlock

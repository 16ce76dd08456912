// parse_time_span: systemd's units, sums of parts, whole seconds (parse_time_span_us:
// microseconds), and the errors with their places.
#include "tests/model/schedules/schedule_test_support.h"

namespace interlock::schedules {
namespace {

using testing::error;
using testing::ok;

TEST(TimeSpan, UnitsAndSums) {
  struct Case {
    const char* text;
    int64_t seconds;
  };
  for (const Case& c : {Case{"43200", 43200},
                        Case{"12h", 43200},
                        Case{"1h 30min", 5400},
                        Case{"30min", 1800},
                        Case{"5m", 300},
                        Case{"90s", 90},
                        Case{"1d", 86400},
                        Case{"1w", 604800},
                        Case{"2 days", 172800},
                        Case{"2hours", 7200},
                        Case{"2 h", 7200},
                        Case{"48hr", 172800},
                        Case{"1 hour", 3600},
                        Case{"10 sec", 10},
                        Case{"1 second", 1},
                        Case{"3 weeks", 1814400},
                        Case{"1week", 604800},
                        Case{"1 day", 86400},
                        Case{"1minute", 60},
                        Case{"2minutes", 120},
                        Case{"1m30s", 90},
                        Case{"1min30s", 90},
                        Case{"1h30", 3630},
                        Case{"1h 1h", 7200},
                        Case{"0", 0},
                        Case{" 5 ", 5},
                        Case{"1.5h", 5400},
                        Case{".5h", 1800},
                        Case{"1000ms", 1},
                        Case{"1500ms 500msec", 2},
                        Case{"2000000us", 2},
                        Case{"3000000usec", 3},
                        Case{"1M", 2629800},
                        Case{"1month", 2629800},
                        Case{"1y", 31557600},
                        Case{"1 years", 31557600},
                        Case{"1y 12month", 2 * 31557600}}) {
    EXPECT_EQ(ok(parse_time_span(c.text), c.text), c.seconds) << c.text;
  }
}

// In microseconds, systemd's resolution: what a timer's AccuracySec= and RandomizedDelaySec= are
// read in (AccuracySec=1us is systemd.timer(5)'s advice for exact timing).
TEST(TimeSpan, MicrosecondsForTimerDelays) {
  EXPECT_EQ(ok(parse_time_span_us("1us"), "1us"), 1);
  EXPECT_EQ(ok(parse_time_span_us("500ms"), "500ms"), 500000);
  EXPECT_EQ(ok(parse_time_span_us("1.5s"), "1.5s"), 1500000);
  EXPECT_EQ(ok(parse_time_span_us("1min 30s 250ms"), "1min 30s 250ms"), 90250000);
  EXPECT_EQ(ok(parse_time_span_us("12h"), "12h"), int64_t{43200} * 1000000);
  EXPECT_NE(error(parse_time_span_us("0.5us"), "0.5us").message.find("finer than a microsecond"), std::string::npos);
  EXPECT_NE(error(parse_time_span_us("5 fortnights"), "5 fortnights").message.find("'fortnights' is not a unit"), std::string::npos);
}

TEST(TimeSpanErrors, LocatedWithWhatIsAllowed) {
  struct Case {
    const char* text;
    std::size_t offset;
    std::size_t length;
    const char* says;
  };
  for (const Case& c :
       {Case{"", 0, 1, "this one is empty"}, Case{"  ", 0, 1, "this one is empty"},
        Case{"1x", 1, 1, "'x' is not a unit"}, Case{"1h 30 mins", 6, 4, "'mins' is not a unit"},
        Case{"1H", 1, 1, "'H' is not a unit"}, Case{"1W", 1, 1, "is not a unit"},
        Case{"500ms", 0, 5, "'500ms' is not a whole number of seconds (0 s and 500000 us)"},
        Case{" 1.0000001s ", 1, 10, "is finer than a microsecond"},
        Case{"1.0000000000001s", 0, 16, "too many digits"},
        Case{"0.5s", 0, 4, "is not a whole number of seconds"}, Case{"-5", 0, 2, "'-5' is negative"},
        Case{"infinity", 0, 8, "'infinity' is not supported"}, Case{"5.s", 0, 2, "no digits after '.'"},
        Case{"1,5h", 1, 3, "',5h' is not part of a time span"},
        Case{"abc", 0, 3, "does not start with a number"}, Case{"99999999999999999999", 0, 20, "too large"},
        Case{"9999999999999y", 0, 14, "too large"}}) {
    const ParseError e = error(parse_time_span(c.text), c.text);
    EXPECT_EQ(e.offset, c.offset) << c.text << ": " << e.message;
    EXPECT_EQ(e.length, c.length) << c.text << ": " << e.message;
    EXPECT_NE(e.message.find(c.says), std::string::npos) << c.text << ": " << e.message;
    EXPECT_NE(e.message.find("units: usec/us, msec/ms, seconds/second/sec/s"), std::string::npos)
        << e.message;
  }
}

}  // namespace
}  // namespace interlock::schedules

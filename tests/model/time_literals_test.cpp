// Clock-time and duration literals: the scanner, the conversion to the system's ticks, and what
// the front end says about bad ones (docs/language.md, "Time literals").
#include <gtest/gtest.h>

#include "model/lexer.h"
#include "model/lower.h"
#include "model/time_literals.h"

namespace interlock {
namespace {

TimeScan scan(const std::string& text) { return scan_time_literal(text, 0); }

// The error a spec gives when loaded, or "" when it loads.
std::string load_error(const std::string& text) {
  try {
    load_model_from_text("t.sched", text);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(TimeLiterals, ClockTimesAreSecondsSinceMidnight) {
  struct Case {
    const char* text;
    int64_t seconds;
  };
  for (const Case& c : {Case{"00:00", 0}, Case{"02:30", 9000}, Case{"2:30", 9000}, Case{"23:59", 86340},
                        Case{"23:59:59", 86399}, Case{"12:00:30", 43230}}) {
    const TimeScan t = scan(c.text);
    EXPECT_EQ(t.length, std::string(c.text).size()) << c.text;
    EXPECT_EQ(t.kind, TimeLiteralKind::ClockTime) << c.text;
    EXPECT_TRUE(t.error.empty()) << c.text << ": " << t.error;
    EXPECT_EQ(t.seconds, c.seconds) << c.text;
  }
}

TEST(TimeLiterals, DurationsAddTheirParts) {
  struct Case {
    const char* text;
    int64_t seconds;
  };
  for (const Case& c : {Case{"2h", 7200}, Case{"45min", 2700}, Case{"90s", 90}, Case{"1d", 86400},
                        Case{"1h30min", 5400}, Case{"1d2h3min4s", 86400 + 7200 + 180 + 4}, Case{"0min", 0}}) {
    const TimeScan t = scan(c.text);
    EXPECT_EQ(t.length, std::string(c.text).size()) << c.text;
    EXPECT_EQ(t.kind, TimeLiteralKind::Duration) << c.text;
    EXPECT_TRUE(t.error.empty()) << c.text << ": " << t.error;
    EXPECT_EQ(t.seconds, c.seconds) << c.text;
  }
}

TEST(TimeLiterals, PlainIntegersAndTernariesAreNotTimes) {
  EXPECT_EQ(scan("120").length, 0u);
  EXPECT_EQ(scan("1:5").length, 0u);      // c ? 1:5 : 0 stays a choice
  EXPECT_EQ(scan("123:45").length, 0u);   // three digits are not hours
  EXPECT_EQ(scan("1..2").length, 0u);
  EXPECT_EQ(scan("02:30..23:59").length, 5u);  // a range of times: the first is one literal
}

TEST(TimeLiterals, BadOnesAreNamedWithWhatIsAllowed) {
  EXPECT_NE(scan("25:00").error.find("hours go from 00 to 23"), std::string::npos);
  EXPECT_NE(scan("02:60").error.find("minutes go from 00 to 59"), std::string::npos);
  EXPECT_NE(scan("02:30:60").error.find("seconds go from 00 to 59"), std::string::npos);
  EXPECT_NE(scan("24:00").error.find("write 00:00 for midnight, or 1d"), std::string::npos);  // not end-of-day
  EXPECT_NE(scan("2hx").error.find("malformed duration '2hx'"), std::string::npos);
  EXPECT_EQ(scan("2hx").length, 3u);
  EXPECT_NE(scan("2x").error.find("malformed number '2x'"), std::string::npos);
  EXPECT_NE(scan("5m").error.find("write 'min'"), std::string::npos);
  EXPECT_NE(scan("1h30").error.find("every number needs its unit"), std::string::npos);
  EXPECT_NE(scan("30min1h").error.find("from the largest to the smallest"), std::string::npos);
  EXPECT_NE(scan("1h1h").error.find("from the largest to the smallest"), std::string::npos);
  EXPECT_NE(scan("02:30x").error.find("malformed time of day"), std::string::npos);
  EXPECT_NE(scan("99999999999999d").error.find("too large"), std::string::npos);
}

TEST(TimeLiterals, UnitsAndWeekdays) {
  EXPECT_EQ(seconds_per_tick("seconds"), 1);
  EXPECT_EQ(seconds_per_tick("minutes"), 60);
  EXPECT_EQ(seconds_per_tick("hours"), 3600);
  EXPECT_EQ(seconds_per_tick("ticks"), 0);
  EXPECT_EQ(literal_ticks(90, 60), std::nullopt);
  EXPECT_EQ(literal_ticks(7200, 60), 120);
  for (int d = 0; d < 7; ++d) EXPECT_EQ(weekday_index(weekday_name(d)), d);
  EXPECT_EQ(weekday_index("Monday"), -1);
  EXPECT_EQ(weekday_index("mon"), -1);
}

TEST(TimeLiterals, ASingularUnitIsThePlural) {
  for (const char* unit : {"second", "minute", "hour"}) {
    const Model model = load_model_from_text("t.sched", std::string("system s in ") + unit + ", daily; machine M { state A; init A; }");
    EXPECT_EQ(model.time_unit, std::string(unit) + "s") << "outputs say 'wait 3 " << unit << "s'";
    EXPECT_EQ(model.tick_seconds, seconds_per_tick(std::string(unit) + "s"));
  }
  EXPECT_EQ(load_model_from_text("t.sched", "system s in cycles; machine M { state A; init A; }").time_unit, "cycles")
      << "a unit of its own is kept as written";
}

TEST(TimeLiterals, WholeTextsAsForSet) {
  EXPECT_EQ(parse_time_text("02:30").seconds, 9000);
  EXPECT_EQ(parse_time_text("02:30").kind, TimeKind::TimeOfDay);
  EXPECT_EQ(parse_time_text("Tue 02:30").seconds, 86400 + 9000);
  EXPECT_EQ(parse_time_text("Tue 02:30").kind, TimeKind::WeekTime);
  EXPECT_EQ(parse_time_text("1h30min").seconds, 5400);
  EXPECT_EQ(parse_time_text("1h30min").kind, TimeKind::Duration);
  EXPECT_FALSE(parse_time_text("150").ok);
  EXPECT_FALSE(parse_time_text("02:30 ").ok);
  EXPECT_FALSE(parse_time_text("Tue 2h").ok);
  EXPECT_NE(parse_time_text("25:00").error.find("hours go from 00 to 23"), std::string::npos);
}

TEST(TimeLiterals, SetTakesTimesInTheSpecsUnit) {
  LowerOptions options;
  options.set_times = {{"AT", "02:30"}, {"LEN", "1h"}};
  Model m = load_model_from_text("t.sched", "system t in seconds; param AT : 0..1d = 0; param LEN : 0..1d = 0;", options);
  EXPECT_EQ(m.params[0].value, 9000);
  EXPECT_EQ(m.params[1].value, 3600);
  options.set_times = {{"AT", "Tue 02:30"}};
  try {
    load_model_from_text("t.sched", "system t in minutes; param AT : 0..1d = 0;", options);
    ADD_FAILURE() << "a weekday in a spec whose days are not a week";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("--set AT=Tue 02:30: the spec's days are not a week"), std::string::npos) << e.what();
  }
}

TEST(TimeLiterals, LexerMakesTokensAndRefusesLeadingZeros) {
  SourceFile file("t.sched", "x == 02:30 && y < 1h30min && z == 02 && w == 0");
  Diagnostics diags(file);
  std::vector<Token> t = lex(file, diags);
  ASSERT_GE(t.size(), 12u);
  EXPECT_EQ(t[2].kind, Tok::Time);
  EXPECT_EQ(t[2].value, 9000);
  EXPECT_EQ(t[6].kind, Tok::Duration);
  EXPECT_EQ(t[6].value, 5400);
  ASSERT_EQ(diags.errors().size(), 1u);  // `02`; `0` alone is fine
  EXPECT_EQ(diags.errors()[0].loc.col, 35);
  EXPECT_NE(diags.errors()[0].message.find("did you mean 02:00?"), std::string::npos);
}

TEST(TimeLiterals, ConvertedToTheSystemsTicks) {
  const std::string body = R"(
    param AT : 00:00..23:59 = 02:30;
    param LEN : 0..1d = 1h30min;
    param ON : Mon 00:00..Sun 23:59 = Tue 01:50;
    machine M { clock c; state A { invariant c <= 1d; } init A; A -> A when c == 1d do c := 0; }
  )";
  Model m = load_model_from_text("t.sched", "system t in minutes, weekly;" + body);
  EXPECT_EQ(m.params[0].lo, 0);
  EXPECT_EQ(m.params[0].hi, 23 * 60 + 59);
  EXPECT_EQ(m.params[0].value, 150);
  EXPECT_EQ(m.params[0].time, TimeKind::TimeOfDay);
  EXPECT_EQ(m.params[1].hi, 1440);
  EXPECT_EQ(m.params[1].value, 90);
  EXPECT_EQ(m.params[1].time, TimeKind::Duration);
  EXPECT_EQ(m.params[2].value, 1440 + 110);
  EXPECT_EQ(m.params[2].time, TimeKind::WeekTime);
  EXPECT_EQ(m.tick_seconds, 60);
  EXPECT_EQ(m.calendar, Calendar::Week);
  Model s = load_model_from_text("t.sched", "system t in seconds, weekly;" + body);
  EXPECT_EQ(s.params[0].value, 150 * 60);
  EXPECT_EQ(s.params[2].value, (1440 + 110) * 60);
}

TEST(TimeLiterals, WhichSpecsUseClockTime) {
  const std::string machine = "machine M { clock c; state A; init A; A -> A when c == X; }";
  Model plain = load_model_from_text("t.sched", "system t in minutes; const X = 120; " + machine);
  EXPECT_EQ(plain.tick_seconds, 0);  // no literal, no calendar: outputs as before
  EXPECT_EQ(plain.calendar, Calendar::None);
  Model clock = load_model_from_text("t.sched", "system t in minutes; const X = 02:00; " + machine);
  EXPECT_EQ(clock.tick_seconds, 60);
  EXPECT_EQ(clock.calendar, Calendar::Day);  // a time of day: time 0 is midnight
  Model lengths = load_model_from_text("t.sched", "system t in minutes; const X = 2h; " + machine);
  EXPECT_EQ(lengths.tick_seconds, 60);
  EXPECT_EQ(lengths.calendar, Calendar::None);  // durations only: time 0 is no time of day
  Model daily = load_model_from_text("t.sched", "system t in hours, daily; const X = 2; " + machine);
  EXPECT_EQ(daily.tick_seconds, 3600);
  EXPECT_EQ(daily.calendar, Calendar::Day);
}

TEST(TimeLiterals, BadUsesAreLocatedErrors) {
  EXPECT_NE(load_error("system t;\nconst X = 02:00;").find("t.sched:2:11: error: '02:00' is a time of day but this spec counts time in ticks"),
            std::string::npos);
  EXPECT_NE(load_error("system t in minutes;\nconst X = 90s;").find("t.sched:2:11: error: '90s' is not a whole number of minutes"),
            std::string::npos);
  EXPECT_EQ(load_error("system t in seconds;\nconst X = 90s;"), "");
  EXPECT_NE(load_error("system t in hours;\nconst X = 02:30;").find("'02:30' is not a whole number of hours"), std::string::npos);
  EXPECT_NE(load_error("system t in minutes;\nconst X = Mon 02:30;").find("t.sched:2:11: error: 'Mon 02:30' names a day of the week"),
            std::string::npos);
  EXPECT_NE(load_error("system t in minutes, monthly;").find("expected 'daily' or 'weekly'"), std::string::npos);
  EXPECT_NE(load_error("system t in cycles, daily;").find("needs a unit of clock time"), std::string::npos);
  EXPECT_NE(load_error("system t in minutes;\nconst X = 25:00;").find("t.sched:2:11: error: '25:00' is not a time of day"),
            std::string::npos);
  // A bad literal is one error, not also a syntax error after it.
  const std::string bad = load_error("system t in minutes;\nconst X = 2hx;\nconst Y = 1;");
  EXPECT_NE(bad.find("malformed duration '2hx'"), std::string::npos) << bad;
  EXPECT_EQ(bad.find("error:"), bad.rfind("error:")) << bad;
  const std::string zero = load_error("system t in minutes;\nparam X : 0..1439 = 02;");
  EXPECT_NE(zero.find("t.sched:2:21: error: integer '02' has a leading zero: did you mean 02:00?"), std::string::npos) << zero;
  EXPECT_NE(zero.find("\n" + std::string(2 + 20, ' ') + "^"), std::string::npos) << zero;  // the caret under it
}

}  // namespace
}  // namespace interlock

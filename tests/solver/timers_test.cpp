// `timer` declarations (docs/language.md, "Timers"): each compiles into an ordinary machine on one
// wall clock. Small specs whose answers are computed by hand (when a timer fires, how often, with
// a random delay, behind a gate, with Persistent=true, @reboot, weekly), the symbolic engines
// against the explicit one on them, and bad input located in the timer's text.
#include <gtest/gtest.h>

#include "solver/z3/bmc_engine.h"
#include "solver/z3/chc_engine.h"
#include "solver/z3/kind_engine.h"
#include "support/test_models.h"
#include "cli/commands.h"

#include <random>
#include <set>
#include <sstream>

namespace interlock {
namespace {

// A receiver that is in the urgent state `got` for the instant of a firing (properties read
// Wall.t there), counts firings up to 3 in `n`, and notices a second firing in the same instant
// (`twice`) or a gap between firings other than GAP (`gap_wrong`).
std::string spec_with(const std::string& system, const std::string& timer, const std::string& extra = "",
                      const std::string& gap = "1d") {
  return system + "\n" + timer + "\n" + extra + R"(
    var n : 0..3 = 0;
    var twice : bool = false;
    var gap_wrong : bool = false;
    machine Log {
      clock c;
      state idle;
      urgent state got;
      init idle;
      idle -> got on go? do gap_wrong := gap_wrong || (n > 0 && c != )" +
         gap + R"(), n := n < 3 ? n + 1 : 3, c := 0;
      got -> got on go? do twice := true;
      got -> idle;
    }
  )";
}

PropertyResult explicit_check(const Model& model, const std::string& property) {
  return testing::check_one(model, property);
}

TEST(Timers, ACronTimerFiresAtItsTimeOnceADay) {
  const Model model = testing::model_from(spec_with("system s in minutes;", R"(timer nightly = cron "30 2 * * *" emit go!;)") + R"(
    invariant only_at_0230: Log.got => Wall.t == 02:30;
    invariant never_twice: !twice;
    invariant a_day_apart: !gap_wrong;
    reachable fired: Log.got && Wall.t == 02:30;
  )");
  EXPECT_EQ(model.calendar, Calendar::Day);
  EXPECT_EQ(model.timer_period, 1440);
  ASSERT_EQ(model.timers, std::vector<std::string>{"nightly"});
  EXPECT_EQ(explicit_check(model, "only_at_0230").verdict, Verdict::Holds);
  EXPECT_EQ(explicit_check(model, "never_twice").verdict, Verdict::Holds);
  EXPECT_EQ(explicit_check(model, "a_day_apart").verdict, Verdict::Holds);
  EXPECT_EQ(explicit_check(model, "fired").verdict, Verdict::Holds);
  EXPECT_EQ(testing::earliest_time(model, "fired"), 150);
}

TEST(Timers, EveryElapseOfAListFiresInOrder) {
  const Model model = testing::model_from(spec_with("system s in minutes;", R"(timer twice_a_day = cron "0 0,12 * * *" emit go!;)",
                                                    "", "12h") + R"(
    invariant on_the_hour: Log.got => Wall.t == 00:00 || Wall.t == 12:00;
    invariant never_twice: !twice;
    invariant twelve_hours_apart: !gap_wrong;
    reachable noon: Log.got && Wall.t == 12:00;
    reachable midnight_again: Log.got && Wall.t == 00:00 && n == 3;
  )");
  for (const char* p : {"on_the_hour", "never_twice", "twelve_hours_apart"})
    EXPECT_EQ(explicit_check(model, p).verdict, Verdict::Holds) << p;
  EXPECT_EQ(testing::earliest_time(model, "noon"), 720);
  EXPECT_EQ(testing::earliest_time(model, "midnight_again"), 1440);  // fired at 0, 720, 1440
}

TEST(Timers, ARandomDelayFiresAnywhereInItsWindowAndNowhereElse) {
  // RandomizedDelaySec=1h plus AccuracySec=1s: 3601 s, 60 whole minutes.
  const Model model = testing::model_from(
      spec_with("system s in minutes;",
                R"(timer renew = systemd "OnCalendar=*-*-* 02:30:00", "RandomizedDelaySec=1h", "AccuracySec=1s" emit go!;)") + R"(
    invariant in_window: Log.got => Wall.t >= 02:30 && Wall.t <= 03:30;
    invariant never_twice: !twice;
    reachable earliest: Log.got && Wall.t == 02:30;
    reachable latest: Log.got && Wall.t == 03:30;
    reachable fired: n > 0;
  )");
  EXPECT_EQ(explicit_check(model, "in_window").verdict, Verdict::Holds);
  EXPECT_EQ(explicit_check(model, "never_twice").verdict, Verdict::Holds);
  EXPECT_EQ(testing::earliest_time(model, "earliest"), 150);
  EXPECT_EQ(testing::earliest_time(model, "latest"), 210);
  EXPECT_EQ(testing::earliest_time(model, "fired"), 150);
}

// RandomizedDelaySec=NAME reads a parameter (in the spec's ticks), so that synth can vary it.
TEST(Timers, ARandomDelayMayBeAParameter) {
  const std::string text =
      spec_with("system s in minutes;\nparam RAND : 0..2h = 1h;",
                R"(timer renew = systemd "OnCalendar=02:30", "RandomizedDelaySec=RAND", "AccuracySec=1s" emit go!;)") + R"(
    reachable latest: Log.got && Wall.t == 03:30;
    reachable half_hour: Log.got && Wall.t == 03:00;
  )";
  const Model by_default = testing::model_from(text);
  EXPECT_EQ(testing::earliest_time(by_default, "latest"), 210);
  LowerOptions half;
  half.set.emplace_back("RAND", 30);
  const Model shorter = testing::model_from(text, half);
  EXPECT_EQ(explicit_check(shorter, "latest").verdict, Verdict::Violated);
  EXPECT_EQ(testing::earliest_time(shorter, "half_hour"), 180);
  EXPECT_NE(testing::errors_of(spec_with("system s in minutes;", R"(timer renew = systemd "OnCalendar=02:30", "RandomizedDelaySec=NOPE" emit go!;)")),
            "");
}

TEST(Timers, SystemdDefaultAccuracyIsAMinute) {
  const Model model = testing::model_from(
      spec_with("system s in minutes;", R"(timer t = systemd "OnCalendar=02:30" emit go!;)") + R"(
    invariant in_window: Log.got => Wall.t == 02:30 || Wall.t == 02:31;
    reachable late: Log.got && Wall.t == 02:31;
  )");
  EXPECT_EQ(explicit_check(model, "in_window").verdict, Verdict::Holds);
  EXPECT_EQ(testing::earliest_time(model, "late"), 151);
}

// A host that may go down and come back at any time: the gate.
constexpr const char* kHost = R"(
    machine Host {
      state up, down;
      init up;
      up -> down;
      down -> up;
    }
)";

TEST(Timers, AGateSkipsElapsesAndPersistentFiresThemAtBoot) {
  const std::string props = R"(
    invariant only_at_0230: Log.got => Wall.t == 02:30;
    reachable at_boot: Log.got && Wall.t != 02:30;
  )";
  const Model plain = testing::model_from(
      spec_with("system s in minutes;", R"(timer t = systemd "OnCalendar=02:30", "AccuracySec=1s" when Host.up emit go!;)", kHost) +
      props);
  EXPECT_EQ(explicit_check(plain, "only_at_0230").verdict, Verdict::Holds);
  EXPECT_EQ(explicit_check(plain, "at_boot").verdict, Verdict::Violated);
  const Model persistent = testing::model_from(
      spec_with("system s in minutes;",
                R"(timer t = systemd "OnCalendar=02:30", "AccuracySec=1s", "Persistent=true" when Host.up emit go!;)", kHost) +
      props);
  EXPECT_EQ(explicit_check(persistent, "only_at_0230").verdict, Verdict::Violated);
  EXPECT_EQ(explicit_check(persistent, "at_boot").verdict, Verdict::Holds);
  EXPECT_EQ(testing::earliest_time(persistent, "at_boot"), 151);  // down over 02:30, up a minute later
}

TEST(Timers, APersistentCatchUpTakesTheRandomDelayToo) {
  const std::string props = R"(
    reachable after_window: Log.got && Wall.t > 02:40;
    reachable late_catch_up: Log.got && Wall.t == 02:55;
  )";
  const std::string timer = R"(timer t = systemd "OnCalendar=02:30", "RandomizedDelaySec=10min", "AccuracySec=1s"%s when Host.up emit go!;)";
  auto with = [&](const std::string& extra) {
    std::string text = timer;
    text.replace(text.find("%s"), 2, extra);
    return testing::model_from(spec_with("system s in minutes;", text, kHost) + props);
  };
  const Model plain = with("");
  EXPECT_EQ(explicit_check(plain, "after_window").verdict, Verdict::Violated);  // 02:30 + 10 min at most
  const Model persistent = with(R"(, "Persistent=true")");
  EXPECT_EQ(testing::earliest_time(persistent, "after_window"), 161);  // up again at 02:41, fired at once
  EXPECT_EQ(testing::earliest_time(persistent, "late_catch_up"), 175);  // e.g. up at 02:45, 10 min late
}

TEST(Timers, RebootFiresWheneverTheGateOpens) {
  const Model model = testing::model_from(spec_with("system s in minutes;", R"(timer boot = cron "@reboot" when Host.up emit go!;)",
                                                    kHost) + R"(
    reachable at_start: Log.got && Wall.t == 00:00;
    reachable again_later: Log.got && Wall.t == 00:05;

  )");
  EXPECT_EQ(explicit_check(model, "at_start").verdict, Verdict::Holds);
  const Model ungated = testing::model_from(spec_with("system s in minutes;", R"(timer boot = cron "@reboot" emit go!;)") + R"(
    reachable once: n == 1;
    reachable twice: n == 2;
  )");
  EXPECT_EQ(testing::earliest_time(ungated, "once"), 0);
  EXPECT_EQ(explicit_check(ungated, "twice").verdict, Verdict::Violated);  // no gate: it boots once
  EXPECT_EQ(testing::earliest_time(model, "again_later"), 5);
}

TEST(Timers, AWeeklyTimerMakesTheDaysAWeek) {
  const Model model = testing::model_from(spec_with("system s in minutes;", R"(timer sunday = cron "0 3 * * sun" emit go!;)", "",
                                                    "7d") + R"(
    reachable fired: Log.got && Wall.t == Sun 03:00;
    invariant a_week_apart: !gap_wrong;
  )");
  EXPECT_EQ(model.calendar, Calendar::Week);
  EXPECT_EQ(model.timer_period, 10080);
  EXPECT_EQ(testing::earliest_time(model, "fired"), 6 * 1440 + 180);
  EXPECT_EQ(explicit_check(model, "a_week_apart").verdict, Verdict::Holds);
}

TEST(Timers, TheSymbolicEnginesAgreeWithTheExplicitOne) {
  const Model model = testing::model_from(spec_with("system s in hours;", R"(timer t = cron "0 2,5 * * *" emit go!;)", "", "3h") + R"(
    invariant at_two_or_five: Log.got => Wall.t == 02:00 || Wall.t == 05:00;
    reachable at_five: Log.got && Wall.t == 05:00;
    invariant never_twice: !twice;
  )");
  Limits limits;
  limits.timeout_seconds = 120;
  limits.depth = 12;
  for (const char* property : {"at_two_or_five", "at_five", "never_twice"}) {
    SCOPED_TRACE(property);
    const std::vector<int> props{model.find_property(property)};
    const Verdict expected = explicit_check(model, property).verdict;
    RunContext kind_context(limits, nullptr), chc_context(limits, nullptr), bmc_context(limits, nullptr);
    const bool invariant = std::string(property) != "at_five";  // chc and kind prove invariants only
    const Verdict chc = ChcEngine().check(model, props, chc_context).at(0).verdict;
    if (invariant) EXPECT_EQ(chc, expected);
    else EXPECT_EQ(chc, Verdict::Unknown);
    const Verdict kind = KInductionEngine().check(model, props, kind_context).at(0).verdict;
    EXPECT_TRUE(kind == expected || kind == Verdict::Unknown);
    const Verdict bmc = BmcEngine().check(model, props, bmc_context).at(0).verdict;
    if (expected == Verdict::Holds && std::string(property) == "at_five") EXPECT_EQ(bmc, Verdict::Holds);
    else EXPECT_NE(bmc, expected == Verdict::Holds ? Verdict::Violated : Verdict::Holds);
  }
}

// Random schedules against a naive reading written here: a cron hour field (every form) and
// day-of-week field, or the same hours as OnCalendar= with a random delay of 0 to 3 h, in a spec
// in hours. The compiled timer must fire at exactly the hours the naive reading names (with a
// delay: every hour from an elapse to its end of delay), each checked as a reachable property.
TEST(Timers, RandomSchedulesFireExactlyWhereANaiveReadingSays) {
  std::mt19937 rng(12);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (int round = 0; round < 40; ++round) {
    // The hours, as a field and as a set.
    std::set<int> hours;
    std::string field;
    switch (pick(0, 4)) {
      case 0:
        field = "*";
        for (int h = 0; h < 24; ++h) hours.insert(h);
        break;
      case 1: {
        const int h = pick(0, 23);
        field = std::to_string(h);
        hours.insert(h);
        break;
      }
      case 2: {
        const int a = pick(0, 20), b = pick(a, 23);
        field = std::to_string(a) + "-" + std::to_string(b);
        for (int h = a; h <= b; ++h) hours.insert(h);
        break;
      }
      case 3: {
        const int k = pick(2, 9);
        field = "*/" + std::to_string(k);
        for (int h = 0; h < 24; h += k) hours.insert(h);
        break;
      }
      default: {
        const int a = pick(0, 11), b = pick(a, 23), k = pick(2, 5);
        field = std::to_string(a) + "-" + std::to_string(b) + "/" + std::to_string(k);
        for (int h = a; h <= b; h += k) hours.insert(h);
        break;
      }
    }
    // The days, Mon = 0: every day, or a cron list of two (0 and 7 are Sunday).
    std::set<int> days;
    std::string dow = "*";
    if (pick(0, 2) == 0) {
      const int a = pick(0, 7), b = pick(0, 7);
      dow = std::to_string(a) + "," + std::to_string(b);
      for (int d : {a, b}) days.insert((d + 6) % 7);
    } else {
      for (int d = 0; d < 7; ++d) days.insert(d);
    }
    const bool weekly = days.size() < 7;
    const int period = weekly ? 168 : 24;
    const bool systemd = !weekly && pick(0, 1) == 1;
    const int delay = systemd ? pick(0, 3) : 0;
    std::string timer = "timer t = cron \"0 " + field + " * * " + dow + "\" emit go!;";
    if (systemd) {
      std::string on_calendar;  // systemd writes ranges a..b, and every k hours 0/k (it refuses */k)
      for (char c : field) on_calendar += c == '-' ? std::string("..") : std::string(1, c == '*' && field.size() > 1 ? '0' : c);
      timer = "timer t = systemd \"OnCalendar=*-*-* " + on_calendar + ":00:00\", \"RandomizedDelaySec=" + std::to_string(delay) +
              "h\", \"AccuracySec=1s\" emit go!;";
    }
    std::set<int> expected;
    for (int t = 0; t < period; ++t)
      if (hours.count(t % 24) && days.count(t / 24))
        for (int d = 0; d <= delay; ++d) expected.insert((t + d) % period);
    std::string properties;
    for (int t = 0; t < period; ++t) properties += "reachable at_" + std::to_string(t) + ": Log.got && Wall.t == " + std::to_string(t) + ";\n";
    const std::string text = spec_with("system s in hours;", timer, "", "1h") + properties;
    SCOPED_TRACE(timer);
    const Model model = testing::model_from(text);
    ASSERT_EQ(model.timer_period, period);
    const std::vector<PropertyResult> results = testing::check_all(model);
    for (int t = 0; t < period; ++t)
      EXPECT_EQ(results[static_cast<std::size_t>(t)].verdict, expected.count(t) ? Verdict::Holds : Verdict::Violated) << "at " << t;
  }
}

TEST(Timers, CheckSaysWhichTimersRunOnWhichClock) {
  const std::string path = testing::write_temp_spec(
      "timers_line.sched", spec_with("system s in minutes;", R"(timer nightly = cron "30 2 * * *" emit go!;)") +
                               "reachable fired: Log.got && Wall.t == 02:30;\n");
  std::ostringstream out, err;
  EXPECT_EQ(run_command_line({"check", path}, out, err), 0) << err.str();
  EXPECT_NE(out.str().find("timer nightly on one wall clock, Wall.t, repeating every day (1440 minutes)"), std::string::npos)
      << out.str();
  EXPECT_NE(out.str().find("02:30"), std::string::npos) << out.str();
}

// Each bad timer is refused at the offending place: file:line:col and what is allowed there.
TEST(Timers, BadTimersAreLocated) {
  struct Case {
    std::string text;
    std::string expected;  // a part of the message, with its location
  };
  const std::string go = "machine M { state s; init s; s -> s on go?; }\n";
  const Case cases[] = {
      {"system s in minutes;\ntimer t = cron \"61 2 * * *\" emit go!;\n" + go, "test.sched:2:17: error:"},
      {"system s in minutes;\ntimer t = cron \"30 2 * * *\" emit go!;\n" + go, ""},
      {"system s in minutes;\ntimer t = cron \"30 2 1 * *\" emit go!;\n" + go, "test.sched:2:22: error:"},
      {"system s in minutes;\ntimer t = systemd \"OnCalender=daily\" emit go!;\n" + go, "'OnCalender' is not a timer setting"},
      {"system s in minutes;\ntimer t = systemd \"OnCalendar=daily\", \"Persistent=maybe\" emit go!;\n" + go,
       "test.sched:2:51: error: Persistent= takes a boolean"},
      {"system s in minutes;\ntimer t = systemd \"RandomizedDelaySec=1h\" emit go!;\n" + go, "has no OnCalendar= setting"},
      {"system s;\ntimer t = cron \"30 2 * * *\" emit go!;\n" + go, "test.sched:2:7: error: a timer needs clock time"},
      {"system s in hours;\ntimer t = cron \"30 2 * * *\" emit go!;\n" + go, "not a whole number of hours"},
      {"system s in minutes, daily;\ntimer t = cron \"0 3 * * mon\" emit go!;\n" + go, "names days of the week"},
      {"system s in minutes;\nchan go;\ntimer t = cron \"0 3 * * *\" emit go!;\n" + go, "not a broadcast channel"},
      {"system s in minutes;\ntimer t = cron \"0 3 * * *\" emit go!;\nmachine Wall { state s; init s; }\n" + go,
       "has a machine 'Wall' of its own"},
      {"system s in minutes;\ntimer t = cron \"0 3 * * *\" emit go!;\n" + go + "reachable r: M.s && Wall.t == Tue 03:00;\n",
       "names a day of the week"},
      {"system s in minutes;\ntimer t = cron \"0 3 * * tue\" emit go!;\n" + go + "reachable r: M.s && Wall.t == Tue 03:00;\n", ""},
      {"system s in minutes;\ntimer t = cron \"0 3 * * *\" emit go!\n" + go, "expected ';' after the timer"},
      {"system s in minutes;\ntimer t = cron \"0 3 * * *\n" + go, "test.sched:2:16: error: unterminated string"},
      {"system s in minutes;\ntimer t = systemd \"OnCalendar=daily\", \"RandomizedDelaySec=1d\" emit go!;\n" + go,
       "may fire a whole day late"},
      {"system s in minutes;\ntimer t = anacron \"daily\" emit go!;\n" + go, "expected 'cron' or 'systemd'"},
  };
  for (const Case& c : cases) {
    const std::string errors = testing::errors_of(c.text);
    if (c.expected.empty()) EXPECT_EQ(errors, "") << c.text;
    else EXPECT_NE(errors.find(c.expected), std::string::npos) << c.text << "\n---\n" << errors;
  }
}

// A name `timer` outside a declaration's start is an ordinary name.
TEST(Timers, TimerIsANameElsewhere) {
  EXPECT_EQ(testing::errors_of(R"(
    system s;
    var timer : 0..3 = 0;
    machine M { state s; init s; s -> s when timer < 3 do timer := timer + 1; }
    invariant small: timer <= 3;
  )"), "");
}

}  // namespace
}  // namespace interlock

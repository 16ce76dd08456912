// `simulate --interactive` driven through its stream interface with scripted input: time literals
// for wait and until, back and goto through the history, a step that breaks a property, and bad
// commands answered with a message (never a crash, never a step taken by mistake).
#include <gtest/gtest.h>

#include <sstream>

#include "cli/commands.h"
#include "support/test_models.h"

namespace interlock {
namespace {

struct Session {
  int code;
  std::string out, err;
};

Session drive(const std::string& spec, const std::string& input, std::vector<std::string> extra = {}) {
  std::vector<std::string> args = {"simulate", spec, "--interactive"};
  args.insert(args.end(), extra.begin(), extra.end());
  std::istringstream in(input);
  std::ostringstream out, err;
  const int code = run_command_line(args, in, out, err);
  return {code, out.str(), err.str()};
}

bool has(const std::string& text, const std::string& what) { return text.find(what) != std::string::npos; }

// A job that starts at 02:00 each night and runs 10 to 30 minutes.
const char* kNightly = R"(
system nightly in minutes, daily;
machine Job {
  clock c;
  state Idle { invariant c <= 2h; }
  state Run { invariant c <= 30min; }
  init Idle;
  Idle -> Run when c == 2h do c := 0;
  Run -> Idle when c >= 10min do c := 0;
}
)";

TEST(Interactive, WaitAndUntilTakeClockTime) {
  const std::string spec = testing::write_temp_spec("nightly.sched", kNightly);
  Session s = drive(spec,
                    "wait 90min\n"
                    "until 03:00\n"  // time stops at 02:00: the job is due
                    "1\n"
                    "wait 5min\n"
                    "wait 1h\n"      // the run must end by 30 min
                    "q\n");
  EXPECT_EQ(s.code, 0) << s.err;
  EXPECT_TRUE(has(s.out, "> waited 1 h 30 min\n\ntime 01:30, step 90: Job=Idle")) << s.out;
  EXPECT_TRUE(has(s.out, "waited 30 min of 1 h 30 min: time cannot pass: Job.Idle's invariant c <= 120 stops it (c = 2 h)")) << s.out;
  EXPECT_TRUE(has(s.out, "time 02:00, step 120: Job=Idle\n  1  Job: Idle -> Run\n")) << s.out;
  EXPECT_TRUE(has(s.out, "time 02:05, step 126: Job=Run")) << s.out;
  EXPECT_TRUE(has(s.out, "waited 25 min of 1 h: time cannot pass: Job.Run's invariant c <= 30 stops it (c = 30 min)")) << s.out;
  EXPECT_TRUE(has(s.out, "trace: 151 steps (1 action, 150 ticks)")) << s.out;
}

TEST(Interactive, UntilGoesToTheNextSuchTimeAndRefusesWhatItCannotMean) {
  const std::string spec = testing::write_temp_spec("nightly.sched", kNightly);
  Session s = drive(spec,
                    "until 01:00\n"
                    "until 01:00\n"       // it is 01:00 already
                    "until Tue 03:00\n"   // a daily calendar has no weekdays
                    "until 45min\n"       // a duration is for wait
                    "until 30\n"          // tick 30 has passed
                    "until 25:00\n"
                    "until\n"
                    "wait 02:00\n"        // a time of day is for until
                    "wait 30s\n"          // not a whole number of minutes
                    "until 61\n"
                    "q\n");
  EXPECT_EQ(s.code, 0) << s.err;
  EXPECT_TRUE(has(s.out, "> waited 1 h\n\ntime 01:00, step 60")) << s.out;
  EXPECT_TRUE(has(s.out, "> it is 01:00 now\n")) << s.out;
  EXPECT_TRUE(has(s.out, "'Tue 03:00' names a day of the week, and this spec's calendar is a day")) << s.out;
  EXPECT_TRUE(has(s.out, "not '45min' (to let an amount of time pass, use wait 45min)")) << s.out;
  EXPECT_TRUE(has(s.out, "> time 30 has passed: it is 60 now\n")) << s.out;
  EXPECT_TRUE(has(s.out, "until takes a time such as 03:00, or a tick number since the start, not '25:00'")) << s.out;
  EXPECT_TRUE(has(s.out, "> until takes a time such as 03:00, or a tick number since the start\n")) << s.out;
  EXPECT_TRUE(has(s.out, "not '02:00' (for a time of day, use until 02:00)")) << s.out;
  EXPECT_TRUE(has(s.out, "'30s' is not a whole number of minutes")) << s.out;
  EXPECT_TRUE(has(s.out, "> waited 1 min\n\ntime 01:01, step 61")) << s.out;
}

TEST(Interactive, BackUndoesACommandAndGotoMovesThroughTheHistory) {
  const std::string spec = testing::write_temp_spec("nightly.sched", kNightly);
  Session s = drive(spec,
                    "wait 2h\n"
                    "1\n"
                    "wait 10min\n"
                    "back\n"       // undoes the whole wait: back at 02:00, step 121
                    "goto 60\n"    // 01:00
                    "goto 131\n"   // forward again: the undone wait is still in the history
                    "goto 0\n"
                    "back\n"       // nothing before step 0
                    "goto 121\n"
                    "wait 3\n"     // a new step here drops the history after it
                    "goto 131\n"
                    "q\n");
  EXPECT_EQ(s.code, 0) << s.err;
  EXPECT_TRUE(has(s.out, "> waited 10 min\n\ntime 02:10, step 131")) << s.out;
  EXPECT_TRUE(has(s.out, "> \ntime 02:00, step 121: Job=Run")) << "back undoes the wait: " << s.out;
  EXPECT_TRUE(has(s.out, "> \ntime 01:00, step 60: Job=Idle")) << s.out;
  EXPECT_TRUE(has(s.out, "> \ntime 02:10, step 131: Job=Run")) << s.out;
  EXPECT_TRUE(has(s.out, "> nothing to undo\n")) << s.out;
  EXPECT_TRUE(has(s.out, "> goto takes a step of the history, 0 to 124, not '131'\n")) << s.out;
  EXPECT_TRUE(has(s.out, "trace: 124 steps (1 action, 123 ticks)")) << s.out;
}

TEST(Interactive, SaysWhereAStepBreaksAPropertyAndExitsOne) {
  const std::string spec = std::string(INTERLOCK_SOURCE_DIR) + "/specs/hazards/cron_race.sched";
  // Rotate runs 3 minutes from 00:10; the report starts at 00:12 while it still writes.
  const std::string breaking = "wait 10\n3\nwait 2\n1\n";
  Session broken = drive(spec, breaking + "q\n");
  EXPECT_EQ(broken.code, 1);
  EXPECT_TRUE(has(broken.out, "time 12, step 14: Rotate=Busy, Report=Busy\n  => violates one_at_a_time\n")) << broken.out;
  EXPECT_TRUE(has(broken.out, "      12 => violates one_at_a_time\n")) << "the trace ends there: " << broken.out;
  // Past the step that broke it, the session still says so; back before it, the run is clean.
  Session on = drive(spec, breaking + "wait\nq\n");
  EXPECT_EQ(on.code, 1);
  EXPECT_TRUE(has(on.out, "time 13, step 15: Rotate=Busy, Report=Busy\n  (the run broke one_at_a_time at step 14)\n")) << on.out;
  EXPECT_TRUE(has(on.out, "      12 => violates one_at_a_time\n")) << "marked in the trace: " << on.out;
  Session undone = drive(spec, breaking + "back\nq\n");
  EXPECT_EQ(undone.code, 0) << undone.out;
  const std::string final_trace = undone.out.substr(undone.out.rfind("  trace: "));
  EXPECT_FALSE(has(final_trace, "violates")) << final_trace;
}

TEST(Interactive, BadCommandsAreAnsweredAndChangeNothing) {
  const std::string spec = testing::write_temp_spec("nightly.sched", kNightly);
  const std::string junk = "\n   \nfoo\n1 2\n0\n-3\n2\n99999999999999999999\ngoto -1\ngoto x\ngoto 1.5\nwait 1.5\nwait -2\nwait 0\n"
                           "wait 99999999999999999999999\nwait 2000000\nwait 5 min\nuntil x\n\xff\xfe\n" +
                           std::string(10000, 'z') + "\nhelp\ns\n";
  Session s = drive(spec, junk + "q\n");
  EXPECT_EQ(s.code, 0) << s.err;
  EXPECT_TRUE(has(s.out, "> not a command: 'foo' (type help for the commands)")) << s.out;
  EXPECT_TRUE(has(s.out, "> not a command: '1 2'")) << s.out;
  EXPECT_TRUE(has(s.out, "> not a step: '0' (type 1 to 1, or help)")) << s.out;
  EXPECT_TRUE(has(s.out, "> not a step: '2' (type 1 to 1, or help)")) << s.out;
  EXPECT_TRUE(has(s.out, "> not a step: '99999999999999999999' (type 1 to 1, or help)")) << s.out;
  EXPECT_TRUE(has(s.out, "> not a command: '\\xff\\xfe'")) << s.out;
  EXPECT_TRUE(has(s.out, "> not a command: '" + std::string(60, 'z') + "...'")) << s.out;
  EXPECT_TRUE(has(s.out, "> goto takes a step of the history, 0 to 0, not '-1'")) << s.out;
  EXPECT_TRUE(has(s.out, "> wait takes a number of minutes or a duration such as 5min or 1h30min, not '1.5'")) << s.out;
  EXPECT_TRUE(has(s.out, "> wait 0 lets no time pass")) << s.out;
  EXPECT_TRUE(has(s.out, "> that is more than 1000000 ticks: wait less at a time")) << s.out;
  EXPECT_TRUE(has(s.out, "not '5 min'")) << s.out;
  EXPECT_TRUE(has(s.out, "  wait [N]     let N ticks pass")) << "help lists the commands: " << s.out;
  EXPECT_TRUE(has(s.out, "  Job.c = 0\n")) << s.out;
  EXPECT_TRUE(has(s.out, "trace: 0 steps")) << "no command took a step: " << s.out;
}

TEST(Interactive, ASpecWithoutClockTimeCountsTicks) {
  const std::string spec = testing::write_temp_spec("plain.sched", R"(
    system plain;
    machine M { clock c; state A { invariant c <= 4; } state B; init A; A -> B when c == 4; }
  )");
  Session s = drive(spec, "wait 3\nwait 5min\nuntil 03:00\nuntil 4\nq\n");
  EXPECT_EQ(s.code, 0);
  EXPECT_TRUE(has(s.out, "> waited 3 ticks\n")) << s.out;
  EXPECT_TRUE(has(s.out, "> this spec counts time in ticks, not in clock time: wait takes a number of ticks\n")) << s.out;
  EXPECT_TRUE(has(s.out, "until takes a tick number since the start (this spec has no clock time of day), not '03:00'")) << s.out;
  EXPECT_TRUE(has(s.out, "> waited 1 tick\n\ntime 4, step 4: M=A\n  1  M: A -> B\n")) << s.out;
}

}  // namespace
}  // namespace interlock

// A limit never turns into "holds": timeouts, memory and depth limits give unknown (exit 3).
#include <gtest/gtest.h>

#include <chrono>
#include <regex>
#include <sstream>
#include <thread>

#include "cli/commands.h"
#include "model/stop.h"
#include "solver/run_context.h"
#include "support/test_models.h"

namespace interlock {
namespace {

const std::string kSpec = std::string(INTERLOCK_SOURCE_DIR) + "/specs/msmail/original.sched";

int run(const std::vector<std::string>& args, std::string& out) {
  std::ostringstream o, e;
  int code = run_command_line(args, o, e);
  out = o.str() + e.str();
  return code;
}

TEST(Limits, DepthLimitGivesUnknownNotHolds) {
  Model model = load_model(kSpec);
  Limits limits;
  limits.depth = 50;  // the drop is 128 steps deep
  auto all = testing::check_all(model, limits);
  for (const auto& r : all) {
    if (r.property == "deadlock_free" || r.property == "no_drop" || r.property == "server_back") {
      EXPECT_EQ(r.verdict, Verdict::Unknown) << r.property;
      EXPECT_NE(r.detail.find("depth limit 50"), std::string::npos) << r.detail;
    }
  }
}

TEST(Limits, TimeoutAndMemoryLimitsExitThree) {
  std::string out;
  EXPECT_EQ(run({"check", kSpec, "--timeout", "0.001", "--quiet"}, out), 3);
  EXPECT_NE(out.find("unknown"), std::string::npos) << out;
  EXPECT_NE(out.find("timeout"), std::string::npos) << out;
  EXPECT_EQ(run({"check", kSpec, "--prop", "deadlock_free", "--memory", "2", "--quiet"}, out), 3);
  EXPECT_NE(out.find("memory limit of 2 MB"), std::string::npos) << out;
}

// After the search, the delay analyses copy the transition graph a few times over: with --memory,
// they are made only if the most they may take fits beside the search (the KB case's mail_delay:
// a search of 82 MB, an analysis of up to 159 MB, 240 MB in all; 155 MB peak without a limit).
TEST(Limits, ADelayAnalysisThatMayPassTheMemoryLimitIsNotMade) {
  std::string out;
  const std::vector<std::string> args = {"check", kSpec, "--engine", "explicit", "--prop", "mail_delay"};
  std::vector<std::string> limited = args;
  limited.insert(limited.end(), {"--memory", "200"});
  EXPECT_EQ(run(limited, out), 3) << out;
  EXPECT_NE(out.find("unknown   mail_delay"), std::string::npos) << out;
  EXPECT_NE(out.find("not analysed: with the delay analysis (up to "), std::string::npos) << out;
  EXPECT_NE(out.find("past the memory limit of 200 MB"), std::string::npos) << out;
  // The total it names is the least limit under which the analysis is made.
  std::smatch match;
  ASSERT_TRUE(std::regex_search(out, match, std::regex(R"(the run may take (\d+) MB)"))) << out;
  const int total_mb = std::stoi(match[1].str());  // read now: the match points into `out`
  limited.back() = std::to_string(total_mb - 1);
  EXPECT_EQ(run(limited, out), 3) << out;
  limited.back() = std::to_string(total_mb);
  EXPECT_EQ(run(limited, out), 0) << out;
  EXPECT_NE(out.find("value     mail_delay"), std::string::npos) << out;
}

TEST(Limits, SecondsAreShownWithThreeDigitsAndWholeFromAHundred) {
  EXPECT_EQ(format_seconds(0.00194987), "0.00195 s");
  EXPECT_EQ(format_seconds(2), "2 s");
  EXPECT_EQ(format_seconds(12.345), "12.3 s");
  EXPECT_EQ(format_seconds(120), "120 s");
  EXPECT_EQ(format_seconds(1234.4), "1234 s");
}

TEST(Limits, ViolationFoundBeforeTheLimitStillCounts) {
  std::string out;
  EXPECT_EQ(run({"check", kSpec, "--prop", "no_drop", "--quiet"}, out), 1);
  EXPECT_NE(out.find("violated  no_drop"), std::string::npos) << out;
}

// The symbolic engines check responses (bmc looks for a violation, the provers prove them for
// every parameter value) and leave maxima to the explicit engine.
TEST(Limits, SymbolicEnginesCheckResponsesAndLeaveMaximaToTheExplicitEngine) {
  std::string spec = std::string(INTERLOCK_SOURCE_DIR) + "/tests/data/liveness.sched";
  std::string out;
  EXPECT_EQ(run({"check", spec}, out), 0) << out;
  EXPECT_NE(out.find("value     longest"), std::string::npos) << out;
  EXPECT_EQ(run({"check", spec, "--prop", "drained", "--engine", "bmc"}, out), 3);
  EXPECT_NE(out.find("no violation within 20 steps"), std::string::npos) << out;
  EXPECT_EQ(run({"check", spec, "--prop", "longest", "--engine", "bmc"}, out), 3);
  EXPECT_NE(out.find("explicit engine"), std::string::npos) << out;
  // auto, params free: two messages of at most 10 ticks each, so 20 ticks are always enough.
  EXPECT_EQ(run({"check", spec, "--prop", "safe", "--prop", "drained", "--free", "all"}, out), 0) << out;
  EXPECT_NE(out.find("holds     safe"), std::string::npos) << out;
  EXPECT_NE(out.find("holds     drained"), std::string::npos) << out;
  EXPECT_EQ(run({"check", spec, "--prop", "longest", "--free", "all"}, out), 3) << out;
}

TEST(Limits, ALimitBeforeALivenessAnswerIsUnknown) {
  std::string spec = std::string(INTERLOCK_SOURCE_DIR) + "/tests/data/liveness.sched";
  std::string out;
  EXPECT_EQ(run({"check", spec, "--prop", "drained", "--depth", "3"}, out), 3);
  EXPECT_NE(out.find("depth limit"), std::string::npos) << out;
}

}  // namespace
}  // namespace interlock

namespace interlock {
namespace {

TEST(Limits, AutoFallsBackToTheSymbolicEnginesAtTheExplicitEnginesLimit) {
  std::string spec = std::string(INTERLOCK_SOURCE_DIR) + "/tests/data/big_counter.sched";
  std::string out;
  EXPECT_EQ(run({"check", spec, "--prop", "in_range", "--memory", "4", "--quiet"}, out), 0) << out;
  // chc and k-induction run side by side; either may prove it first.
  EXPECT_TRUE(out.find("holds     in_range  (invariant, chc engine") != std::string::npos ||
              out.find("holds     in_range  (invariant, kind engine") != std::string::npos) << out;
  EXPECT_NE(out.find("the explicit engine stopped first, after "), std::string::npos) << out;
  EXPECT_NE(out.find(" states (memory limit of 4 MB reached)"), std::string::npos) << out;
  // A violation deeper than bmc can reach within the time left stays unknown, never holds.
  EXPECT_EQ(run({"check", spec, "--prop", "never_max", "--memory", "4", "--timeout", "4", "--quiet"}, out), 3) << out;
  EXPECT_NE(out.find("unknown"), std::string::npos) << out;
  // An explicit engine chosen by name does not fall back.
  EXPECT_EQ(run({"check", spec, "--prop", "in_range", "--memory", "4", "--engine", "explicit", "--quiet"}, out), 3) << out;
}

// With free parameters every property goes to the provers, one after another: each had the whole
// --timeout, so that three responses took 2.5 times it and the process guard ended the run (at
// 10% and 2 s past it) with nothing printed (an outside tester). They now share it.
TEST(Limits, PropertiesWithFreeParametersShareTheTimeout) {
  const std::string spec = testing::write_temp_spec("shared_timeout", R"(
    system shared;
    param P : 1..50 = 3;
    param Q : 1..50 = 5;
    var x : 0..100 = 0;
    machine A {
      clock c;
      state S { invariant c <= P; }
      state T { invariant c <= Q; }
      init S;
      S -> T when c >= P do { c := 0; x := (x * P + Q) % 100; };
      T -> S when c >= Q && x * Q % 7 != 3 do c := 0;
      T -> T when c >= Q && x * Q % 7 == 3 do { c := 0; x := (x + P * Q) % 100; };
    }
    response r1: A.T leads_to A.S;
    response r2: A.S leads_to A.T;
    response r3: x > 50 leads_to x < 10;
  )");
  std::string out;
  const auto start = std::chrono::steady_clock::now();
  const int code = run({"check", spec, "--free", "all", "--timeout", "2", "--lint", "off", "--quiet"}, out);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 2 * 1.1 + 2) << "past the process guard's deadline\n" << out;
  EXPECT_TRUE(code == 3 || code == 0) << out;  // unknown where a prover ran out of its share
  for (const char* name : {"r1", "r2", "r3"}) {
    EXPECT_TRUE(std::regex_search(out, std::regex(std::string("(unknown|holds) +") + name + " "))) << name << "\n" << out;
  }
}

// bmc's counterexample here waits a billion ticks in one symbolic step; it was expanded tick by
// tick (8.5 GB). A wait longer than every clock's saturation value is cut to it, and one still
// longer than 100,000 ticks is one step of that many, replayed in one go and shown as one wait.
TEST(Limits, ABillionTickWaitFromBmcIsOneStep) {
  const std::string spec = testing::write_temp_spec("long_wait", R"(
    system long_wait;
    machine M { clock t; state A, B; init A; A -> B when t >= 1000000000; }
    invariant never_b: !M.B;
  )");
  std::string out;
  EXPECT_EQ(run({"check", spec, "--engine", "bmc"}, out), 1) << out;
  EXPECT_NE(out.find("violated  never_b"), std::string::npos) << out;
  EXPECT_NE(out.find("trace: 2 steps (1 action, 100000000"), std::string::npos) << out;
  EXPECT_EQ(run({"check", spec, "--engine", "bmc", "--quiet", "--trace", "json"}, out), 1) << out;
  EXPECT_NE(out.find("\"ticks\": 100000000"), std::string::npos) << out;
  EXPECT_LT(peak_rss_bytes(), uint64_t{1} << 30) << "the wait was expanded tick by tick";
}


// --timeout bounds a whole synthesis, not each search or proof in it (it once took 12 minutes
// with --timeout 3): the values left when it runs out are unknown, and the answer says so.
TEST(Limits, SynthStopsAtItsTimeoutWithTheRestUnknown) {
  const std::string spec = std::string(INTERLOCK_SOURCE_DIR) + "/specs/msmail/fixes/window.sched";
  std::string out;
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(run({"synth", spec, "--param", "W", "--timeout", "1", "--quiet"}, out), 3) << out;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(seconds, 10) << "the limit is for the whole synthesis";
  EXPECT_NE(out.find("not decided: the time limit was reached first"), std::string::npos) << out;
  EXPECT_NE(out.find("an under-approximation"), std::string::npos) << out;
  // The replay of a violation's trace over a wide range stops at the limit too (an outside
  // tester's range of twenty million values replayed until the process was killed).
  const std::string wide = testing::write_temp_spec("wide_replay.sched", R"(
    system wide;
    param P : 0..20000000 = 1;
    var v : 0..3 = 0;
    machine M { state A, B; init A; A -> B when P > 5 do v := 1; }
    invariant ok: v == 0;
  )");
  std::string replayed;
  EXPECT_EQ(run({"synth", wide, "--param", "P", "--timeout", "1", "--quiet", "--lint", "off"}, replayed), 3) << replayed;
  EXPECT_NE(replayed.find("P in 6.."), std::string::npos) << replayed;
  EXPECT_NE(replayed.find("..20000000: unknown (not decided: the time limit was reached first)"), std::string::npos) << replayed;
}

}  // namespace
}  // namespace interlock

namespace interlock {
namespace {

// Issue 11: simulate accepted --timeout and --memory and ignored them.
TEST(Limits, SimulateKeepsItsTraceWithinTheMemoryLimit) {
  const std::string spec = std::string(INTERLOCK_SOURCE_DIR) + "/tests/data/big_counter.sched";
  std::ostringstream out, err;
  EXPECT_EQ(run_command_line({"simulate", spec, "--steps", "10000000", "--memory", "1", "--seed", "3"}, out, err), 3);
  EXPECT_NE(err.str().find("interlock simulate: stopped after"), std::string::npos) << err.str();
  EXPECT_NE(err.str().find("memory limit of 1 MB reached"), std::string::npos) << err.str();
  EXPECT_NE(out.str().find("stopped after"), std::string::npos) << "the trace says where it ends";
  EXPECT_LT(out.str().size(), std::size_t{10} << 20);
}

TEST(Limits, AStopKeepsItsReasonWhenTheMemoryStopIsWithdrawn) {
  // The process guard withdraws its memory stop once the process is back under the limit, which
  // a run that is stopping soon is (its threads free their buffers). An outside test saw a
  // search on 3 threads stopped by --memory report "timeout after 0 s": the reason was read
  // after the request had gone. Every engine reads its reason from RunContext.
  Limits limits;
  limits.memory_mb = 64;
  RunContext context(limits, nullptr);
  EXPECT_FALSE(context.timed_out());
  request_stop(StopReason::Memory);
  EXPECT_TRUE(context.timed_out());
  withdraw_stop(StopReason::Memory);
  EXPECT_TRUE(context.timed_out()) << "a run that has begun to stop does not take it back";
  EXPECT_EQ(context.stop_reason(), "memory limit of 64 MB reached");
  RunContext after(limits, nullptr);  // a run that starts once memory is back under the limit
  EXPECT_FALSE(after.timed_out());

  // The reason first seen stays, whatever comes after it.
  Limits short_time;
  short_time.timeout_seconds = 1e-9;
  RunContext timed(short_time, nullptr);
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
  EXPECT_TRUE(timed.timed_out());
  request_stop(StopReason::Memory);
  EXPECT_EQ(timed.stop_reason(), "timeout after 1e-09 s");
  withdraw_stop(StopReason::Memory);
}

}  // namespace
}  // namespace interlock

// k-induction against the explicit engine: on random specs it never proves what the explicit
// engine refutes nor refutes what it proves, and it does prove some (the test is not vacuous).
#include <gtest/gtest.h>

#include <cstdio>

#include "model/stop.h"
#include "solver/z3/kind_engine.h"
#include "solver/z3/start_check.h"
#include "support/random_spec.h"
#include "support/test_models.h"

namespace interlock {
namespace {

PropertyResult run_kind(const Model& model, const std::string& property, int depth = 6) {
  Limits limits;
  limits.timeout_seconds = 20;
  limits.depth = depth;
  RunContext context(limits, nullptr);
  return KInductionEngine().check(model, {model.find_property(property)}, context).at(0);
}

// With simple paths k-induction is complete on a finite state space (the step fails only while k
// is below the longest loop-free path), so on random specs whose invariant holds it proves nearly
// every one within a small k; it never proves what the explicit engine refutes nor refutes what it
// proves.
TEST(KInduction, AgreesWithTheExplicitEngineOnRandomSpecs) {
  int proven = 0, refuted = 0, holds = 0;
  for (uint32_t seed = 1; seed <= 80; ++seed) {
    std::string text = testing::random_spec(seed);
    Model model = testing::model_from(text);
    PropertyResult e = testing::check_one(model, "i0");
    PropertyResult k = run_kind(model, "i0", 12);
    holds += e.verdict == Verdict::Holds;
    if (k.verdict == Verdict::Holds) {
      ++proven;
      EXPECT_EQ(e.verdict, Verdict::Holds) << "seed " << seed << "\n" << text;
    }
    if (k.verdict == Verdict::Violated) {
      ++refuted;
      EXPECT_EQ(e.verdict, Verdict::Violated) << "seed " << seed << "\n" << text;
    }
  }
  // 36 of the 39 that hold, measured; three need a longer k than 12.
  EXPECT_GE(proven * 100, holds * 85) << proven << " of " << holds << " proven";
  EXPECT_GE(refuted, 10);
  std::printf("k-induction on 80 random specs: %d proven (of %d that hold), %d refuted\n", proven, holds, refuted);
}

TEST(KInduction, ShortWindowFailsForSomeSchedule) {
  LowerOptions options;
  options.free = {"all"};
  Model model = load_model(std::string(INTERLOCK_SOURCE_DIR) + "/specs/msmail/fixes/window_short.sched", options);
  PropertyResult r = run_kind(model, "no_drop", 8);  // the shortest drop takes six symbolic steps
  EXPECT_EQ(r.verdict, Verdict::Violated) << r.detail;
  EXPECT_TRUE(r.trace.has_value());
}

constexpr const char* kCounter = R"(
  system counter;
  var n : 0..10;
  machine M { state A; init A; A -> A when n < 5 do n := n + 1; }
  invariant bounded: n <= 5;
)";

TEST(KInduction, ProvesASimpleCounterInvariant) {
  Model model = testing::model_from(kCounter);
  EXPECT_EQ(run_kind(model, "bounded").verdict, Verdict::Holds);
}

TEST(KInduction, AStoppedStartCheckSaysWhatStoppedIt) {
  // Every symbolic engine first checks that the spec can start (start_check.h); stopped there by
  // --memory it said "timeout or interrupt", beside an explicit engine that said "memory limit".
  Model model = testing::model_from(kCounter);
  Limits limits;
  limits.memory_mb = 64;
  RunContext context(limits, nullptr);
  request_stop(StopReason::Memory);
  const StartCheck check = check_start(model, context);
  withdraw_stop(StopReason::Memory);
  EXPECT_EQ(check.outcome, StartCheck::Outcome::Unknown);
  EXPECT_EQ(check.detail, "stopped while checking whether the spec's assumptions can hold (memory limit of 64 MB reached)");
}

// An assumption that cannot be evaluated at some parameter values (a division by zero) is a model
// error, as the explicit engine says at those values, not a silent restriction of the free ones
// (an outside tester: k-induction left Q = 3 out and proved what fails there). An earlier
// assumption that rules those values out makes it fine, as the assumptions are read in order.
TEST(StartCheck, AnAssumptionThatCannotBeEvaluatedIsAModelError) {
  const std::string head = "system s;\nparam P : 1..9;\nparam Q : 0..9;\nmachine M { state A; init A; }\n";
  const std::string divides = "assume P / (Q - 3) >= 0;\n";
  RunContext context(Limits{}, nullptr);
  const StartCheck fails = check_start(testing::model_from(head + divides + "invariant p: Q != 3;\n"), context);
  EXPECT_EQ(fails.outcome, StartCheck::Outcome::ModelError);
  EXPECT_NE(fails.detail.find("this assumption cannot be evaluated with the parameter values: division by zero (with P="), std::string::npos)
      << fails.detail;
  EXPECT_NE(fails.detail.find(" Q=3)"), std::string::npos) << fails.detail;
  const StartCheck guarded = check_start(testing::model_from(head + "assume Q != 3;\n" + divides), context);
  EXPECT_EQ(guarded.outcome, StartCheck::Outcome::Ok) << guarded.detail;
  const StartCheck after = check_start(testing::model_from(head + divides + "assume Q != 3;\n"), context);
  EXPECT_EQ(after.outcome, StartCheck::Outcome::ModelError) << "read in order: the division comes first";
}

}  // namespace
}  // namespace interlock

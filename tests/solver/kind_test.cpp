// k-induction against the explicit engine: on random specs it never proves what the explicit
// engine refutes nor refutes what it proves, and it does prove some (the test is not vacuous).
#include <gtest/gtest.h>

#include <cstdio>

#include "solver/z3/kind_engine.h"
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

TEST(KInduction, AgreesWithTheExplicitEngineOnRandomSpecs) {
  int proven = 0, refuted = 0;
  for (uint32_t seed = 1; seed <= 80; ++seed) {
    std::string text = testing::random_spec(seed);
    Model model = testing::model_from(text);
    PropertyResult e = testing::check_one(model, "i0");
    PropertyResult k = run_kind(model, "i0");
    if (k.verdict == Verdict::Holds) {
      ++proven;
      EXPECT_EQ(e.verdict, Verdict::Holds) << "seed " << seed << "\n" << text;
    }
    if (k.verdict == Verdict::Violated) {
      ++refuted;
      EXPECT_EQ(e.verdict, Verdict::Violated) << "seed " << seed << "\n" << text;
    }
  }
  EXPECT_GE(proven, 5);
  EXPECT_GE(refuted, 10);
  std::printf("k-induction on 80 random specs: %d proven, %d refuted\n", proven, refuted);
}

TEST(KInduction, ShortWindowFailsForSomeSchedule) {
  LowerOptions options;
  options.free = {"all"};
  Model model = load_model(std::string(INTERLOCK_SOURCE_DIR) + "/specs/msmail/fixes/window_short.sched", options);
  PropertyResult r = run_kind(model, "no_drop", 8);  // the shortest drop takes six symbolic steps
  EXPECT_EQ(r.verdict, Verdict::Violated) << r.detail;
  EXPECT_TRUE(r.trace.has_value());
}

TEST(KInduction, ProvesASimpleCounterInvariant) {
  Model model = testing::model_from(R"(
    system counter;
    var n : 0..10;
    machine M { state A; init A; A -> A when n < 5 do n := n + 1; }
    invariant bounded: n <= 5;
  )");
  EXPECT_EQ(run_kind(model, "bounded").verdict, Verdict::Holds);
}

}  // namespace
}  // namespace interlock

// The CHC engine (Spacer): proofs for every schedule, violations with replayed bmc traces, and
// agreement with the explicit engine on random specs (it never proves what the explicit engine
// refutes, nor refutes what it proves).
#include <gtest/gtest.h>

#include "solver/trace/replay.h"
#include "solver/z3/chc_engine.h"
#include "support/random_spec.h"
#include "support/test_models.h"

namespace interlock {
namespace {

const std::string kSpecs = std::string(INTERLOCK_SOURCE_DIR) + "/specs/msmail/";

PropertyResult run_chc(const Model& model, const std::string& property, double seconds = 60) {
  Limits limits;
  limits.timeout_seconds = seconds;
  RunContext context(limits, nullptr);
  return ChcEngine().check(model, {model.find_property(property)}, context).at(0);
}

Model all_free(const std::string& file) {
  LowerOptions options;
  options.free = {"all"};
  return load_model(kSpecs + file, options);
}

TEST(Chc, WindowFixIsProvenForEverySchedule) {
  Model model = all_free("fixes/window.sched");
  // Spacer takes 8-12 s of CPU here; a loaded machine (ctest -j2) may need several times that.
  PropertyResult r = run_chc(model, "no_drop", 180);
  EXPECT_EQ(r.verdict, Verdict::Holds) << r.detail;
  EXPECT_NE(r.detail.find("re-checked"), std::string::npos);
  EXPECT_EQ(run_chc(model, "server_back").verdict, Verdict::Holds);
}

TEST(Chc, WindowOneMinuteShortFailsWithATraceThatReplays) {
  Model model = all_free("fixes/window_short.sched");
  PropertyResult r = run_chc(model, "no_drop");
  ASSERT_EQ(r.verdict, Verdict::Violated) << r.detail;
  ASSERT_TRUE(r.trace);
  Model fixed = with_params(model, r.trace->params);
  EXPECT_EQ(testing::replay(fixed, *r.trace), "");
  // The schedule it names satisfies the spec's own assumption: W is one short of the bound.
  auto value = [&](const char* name) {
    for (const auto& [n, v] : r.trace->params)
      if (n == name) return v;
    return int64_t{-1};
  };
  EXPECT_EQ(value("W"), value("DIAL_LEN") + value("TX_MAX") - 1);
}

TEST(Chc, TheOriginalDropsForSomeSchedule) {
  PropertyResult r = run_chc(all_free("original.sched"), "no_drop");
  EXPECT_EQ(r.verdict, Verdict::Violated) << r.detail;
}

TEST(Chc, AgreesWithTheExplicitEngineOnRandomSpecs) {
  int proven = 0, refuted = 0;
  for (uint32_t seed = 1; seed <= 60; ++seed) {
    std::string text = testing::random_spec(seed);
    Model model = testing::model_from(text);
    PropertyResult e = testing::check_one(model, "i0");
    PropertyResult c = run_chc(model, "i0", 20);
    if (c.verdict == Verdict::Holds) {
      ++proven;
      EXPECT_EQ(e.verdict, Verdict::Holds) << "seed " << seed << "\n" << text;
    }
    if (c.verdict == Verdict::Violated) {
      ++refuted;
      EXPECT_EQ(e.verdict, Verdict::Violated) << "seed " << seed << "\n" << text;
    }
  }
  EXPECT_GE(proven, 10);
  EXPECT_GE(refuted, 10);
  std::printf("chc on 60 random specs: %d proven, %d refuted\n", proven, refuted);
}

}  // namespace
}  // namespace interlock

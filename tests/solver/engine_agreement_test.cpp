// The explicit engine and bmc must agree (tests/support/engine_compare.h), on random small specs
// (tests/support/random_spec.h) and hand-computed models; spec_files_test.cpp does the same for
// every spec in the repository: bmc never reports a property the explicit engine rules out,
// and it finds every violation or witness whose explicit trace fits within its depth (counting a
// run of ticks as one step, as bmc does). Every bmc trace has replayed on the explicit semantics
// inside the engine. A disagreement prints the spec that caused it.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>

#include "support/engine_compare.h"
#include "support/random_spec.h"
#include "support/test_models.h"

namespace interlock {
namespace {

constexpr int kDepth = 10;
using testing::run_bmc;
using testing::Tally;

std::string compare(const Model& model, int depth, Tally* tally = nullptr) {
  return testing::compare_engines(model, testing::check_all(model), depth, tally, /*check_earliest=*/true);
}

void check_seeds(uint32_t first, uint32_t last) {
  int compared = 0;
  Tally tally;
  for (uint32_t seed = first; seed <= last; ++seed) {
    std::string text = testing::random_spec(seed);
    Model model;
    try {
      model = testing::model_from(text);
    } catch (const InputError& e) {
      ADD_FAILURE() << "seed " << seed << " generated a spec that does not load:\n" << e.what() << "\n" << text;
      continue;
    }
    std::string problems = compare(model, kDepth, &tally);
    EXPECT_EQ(problems, "") << "seed " << seed << "\n" << text;
    ++compared;
  }
  EXPECT_EQ(compared, static_cast<int>(last - first + 1));
  // The generator must produce both kinds of answer, or agreement would be vacuous.
  const int seeds = static_cast<int>(last - first + 1);
  EXPECT_GE(tally.found_by_both, seeds / 2) << "too few properties found by both engines";
  EXPECT_GE(tally.ruled_out, seeds / 5) << "too few properties ruled out by the explicit engine";
  std::printf("seeds %u..%u: %d found by both engines, %d ruled out\n", first, last, tally.found_by_both, tally.ruled_out);
}

// 500 seeds in five tests, so that CTest can run them side by side.
TEST(EngineAgreement, RandomSpecsSeeds1To100) { check_seeds(1, 100); }
TEST(EngineAgreement, RandomSpecsSeeds101To200) { check_seeds(101, 200); }
TEST(EngineAgreement, RandomSpecsSeeds201To300) { check_seeds(201, 300); }
TEST(EngineAgreement, RandomSpecsSeeds301To400) { check_seeds(301, 400); }
TEST(EngineAgreement, RandomSpecsSeeds401To500) { check_seeds(401, 500); }

TEST(EngineAgreement, HandComputedModels) {
  // Broadcast order, rendezvous choice, urgency and invariants, from the semantics tests.
  Model m = testing::model_from(R"(
    system b;
    broadcast chan go;
    chan c;
    var n : 0..20;
    machine E  { clock t; state A { invariant t <= 2; } state B; init A; A -> B when t == 2 emit go! do n := 1; }
    machine R1 { state X, Y; init X; X -> Y on go? do n := n * 3; }
    machine R2 { state X, Y; init Y; X -> Y on go? do n := 0; }
    machine R3 { state X, Y; init X; X -> Y on go? when false; }
    machine R4 { state X, Y, Z; init X; X -> Y on go? do n := n + 1; Y -> Z emit c!; }
    machine R5 { urgent state U; state V; init V; V -> U on c?; U -> V do n := n + 10; }
    reachable four: E.B && R1.Y && R3.X && R4.Y && n == 4;
    reachable fourteen: n == 14;
    reachable never: n == 2;
    invariant small: n <= 14;
  )");
  EXPECT_EQ(compare(m, kDepth), "");
  auto bmc = run_bmc(m, kDepth);
  EXPECT_EQ(bmc[0].verdict, Verdict::Holds);
  EXPECT_EQ(bmc[1].verdict, Verdict::Holds);
  EXPECT_EQ(bmc[2].verdict, Verdict::Unknown);
  EXPECT_EQ(bmc[3].verdict, Verdict::Unknown);
}

TEST(EngineAgreement, KbDropForEverySchedule) {
  LowerOptions options;
  options.free = {"all"};
  Model model = load_model(std::string(INTERLOCK_SOURCE_DIR) + "/specs/msmail/original.sched", options);
  auto results = run_bmc(model, 6);
  ASSERT_EQ(results[0].property, "no_drop");
  EXPECT_EQ(results[0].verdict, Verdict::Violated);
  ASSERT_TRUE(results[0].trace);
  EXPECT_EQ(results[0].trace->params.size(), model.params.size()) << "the trace names every parameter";
}

}  // namespace
}  // namespace interlock

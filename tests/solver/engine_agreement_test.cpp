// The explicit engine and bmc must agree (tests/support/engine_compare.h), on random small specs
// (tests/support/random_spec.h) and hand-computed models; spec_files_test.cpp does the same for
// every spec in the repository: bmc never reports a property the explicit engine rules out,
// and it finds every violation or witness whose explicit trace fits within its depth (counting a
// run of ticks as one step, as bmc does). Every bmc trace has replayed on the explicit semantics
// inside the engine. A disagreement prints the spec that caused it. Responses go through bmc,
// k-induction and chc as well, which may leave them unknown but never answer otherwise than the
// explicit engine.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <map>

#include "solver/z3/bmc_engine.h"
#include "solver/z3/chc_engine.h"
#include "solver/z3/kind_engine.h"
#include "support/engine_compare.h"
#include "support/random_spec.h"
#include "support/test_effort.h"
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
  last = first + testing::specs_to_try(last - first + 1) - 1;
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

// Responses (solver/z3/response_monitor.h): the random spec with `p leads_to q` and `p leads_to
// q within B` between the conditions of its own r0 and r1 (testing::with_responses). bmc,
// k-induction and chc may leave either unknown, but what they decide is what the explicit engine
// decides (it answers unknown itself where a run that stops time decides), and every trace
// replays.
struct Decided {
  int holds = 0, violated = 0, unknown = 0;
};

PropertyResult run_prover(Engine& engine, const Model& model, const std::string& property) {
  Limits limits;
  limits.timeout_seconds = 10;
  limits.depth = 10;
  RunContext context(limits, nullptr);
  return engine.check(model, {model.find_property(property)}, context).at(0);
}

void check_response_seeds(uint32_t first, uint32_t last) {
  last = first + testing::specs_to_try(last - first + 1) - 1;
  BmcEngine bmc;
  KInductionEngine kind;
  ChcEngine chc;
  std::map<std::string, Decided> decided;
  int explicit_unknown = 0, both_decide = 0;
  for (uint32_t seed = first; seed <= last; ++seed) {
    const std::string text = testing::with_responses(testing::random_spec(seed), static_cast<int>(seed % 4));
    const Model model = testing::model_from(text);
    for (const char* name : {"u01", "w01"}) {
      const PropertyResult e = testing::check_one(model, name);
      explicit_unknown += e.verdict == Verdict::Unknown;
      for (Engine* engine : std::initializer_list<Engine*>{&bmc, &kind, &chc}) {
        const PropertyResult r = run_prover(*engine, model, name);
        SCOPED_TRACE("seed " + std::to_string(seed) + ", " + name + ", " + engine->name() + ": " + r.detail + "\n" + text);
        Decided& d = decided[engine->name()];
        if (r.verdict == Verdict::Holds || r.verdict == Verdict::Violated) {
          EXPECT_EQ(r.verdict, e.verdict) << "explicit: " << e.detail;
          both_decide += engine == &chc;
          (r.verdict == Verdict::Holds ? d.holds : d.violated)++;
        } else {
          EXPECT_EQ(r.verdict, Verdict::Unknown);
          ++d.unknown;
        }
        if (r.trace) {
          EXPECT_EQ(testing::replay(model, *r.trace), "");
        }
      }
    }
  }
  for (const auto& [engine, d] : decided)
    std::printf("seeds %u..%u, %s: %d holds, %d violated, %d unknown (the explicit engine: %d unknown)\n", first, last,
                engine.c_str(), d.holds, d.violated, d.unknown, explicit_unknown);
  // Each engine must decide some of each kind it can, or agreement would be vacuous.
  const int specs = static_cast<int>(last - first + 1);
  EXPECT_GE(decided["bmc"].violated, specs / 4);
  EXPECT_GE(decided["kind"].holds, specs / 10);
  EXPECT_GE(decided["kind"].violated, specs / 10);
  EXPECT_GE(decided["chc"].holds, specs / 4);
  EXPECT_GE(decided["chc"].violated, specs / 4);
  // chc decides nearly everything the explicit engine decides (all of it, with time enough).
  EXPECT_GE(both_decide * 10, (2 * specs - explicit_unknown) * 9);
}

TEST(EngineAgreement, ResponsesOnRandomSpecsSeeds1To40) { check_response_seeds(1, 40); }
TEST(EngineAgreement, ResponsesOnRandomSpecsSeeds41To80) { check_response_seeds(41, 80); }
TEST(EngineAgreement, ResponsesOnRandomSpecsSeeds81To120) { check_response_seeds(81, 120); }

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

// `auto` with free parameters on reachable properties: bmc looks for a witness, and where it finds
// none a prover tries the negation (cli/engine_registry.cpp). On random specs whose clocks,
// guards and updates read the parameters, every decided answer must be the explicit engine's
// over all parameter values: reachable exactly when some value reaches the condition.
#include <gtest/gtest.h>

#include <regex>
#include <stdexcept>

#include "cli/engine_registry.h"
#include "model/stop.h"
#include "solver/explicit/explicit_engine.h"
#include "support/random_param_spec.h"
#include "support/test_effort.h"
#include "support/test_models.h"

namespace interlock {
namespace {

// Each `invariant iN: C;` of the random spec, also as `reachable bad_iN: !(C);`.
std::string with_reachable_negations(const std::string& text) {
  std::string out = text;
  static const std::regex invariant(R"(invariant (i\d+): ([^;]*);)");
  for (std::sregex_iterator it(text.begin(), text.end(), invariant), end; it != end; ++it)
    out += "reachable bad_" + (*it)[1].str() + ": !(" + (*it)[2].str() + ");\n";
  return out;
}

TEST(AutoReachable, FreeParametersAgreeWithTheExplicitEngineAtEveryValue) {
  int decided = 0, unreachable = 0, compared = 0;
  const int tried = static_cast<int>(testing::specs_to_try(40));
  for (uint32_t seed = 1; seed <= static_cast<uint32_t>(tried); ++seed) {
    const std::string text = with_reachable_negations(testing::random_param_spec(seed));
    const Model fixed = testing::model_from(text);
    std::vector<int> reachables;
    for (std::size_t i = 0; i < fixed.properties.size(); ++i)
      if (fixed.properties[i].kind == Property::Kind::Reachable) reachables.push_back(static_cast<int>(i));
    // The explicit engine at every value: reachable when some value reaches it.
    std::vector<Verdict> expected(reachables.size(), Verdict::Violated);
    bool clean = true;
    for (int64_t a = 0; a <= 4 && clean; ++a)
      for (int64_t b = 1; b <= 4 && clean; ++b)
        for (int64_t c = 0; c <= 3 && clean; ++c) {
          Model at = with_params(fixed, {{"A", a}, {"B", b}, {"C", c}});
          RunContext context({}, nullptr);
          const std::vector<PropertyResult> results = ExplicitEngine().check(at, reachables, context);
          for (std::size_t k = 0; k < results.size(); ++k) {
            if (results[k].verdict == Verdict::Holds) expected[k] = Verdict::Holds;
            if (results[k].verdict == Verdict::ModelError || results[k].verdict == Verdict::Unknown) clean = false;
          }
        }
    if (!clean) continue;  // a model error at some value: the symbolic answer may name it instead
    LowerOptions free;
    free.free = {"all"};
    const Model open = testing::model_from(text, free);
    Limits limits;
    limits.timeout_seconds = 20;
    RunContext context(limits, nullptr);
    const std::vector<PropertyResult> answers = check_auto(open, reachables, context);
    for (std::size_t k = 0; k < answers.size(); ++k) {
      ++compared;
      if (answers[k].verdict == Verdict::Unknown) continue;
      ++decided;
      unreachable += answers[k].verdict == Verdict::Violated;
      EXPECT_EQ(verdict_name(answers[k].verdict), std::string(verdict_name(expected[k])))
          << "seed " << seed << ", " << answers[k].property << " (" << answers[k].engine << "): " << answers[k].detail << "\n" << text;
    }
  }
  EXPECT_GT(compared, tried * 3 / 4);
  EXPECT_GT(decided, compared * 3 / 4) << "most are decided";
  EXPECT_GT(unreachable, tried / 8) << "some are proven unreachable, which bmc alone cannot do";
}

}  // namespace
}  // namespace interlock

namespace interlock {
namespace {

// An engine whose check throws, as Z3 does from a call that a stop interrupts.
class ThrowingEngine : public Engine {
 public:
  std::string name() const override { return "bmc"; }
  std::vector<PropertyResult> check(const Model&, const std::vector<int>&, RunContext&) override {
    throw std::runtime_error("canceled");
  }
};

TEST(RunEngine, AnEngineStoppedMidCallIsUnknownWithTheStopsReason) {
  // An outside test saw `check --engine bmc --memory 26` end with "internal error: canceled" and
  // no verdicts: the memory stop interrupted a Z3 call that was not a check. Thrown while the run
  // stops, it is the stop; thrown otherwise, it is an internal error still.
  const Model model = testing::model_from(R"(
    system counter;
    var n : 0..10;
    machine M { state A; init A; A -> A when n < 5 do n := n + 1; }
    invariant bounded: n <= 5;
    reachable five: n == 5;
  )");
  ThrowingEngine engine;
  Limits limits;
  limits.memory_mb = 64;
  RunContext running(limits, nullptr);
  EXPECT_THROW(run_engine(engine, model, {0, 1}, running), std::runtime_error);
  RunContext stopping(limits, nullptr);
  request_stop(StopReason::Memory);
  const std::vector<PropertyResult> results = run_engine(engine, model, {0, 1}, stopping);
  withdraw_stop(StopReason::Memory);
  ASSERT_EQ(results.size(), 2u);
  for (const PropertyResult& r : results) {
    EXPECT_EQ(r.verdict, Verdict::Unknown);
    EXPECT_TRUE(r.stopped_by_limit);
    EXPECT_EQ(r.detail, "stopped (memory limit of 64 MB reached)");
    EXPECT_EQ(r.engine, "bmc");
  }
  EXPECT_EQ(results[1].property, "five");
}

}  // namespace
}  // namespace interlock

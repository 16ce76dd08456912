// The symbolic engines on specs that fail at run time (tests/support/random_oracle_spec.h: about
// a third of them divide by zero, assign out of range, index outside an array, choose too wide,
// or cannot evaluate an invariant or a property), against the explicit engine:
//   - chc and k-induction never prove a property the explicit engine does not find holding (a
//     model with a reachable fault holds nothing), and never refute one it proves;
//   - bmc never finds a violation, a witness or a fault where the explicit engine proves the
//     property, and when the explicit engine meets a fault or a violation within bmc's depth,
//     bmc reports one too (a fault and a violation are both failures with a trace: at equal
//     depth the engines may meet either first).
// Every trace these engines show has been replayed on the explicit semantics inside the engine.
#include <gtest/gtest.h>

#include <cstdio>

#include "solver/z3/bmc_engine.h"
#include "solver/z3/chc_engine.h"
#include "solver/z3/kind_engine.h"
#include "support/engine_compare.h"
#include "support/random_oracle_spec.h"
#include "support/test_effort.h"
#include "support/test_models.h"

namespace interlock {
namespace {

constexpr int kDepth = 8;

bool failed(Verdict v) { return v == Verdict::Violated || v == Verdict::ModelError; }

// The invariants and reachable properties, and the verdicts of `engine` on them.
std::vector<PropertyResult> run(Engine& engine, const Model& model, const std::vector<int>& props) {
  Limits limits;
  limits.timeout_seconds = 20;  // far above what each takes (under 2 s), so that a loaded machine does not fail it
  limits.depth = kDepth;
  RunContext context(limits, nullptr);
  return engine.check(model, props, context);
}

TEST(FaultAgreement, SymbolicEnginesAgreeWithTheExplicitEngineOnSpecsThatFail) {
  int specs = 0, with_faults = 0, proven = 0, failures_found = 0;
  const int tried = static_cast<int>(testing::specs_to_try(40));
  for (uint32_t seed = 1; seed <= static_cast<uint32_t>(tried); ++seed) {
    const std::string text = testing::random_oracle_spec(seed);
    SCOPED_TRACE("seed " + std::to_string(seed) + "\n" + text);
    Model model;
    try {
      model = testing::model_from(text);
    } catch (const InputError&) {
      continue;
    }
    std::vector<int> props;
    for (std::size_t i = 0; i < model.properties.size(); ++i)
      if (model.properties[i].kind == Property::Kind::Invariant || model.properties[i].kind == Property::Kind::Reachable)
        props.push_back(static_cast<int>(i));
    if (props.empty()) continue;
    ++specs;
    const std::vector<PropertyResult> all = testing::check_all(model);
    std::vector<const PropertyResult*> expected;
    for (int p : props)
      for (const PropertyResult& r : all)
        if (r.property == model.properties[static_cast<std::size_t>(p)].name) expected.push_back(&r);
    ASSERT_EQ(expected.size(), props.size());
    bool any_fault = false;
    for (const PropertyResult* e : expected) any_fault = any_fault || e->verdict == Verdict::ModelError;
    with_faults += any_fault;

    BmcEngine bmc;
    KInductionEngine kind;
    ChcEngine chc;
    const std::vector<PropertyResult> by_bmc = run(bmc, model, props);
    const std::vector<PropertyResult> by_kind = run(kind, model, props);
    const std::vector<PropertyResult> by_chc = run(chc, model, props);
    for (std::size_t k = 0; k < props.size(); ++k) {
      const PropertyResult& e = *expected[k];
      const bool reachable = e.kind == Property::Kind::Reachable;
      // Found: a violation of an invariant, or a witness of a reachable property, with its trace.
      const bool e_found = reachable ? e.verdict == Verdict::Holds : e.verdict == Verdict::Violated;
      const bool e_clean = reachable ? e.verdict == Verdict::Violated : e.verdict == Verdict::Holds;  // searched all, no fault
      for (const PropertyResult* proof : {&by_kind[k], &by_chc[k]}) {
        if (reachable) continue;  // the provers answer invariants only
        if (proof->verdict == Verdict::Holds) {
          ++proven;
          EXPECT_EQ(e.verdict, Verdict::Holds) << proof->engine << " proves " << e.property << ": " << proof->detail;
        }
        if (failed(proof->verdict)) {
          ++failures_found;
          EXPECT_NE(e.verdict, Verdict::Holds) << proof->engine << " refutes " << e.property << ": " << proof->detail;
        }
      }
      const PropertyResult& b = by_bmc[k];
      const bool b_found = reachable ? b.verdict == Verdict::Holds : b.verdict == Verdict::Violated;
      if (b_found || b.verdict == Verdict::ModelError) {
        EXPECT_FALSE(e_clean) << "bmc on " << e.property << ": " << b.detail;
      }
      if ((e_found || e.verdict == Verdict::ModelError) && e.trace && testing::symbolic_steps(*e.trace) <= kDepth) {
        EXPECT_TRUE(b_found || b.verdict == Verdict::ModelError)
            << "the explicit engine meets " << verdict_name(e.verdict) << " for " << e.property << " within "
            << testing::symbolic_steps(*e.trace) << " symbolic steps; bmc: " << b.detail;
      }
    }
  }
  EXPECT_GE(specs, tried * 7 / 8);
  EXPECT_GE(with_faults, tried / 5);
  EXPECT_GT(proven, tried / 4);
  EXPECT_GT(failures_found, tried / 4);
  std::printf("%d specs (%d with a model error): %d proofs and %d failures found by chc and k-induction\n", specs,
              with_faults, proven, failures_found);
}

}  // namespace
}  // namespace interlock

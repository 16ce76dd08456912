// The advice a prover's `unknown` ends with (solver/z3/prover_hint.h): it fits the property, the
// engine, why the prover stopped and the shape of the model.
#include <gtest/gtest.h>

#include "model/stop.h"
#include "solver/z3/bmc_engine.h"
#include "solver/z3/chc_engine.h"
#include "solver/z3/kind_engine.h"
#include "solver/z3/prover_hint.h"
#include "support/test_models.h"

namespace interlock {
namespace {

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// One wall clock that four deadlines compare with, and three free parameters.
const char* kWallClock = R"(
  system wall;
  param A : 1..100;
  param B : 1..100;
  param C : 1..100;
  var x : 0..3;
  machine M {
    clock t;
    state S0 { invariant t <= A; }
    state S1 { invariant t <= B; }
    state S2 { invariant t <= C; }
    init S0;
    S0 -> S1 when t == A;
    S1 -> S2 when t == B;
    S2 -> S0 when t >= C && t <= 200 do { t := 0; x := (x + 1) % 4; };
  }
  invariant small: x < 3;
  response back: M.S2 leads_to M.S0;
  response back_soon: M.S2 leads_to M.S0 within 300;
)";

Model model() { return testing::model_from(kWallClock); }
const Property& prop(const Model& m, const char* name) { return m.properties[static_cast<std::size_t>(m.find_property(name))]; }

TEST(ProverHint, ATimeoutOfSpacerNamesTheFreeParametersTheSharedClockAndTheOtherEngines) {
  Model m = model();
  const std::string hint = prover_hint(m, prop(m, "small"), "chc", ProverStop::Timeout);
  EXPECT_TRUE(has(hint, "fewer free parameters: 3 are free (A, B, C)")) << hint;
  EXPECT_TRUE(has(hint, "4 different bounds are compared with one clock, as M.t is here")) << hint;
  EXPECT_TRUE(has(hint, "--engine kind")) << hint;
  EXPECT_TRUE(has(hint, "--engine bmc --depth 40 to look for a violation")) << hint;
  EXPECT_TRUE(has(hint, "a longer --timeout")) << hint;
  EXPECT_LT(hint.find("fewer free parameters"), hint.find("--engine kind")) << "the cheapest change first";
}

TEST(ProverHint, AnUnboundedResponseIsNotSentToKInduction) {
  Model m = model();
  const std::string unbounded = prover_hint(m, prop(m, "back"), "chc", ProverStop::Timeout);
  EXPECT_FALSE(has(unbounded, "--engine kind")) << unbounded;
  EXPECT_TRUE(has(unbounded, "to look for a run where time passes forever without the target")) << unbounded;
  const std::string bounded = prover_hint(m, prop(m, "back_soon"), "chc", ProverStop::Timeout);
  EXPECT_TRUE(has(bounded, "--engine kind")) << bounded;
  EXPECT_TRUE(has(bounded, "to look for a violation")) << bounded;
}

TEST(ProverHint, KInductionThatIsNotInductiveAsksForDepthThenChc) {
  Model m = model();
  const std::string hint = prover_hint(m, prop(m, "small"), "kind", ProverStop::NotInductive, 7);
  EXPECT_EQ(hint.rfind("try a larger --depth (k-induction went to k = 7)", 0), 0u) << hint;
  EXPECT_TRUE(has(hint, "--engine chc")) << hint;
  EXPECT_FALSE(has(hint, "a clock of its own")) << "advice about Spacer's shapes is for chc";
  EXPECT_FALSE(has(hint, "--timeout")) << "k-induction did not run out of time";
}

// A prover stopped by --memory is not told to take more time.
TEST(ProverHint, AStopAtTheMemoryLimitAsksForMoreMemoryNotTime) {
  Model m = model();
  for (const char* engine : {"chc", "kind"}) {
    const std::string hint = prover_hint(m, prop(m, "small"), engine, ProverStop::Memory);
    EXPECT_TRUE(has(hint, "a larger --memory")) << hint;
    EXPECT_FALSE(has(hint, "--timeout")) << hint;
    EXPECT_TRUE(has(hint, "fewer free parameters")) << "a smaller question fits in less memory too: " << hint;
  }
  Limits limits;
  limits.memory_mb = 1;
  RunContext context(limits, nullptr);
  EXPECT_EQ(stop_kind(context), ProverStop::Timeout) << "not stopped: nothing says it was memory";
}

// A person who pressed Ctrl-C asked the prover to stop: its unknown says so, without advice on
// how to go further (it said "Spacer gave no answer: interrupted (try ...; or a longer --timeout)").
// The engines end to end: ProcessTest.CtrlCOnAProverLeavesNoAdviceAndNamesWhatItNeverStarted.
TEST(ProverHint, AnInterruptedProverSaysSoWithoutAdvice) {
  Model m = model();
  EXPECT_EQ(with_prover_hint("stopped", m, prop(m, "small"), "chc", ProverStop::Interrupted), "stopped");
  EXPECT_TRUE(has(with_prover_hint("stopped", m, prop(m, "small"), "chc", ProverStop::Timeout), "stopped (try "));
  request_stop(StopReason::Interrupt);
  RunContext context(Limits{}, nullptr);
  const ProverStop kind = stop_kind(context);
  withdraw_stop(StopReason::Interrupt);
  EXPECT_EQ(kind, ProverStop::Interrupted);
}

TEST(ProverHint, WhatSpacerCannotDoComesFirst) {
  Model m = model();
  EXPECT_EQ(prover_hint(m, prop(m, "small"), "chc", ProverStop::Division).rfind("try values for the divisor's parameters", 0), 0u);
  EXPECT_EQ(prover_hint(m, prop(m, "small"), "chc", ProverStop::Nonlinear).rfind("try values (--set P=V) for the parameters", 0), 0u);
  const std::string quantifier = prover_hint(m, prop(m, "small"), "chc", ProverStop::Quantifier);
  EXPECT_EQ(quantifier.rfind("try --engine kind", 0), 0u) << quantifier;
  EXPECT_FALSE(has(quantifier, "fewer free parameters")) << "free parameters are not what stopped it";
}

TEST(ProverHint, OneFreeParameterOrOneBoundGivesNoSuchAdvice) {
  Model m = testing::model_from(R"(
    system small;
    param A : 1..100;
    machine M { clock t; state S0 { invariant t <= A; } init S0; S0 -> S0 when t == A do t := 0; }
    invariant ok: M.S0;
  )");
  const std::string hint = prover_hint(m, m.properties[0], "chc", ProverStop::Timeout);
  EXPECT_FALSE(has(hint, "fewer free parameters")) << hint;
  EXPECT_FALSE(has(hint, "a clock of its own")) << hint;
  EXPECT_TRUE(has(hint, "--engine kind")) << hint;
}

// A symbolic engine asked for a kind of property it does not decide names the engines that do:
// deadlock_free and maximum only the explicit engine (chc used to send them to bmc, which
// refuses them too); reachable also bmc.
TEST(ProverHint, AnEngineThatDoesNotDecideAPropertyNamesOnesThatDo) {
  const Model m = testing::model_from(R"(
    system kinds;
    var x : 0..3;
    machine M { state A, B; init A; A -> B do x := 1; B -> A do x := 0; }
    reachable one: x == 1;
    deadlock_free;
    maximum most: x;
  )");
  struct Expected {
    const char* property;
    const char* says;
  };
  const std::vector<Expected> explicit_only = {{"deadlock_free", "use the explicit engine for deadlock_free properties"},
                                               {"most", "use the explicit engine for maximum properties"}};
  std::vector<int> properties;
  for (const char* name : {"one", "deadlock_free", "most"}) properties.push_back(m.find_property(name));
  Limits limits;
  limits.timeout_seconds = 60;
  for (const char* engine : {"bmc", "kind", "chc"}) {
    RunContext context(limits, nullptr);
    const std::string which = engine;
    const std::vector<PropertyResult> results = which == "bmc"    ? BmcEngine().check(m, properties, context)
                                                : which == "kind" ? KInductionEngine().check(m, properties, context)
                                                                  : ChcEngine().check(m, properties, context);
    for (std::size_t k = 1; k < 3; ++k) {
      EXPECT_EQ(results[k].verdict, Verdict::Unknown) << engine;
      EXPECT_TRUE(has(results[k].detail, explicit_only[k - 1].says)) << engine << ": " << results[k].detail;
      EXPECT_FALSE(has(results[k].detail, "bmc or")) << engine << ": " << results[k].detail;
      EXPECT_EQ(results[k].stats.depth, 0) << engine << ": not searched, so no depth shown";
    }
    if (which != "bmc") {
      EXPECT_TRUE(has(results[0].detail, "use bmc or the explicit engine for reachable properties")) << engine << ": " << results[0].detail;
    } else {
      EXPECT_EQ(results[0].verdict, Verdict::Holds);
    }
  }
}

// bmc's line for a property shows the depth of its own trace, not how deep the run went on for
// the others (an outside tester saw "depth 20" on a witness of one step).
TEST(ProverHint, BmcShowsEachPropertysOwnDepth) {
  const Model m = testing::model_from(R"(
    system depths;
    var x : 0..9;
    machine M { state A; init A; A -> A when x < 9 do x := x + 1; }
    reachable one: x == 1;
    reachable four: x == 4;
    invariant small: x < 9;
  )");
  Limits limits;
  limits.timeout_seconds = 60;
  limits.depth = 6;
  RunContext context(limits, nullptr);
  const std::vector<PropertyResult> r =
      BmcEngine().check(m, {m.find_property("one"), m.find_property("four"), m.find_property("small")}, context);
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].verdict, Verdict::Holds);
  EXPECT_EQ(r[0].stats.depth, 1);
  EXPECT_EQ(r[1].verdict, Verdict::Holds);
  EXPECT_EQ(r[1].stats.depth, 4);
  EXPECT_EQ(r[2].verdict, Verdict::Unknown);  // violated at depth 9, past the bound
  EXPECT_EQ(r[2].stats.depth, 6);
}

}  // namespace
}  // namespace interlock

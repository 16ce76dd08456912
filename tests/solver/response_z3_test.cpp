// Responses (`p leads_to q [within T]`) in the Z3 engines (solver/z3/response_monitor.h): small
// models whose answers are computed by hand, on every engine, the explicit one included, so that
// all of them are held to the same answer; traces replay and show the violation they claim.
#include <gtest/gtest.h>

#include "solver/z3/bmc_engine.h"
#include "solver/z3/chc_engine.h"
#include "solver/z3/kind_engine.h"
#include "solver/z3/zero_time_edges.h"
#include "support/delay_specs.h"
#include "support/test_models.h"

namespace interlock {
namespace {

using testing::model_from;

enum class Checker { Explicit, Bmc, Kind, Chc };
const Checker kEvery[] = {Checker::Explicit, Checker::Bmc, Checker::Kind, Checker::Chc};

const char* name_of(Checker run) {
  switch (run) {
    case Checker::Explicit: return "explicit";
    case Checker::Bmc: return "bmc";
    case Checker::Kind: return "kind";
    default: return "chc";
  }
}

PropertyResult check(const Model& model, const std::string& property, Checker run) {
  Limits limits;
  limits.timeout_seconds = 60;
  if (run == Checker::Bmc) limits.depth = 12;
  RunContext context(limits, nullptr);
  const std::vector<int> props{model.find_property(property)};
  switch (run) {
    case Checker::Bmc: return BmcEngine().check(model, props, context).at(0);
    case Checker::Kind: return KInductionEngine().check(model, props, context).at(0);
    case Checker::Chc: return ChcEngine().check(model, props, context).at(0);
    default: return ExplicitEngine().check(model, props, context).at(0);
  }
}

int64_t ticks_after(const Trace& t, std::size_t state) {
  int64_t n = 0;
  for (std::size_t i = state; i < t.steps.size(); ++i) n += t.steps[i].elapsed();
  return n;
}

// The state where the trace marks its trigger.
std::size_t trigger_of(const Trace& t) {
  for (const auto& [at, note] : t.marks)
    if (note.find("trigger") != std::string::npos) return at;
  ADD_FAILURE() << "no trigger marked";
  return 0;
}

// What each engine may answer: `decides` lists the engines that must reach the verdict; the
// others may say unknown, but nothing else.
void expect_answer(const Model& model, const std::string& property, Verdict verdict, std::initializer_list<Checker> decides) {
  for (Checker run : kEvery) {
    SCOPED_TRACE(std::string(name_of(run)) + " on " + property);
    PropertyResult r = check(model, property, run);
    bool must = false;
    for (Checker d : decides) must = must || d == run;
    if (must) {
      EXPECT_EQ(r.verdict, verdict) << r.detail;
    } else {
      EXPECT_TRUE(r.verdict == verdict || r.verdict == Verdict::Unknown) << verdict_name(r.verdict) << ": " << r.detail;
    }
    if (r.trace) {
      EXPECT_EQ(testing::replay(model, *r.trace), "");
    }
  }
}

// A waits at most 3 ticks (its invariant), B at most 5.
const char* const kTwoStates = testing::kTwoStatesDelays;

TEST(ResponseZ3, BoundedHoldsAtTheLongestWaitAndFailsOneTickShort) {
  Model m = model_from(kTwoStates);
  expect_answer(m, "ab3", Verdict::Holds, {Checker::Explicit, Checker::Kind, Checker::Chc});
  expect_answer(m, "ab2", Verdict::Violated, {Checker::Explicit, Checker::Bmc, Checker::Kind, Checker::Chc});
  expect_answer(m, "ab", Verdict::Holds, {Checker::Explicit, Checker::Chc});
  // bmc's counterexample to ab2: the trigger at time 0, then exactly 3 ticks in A.
  PropertyResult r = check(m, "ab2", Checker::Bmc);
  ASSERT_TRUE(r.trace);
  EXPECT_EQ(r.trace->loop_start, -1);
  EXPECT_EQ(trigger_of(*r.trace), 0u);
  EXPECT_EQ(ticks_after(*r.trace, 0), 3) << "cut right after tick T + 1";
  EXPECT_EQ(r.trace->states.back()[m.instances[0].location_slot], 0) << "still in A";
  EXPECT_NE(r.trace->final_note.find("the target did not hold within"), std::string::npos);
}

// The tick that reaches q counts: q holds exactly T + 1 ticks after p, and that is too late.
TEST(ResponseZ3, TheTickThatReachesTheTargetCounts) {
  Model m = model_from(R"(
    system exact;
    machine M { clock c; state A { invariant c <= 3; } state B; init A; A -> B when c == 3; }
    response at3_within2: M.A leads_to M.c >= 3 within 2;
    response at3_within3: M.A leads_to M.c >= 3 within 3;
  )");
  expect_answer(m, "at3_within2", Verdict::Violated, {Checker::Explicit, Checker::Bmc, Checker::Kind, Checker::Chc});
  expect_answer(m, "at3_within3", Verdict::Holds, {Checker::Explicit, Checker::Kind, Checker::Chc});
  PropertyResult r = check(m, "at3_within2", Checker::Bmc);
  ASSERT_TRUE(r.trace);
  EXPECT_EQ(ticks_after(*r.trace, trigger_of(*r.trace)), 3);
  // The last state already satisfies q (c = 3): the wait was three ticks all the same.
  int clock = -1;
  for (std::size_t i = 0; i < m.slots.size(); ++i)
    if (m.slots[i].name == "M.c") clock = static_cast<int>(i);
  ASSERT_GE(clock, 0);
  EXPECT_EQ(r.trace->states.back()[static_cast<std::size_t>(clock)], 3);
}

// p and q in the same state trigger nothing; a trigger that q follows at once waits 0 ticks.
TEST(ResponseZ3, TheSameStateCounts) {
  Model m = model_from(R"(
    system same;
    var x : 0..3;
    machine M {
      clock c;
      state A { invariant c <= 2; }
      state B { invariant c <= 2; }
      init A;
      A -> B when c == 2 do { c := 0; x := (x + 1) % 4; };
      B -> A when c == 2 do c := 0;
    }
    response at_once: M.A leads_to M.A || x == 3 within 0;
    response next_b: x == 1 leads_to M.B within 0;
    response next_b_late: M.A leads_to M.B within 1;
  )");
  expect_answer(m, "at_once", Verdict::Holds, {Checker::Explicit, Checker::Kind, Checker::Chc});
  expect_answer(m, "next_b", Verdict::Violated, {Checker::Explicit, Checker::Bmc, Checker::Kind, Checker::Chc});
  expect_answer(m, "next_b_late", Verdict::Violated, {Checker::Explicit, Checker::Bmc, Checker::Kind, Checker::Chc});
}

// Time passes forever in A: a lasso for the unbounded response, T + 1 ticks for the bounded one.
TEST(ResponseZ3, ALassoWhereTimePassesForever) {
  Model m = model_from(R"(
    system d2;
    machine M { clock c; state A; state B; init A; A -> B when c >= 2; }
    response r: M.A leads_to M.B;
    response r10: M.A leads_to M.B within 10;
  )");
  expect_answer(m, "r", Verdict::Violated, {Checker::Explicit, Checker::Bmc, Checker::Chc});
  expect_answer(m, "r10", Verdict::Violated, {Checker::Explicit, Checker::Bmc, Checker::Kind, Checker::Chc});
  PropertyResult r = check(m, "r", Checker::Bmc);
  ASSERT_TRUE(r.trace);
  const Trace& t = *r.trace;
  ASSERT_GE(t.loop_start, 0);
  EXPECT_EQ(t.states.back(), t.states[static_cast<std::size_t>(t.loop_start)]);
  EXPECT_GT(ticks_after(t, static_cast<std::size_t>(t.loop_start)), 0) << "time passes around the cycle";
  // The wait never ends, as the explicit engine says of its lasso; a bound exceeded is not that.
  EXPECT_TRUE(r.unbounded);
  EXPECT_TRUE(check(m, "r", Checker::Explicit).unbounded);
  EXPECT_FALSE(check(m, "r10", Checker::Bmc).unbounded);
  EXPECT_EQ(check(m, "r", Checker::Kind).verdict, Verdict::Unknown) << "k-induction leaves unbounded responses to chc";
}

// A's invariant stops time at c = 2 and B needs c == 5: a timelock. No run violates `within 10`
// (time stops after 2 ticks), so every engine must say unknown; `within 1` is violated.
TEST(ResponseZ3, ATimelockIsUnknownUnlessTheBoundIsExceededFirst) {
  Model m = model_from(R"(
    system lock;
    machine M { clock c; state A { invariant c <= 2; } state B; init A; A -> B when c == 5; }
    response r: M.A leads_to M.B;
    response r10: M.A leads_to M.B within 10;
    response r1: M.A leads_to M.B within 1;
  )");
  for (const char* name : {"r", "r10"}) expect_answer(m, name, Verdict::Unknown, {Checker::Explicit, Checker::Bmc, Checker::Kind, Checker::Chc});
  expect_answer(m, "r1", Verdict::Violated, {Checker::Explicit, Checker::Bmc, Checker::Kind, Checker::Chc});
  PropertyResult c = check(m, "r10", Checker::Chc);
  EXPECT_NE(c.detail.find("timelock"), std::string::npos) << c.detail;
}

// A state that is a timelock in itself (A at c = 4 with x = 1: nothing can act, no tick) but
// that no run reaches, since x never becomes 1: a prover must look past it to the reachable
// states before it says holds.
TEST(ResponseZ3, AnUnreachableTimelockDoesNotStopAProof) {
  Model m = model_from(R"(
    system far;
    var x : 0..2;
    machine M { clock c; state A { invariant c <= 4; } state B; init A; A -> B when c >= 3 && x == 0; }
    machine N { state P, Q; init P; P -> Q when x == 2 do x := 1; }
    response r4: M.A leads_to M.B within 4;
  )");
  expect_answer(m, "r4", Verdict::Holds, {Checker::Explicit, Checker::Kind, Checker::Chc});
}

// Urgent A and A2 may swap for ever: a cycle of actions without a tick. Unknown everywhere.
TEST(ResponseZ3, AZeroTimeCycleIsUnknown) {
  Model m = model_from(R"(
    system zeno;
    machine M { urgent state A; urgent state A2; state B; init A; A -> A2; A2 -> A; A -> B; }
    response r: M.A leads_to M.B;
    response r5: M.A leads_to M.B within 5;
  )");
  for (const char* name : {"r", "r5"}) expect_answer(m, name, Verdict::Unknown, {Checker::Explicit, Checker::Bmc, Checker::Kind, Checker::Chc});
  EXPECT_NE(check(m, "r5", Checker::Chc).detail.find("without a tick"), std::string::npos);
}

// A bound that is a parameter: with every value free the provers find T < 3 (A waits 3 ticks),
// and with `assume T >= 3` they prove it for every value.
TEST(ResponseZ3, AParameterBound) {
  const std::string spec = R"(
    system param_bound;
    param T : 0..10 = 5;
    ASSUME
    machine M { clock c; state A { invariant c <= 3; } state B; init A; A -> B when c == 3; }
    response r: M.A leads_to M.B within T;
  )";
  LowerOptions free;
  free.free = {"all"};
  auto with = [&](const std::string& assume) {
    std::string text = spec;
    text.replace(text.find("ASSUME"), 6, assume);
    return model_from(text, free);
  };
  Model any = with("");
  for (Checker run : {Checker::Bmc, Checker::Kind, Checker::Chc}) {
    SCOPED_TRACE(name_of(run));
    PropertyResult r = check(any, "r", run);
    ASSERT_EQ(r.verdict, Verdict::Violated) << r.detail;
    ASSERT_TRUE(r.trace);
    ASSERT_EQ(r.trace->params.size(), 1u);
    EXPECT_LT(r.trace->params[0].second, 3);
    EXPECT_EQ(testing::replay(with_params(any, r.trace->params), *r.trace), "");
  }
  Model enough = with("assume T >= 3;");
  for (Checker run : {Checker::Kind, Checker::Chc}) EXPECT_EQ(check(enough, "r", run).verdict, Verdict::Holds) << name_of(run);
}

// The explicit engine refuses a bound that cannot be evaluated or is negative; with the
// parameter free, the symbolic engines answer model err with the value where it fails.
TEST(ResponseZ3, ABoundThatFailsForSomeParameterIsAModelError) {
  LowerOptions free;
  free.free = {"all"};
  for (const char* bound : {"10 / P", "P - 2"}) {
    Model m = model_from(std::string(R"(
      system bad_bound;
      param P : 0..3 = 3;
      machine M { clock c; state A { invariant c <= 3; } state B; init A; A -> B when c == 3; }
      response r: M.A leads_to M.B within )") + bound + ";", free);
    for (Checker run : {Checker::Bmc, Checker::Kind, Checker::Chc}) {
      SCOPED_TRACE(std::string(name_of(run)) + ", within " + bound);
      PropertyResult r = check(m, "r", run);
      EXPECT_EQ(r.verdict, Verdict::ModelError) << r.detail;
      EXPECT_NE(r.detail.find(bound[0] == '1' ? "cannot be evaluated at P=0: division by zero" : "is negative"), std::string::npos)
          << r.detail;
    }
  }
}

// Which edges a zero-time cycle can use (solver/z3/zero_time_edges.h), by hand.
TEST(ZeroTimeEdges, ResetsAndGuardsThatNeedTimeRuleEdgesOut) {
  Model m = model_from(R"(
    system zt;
    chan go;
    var n : 0..3;
    machine Ticker { clock t; state S; init S; S -> S when t >= 1 do t := 0; }
    machine Counter { state S; init S; S -> S when n < 3 do n := n + 1; }
    machine Sender { clock t; state A, B; init A; A -> B emit go! do t := 0; B -> A when t == 2; }
    machine Receiver { state X; init X; X -> X on go?; }
    machine Flip { state P, Q; init P; P -> Q; Q -> P; }
  )");
  const std::vector<bool> usable = zero_time_edges(m);
  ASSERT_EQ(usable.size(), 7u);
  auto edge = [&](int machine, int k) { return usable[static_cast<std::size_t>(m.instances[machine].edges[k])]; };
  EXPECT_FALSE(edge(0, 0)) << "Ticker: reset, then t >= 1: a tick between";
  EXPECT_TRUE(edge(1, 0)) << "Counter: no clock";
  EXPECT_FALSE(edge(2, 0)) << "Sender's cycle resets t and waits for t == 2";
  EXPECT_FALSE(edge(2, 1));
  EXPECT_FALSE(edge(3, 0)) << "Receiver: its only partner needs time";
  EXPECT_TRUE(edge(4, 0));
  EXPECT_TRUE(edge(4, 1));
}

}  // namespace
}  // namespace interlock

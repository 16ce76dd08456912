// The explicit semantics on tiny models whose reachable states and verdicts were worked out by
// hand (the numbers in the comments). State counts are asserted before verdicts.
#include <gtest/gtest.h>

#include "support/test_models.h"

namespace interlock {
namespace {

using testing::check_all;
using testing::check_one;
using testing::model_from;
using testing::naive_bfs;

const PropertyResult& result(const std::vector<PropertyResult>& all, const std::string& name) {
  for (const auto& r : all)
    if (r.property == name) return r;
  throw std::runtime_error("no result for " + name);
}

TEST(Semantics, RendezvousMovesEmitterAndReceiverTogether) {
  Model m = model_from(R"(
    system r;
    chan c;
    machine A { state S0, S1; init S0; S0 -> S1 emit c!; }
    machine B { state T0, T1; init T0; T0 -> T1 on c?; }
    reachable both: A.S1 && B.T1;
    reachable alone: A.S1 && B.T0;
    deadlock_free;
  )");
  // (S0,T0) -sync-> (S1,T1); each state also has a tick (a self-loop: no clocks).
  auto n = naive_bfs(m);
  EXPECT_EQ(n.states, 2u);
  EXPECT_EQ(n.transitions, 3u);
  auto all = check_all(m);
  EXPECT_EQ(all[0].stats.states, 2u);
  EXPECT_EQ(all[0].stats.transitions, 3u);
  EXPECT_EQ(result(all, "both").verdict, Verdict::Holds);
  EXPECT_EQ(result(all, "alone").verdict, Verdict::Violated);
  // (S1,T1): nothing can ever act again, though time passes: a deadlock.
  const auto& dl = result(all, "deadlock_free");
  EXPECT_EQ(dl.verdict, Verdict::Violated);
  ASSERT_TRUE(dl.trace);
  EXPECT_EQ(dl.trace->steps.size(), 1u);
  EXPECT_EQ(dl.trace->steps[0].channel, 0);
}

TEST(Semantics, EmitterWithoutPartnerCannotMove) {
  Model m = model_from(R"(
    system r;
    chan c;
    machine A { state S0, S1; init S0; S0 -> S1 emit c!; }
    machine B { state T0, T1; init T1; T0 -> T1 on c?; }
    reachable moved: A.S1;
  )");
  EXPECT_EQ(naive_bfs(m).states, 1u);
  EXPECT_EQ(check_one(m, "moved").verdict, Verdict::Violated);
}

TEST(Semantics, RendezvousPicksOneOfSeveralReceivers) {
  Model m = model_from(R"(
    system r;
    chan c;
    machine A { state S0, S1; init S0; S0 -> S1 emit c!; }
    machine B { state T0, T1; init T0; T0 -> T1 on c?; }
    machine C { state T0, T1; init T0; T0 -> T1 on c?; }
    reachable both: B.T1 && C.T1;
  )");
  // (S0,T0,T0) -> (S1,T1,T0) or (S1,T0,T1): 3 states, never both receivers.
  EXPECT_EQ(naive_bfs(m).states, 3u);
  EXPECT_EQ(check_one(m, "both").verdict, Verdict::Violated);
}

TEST(Semantics, BroadcastTakesEveryEnabledReceiverInDeclarationOrder) {
  Model m = model_from(R"(
    system b;
    broadcast chan go;
    var n : 0..20;
    machine E  { state A, B; init A; A -> B emit go! do n := 1; }
    machine R1 { state X, Y; init X; X -> Y on go? do n := n * 3; }
    machine R2 { state X, Y; init Y; X -> Y on go? do n := 0; }          // not in X: disabled
    machine R3 { state X, Y; init X; X -> Y on go? when false; }         // guard false
    machine R4 { state X, Y; init X; X -> Y on go? do n := n + 1; }
    reachable four: E.B && R1.Y && R3.X && R4.Y && n == 4;
    reachable other: E.B && n != 4;
  )");
  // One broadcast: E first (n=1), then R1 (n=3), then R4 (n=4); R2 and R3 stay.
  EXPECT_EQ(naive_bfs(m).states, 2u);
  auto all = check_all(m);
  EXPECT_EQ(result(all, "four").verdict, Verdict::Holds);
  EXPECT_EQ(result(all, "other").verdict, Verdict::Violated);
  ASSERT_TRUE(result(all, "four").trace);
  EXPECT_EQ(result(all, "four").trace->steps[0].edges.size(), 3u);
}

TEST(Semantics, BroadcastWithNoReceiverStillMovesTheEmitter) {
  Model m = model_from(R"(
    system b;
    broadcast chan go;
    machine E { state A, B; init A; A -> B emit go!; }
    machine R { state X, Y; init Y; X -> Y on go?; }
    reachable sent: E.B;
  )");
  EXPECT_EQ(naive_bfs(m).states, 2u);
  EXPECT_EQ(check_one(m, "sent").verdict, Verdict::Holds);
}

TEST(Semantics, BroadcastReceiverWithTwoEnabledEdgesBranches) {
  Model m = model_from(R"(
    system b;
    broadcast chan go;
    machine E { state A, B; init A; A -> B emit go!; }
    machine R { state X, Y, Z; init X; X -> Y on go?; X -> Z on go?; }
  )");
  // (A,X) -> (B,Y) | (B,Z)
  EXPECT_EQ(naive_bfs(m).states, 3u);
}

TEST(Semantics, InvariantStopsTime) {
  Model m = model_from(R"(
    system i;
    machine M { clock t; state A { invariant t <= 3; } state B; init A; A -> B when t >= 2; }
    reachable late: M.A && M.t > 3;
    deadlock_free;
  )");
  // A0 A1 A2 A3 (no tick past 3), B2 B3 B4 (4 = saturated: 3 is the largest constant).
  // Transitions: A0,A1 tick; A2 tick+act; A3 act; B2,B3 tick; B4 tick to itself = 8.
  auto n = naive_bfs(m);
  EXPECT_EQ(n.states, 7u);
  EXPECT_EQ(n.transitions, 8u);
  auto all = check_all(m);
  EXPECT_EQ(all[0].stats.states, 7u);
  EXPECT_EQ(result(all, "late").verdict, Verdict::Violated);
  const auto& dl = result(all, "deadlock_free");
  EXPECT_EQ(dl.verdict, Verdict::Violated);  // B: time passes forever, nothing acts
  ASSERT_TRUE(dl.trace);
  EXPECT_EQ(dl.trace->steps.size(), 3u);  // tick, tick, A -> B at t = 2
}

TEST(Semantics, ActionIntoABrokenInvariantIsDisabled) {
  Model m = model_from(R"(
    system i;
    machine M { clock t; state A; state B { invariant t <= 1; } init A; A -> B when t <= 3; }
    reachable b_late: M.B && M.t >= 2;
  )");
  // A0..A4 (cap 4), B0, B1 only: entering B at t >= 2 would break its invariant.
  EXPECT_EQ(naive_bfs(m).states, 7u);
  EXPECT_EQ(check_one(m, "b_late").verdict, Verdict::Violated);
}

TEST(Semantics, UrgentStateAllowsNoDelay) {
  Model m = model_from(R"(
    system u;
    machine M {
      clock t;
      urgent state U;
      state W { invariant t <= 2; }
      init U;
      U -> W;
      W -> U when t == 2 do t := 0;
    }
    reachable u_late: M.U && M.t > 0;
    deadlock_free;
  )");
  // U0 -> W0 -> W1 -> W2 -> U0: 4 states, 4 transitions (no tick in U, none out of W2).
  auto n = naive_bfs(m);
  EXPECT_EQ(n.states, 4u);
  EXPECT_EQ(n.transitions, 4u);
  auto all = check_all(m);
  EXPECT_EQ(result(all, "u_late").verdict, Verdict::Violated);
  EXPECT_EQ(result(all, "deadlock_free").verdict, Verdict::Holds);
}

TEST(Semantics, TimelockInUrgentStateIsADeadlock) {
  Model m = model_from(R"(
    system u;
    machine M { clock t; urgent state U; state W; init U; U -> W when t >= 1; }
    deadlock_free;
  )");
  EXPECT_EQ(naive_bfs(m).states, 1u);
  auto r = check_one(m, "deadlock_free");
  EXPECT_EQ(r.verdict, Verdict::Violated);
  ASSERT_TRUE(r.trace);
  EXPECT_TRUE(r.trace->steps.empty());  // the initial state itself
}

TEST(Semantics, ClocksSaturateAboveTheLargestConstant) {
  Model m = model_from(R"(
    system c;
    machine M { clock t; state A; init A; A -> A when t == 5; }
    reachable beyond: M.t > 5;
  )");
  // t = 0..6: 6 stands for "more than 5". Ticks 0..5 plus the self-loop at 6, plus the
  // action at t == 5 (to itself): 8 transitions.
  auto n = naive_bfs(m);
  EXPECT_EQ(n.states, 7u);
  EXPECT_EQ(n.transitions, 8u);
  EXPECT_EQ(m.slots[1].hi, 6);
  EXPECT_EQ(check_one(m, "beyond").verdict, Verdict::Holds);
}

TEST(Semantics, PropertiesCountAmongAClocksConstants) {
  // A property that compares the clock with 7 must be able to tell 7 from 6, so it raises the
  // saturation value to 8 and adds the states that tell them apart.
  Model m = model_from(R"(
    system c;
    machine M { clock t; state A; init A; A -> A when t == 5; }
    reachable seven: M.t == 7;
    reachable nine: M.t == 9;
  )");
  EXPECT_EQ(m.slots[1].hi, 10);
  EXPECT_EQ(naive_bfs(m).states, 11u);
  auto all = check_all(m);
  EXPECT_EQ(result(all, "seven").verdict, Verdict::Holds);
  EXPECT_EQ(result(all, "nine").verdict, Verdict::Holds);
}

TEST(Semantics, ClockComparedWithAVariableSaturatesAboveItsRange) {
  Model m = model_from(R"(
    system c;
    var d : 0..9;
    machine M { clock t; state A { invariant t <= d; } init A; }
  )");
  EXPECT_EQ(m.slots[2].hi, 10);
}

TEST(Semantics, ChooseBranchesOncePerValueAndGuardsSeeTheValue) {
  Model m = model_from(R"(
    system c;
    var x : 0..9;
    machine M { state A, B; init A; A -> B choose v in 1..4 when v != 2 do x := v * 2 - 1; }
    reachable three: x == 3;
    reachable five: x == 5;
  )");
  // A(x=0) -> B with x = 1, 5, 7 (v = 1, 3, 4): 4 states.
  EXPECT_EQ(naive_bfs(m).states, 4u);
  auto all = check_all(m);
  EXPECT_EQ(result(all, "three").verdict, Verdict::Violated);
  EXPECT_EQ(result(all, "five").verdict, Verdict::Holds);
}

TEST(Semantics, IndexedMachinesAreCopiesWithTheirIndexAsAConstant) {
  Model m = model_from(R"(
    system p;
    const N = 3;
    var count : 0..N;
    machine P[i : 0..N-1] { var mine : 0..5 = i; state Off, On; init Off; Off -> On when i != 1 do count := count + 1; }
    invariant at_most_two: count <= 2;
    reachable two_on: P[0].On && P[2].On;
    reachable middle_on: P[1].On;
    invariant own_index: forall k in 0..N-1 : P[k].mine == k;
  )");
  EXPECT_EQ(m.instances.size(), 3u);
  EXPECT_EQ(m.instances[2].name, "P[2]");
  // P[0] and P[2] switch on independently: 4 states.
  EXPECT_EQ(naive_bfs(m).states, 4u);
  auto all = check_all(m);
  EXPECT_EQ(all[0].stats.states, 4u);
  EXPECT_EQ(result(all, "at_most_two").verdict, Verdict::Holds);
  EXPECT_EQ(result(all, "two_on").verdict, Verdict::Holds);
  EXPECT_EQ(result(all, "middle_on").verdict, Verdict::Violated);
  EXPECT_EQ(result(all, "own_index").verdict, Verdict::Holds);
}

TEST(Semantics, ChannelArraysConnectMatchingIndexes) {
  Model m = model_from(R"(
    system d;
    chan dial[2];
    machine Link[i : 0..1] { state Idle, Up; init Idle; Idle -> Up emit dial[i]!; }
    machine Remote[i : 0..1] { state Idle, Up; init Idle; Idle -> Up on dial[i]?; }
    invariant paired: forall k in 0..1 : Link[k].Up == Remote[k].Up;
  )");
  EXPECT_EQ(naive_bfs(m).states, 4u);
  EXPECT_EQ(check_one(m, "paired").verdict, Verdict::Holds);
}

TEST(Semantics, TimePassingWithAnEventualActionIsNoDeadlock) {
  Model m = model_from(R"(
    system t;
    machine M { clock t; state A; init A; A -> A when t >= 3 do t := 0; }
    deadlock_free;
  )");
  // t = 0..4 (cap 4): from each, an action comes after at most 3 ticks.
  EXPECT_EQ(naive_bfs(m).states, 5u);
  EXPECT_EQ(check_one(m, "deadlock_free").verdict, Verdict::Holds);
}

TEST(Semantics, UpdatesRunInOrderAndSeeEarlierAssignments) {
  Model m = model_from(R"(
    system o;
    var a : 0..9;
    var b : 0..9;
    machine M { state S, T; init S; S -> T do { a := 2; b := a + 3; a := b - 1; }; }
    reachable done: M.T && a == 4 && b == 5;
  )");
  EXPECT_EQ(check_one(m, "done").verdict, Verdict::Holds);
}

TEST(Semantics, ShortCircuitKeepsAnIndexInRange) {
  Model m = model_from(R"(
    system s;
    var a[2] : bool;
    var i : 0..2;
    machine M { state S; init S; S -> S when i < 2 && !a[i] do { a[i] := true; i := i + 1; }; }
    reachable all: a[0] && a[1] && i == 2;
  )");
  EXPECT_EQ(check_one(m, "all").verdict, Verdict::Holds);
}

TEST(Semantics, AssignmentOutOfRangeIsAModelErrorWithItsTrace) {
  Model m = model_from(R"(
    system e;
    var x : 0..2;
    machine M { state A; init A; A -> A do x := x + 1; }
    invariant fine: x >= 0;
  )");
  auto r = check_one(m, "fine");
  EXPECT_EQ(r.verdict, Verdict::ModelError);
  EXPECT_NE(r.detail.find("assignment x := 3 is outside its range 0..2"), std::string::npos) << r.detail;
  EXPECT_NE(r.detail.find("test.sched:4:"), std::string::npos) << r.detail;
  ASSERT_TRUE(r.trace);
  EXPECT_EQ(r.trace->states.back()[0], 2);  // the trace reaches x == 2; the next step fails
  EXPECT_NE(r.trace->final_note.find("fails"), std::string::npos);
}

TEST(Semantics, ArrayIndexOutOfRangeIsAModelError) {
  Model m = model_from(R"(
    system e;
    var a[2] : bool;
    var i : 0..3;
    machine M { state A; init A; A -> A when i < 3 do { a[i] := true; i := i + 1; }; }
    invariant fine: true;
  )");
  auto r = check_one(m, "fine");
  EXPECT_EQ(r.verdict, Verdict::ModelError);
  // The array by its name, not by its first element's (it said "the array a[0]").
  EXPECT_NE(r.detail.find("index 2 is outside the array a (0..1)"), std::string::npos) << r.detail;
}

TEST(Semantics, DivisionByZeroInAGuardIsAModelError) {
  Model m = model_from(R"(
    system e;
    var d : 0..3 = 2;
    machine M { state A; init A; A -> A when 6 / d > 0 do d := d - 1; }
    invariant fine: true;
  )");
  auto r = check_one(m, "fine");
  EXPECT_EQ(r.verdict, Verdict::ModelError);
  EXPECT_NE(r.detail.find("division by zero"), std::string::npos) << r.detail;
}

TEST(Semantics, SameTimeEventsHappenInEitherOrder) {
  // Two machines fire at t == 2; both orders are possible, so either can see the other's write.
  Model m = model_from(R"(
    system race;
    var last : 0..2;
    machine A { clock t; state W { invariant t <= 2; } state D; init W; W -> D when t == 2 do last := 1; }
    machine B { clock t; state W { invariant t <= 2; } state D; init W; W -> D when t == 2 do last := 2; }
    reachable a_last: A.D && B.D && last == 1;
    reachable b_last: A.D && B.D && last == 2;
  )");
  auto all = check_all(m);
  EXPECT_EQ(result(all, "a_last").verdict, Verdict::Holds);
  EXPECT_EQ(result(all, "b_last").verdict, Verdict::Holds);
}

}  // namespace
}  // namespace interlock

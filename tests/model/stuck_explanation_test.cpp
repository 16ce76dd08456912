// Why a deadlock or a timelock is one (model/stuck_explanation.h): small specs whose reason is
// known by hand, checked through the explicit engine's deadlock_free traces.
#include <gtest/gtest.h>

#include "model/stuck_explanation.h"
#include "support/test_models.h"

namespace interlock {
namespace {

using testing::check_all;
using testing::model_from;

std::vector<std::string> why_of(const std::string& spec) {
  Model m = model_from(spec);
  for (const PropertyResult& r : check_all(m)) {
    if (r.kind != Property::Kind::DeadlockFree) continue;
    EXPECT_EQ(r.verdict, Verdict::Violated);
    if (!r.trace) return {"no trace"};
    return r.trace->why;
  }
  return {"no deadlock_free"};
}

using Lines = std::vector<std::string>;

TEST(StuckExplanation, GuardFalseShowsTheValuesItReads) {
  EXPECT_EQ(why_of(R"(
    system g;
    param LIMIT : 0..9 = 2;
    var x : 0..3 = 0;
    var busy : bool = false;
    machine A { state S0, S1; init S0; S0 -> S1 when x > LIMIT && !busy; }
    deadlock_free;
  )"), (Lines{"time passes for ever and no edge becomes enabled",
              "A: S0 -> S1 is disabled: its guard x > LIMIT && !busy is false (x = 0, LIMIT = 2, busy = false)"}));
}

TEST(StuckExplanation, RendezvousWithNoPartner) {
  EXPECT_EQ(why_of(R"(
    system r;
    chan c;
    chan d;
    machine A { state S0, S1; init S0; S0 -> S1 emit c!; }
    machine B { state T0, T1; init T1; T0 -> T1 on c?; T1 -> T0 on d?; }
    deadlock_free;
  )"), (Lines{"time passes for ever and no edge becomes enabled",
              "A: S0 -> S1 emit c! is disabled: its channel c has no partner: no other machine can take an `on c?` edge",
              "B: T1 -> T0 on d? is disabled: its channel d has no partner: no other machine can take an `emit d!` edge"}));
}

TEST(StuckExplanation, InvariantStopsTimeAndTargetInvariantIsFalse) {
  // The deadlocked state is the initial one: time passes 721 ticks, then Renewing's invariant
  // stops it, and the edge's target invariant is false there.
  EXPECT_EQ(why_of(R"(
    system t;
    machine Renew {
      clock c;
      state Renewing { invariant c <= 721; }
      state Slept { invariant c <= 720; }
      init Renewing;
      Renewing -> Slept when c >= 721;
    }
    deadlock_free;
  )"), (Lines{"time passes 721 ticks (until 721), then Renew.Renewing's invariant c <= 721 stops it (c = 721);"
              " the edges then:",
              "Renew: Renewing -> Slept is disabled: the target invariant c <= 720 is false (c = 721)"}));
}

TEST(StuckExplanation, TimePassesUntilTheClocksSaturate) {
  // c saturates at 4, one above its largest constant: from there a tick changes nothing.
  EXPECT_EQ(why_of(R"(
    system s;
    machine W { clock c; state A; state B { invariant c <= 1; } init A; A -> B when c >= 3; }
    deadlock_free;
  )"), (Lines{"time passes for ever and no edge becomes enabled; the edges after 4 ticks (at 4), when the clocks have"
              " stopped changing:",
              "W: A -> B is disabled: the target invariant c <= 1 is false (c >= 4)"}));
}

TEST(StuckExplanation, UrgentState) {
  EXPECT_EQ(why_of(R"(
    system u;
    var x : 0..1 = 0;
    machine A { urgent state U; state V; init U; U -> V when x == 1; }
    machine B { state W; init W; }
    deadlock_free;
  )"), (Lines{"time cannot pass: A is in the urgent state U",
              "A: U -> V is disabled: its guard x == 1 is false (x = 0)",
              "B: no edge leaves W"}));
}

TEST(StuckExplanation, AsapEdgeDueButItsTargetInvariantIsFalse) {
  EXPECT_EQ(why_of(R"(
    system a;
    var locked : bool = false;
    var n : 0..3 = 0;
    machine J {
      state Blocked;
      state Busy { invariant n >= 1; }
      init Blocked;
      Blocked -> Busy asap when !locked;
    }
    deadlock_free;
  )"), (Lines{"time cannot pass: the asap edge J: Blocked -> Busy (asap) is due",
              "J: Blocked -> Busy (asap) is disabled: the target invariant n >= 1 is false (n = 0)"}));
}

TEST(StuckExplanation, EmptyChooseRangeAndAnotherMachinesInvariant) {
  EXPECT_EQ(why_of(R"(
    system e;
    var x : 0..3 = 2;
    machine A { state S0, S1; init S0; S0 -> S1 when x == 2; S0 -> S1 choose d in x..1 do { x := d; }; }
    machine B { state T0 { invariant !A.S1; } state T1; init T0; T0 -> T1 when x == 0; }
    deadlock_free;
  )"), (Lines{"time passes for ever and no edge becomes enabled",
              "A: S0 -> S1 is disabled: B.T0's invariant !A.S1 would be false (A in S1)",
              "A: S0 -> S1 is disabled: its choose range d in x..1 is empty (x = 2)",
              "B: T0 -> T1 is disabled: its guard x == 0 is false (x = 2)"}));
}

TEST(StuckExplanation, ManyEdgesAreCapped) {
  std::string spec = "system m;\nvar x : 0..1 = 0;\nmachine A { state S0, S1; init S0;\n";
  for (int i = 0; i < 15; ++i) spec += "S0 -> S1 when x == 1;\n";
  spec += "}\ndeadlock_free;\n";
  Lines why = why_of(spec);
  ASSERT_EQ(why.size(), 14u);
  EXPECT_EQ(why[1], "A: S0 -> S1 is disabled: its guard x == 1 is false (x = 0)");
  EXPECT_EQ(why.back(), "and 3 more");
}

TEST(StuckExplanation, ClockTimeShowsDurationsAndTimes) {
  EXPECT_EQ(why_of(R"(
    system k in minutes;
    param AT : 0..1439 = 02:00;
    machine W {
      clock c;
      state Wait { invariant c <= AT; }
      state Done { invariant c <= 1h; }
      init Wait;
      Wait -> Done when c >= AT;
    }
    deadlock_free;
  )"), (Lines{"time passes 2 h (until 02:00), then W.Wait's invariant c <= AT stops it (c = 2 h, AT = 02:00);"
              " the edges then:",
              "W: Wait -> Done is disabled: the target invariant c <= 60 is false (c = 2 h)"}));
}

TEST(StuckExplanation, ExpressionText) {
  Model m = model_from(R"(
    system x;
    var a : 0..9 = 0;
    var b : bool = false;
    machine M { var k : 0..3; state S; init S; S -> S when (a + 1) * 2 > k && (b || !b) => a - (k - 1) == 0; }
  )");
  EXPECT_EQ(expr_text(m, *m.edges[0].guard, 0), "(a + 1) * 2 > k && (b || !b) => a - (k - 1) == 0");
  EXPECT_EQ(expr_text(m, *m.edges[0].guard), "(a + 1) * 2 > M.k && (b || !b) => a - (M.k - 1) == 0");
}

}  // namespace
}  // namespace interlock

// The explicit engine's reductions. Cone of influence: a variable nothing reads costs no states,
// its values come back in traces, and a variable whose update might fail is never dropped (the
// model error stays). Dead clocks: a clock is held at 0 where every way on resets it before
// reading it. Both keep every verdict: random specs are checked with and without them.
#include <gtest/gtest.h>

#include "model/cone.h"
#include "model/dead_clocks.h"
#include "support/random_spec.h"
#include "support/test_models.h"

namespace interlock {
namespace {

const char* kSpec = R"(
  system cone;
  var x : 0..3 = 0;     // read by a guard: kept
  var log : 0..10 = 0;  // only written: dropped
  machine M {
    clock t;
    state A { invariant t <= 1; }
    init A;
    A -> A when t == 1 && x < 3 do { x := x + 1; t := 0; };
  }
  machine L { state S; state T; init S; S -> T do log := 7; T -> S; }
  invariant small: x <= 3;
  reachable moved: L.T && x == 1;
  reachable logged: log == 7;
)";

TEST(Cone, DropsWhatNoCheckedPropertyReads) {
  Model m = testing::model_from(kSpec);
  Cone only_x = cone_of_influence(m, {m.find_property("small")});
  EXPECT_EQ(only_x.dropped, std::vector<std::string>{"log"});
  Cone with_log = cone_of_influence(m, {m.find_property("logged")});
  EXPECT_TRUE(with_log.dropped.empty());
}

TEST(Cone, TheReducedSearchHasFewerStatesAndTheSameVerdict) {
  Model m = testing::model_from(kSpec);
  // x in 0..3, t in 0..1 and L in S or T: 16 states; with log (0, then 7 for good) 24.
  PropertyResult reduced = testing::check_one(m, "small");
  EXPECT_EQ(reduced.verdict, Verdict::Holds);
  EXPECT_EQ(reduced.stats.states, 16u);
  auto all = testing::check_all(m);
  EXPECT_EQ(all[0].verdict, Verdict::Holds);
  EXPECT_EQ(all[2].verdict, Verdict::Holds);
  testing::NaiveSearch naive = testing::naive_bfs(m);
  EXPECT_EQ(naive.states, 24u);
  EXPECT_EQ(all[0].stats.states, naive.states);
}

TEST(Cone, TracesShowTheDroppedVariablesRealValues) {
  Model m = testing::model_from(kSpec);
  PropertyResult r = testing::check_one(m, "moved");
  ASSERT_EQ(r.verdict, Verdict::Holds);
  ASSERT_TRUE(r.trace);
  int log_slot = -1;
  for (std::size_t s = 0; s < m.slots.size(); ++s)
    if (m.slots[s].name == "log") log_slot = static_cast<int>(s);
  EXPECT_EQ(r.trace->states.back()[log_slot], 7) << "found without log, shown with it";
  EXPECT_EQ(testing::replay(m, *r.trace), "");  // replay compares every slot, log included
}

TEST(Cone, AVariableWhoseUpdateCanFailIsKept) {
  Model m = testing::model_from(R"(
    system keep;
    var x : 0..3 = 0;
    var over : 0..2 = 0;   // nothing reads it, but x + 1 can exceed its range
    machine M { clock t; state A { invariant t <= 1; } init A;
      A -> A when t == 1 && x < 3 do { x := x + 1; over := x; t := 0; }; }
    invariant small: x <= 3;
  )");
  Cone c = cone_of_influence(m, {0});
  EXPECT_TRUE(c.dropped.empty());
  PropertyResult r = testing::check_one(m, "small");
  EXPECT_EQ(r.verdict, Verdict::ModelError) << r.detail;
}

TEST(DeadClocks, AClockResetBeforeEveryReadIsHeldAtZero) {
  Model m = testing::model_from(R"(
    system dc;
    machine M {
      clock c;
      state Work { invariant c <= 2; }
      state Rest { invariant c <= 9; }
      state Wait;
      init Work;
      Work -> Rest when c == 2 do c := 0;
      Rest -> Wait when c >= 3;                // then waits any time ...
      Wait -> Work do c := 0;                  // ... and c is reset before it is read again
    }
    deadlock_free;
  )");
  DeadClocks dead = dead_clocks(m, {0});
  ASSERT_EQ(dead.size(), 1u);
  EXPECT_TRUE(dead[0][0].empty());  // Work reads c
  EXPECT_TRUE(dead[0][1].empty());  // Rest reads c
  ASSERT_EQ(dead[0][2].size(), 1u);  // Wait does not, and leaves only by resetting it
  // c saturates at 10: Work 0..2, Rest 0..9, Wait 3..10 without the reduction, Wait once with it.
  RunContext context({}, nullptr);
  auto plain = ExplicitEngine(false).check(m, {0}, context);
  auto reduced = ExplicitEngine(true).check(m, {0}, context);
  EXPECT_EQ(plain[0].stats.states, 3u + 10u + 8u);
  EXPECT_EQ(reduced[0].stats.states, 3u + 10u + 1u);
  EXPECT_EQ(plain[0].verdict, Verdict::Holds);
  EXPECT_EQ(reduced[0].verdict, Verdict::Holds);
}

TEST(DeadClocks, AClockAPropertyReadsStaysLive) {
  Model m = testing::model_from(R"(
    system dc2;
    machine M { clock c; state A; state B; init A; A -> B when c == 1; B -> A do c := 0; }
    reachable late: M.B && M.c == 5;
  )");
  EXPECT_FALSE(any_dead(dead_clocks(m, {0})));
  EXPECT_EQ(testing::check_one(m, "late").verdict, Verdict::Holds);
}

TEST(Reductions, KeepEveryVerdictOnRandomSpecs) {
  int smaller = 0;
  for (uint32_t seed = 1; seed <= 200; ++seed) {
    Model model = testing::model_from(testing::random_spec(seed));
    std::vector<int> props;
    for (std::size_t i = 0; i < model.properties.size(); ++i) props.push_back(static_cast<int>(i));
    RunContext context({}, nullptr);
    auto plain = ExplicitEngine(false).check(model, props, context);
    auto reduced = ExplicitEngine(true).check(model, props, context);
    ASSERT_EQ(plain.size(), reduced.size());
    for (std::size_t r = 0; r < plain.size(); ++r) {
      EXPECT_EQ(plain[r].verdict, reduced[r].verdict) << "seed " << seed << " " << plain[r].property;
      if (reduced[r].trace) {
        EXPECT_EQ(testing::replay(model, *reduced[r].trace), "") << "seed " << seed;
        // Shortest traces stay shortest: the reduced search merges states, it adds no steps.
        if (plain[r].trace) {
          EXPECT_EQ(reduced[r].trace->steps.size(), plain[r].trace->steps.size()) << "seed " << seed;
        }
      }
    }
    if (!plain.empty() && plain[0].stats.states == reduced[0].stats.states) continue;
    ++smaller;
    EXPECT_LT(reduced[0].stats.states, plain[0].stats.states);
  }
  EXPECT_GE(smaller, 10) << "the reductions should apply to some random specs";
}

}  // namespace
}  // namespace interlock

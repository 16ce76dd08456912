// Cone-of-influence reduction: a variable nothing reads costs no states, its values come back in
// traces, and a variable whose update might fail is never dropped (the model error stays).
#include <gtest/gtest.h>

#include "model/cone.h"
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

}  // namespace
}  // namespace interlock

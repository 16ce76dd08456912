// `explain` on a hand-made run: the steps the violation does not need are cut, the one it needs
// is named as the cause, and the ones the spec forces are counted as forced.
#include <gtest/gtest.h>

#include "solver/analysis/explain.h"
#include "solver/trace/replay.h"
#include "support/test_models.h"

namespace interlock {
namespace {

const char* kSpec = R"(
  system ex;
  var x : 0..5 = 0;
  var noise : 0..5 = 0;
  machine A { clock c; state S { invariant c <= 3; } init S; S -> S when c == 3 do { x := x + 1; c := 0; }; }
  machine N { state Q; init Q; Q -> Q when noise < 5 do noise := noise + 1; }
  machine B { state P; state Armed; init P; P -> Armed when x >= 1; }
  invariant safe: !(B.Armed && x >= 2);
)";

Step action(const Model& m, const std::string& machine) {
  Step s;
  for (std::size_t e = 0; e < m.edges.size(); ++e)
    if (m.instances[static_cast<std::size_t>(m.edges[e].instance)].name == machine) s.edges = {static_cast<int>(e)};
  return s;
}

TEST(Explain, CutsNoiseNamesTheCauseCountsTheForced) {
  Model m = testing::model_from(kSpec);
  Step tick;
  tick.tick = true;
  // noise, 3 ticks, A (x = 1), noise, B arms, noise, 3 ticks, A (x = 2): broken.
  std::vector<Step> steps = {action(m, "N"), tick, tick, tick, action(m, "A"), action(m, "N"), action(m, "B"),
                             action(m, "N"), tick, tick, tick, action(m, "A")};
  Replayed run = replay_steps(m, steps);
  ASSERT_EQ(run.outcome, Replayed::Outcome::Ok);
  Explanation why = explain_violation(m, m.properties[0], run.trace);
  EXPECT_EQ(why.original_steps, steps.size());
  EXPECT_EQ(why.trace.steps.size(), steps.size() - 3) << "the three noise steps are cut";
  ASSERT_EQ(why.causes.size(), 1u);
  EXPECT_EQ(why.causes[0].what, "B: P -> Armed");
  EXPECT_EQ(why.causes[0].time, 3);
  EXPECT_EQ(why.forced, 2u) << "A's two increments: its invariant demands them";
  EXPECT_EQ(testing::replay(m, why.trace), "");
}

TEST(Explain, OnlyInvariants) {
  Model m = testing::model_from(std::string(kSpec) + "reachable armed: B.Armed;");
  Trace t;
  EXPECT_THROW(explain_violation(m, m.properties[1], t), std::invalid_argument);
}

}  // namespace
}  // namespace interlock

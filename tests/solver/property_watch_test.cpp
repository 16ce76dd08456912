// The property watch on hand-fed runs: a cycle breaks a response only if time passes in it, a
// deadline passes on the tick after `within` ticks (also inside one long wait), a deadlock is a
// state from which time leads to no action, and a property that cannot be evaluated is a fault,
// not a verdict.
#include <gtest/gtest.h>

#include "model/semantics.h"
#include "solver/property_watch.h"
#include "support/test_models.h"

namespace interlock {
namespace {

// Feeds the watch a run: "t" ticks, "tN" N ticks at once, anything else the action of the machine
// of that name (its only possible one). Returns the index of the step that broke a property, or -1.
struct Fed {
  int broke_at = -1;
  std::optional<PropertyWatch::Broken> broken;
  std::string fault;
  int64_t to_deadline = 0;
};

Fed feed(const Model& m, const std::vector<std::string>& run) {
  Semantics sem(m);
  PropertyWatch watch(sem, PropertyWatch::breakable(m));
  std::vector<int32_t> state;
  ModelFault fault;
  EXPECT_TRUE(sem.initial(state, fault));
  state.resize(m.slots.size() + 1);
  Fed out;
  if (watch.start(state.data())) out.broke_at = 0;
  for (std::size_t k = 0; k < run.size() && out.broke_at < 0; ++k) {
    std::vector<int32_t> next(m.slots.size() + 1, 0);
    Step step;
    if (run[k][0] == 't') {
      step.tick = true;
      step.ticks = run[k].size() > 1 ? std::stoll(run[k].substr(1)) : 1;
      EXPECT_TRUE(sem.delay(state.data(), step.ticks, next.data(), fault)) << "step " << k;
    } else {
      bool found = false;
      sem.successors(state.data(), [&](const Step& s, const int32_t* n) {
        if (found || s.tick || m.instances[static_cast<std::size_t>(m.edges[static_cast<std::size_t>(s.edges[0])].instance)].name != run[k]) return;
        step = s;
        std::copy(n, n + m.slots.size() + 1, next.begin());
        found = true;
      }, fault);
      EXPECT_TRUE(found) << run[k] << " at step " << k;
    }
    state = next;
    if (watch.step(step, state.data())) out.broke_at = static_cast<int>(k) + 1;
  }
  out.broken = watch.broken();
  out.fault = watch.fault();
  out.to_deadline = watch.ticks_to_deadline();
  return out;
}

// P flips between two states; Q counts up to 3 and stops. `back` waits for Q to finish.
const char* kFlip = R"(
  system flip;
  var n : 0..3 = 0;
  machine P { state A, B; init A; A -> B; B -> A; }
  machine Q { state S; init S; S -> S when n < 3 do n := n + 1; }
  response done: P.B leads_to n == 3;
)";

TEST(PropertyWatch, ACycleBreaksAResponseOnlyIfTimePassesInIt) {
  Model m = testing::model_from(kFlip);
  Fed zero_time = feed(m, {"P", "P", "P", "P"});
  EXPECT_EQ(zero_time.broke_at, -1) << "a cycle of actions without a tick is not a run that goes on forever";
  // Nothing here has a clock: a tick changes nothing, and that wait can go on forever.
  Fed timed = feed(m, {"P", "P", "P", "t"});
  EXPECT_EQ(timed.broke_at, 4);
  ASSERT_TRUE(timed.broken);
  EXPECT_EQ(timed.broken->loop_start, 1) << "the first time the run was in that state";
  EXPECT_EQ(timed.broken->trigger, std::optional<std::size_t>(1)) << "the first state of the wait";
  Fed round = feed(m, {"P", "t", "P", "t", "P"});
  EXPECT_EQ(round.broke_at, 2) << "the tick alone closes the cycle at once";
  Fed reached = feed(m, {"P", "Q", "Q", "Q", "t", "P", "t"});
  EXPECT_EQ(reached.broke_at, -1) << "the target held: the wait ended";
}

const char* kLate = R"(
  system late;
  machine Job { clock c; state Idle; state Waiting; state Done; init Idle; Idle -> Waiting do c := 0; Waiting -> Done when c <= 100; }
  response quick: Job.Waiting leads_to Job.Done within 3;
  reachable done: Job.Done;
)";

TEST(PropertyWatch, ADeadlinePassesOnTheTickAfterWithin) {
  Model m = testing::model_from(kLate);
  EXPECT_EQ(PropertyWatch::breakable(m), std::vector<int>{0}) << "a reachable property is not watched";
  Fed on_time = feed(m, {"Job", "t", "t", "t", "Job"});
  EXPECT_EQ(on_time.broke_at, -1);
  Fed pending = feed(m, {"Job", "t", "t"});
  EXPECT_EQ(pending.to_deadline, 2);
  Fed late = feed(m, {"Job", "t", "t", "t", "t", "Job"});
  EXPECT_EQ(late.broke_at, 5);
  ASSERT_TRUE(late.broken);
  EXPECT_EQ(late.broken->note, "violates quick: 4 ticks since its trigger held, and its target has not held");
  Fed long_wait = feed(m, {"Job", "t10"});
  EXPECT_EQ(long_wait.broke_at, 2) << "inside one long wait";
}

TEST(PropertyWatch, ADeadlockIsWhereTimeLeadsToNoAction) {
  Model m = testing::model_from(R"(
    system stop;
    machine M { clock c; state A; state B; state C; init A; A -> B; B -> C when c == 5; }
    deadlock_free;
  )");
  Fed early = feed(m, {"M"});
  EXPECT_EQ(early.broke_at, -1) << "c reaches 5 later: an action comes";
  Fed late = feed(m, {"t6", "M"});
  EXPECT_EQ(late.broke_at, 2) << "c is past 5: B waits forever";
  ASSERT_TRUE(late.broken);
  EXPECT_TRUE(late.broken->stuck);
}

TEST(PropertyWatch, APropertyThatCannotBeEvaluatedIsAFault) {
  Model m = testing::model_from(R"(
    system div;
    var d : 0..2 = 1;
    machine M { state A; init A; A -> A when d > 0 do d := d - 1; }
    invariant ratio: 10 / d >= 1;
  )");
  Fed f = feed(m, {"M"});
  EXPECT_EQ(f.broke_at, -1);
  EXPECT_NE(f.fault.find("'ratio' cannot be evaluated here"), std::string::npos) << f.fault;
}

}  // namespace
}  // namespace interlock

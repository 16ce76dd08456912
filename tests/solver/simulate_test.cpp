// `simulate` stops at the first step that breaks a property a run can break (an invariant,
// deadlock_free, a response's deadline or its endless cycle) and says which; it never stops for a
// property that holds, nor for reachable properties and maxima. The command exits 1 there.
#include <gtest/gtest.h>

#include <sstream>

#include "cli/commands.h"
#include "model/lower.h"
#include "solver/trace/simulate.h"
#include "support/test_models.h"

namespace interlock {
namespace {

Model spec_file(const std::string& path) { return load_model(std::string(INTERLOCK_SOURCE_DIR) + "/" + path); }

TEST(SimulateWatch, StopsAtTheStepThatBreaksAnInvariant) {
  Model m = spec_file("specs/hazards/cron_race.sched");
  Simulation s = simulate(m, 1, 1000);
  ASSERT_EQ(s.end, Simulation::End::Violated);
  EXPECT_EQ(s.violated, "one_at_a_time");
  EXPECT_EQ(s.trace.final_note, "violates one_at_a_time");
  EXPECT_LT(s.trace.steps.size(), 1000u);
  const int users = 0;  // the first slot: `users`, two jobs on the file
  ASSERT_EQ(m.slots[users].name, "users");
  EXPECT_EQ(s.trace.states.back()[users], 2);
  for (std::size_t i = 0; i + 1 < s.trace.states.size(); ++i) EXPECT_LE(s.trace.states[i][users], 1) << "state " << i;
  EXPECT_EQ(testing::replay(m, s.trace), "");
}

TEST(SimulateWatch, ADeadlineThatPassesStopsTheRunWhereItPasses) {
  Model m = testing::model_from(R"(
    system late;
    machine Job { clock c; state Idle; state Waiting { invariant c <= 9; } state Done; init Idle;
                  Idle -> Waiting do c := 0; Waiting -> Done when c >= 6; Done -> Idle; }
    response quick: Job.Waiting leads_to Job.Done within 3;
    reachable done: Job.Done;
    maximum wait: Job.c when Job.Waiting;
  )");
  // Any run that waits at all waits at least 6 ticks: the deadline passes on the 4th.
  for (uint64_t seed = 1; seed <= 5; ++seed) {
    Simulation s = simulate(m, seed, 500);
    if (s.end != Simulation::End::Violated) continue;
    EXPECT_EQ(s.violated, "quick");
    EXPECT_EQ(s.trace.final_note, "violates quick: 4 ticks since its trigger held, and its target has not held");
    ASSERT_EQ(s.trace.marks.size(), 1u);
    int64_t waited = 0;
    for (std::size_t i = s.trace.marks[0].first; i < s.trace.steps.size(); ++i) waited += s.trace.steps[i].elapsed();
    EXPECT_EQ(waited, 4) << "seed " << seed;
    return;
  }
  ADD_FAILURE() << "no seed reached the deadline";
}

TEST(SimulateWatch, ACycleThatRepeatsForeverWithoutTheTarget) {
  Model m = spec_file("specs/hazards/starvation.sched");
  Simulation s = simulate(m, 1, 5000);
  ASSERT_EQ(s.end, Simulation::End::Violated);
  EXPECT_EQ(s.violated, "low_served");
  ASSERT_GE(s.trace.loop_start, 0);
  EXPECT_EQ(s.trace.states.back(), s.trace.states[static_cast<std::size_t>(s.trace.loop_start)]);
  int64_t in_cycle = 0;
  for (std::size_t i = static_cast<std::size_t>(s.trace.loop_start); i < s.trace.steps.size(); ++i) in_cycle += s.trace.steps[i].elapsed();
  EXPECT_GT(in_cycle, 0) << "time passes in the cycle";
}

TEST(SimulateWatch, ADeadlockEndsTheRunWithWhyNothingMoves) {
  Model m = spec_file("specs/hazards/lock_order.sched");
  for (uint64_t seed = 1; seed <= 40; ++seed) {
    Simulation s = simulate(m, seed, 200);
    if (s.end != Simulation::End::Violated) continue;
    EXPECT_EQ(s.violated, "deadlock_free");
    EXPECT_TRUE(s.trace.stuck);
    EXPECT_FALSE(s.trace.why.empty());
    return;
  }
  ADD_FAILURE() << "no seed of 40 ran into the lock-order deadlock";
}

// The fixed hazards hold every property: no run may claim otherwise.
TEST(SimulateWatch, NeverStopsForAPropertyThatHolds) {
  for (const char* path : {"specs/hazards/cron_race_fixed.sched", "specs/hazards/starvation_fixed.sched", "specs/hazards/lock_order_fixed.sched",
                           "specs/admin/pg_dump/flock.sched"}) {
    Model m = spec_file(path);
    for (uint64_t seed = 1; seed <= 4; ++seed) {
      Simulation s = simulate(m, seed, 3000);
      EXPECT_NE(s.end, Simulation::End::Violated) << path << " seed " << seed << ": " << s.trace.final_note;
    }
  }
}

TEST(SimulateWatch, TheCommandSaysWhichStepAndExitsOne) {
  std::ostringstream out, err;
  const std::string spec = std::string(INTERLOCK_SOURCE_DIR) + "/specs/hazards/cron_race.sched";
  EXPECT_EQ(run_command_line({"simulate", spec, "--steps", "40"}, out, err), 1);
  EXPECT_NE(err.str().find("interlock simulate: step 14 (time 12) breaks one_at_a_time; the run stops there"), std::string::npos) << err.str();
  EXPECT_NE(out.str().find("      12 => violates one_at_a_time\n"), std::string::npos) << out.str();
  std::ostringstream fixed_out, fixed_err;
  const std::string fixed = std::string(INTERLOCK_SOURCE_DIR) + "/specs/hazards/cron_race_fixed.sched";
  EXPECT_EQ(run_command_line({"simulate", fixed, "--steps", "40"}, fixed_out, fixed_err), 0) << fixed_err.str();
}

}  // namespace
}  // namespace interlock

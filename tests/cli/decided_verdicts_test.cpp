// When the process guard must end the process (a phase that overran its deadline, a Ctrl-C not
// honoured, memory past the limit), the verdicts the check had already decided are printed with
// its message, not lost with the report it never printed.
#include "cli/decided_verdicts.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "cli/engine_registry.h"
#include "cli/process_guard.h"
#include "support/test_models.h"

namespace interlock {
namespace {

const char* kTwoProperties =
    "system two;\nvar x : 0..3 = 0;\nmachine M { state A; init A; A -> A when x < 3 do x := x + 1; }\n"
    "invariant small: x <= 1;\ninvariant bounded: x <= 3;\n";

TEST(DecidedVerdicts, TheGuardPrintsWhatWasDecidedWhenItEndsTheProcess) {
  const Model model = testing::model_from(kTwoProperties);
  std::vector<PropertyResult> results = testing::check_all(model);
  ASSERT_EQ(results.size(), 2u);
  results[1].verdict = Verdict::Unknown;  // as if its engine had not finished
  EXPECT_EXIT(
      {
        publish_decided(model, results);
        GuardLimits limits;
        limits.hard_deadline_seconds = 0.05;
        ProcessGuard guard(limits);
        std::this_thread::sleep_for(std::chrono::seconds(5));
      },
      ::testing::ExitedWithCode(3),
      "the run went on past its --timeout; the process ends here. The verdicts decided before it ended:\n"
      "violated  small .*\nEvery other verdict is unknown.");
}

TEST(DecidedVerdicts, WithNothingDecidedEveryVerdictIsUnknown) {
  const Model model = testing::model_from(kTwoProperties);
  EXPECT_EXIT(
      {
        clear_decided();
        GuardLimits limits;
        limits.hard_deadline_seconds = 0.05;
        ProcessGuard guard(limits);
        std::this_thread::sleep_for(std::chrono::seconds(5));
      },
      ::testing::ExitedWithCode(3), "the process ends here, and every verdict not printed is unknown");
}

// check_auto tells what it has decided after each engine's part: here each property in turn (free
// parameters: the symbolic engines, one property at a time).
TEST(DecidedVerdicts, AutoReportsEachPropertyAsItIsDecided) {
  const Model model = testing::model_from(
      "system two;\nparam LIMIT : 1..3;\nvar x : 0..3 = 0;\n"
      "machine M { state A; init A; A -> A when x < LIMIT do x := x + 1; }\n"
      "invariant small: x <= 1;\ninvariant bounded: x <= 3;\n");
  RunContext context({}, nullptr);
  std::vector<std::size_t> sizes;
  std::vector<PropertyResult> results =
      check_auto(model, {0, 1}, context, [&](const std::vector<PropertyResult>& so_far) { sizes.push_back(so_far.size()); });
  EXPECT_EQ(sizes, (std::vector<std::size_t>{1, 2}));
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0].verdict, Verdict::Violated);
  EXPECT_EQ(results[1].verdict, Verdict::Holds);
}

}  // namespace
}  // namespace interlock

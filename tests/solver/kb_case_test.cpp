// End to end on the flagship spec, specs/msmail/original.sched: the KB Q99698 conflict is found,
// its trace is a shortest one, and it replays step by step on the model.
#include <gtest/gtest.h>

#include "solver/explicit/explicit_engine.h"
#include "support/test_models.h"

namespace interlock {
namespace {

const std::string kSpec = std::string(INTERLOCK_SOURCE_DIR) + "/specs/msmail/original.sched";

const PropertyResult& result(const std::vector<PropertyResult>& all, const std::string& name) {
  for (const auto& r : all)
    if (r.property == name) return r;
  throw std::runtime_error("no result for " + name);
}

int64_t trace_time(const Trace& t) {
  int64_t ticks = 0;
  for (const auto& s : t.steps) ticks += s.tick;
  return ticks;
}

// The article's claims on the default schedule (tests/solver/spec_files_test.cpp checks every
// property of every KB spec; these are the ones that stop early, so they stay quick everywhere).
TEST(KbCase, TheDocumentedConflictIsReal) {
  Model model = load_model(kSpec);
  std::vector<int> props = {model.find_property("no_drop"), model.find_property("conflict"), model.find_property("no_loss")};
  RunContext context({}, nullptr);
  auto all = ExplicitEngine().check(model, props, context);
  ASSERT_EQ(all.size(), 3u);
  EXPECT_GT(all[0].stats.states, 10000u);
  const auto& drop = result(all, "no_drop");
  EXPECT_EQ(drop.verdict, Verdict::Violated);
  EXPECT_EQ(result(all, "conflict").verdict, Verdict::Holds);
  // [M1]: the message on the line when the line drops is lost.
  EXPECT_EQ(result(all, "no_loss").verdict, Verdict::Violated);

  ASSERT_TRUE(drop.trace);
  const Trace& t = *drop.trace;
  EXPECT_EQ(testing::replay(model, t), "");
  // The drop happens at the backup's start time, when a shutdown broadcast cuts the line.
  EXPECT_EQ(trace_time(t), 120);
  const Step& last = t.steps.back();
  EXPECT_FALSE(last.tick);
  ASSERT_GE(last.channel, 0);
  EXPECT_EQ(model.channels[last.channel].name, "shutdown");
  EXPECT_EQ(last.edges.size(), 3u);  // Backup, Server and RSC move together
}

TEST(KbCase, ALostMessageNeverArrives) {
  // A short queue keeps the whole-space search small; the loss needs only one message.
  LowerOptions options;
  options.set = {{"MAX_QUEUE", 1}, {"START_QUEUE", 1}};
  Model model = load_model(kSpec, options);
  auto all = testing::check_all(model);
  const auto& delivered = result(all, "delivered");
  EXPECT_EQ(delivered.verdict, Verdict::Violated) << delivered.detail;
  ASSERT_TRUE(delivered.trace);
  EXPECT_GE(delivered.trace->loop_start, 0) << "a lasso: time passes forever without the message";
  EXPECT_EQ(testing::replay(model, *delivered.trace), "");
  EXPECT_EQ(result(all, "deadlock_free").verdict, Verdict::Holds);
  EXPECT_EQ(result(all, "server_back").verdict, Verdict::Holds);
  // The original backup never waits.
  EXPECT_EQ(result(all, "backup_on_time").verdict, Verdict::Holds);
  EXPECT_EQ(result(all, "backup_delay").value.value_or(-1), 0);
}

TEST(KbCase, ASlotAfterTheBackupStillDropsWhenMailKeepsComing) {
  // One connection a day, at 03:20, long after the backup: no drop on the first day. But users
  // may keep the queue from ever emptying, so one session can last until the next day's backup.
  LowerOptions options;
  options.set = {{"RSC_OFFSET", 200}, {"RSC_PERIOD", 1440}, {"START_QUEUE", 0}};
  Model model = load_model(kSpec, options);
  auto r = testing::check_one(model, "no_drop");
  EXPECT_EQ(r.verdict, Verdict::Violated);
  ASSERT_TRUE(r.trace);
  EXPECT_EQ(testing::replay(model, *r.trace), "");
  EXPECT_EQ(trace_time(*r.trace), 1440 + 120);  // the second day's backup
}

TEST(KbCase, TraceIsShortestAndStoreMatchesANaiveSearch) {
  // A compressed schedule small enough for the naive std::map search.
  LowerOptions options;
  options.set = {{"BACKUP_AT", 20}, {"BACKUP_LEN", 5}, {"RESTART_LEN", 2}, {"RSC_PERIOD", 10},
                 {"RSC_OFFSET", 3}, {"TX_MAX", 4}, {"MAX_QUEUE", 2}};
  Model model = load_model(kSpec, options);
  // One day is still 1440 minutes, so shrink nothing else; the naive search explores it all.
  auto naive = testing::naive_bfs(model, "no_drop");
  // The plain semantics, without the reductions that merge states (those are checked in
  // reduction_test.cpp), so that the counts can be compared.
  std::vector<int> props;
  for (std::size_t i = 0; i < model.properties.size(); ++i) props.push_back(static_cast<int>(i));
  RunContext context({}, nullptr);
  auto all = ExplicitEngine(/*reduce=*/false).check(model, props, context);
  EXPECT_EQ(all[0].stats.states, naive.states);
  EXPECT_EQ(all[0].stats.transitions, naive.transitions);
  const auto& drop = result(all, "no_drop");
  ASSERT_EQ(drop.verdict, Verdict::Violated);
  ASSERT_TRUE(drop.trace);
  EXPECT_EQ(static_cast<int>(drop.trace->steps.size()), naive.steps_to_bad);
  EXPECT_EQ(testing::replay(model, *drop.trace), "");
}

}  // namespace
}  // namespace interlock

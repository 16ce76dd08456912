// The administrators' policies of specs/admin/ (issue 12): what their comments claim beyond the
// `// expect:` lines that the spec test checks at the default values: proofs for every value of
// the parameters, the synthesised safe random delay, the lasso of a starved job, and a fix that
// breaks when a job grows.
#include <gtest/gtest.h>

#include <sstream>

#include "cli/commands.h"

namespace interlock {
namespace {

struct CommandRun {
  int code = -1;
  std::string out, err;
};

CommandRun interlock_run(std::vector<std::string> args) {
  args[1] = std::string(INTERLOCK_SOURCE_DIR) + "/specs/admin/" + args[1];
  std::ostringstream out, err;
  CommandRun r;
  r.code = run_command_line(args, out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

bool has(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(AdminSpecs, CertbotUnderTheDeployLockIsProvenForEveryDelayAndDuration) {
  const CommandRun r = interlock_run({"check", "certbot/under_lock.sched", "--engine", "chc", "--free", "all", "--prop", "deploy_reloads"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_TRUE(has(r.out, "holds     deploy_reloads")) << r.out;
  EXPECT_TRUE(has(r.out, "proven for every parameter value allowed")) << r.out;
}

TEST(AdminSpecs, SynthFindsTheSafeRandomDelayOfTheThreeOClockTimer) {
  const CommandRun r = interlock_run({"synth", "certbot/at_three.sched", "--param", "RAND_DELAY", "--prop", "deploy_reloads"});
  EXPECT_TRUE(has(r.out, "holds exactly when: RAND_DELAY <= 5 h 57 min")) << r.out << r.err;
  EXPECT_TRUE(has(r.out, "exact: every value of RAND_DELAY is decided")) << r.out;
}

TEST(AdminSpecs, BothJobsUnderOneFlockKeepTheDumpWholeForEveryDumpLength) {
  const CommandRun r = interlock_run({"check", "pg_dump/flock.sched", "--engine", "chc", "--free", "all", "--prop", "dump_completes"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_TRUE(has(r.out, "proven for every parameter value allowed")) << r.out;
}

TEST(AdminSpecs, FlockNonblockStarvesTheRotationForEverWithALasso) {
  const CommandRun r = interlock_run({"check", "pg_dump/flock_nonblock.sched", "--prop", "rotate_runs"});
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_TRUE(has(r.out, "the cycle below repeats forever")) << r.out;
  EXPECT_TRUE(has(r.out, "Rotate: Due -> Idle")) << r.out;  // skipped, in the cycle
}

TEST(AdminSpecs, RotatingLaterHoldsOnlyWhileTheDumpFitsInAnHour) {
  EXPECT_EQ(interlock_run({"check", "pg_dump/rotate_later.sched", "--prop", "dump_completes"}).code, 0);
  const CommandRun longer = interlock_run({"check", "pg_dump/rotate_later.sched", "--prop", "dump_completes", "--set", "DUMP_MAX=70min"});
  EXPECT_EQ(longer.code, 1) << longer.out << longer.err;
  EXPECT_TRUE(has(longer.out, "03:01 bcast restart")) << longer.out;
}

TEST(AdminSpecs, TheWeekOfBackupsRunsOnAWeeklyWallClockAndEachCollisionHasItsDay) {
  const CommandRun r = interlock_run({"check", "borg/original.sched", "--prop", "backup_reads_whole_dump"});
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_TRUE(has(r.out, "repeating every week (10080 minutes)")) << r.out;
  EXPECT_TRUE(has(r.out, "Mon 03:00 => violates backup_reads_whole_dump")) << r.out;
  const CommandRun saturday = interlock_run({"check", "borg/original.sched", "--prop", "backup_gets_lock"});
  EXPECT_TRUE(has(saturday.out, "Sat 03:00 => violates backup_gets_lock")) << saturday.out;
  const CommandRun sunday = interlock_run({"check", "borg/original.sched", "--prop", "prune_gets_lock"});
  EXPECT_TRUE(has(sunday.out, "Sun 04:00 => violates prune_gets_lock")) << sunday.out;
}

TEST(AdminSpecs, ThePersistentUpgradeMeetsTheAgentOnlyAfterAReboot) {
  const CommandRun r = interlock_run({"check", "apt_upgrade/original.sched", "--prop", "agent_gets_lock"});
  EXPECT_EQ(r.code, 1) << r.out << r.err;
  EXPECT_TRUE(has(r.out, "Host: Up -> Down")) << r.out;
  EXPECT_TRUE(has(r.out, "upgrade_timer: missed -> catching_up")) << r.out;
}

}  // namespace
}  // namespace interlock

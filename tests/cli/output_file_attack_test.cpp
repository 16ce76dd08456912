// What the command line writes where the user names it (graph -o, import -o, compare --output),
// attacked by another local user (tests/support/other_user.h: a throwaway user when the tests run
// as root, as CI does). An outside tester planted a link at the output path (the victim's
// authorized_keys was overwritten), a link or a folder of their own in the output folder, a FIFO
// (the run hung past --timeout) and a file of their own (they read what was written). Each is now
// refused with a located error (exit 2), the file the link points to is untouched, and nothing
// waits; a plain output is still written.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/commands.h"
#include "support/other_user.h"

namespace interlock {
namespace {

namespace fs = std::filesystem;
using namespace testing;

const std::string kSource = INTERLOCK_SOURCE_DIR;
const std::string kSpec = kSource + "/specs/hazards/lost_update.sched";
const std::string kFixed = kSource + "/specs/hazards/lost_update_fixed.sched";
const std::string kCrontab = kSource + "/tests/data/import/shared_lock.crontab";

struct Outcome {
  int code = 0;
  std::string err;
};

Outcome run(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  Outcome r;
  r.code = run_command_line(args, out, err);
  r.err = err.str();
  return r;
}

std::string read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

// The three writers, each to `target` (a file; for compare, a folder whose page is index.html).
std::vector<std::pair<std::string, std::vector<std::string>>> writers(const fs::path& file, const fs::path& folder) {
  return {{"graph", {"graph", kSpec, "-o", file.string()}},
          {"import", {"import", "crontab", kCrontab, "-o", file.string(), "-q"}},
          {"compare", {"compare", kSpec, kFixed, "--format", "html", "--output", folder.string(), "--jobs", "1"}}};
}

class OutputFileAttack : public ::testing::Test {
 protected:
  void SetUp() override {
    attacker = other_user();
    fs::remove_all(base);
    fs::create_directories(base);
    ASSERT_EQ(chmod(base.c_str(), 0755), 0);
    std::ofstream(victim) << "the victim's own file\n";
  }
  void TearDown() override { fs::remove_all(base); }

  // Runs `args`, which must be refused with `message` in the error and leave the victim as it was.
  void expect_refused(const std::string& writer, const std::vector<std::string>& args, const std::string& message) {
    SCOPED_TRACE(writer);
    const auto start = std::chrono::steady_clock::now();
    const Outcome r = run(args);
    EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(60)) << "it waited";
    EXPECT_EQ(r.code, 2) << r.err;
    EXPECT_NE(r.err.find(message), std::string::npos) << r.err;
    EXPECT_EQ(read(victim), "the victim's own file\n");
  }

  OtherUser attacker;
  const fs::path base = fs::temp_directory_path() / ("interlock-output-attack-" + std::to_string(getpid()));
  const fs::path victim = base / "victim";
};

TEST_F(OutputFileAttack, APlainOutputIsWritten) {
  for (const auto& [writer, args] : writers(base / "out", base / "report")) {
    SCOPED_TRACE(writer);
    const Outcome r = run(args);
    EXPECT_TRUE(r.code == 0 || r.code == 1) << r.err;  // compare exits 1: a spec fails
    const fs::path written = writer == "compare" ? base / "report" / "index.html" : base / "out";
    EXPECT_GT(fs::file_size(written), 100u);
    fs::remove(base / "out");
  }
  EXPECT_FALSE(fs::is_empty(base / "report" / "traces"));
}

TEST_F(OutputFileAttack, ALinkAtTheOutputPathIsNotFollowed) {
  for (const auto& [writer, args] : writers(base / "out", base / "report")) {
    fs::remove_all(base / "report");
    fs::create_directories(base / "report");
    fs::remove(base / "out");
    fs::create_symlink(victim, base / "out");
    fs::create_symlink(victim, base / "report" / "index.html");
    expect_refused(writer, args, "it is a symbolic link, which interlock does not write through");
  }
  // A link to a file that is not there yet: nothing is created through it.
  fs::remove(base / "out");
  fs::create_symlink(base / "made", base / "out");
  expect_refused("graph", writers(base / "out", base)[0].second, "symbolic link");
  EXPECT_FALSE(fs::exists(base / "made"));
}

TEST_F(OutputFileAttack, AFifoAtTheOutputPathIsRefusedWithoutWaiting) {
  for (const auto& [writer, args] : writers(base / "out", base / "report")) {
    fs::remove_all(base / "report");
    fs::create_directories(base / "report" / "traces");
    fs::remove(base / "out");
    ASSERT_EQ(mkfifo((base / "out").c_str(), 0666), 0);
    ASSERT_EQ(mkfifo((base / "report" / "traces" / "1-both_finish.html").c_str(), 0666), 0);
    ASSERT_EQ(mkfifo((base / "report" / "traces" / "1-no_lost_update.html").c_str(), 0666), 0);
    expect_refused(writer, args, "it is a FIFO, not a file");
  }
}

TEST_F(OutputFileAttack, AFolderEveryoneMayWriteOrAnotherUsersIsRefused) {
  const fs::path open_folder = base / "open";
  fs::create_directories(open_folder);
  ASSERT_EQ(chmod(open_folder.c_str(), 0777), 0);
  for (const auto& [writer, args] : writers(open_folder / "out", open_folder / "report"))
    expect_refused(writer, args, "every user may write into it (mode 0777, not sticky)");
  // Sticky, as /tmp is: a file of one's own may be written there.
  ASSERT_EQ(chmod(open_folder.c_str(), 01777), 0);
  EXPECT_EQ(run(writers(open_folder / "out", base)[0].second).code, 0);
  if (!attacker.separate) return;  // without root, no other user to own a folder or a file
  // The attacker's own folder, and a link from the victim's report folder to it.
  const fs::path theirs = base / "theirs";
  fs::create_directories(theirs);
  ASSERT_EQ(chown(theirs.c_str(), attacker.uid, attacker.gid), 0);
  for (const auto& [writer, args] : writers(theirs / "out", theirs / "report"))
    expect_refused(writer, args, "it belongs to another user (uid " + std::to_string(attacker.uid) + ")");
  fs::create_directories(base / "report");
  fs::create_symlink(theirs, base / "report" / "traces");
  expect_refused("compare", writers(base / "out", base / "report")[2].second, "belongs to another user");
  // A file of theirs, writable by everyone, in a sticky folder: they could read what is written.
  const fs::path planted = open_folder / "planted";
  std::ofstream(planted) << "";
  ASSERT_EQ(chown(planted.c_str(), attacker.uid, attacker.gid), 0);
  ASSERT_EQ(chmod(planted.c_str(), 0666), 0);
  expect_refused("graph", writers(planted, base)[0].second, "it belongs to another user");
  EXPECT_EQ(fs::file_size(planted), 0u);
}

}  // namespace
}  // namespace interlock

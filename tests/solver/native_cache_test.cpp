// The native-code cache (solver/explicit/native/) against what may be found in it: a library
// cut short, one built for another model, one that others may write, a folder that is a link
// or that others may write, a compile that is interrupted, a compile folder left by a process
// that died. Whatever is found, the search uses a library built by this user from its own
// source, or the interpreter, and gives the right verdict. native_cache_attack_test.cpp tries
// the same as another user.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <thread>

#include "solver/explicit/native/native_code.h"
#include "support/native_cache_support.h"
#include "support/scoped_env.h"

namespace interlock {
namespace {

namespace fs = std::filesystem;
using namespace testing;

constexpr mode_t kWriteByOthers = S_IWGRP | S_IWOTH;

class NativeCache : public ::testing::Test {
 protected:
  ScratchFolder scratch;
  fs::path cache = scratch.path() / "cache";
  ScopedEnv cache_env{"INTERLOCK_CACHE", cache.string()};
  ScopedEnv compiler_env{"INTERLOCK_CXX", std::nullopt};  // the one interlock was built with

  // Checks kHazardSpec with native code on: the right verdict, and native code used.
  void expect_native_and_right() {
    PropertyResult r = check_hazard();
    EXPECT_EQ(r.verdict, Verdict::Violated);
    EXPECT_GT(r.stats.native_states, 0u) << r.stats.native_note;
  }
};

TEST_F(NativeCache, ALibraryCutShortIsRebuiltNotLoaded) {
  expect_native_and_right();
  const fs::path library = only_library(cache);
  ASSERT_FALSE(library.empty());
  const std::string whole = read_file(library);
  // Empty, inside the ELF header, inside the program headers, half, all but the last byte.
  for (std::size_t size : {std::size_t{0}, std::size_t{16}, std::size_t{100}, whole.size() / 2, whole.size() - 1}) {
    SCOPED_TRACE("cut to " + std::to_string(size) + " bytes");
    write_file(library, whole.substr(0, size));
    expect_native_and_right();
    EXPECT_EQ(fs::file_size(library), whole.size()) << "not rebuilt";
  }
}

TEST_F(NativeCache, ALibraryOfAnotherModelIsNotLoaded) {
  expect_native_and_right();
  const fs::path hazard = only_library(cache);
  ASSERT_FALSE(hazard.empty());
  fs::create_directory(scratch.path() / "quiet");
  {
    ScopedEnv quiet_cache("INTERLOCK_CACHE", (scratch.path() / "quiet").string());
    PropertyResult quiet = check_hazard(kQuietSpec);
    ASSERT_EQ(quiet.verdict, Verdict::Holds);
    ASSERT_GT(quiet.stats.native_states, 0u) << quiet.stats.native_note;
  }
  const fs::path quiet = only_library(scratch.path() / "quiet");
  ASSERT_FALSE(quiet.empty());
  const std::string quiet_bytes = read_file(quiet);

  // Copied over it, then moved in its place: if it were run, `hazard` would hold.
  write_file(hazard, quiet_bytes);
  expect_native_and_right();
  EXPECT_TRUE(read_file(hazard) != quiet_bytes) << "still the other model's";
  fs::rename(quiet, hazard);
  expect_native_and_right();
  EXPECT_TRUE(read_file(hazard) != quiet_bytes) << "still the other model's";
}

TEST_F(NativeCache, ALibraryOthersMayWriteIsNotLoaded) {
  expect_native_and_right();
  const fs::path library = only_library(cache);
  ASSERT_FALSE(library.empty());
  const fs::path marker = scratch.path() / "planted-code-ran";
  const fs::path planted = scratch.path() / "planted.so";
  ASSERT_TRUE(build_planted_library(planted, marker, binding_of(read_file(library))));
  for (mode_t mode : {0666, 0620}) {
    SCOPED_TRACE("mode " + std::to_string(mode));
    // As if another user had written it (native_cache_attack_test.cpp does that as one).
    write_file(library, read_file(planted));
    ASSERT_EQ(chmod(library.c_str(), mode), 0);
    expect_native_and_right();
    EXPECT_FALSE(fs::exists(marker)) << "planted code ran";
    EXPECT_EQ(mode_of(library) & kWriteByOthers, 0u) << "not rebuilt";
  }
}

TEST_F(NativeCache, ALinkInPlaceOfTheFolderIsNotFollowed) {
  const fs::path target = scratch.path() / "target";
  fs::create_directory(target);
  fs::permissions(target, fs::perms::owner_all);
  fs::create_directory_symlink(target, cache);
  PropertyResult r = check_hazard();
  EXPECT_EQ(r.verdict, Verdict::Violated);
  EXPECT_EQ(r.stats.native_states, 0u);
  EXPECT_NE(r.stats.native_note.find(cache.string()), std::string::npos) << r.stats.native_note;
  EXPECT_NE(r.stats.native_note.find("link"), std::string::npos) << r.stats.native_note;
  EXPECT_EQ(entries(target), std::vector<std::string>{}) << "written through the link";
}

TEST_F(NativeCache, AFolderOthersMayWriteIsNotUsed) {
  fs::create_directory(cache);
  for (mode_t mode : {0777, 0770, 01777}) {
    SCOPED_TRACE("mode " + std::to_string(mode));
    ASSERT_EQ(chmod(cache.c_str(), mode), 0);
    PropertyResult r = check_hazard();
    EXPECT_EQ(r.verdict, Verdict::Violated);
    EXPECT_EQ(r.stats.native_states, 0u);
    EXPECT_NE(r.stats.native_note.find(cache.string()), std::string::npos) << r.stats.native_note;
    EXPECT_EQ(entries(cache), std::vector<std::string>{});
  }
}

TEST_F(NativeCache, WithoutAHomeTheFolderIsAPrivateOneUnderTmp) {
  const fs::path tmp = scratch.path() / "tmp";
  fs::create_directory(tmp);
  ASSERT_EQ(chmod(tmp.c_str(), 01777), 0);  // as /tmp
  ScopedEnv no_cache("INTERLOCK_CACHE", std::nullopt), no_xdg("XDG_CACHE_HOME", std::nullopt),
      no_home("HOME", std::nullopt), tmpdir("TMPDIR", tmp.string());
  expect_native_and_right();
  const fs::path folder = tmp / ("interlock-cache-" + std::to_string(geteuid()));
  struct stat info;
  ASSERT_EQ(lstat(folder.c_str(), &info), 0);
  EXPECT_TRUE(S_ISDIR(info.st_mode));
  EXPECT_EQ(info.st_uid, geteuid());
  EXPECT_EQ(info.st_mode & 0777, 0700u);
  EXPECT_FALSE(only_library(folder).empty());
}

TEST_F(NativeCache, AMissingXdgCacheHomeIsCreatedPrivate) {
  const fs::path xdg = scratch.path() / "xdg";
  ScopedEnv no_cache("INTERLOCK_CACHE", std::nullopt), xdg_env("XDG_CACHE_HOME", xdg.string());
  expect_native_and_right();
  EXPECT_EQ(mode_of(xdg) & 0777, 0700u);
  EXPECT_EQ(mode_of(xdg / "interlock") & 0777, 0700u);
  EXPECT_FALSE(only_library(xdg / "interlock").empty());
}

// True once `pid` has ended (gone, or a zombie nobody has reaped yet).
bool ended(pid_t pid) {
  const std::string stat = read_file("/proc/" + std::to_string(pid) + "/stat");
  const std::size_t close = stat.rfind(')');
  return close == std::string::npos || stat.substr(close + 2, 1) == "Z";
}

bool wait_until(const std::function<bool()>& condition, double seconds) {
  const auto end = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (!condition()) {
    if (std::chrono::steady_clock::now() > end) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

// A compile abandoned while the compiler runs (the search ended first, or was stopped): the
// compiler and everything it started are killed, and its files (its own temporary ones too)
// removed. The "compiler" here leaves a temporary file where compilers do and starts a process
// of its own, then waits.
TEST_F(NativeCache, AnInterruptedCompileLeavesNoProcessAndNoFile) {
  const fs::path report = scratch.path() / "report";
  const fs::path compiler = scratch.path() / "slow-compiler";
  const fs::path tmp = scratch.path() / "tmp";
  fs::create_directory(tmp);
  write_file(compiler, R"(#!/bin/sh
temp="$(cd "${TMPDIR:-/tmp}" && pwd)/compiler-temp.$$"
: > "$temp"
echo "$temp" > ")" + report.string() + R"(.temp"
sleep 60 &
echo $! > ")" + report.string() + R"(.helper"
echo $$ > ")" + report.string() + R"("
wait
)");
  fs::permissions(compiler, fs::perms::owner_all);
  ScopedEnv compiler_env_here("INTERLOCK_CXX", compiler.string()), tmpdir("TMPDIR", tmp.string());
  pid_t helper = -1;
  fs::path temp;
  {
    NativeCode code(hazard_source());
    ASSERT_TRUE(wait_until([&] { return fs::exists(report) && fs::file_size(report) > 0; }, 20)) << code.why();
    helper = std::stoi(read_file(report.string() + ".helper"));
    temp = read_file(report.string() + ".temp");
    temp = temp.string().substr(0, temp.string().find('\n'));
    EXPECT_FALSE(code.ready());
    EXPECT_TRUE(fs::exists(temp));
  }
  EXPECT_TRUE(wait_until([&] { return ended(helper); }, 5)) << "the compiler's own process still runs";
  if (!ended(helper) && read_file("/proc/" + std::to_string(helper) + "/comm") == "sleep\n") kill(helper, SIGKILL);
  EXPECT_FALSE(fs::exists(temp)) << temp;
  EXPECT_EQ(entries(cache), std::vector<std::string>{});
  EXPECT_EQ(entries(tmp), std::vector<std::string>{});
}

// A compile folder (job-*) whose process died is removed by the next run; one whose process
// still runs (its lock is held) is left alone.
TEST_F(NativeCache, ACompileFolderLeftByAProcessThatDiedIsRemoved) {
  expect_native_and_right();
  const fs::path dead = cache / "job-dead", alive = cache / "job-alive";
  for (const fs::path& job : {dead, alive}) {
    fs::create_directory(job);
    for (const char* name : {"log", "model.cpp", "ccAbCdEf.o"}) write_file(job / name, "x");
    // Older than any compile that is still being set up.
    const timespec old[2] = {{0, UTIME_OMIT}, {time(nullptr) - 3600, 0}};
    ASSERT_EQ(utimensat(AT_FDCWD, job.c_str(), old, 0), 0);
  }
  const int lock = open((alive / "log").c_str(), O_RDWR | O_CLOEXEC);
  ASSERT_GE(lock, 0);
  ASSERT_EQ(flock(lock, LOCK_EX), 0);
  expect_native_and_right();
  close(lock);
  EXPECT_FALSE(fs::exists(dead));
  EXPECT_TRUE(fs::exists(alive / "model.cpp"));
}

}  // namespace
}  // namespace interlock

// The native-code cache attacked by another local user (tests/support/other_user.h: a throwaway
// user when the tests run as root, as CI does). The victim runs without HOME, so its cache is
// $TMPDIR/interlock-cache-UID, with TMPDIR a folder like /tmp (everyone may write, sticky). The
// attacker plants a folder or a link under that name, writes into a library others may write,
// swaps or cuts short a library, and swaps the folder or the link while the victim loads. The
// planted library claims the victim's binding and creates a marker file when it is loaded or
// run: the marker must never appear, and every verdict must be right.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>

#include "solver/explicit/native/native_code.h"
#include "support/native_cache_support.h"
#include "support/other_user.h"
#include "support/scoped_env.h"

namespace interlock {
namespace {

namespace fs = std::filesystem;
using namespace testing;

// Copies `from` over `to`, or to a new file `to` with `mode`, with system calls only (for a
// forked child).
bool copy_raw(const char* from, const char* to, mode_t mode) {
  const int in = open(from, O_RDONLY | O_CLOEXEC);
  int out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
  bool ok = out < 0 || fchmod(out, mode) == 0;  // not left to the umask
  if (out < 0) out = open(to, O_WRONLY | O_TRUNC | O_CLOEXEC);
  ok = ok && in >= 0 && out >= 0;
  char buffer[8192];
  for (ssize_t n; ok && (n = read(in, buffer, sizeof buffer)) != 0;)
    ok = n > 0 && write(out, buffer, static_cast<std::size_t>(n)) == n;
  if (in >= 0) close(in);
  if (out >= 0) close(out);
  return ok;
}

class NativeCacheAttack : public ::testing::Test {
 protected:
  void SetUp() override {
    attacker = other_user();
    std::printf("attacker: %s (uid %u)\n", attacker.separate ? "another user" : "the same user, writable files",
                static_cast<unsigned>(attacker.uid));
    fs::create_directory(tmp);
    ASSERT_EQ(chmod(tmp.c_str(), 01777), 0);
    fs::create_directory(stage);
    // A genuine library of the victim's, built elsewhere: its name and binding are public
    // (they follow from the model and the compiler), so the attacker may be assumed to know them.
    ASSERT_NO_FATAL_FAILURE(build_genuine(genuine));
    const fs::path library = only_library(genuine);
    ASSERT_FALSE(library.empty());
    library_name = library.filename().string();
    ASSERT_TRUE(build_planted_library(stage / library_name, marker, binding_of(read_file(library))));
    // Whatever else the cache keeps for a library, the attacker has it too (readable in stage/).
    for (const std::string& name : entries(genuine))
      if (name != library_name) fs::copy_file(genuine / name, stage / name);
  }

  // The victim's library for native_source_of(), built in `folder`.
  static void build_genuine(const fs::path& folder) {
    ScopedEnv cache_here("INTERLOCK_CACHE", folder.string());
    NativeCode code(native_source_of());
    code.wait();
    ASSERT_NE(code.successors(), nullptr) << code.why();
  }

  // The attacker's own folder at `folder` with the planted library (and its companions) in it:
  // owned by the attacker, or, when that is the test's own user, writable by everyone.
  bool plant_folder(const fs::path& folder) {
    const mode_t folder_mode = attacker.separate ? 0755 : 0777;
    const mode_t file_mode = attacker.separate ? 0755 : 0777;
    std::vector<std::pair<std::string, std::string>> copies;
    for (const std::string& name : entries(stage)) copies.emplace_back((stage / name).string(), (folder / name).string());
    const std::string path = folder.string();
    return run_as(attacker, [&] {
      if (mkdir(path.c_str(), folder_mode) != 0 || chmod(path.c_str(), folder_mode) != 0) return false;
      for (const auto& [from, to] : copies)
        if (!copy_raw(from.c_str(), to.c_str(), file_mode)) return false;
      return true;
    });
  }

  // `native`: whether native code must be used (empty: either way).
  void expect_right_verdict(std::optional<bool> native) {
    PropertyResult r = check_hazard();
    EXPECT_EQ(r.verdict, Verdict::Violated);
    if (native == true) {
      EXPECT_GT(r.stats.native_states, 0u) << r.stats.native_note;
    } else if (native == false) {
      EXPECT_EQ(r.stats.native_states, 0u);
    }
    EXPECT_FALSE(fs::exists(marker)) << "planted code ran";
  }

  OtherUser attacker;
  ScratchFolder scratch;
  const fs::path tmp = scratch.path() / "tmp";          // the victim's /tmp
  const fs::path stage = scratch.path() / "stage";      // what the attacker plants
  const fs::path genuine = scratch.path() / "genuine";  // the victim's library, built elsewhere
  const fs::path marker = scratch.path() / "planted-code-ran";
  const fs::path cache = tmp / ("interlock-cache-" + std::to_string(geteuid()));
  std::string library_name;
  ScopedEnv no_cache{"INTERLOCK_CACHE", std::nullopt}, no_xdg{"XDG_CACHE_HOME", std::nullopt},
      no_home{"HOME", std::nullopt}, tmpdir{"TMPDIR", tmp.string()}, compiler{"INTERLOCK_CXX", std::nullopt};
};

TEST_F(NativeCacheAttack, AFolderPlantedUnderTheCacheNameIsNotUsed) {
  ASSERT_TRUE(plant_folder(cache));
  expect_right_verdict(false);
}

TEST_F(NativeCacheAttack, ALinkPlantedUnderTheCacheNameIsNotFollowed) {
  const fs::path planted = tmp / "planted";
  ASSERT_TRUE(plant_folder(planted));
  // A folder of the victim's own, which the attacker would have the victim write into.
  const fs::path victims = scratch.path() / "victims-own";
  fs::create_directory(victims);
  fs::permissions(victims, fs::perms::owner_all);
  for (const fs::path& target : {planted, victims}) {
    SCOPED_TRACE("a link to " + target.string());
    const std::string link = cache.string(), to = target.string();
    ASSERT_TRUE(run_as(attacker, [&] {
      unlink(link.c_str());
      return symlink(to.c_str(), link.c_str()) == 0;
    }));
    expect_right_verdict(false);
  }
  EXPECT_EQ(entries(victims), std::vector<std::string>{});
}

TEST_F(NativeCacheAttack, ALibraryOthersMayWriteIsNotLoaded) {
  expect_right_verdict(true);
  const fs::path library = cache / library_name;
  ASSERT_TRUE(fs::exists(library));
  // The victim's umask let everyone write it, and the folder may be entered by everyone.
  ASSERT_EQ(chmod(cache.c_str(), 0711), 0);
  ASSERT_EQ(chmod(library.c_str(), 0666), 0);
  const std::string from = (stage / library_name).string(), to = library.string();
  ASSERT_TRUE(run_as(attacker, [&] { return copy_raw(from.c_str(), to.c_str(), 0666); }));
  expect_right_verdict(true);
  EXPECT_EQ(mode_of(library) & (S_IWGRP | S_IWOTH), 0u);

  // Cut short by the attacker while others may write it: rebuilt, no crash.
  ASSERT_EQ(chmod(library.c_str(), 0666), 0);
  const std::size_t size = fs::file_size(library);
  ASSERT_TRUE(run_as(attacker, [&] { return truncate(to.c_str(), static_cast<off_t>(size / 2)) == 0; }));
  expect_right_verdict(true);
  EXPECT_EQ(fs::file_size(library), size);
}

TEST_F(NativeCacheAttack, ALibrarySwappedForAnotherModelsIsNotLoaded) {
  expect_right_verdict(true);
  ASSERT_EQ(check_hazard(kQuietSpec).verdict, Verdict::Holds);
  const fs::path hazard = cache / library_name;
  fs::path quiet;
  for (const std::string& name : entries(cache))
    if (fs::path(name).extension() == ".so" && name != library_name) quiet = cache / name;
  ASSERT_FALSE(quiet.empty());
  ASSERT_EQ(chmod(cache.c_str(), 0711), 0);  // the attacker may enter, not write
  const std::string from = quiet.string(), to = hazard.string();
  const bool swapped = run_as(attacker, [&] { return rename(from.c_str(), to.c_str()) == 0; });
  EXPECT_EQ(swapped, !attacker.separate) << "another user could swap the victim's libraries";
  // As the issue did it, as root: swapped by a user who may.
  if (!swapped) fs::copy_file(quiet, hazard, fs::copy_options::overwrite_existing);
  expect_right_verdict(true);
}

TEST_F(NativeCacheAttack, ALibraryCutShortIsRebuilt) {
  expect_right_verdict(true);
  const fs::path library = cache / library_name;
  const std::size_t size = fs::file_size(library);
  ASSERT_EQ(chmod(cache.c_str(), 0711), 0);
  const std::string path = library.string();
  const bool cut = run_as(attacker, [&] { return truncate(path.c_str(), static_cast<off_t>(size / 2)) == 0; });
  EXPECT_EQ(cut, !attacker.separate) << "another user could cut the victim's library short";
  if (!cut) fs::resize_file(library, size / 2);
  expect_right_verdict(true);
  EXPECT_EQ(fs::file_size(library), size);
}

// The victim loads again and again while the attacker swaps what the victim's path leads to,
// between the victim's own folder (with the genuine library) and the attacker's (with the
// planted one). A compile started when neither is found is abandoned at once (and killed).
void race(const OtherUser& attacker, const std::function<void()>& swap, const fs::path& marker) {
  const std::string source = native_source_of();
  int started[2];
  ASSERT_EQ(pipe(started), 0);
  const pid_t swapper = start_as(attacker, [&] {
    swap();
    const char byte = 1;
    if (write(started[1], &byte, 1) != 1) return;
    for (;;) swap();
  });
  char byte = 0;
  const bool swapping = read(started[0], &byte, 1) == 1;
  close(started[0]);
  close(started[1]);
  int loaded = 0, tries = 0;
  const auto end = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  for (; swapping && tries < 20000 && std::chrono::steady_clock::now() < end; ++tries) {
    NativeCode code(source);
    loaded += code.ready() && code.successors() != nullptr;
  }
  stop_child(swapper);
  std::printf("%d tries, %d loaded a library\n", tries, loaded);
  EXPECT_TRUE(swapping);
  EXPECT_FALSE(fs::exists(marker)) << "planted code ran";
}

TEST_F(NativeCacheAttack, ALinkSwappedWhileTheVictimLoadsIsNotFollowed) {
  const fs::path planted = tmp / "planted";
  ASSERT_TRUE(plant_folder(planted));
  // The link's other target: the victim's own folder with the genuine library. The two links
  // trade names atomically, so the cache name always leads somewhere.
  const std::string link = cache.string(), other = (tmp / "other-link").string();
  const std::string good = genuine.string(), evil = planted.string();
  ASSERT_TRUE(run_as(attacker, [&] {
    return symlink(evil.c_str(), link.c_str()) == 0 && symlink(good.c_str(), other.c_str()) == 0;
  }));
  race(attacker, [&] { renameat2(AT_FDCWD, link.c_str(), AT_FDCWD, other.c_str(), RENAME_EXCHANGE); }, marker);
  expect_right_verdict(false);
}

// The victim chose a cache folder inside a folder the attacker may write (not sticky): the
// attacker can trade the victim's folder there for its own.
TEST_F(NativeCacheAttack, AFolderSwappedWhileTheVictimLoadsIsNotUsed) {
  const fs::path shared = tmp / "shared";
  const std::string shared_path = shared.string();
  ASSERT_TRUE(run_as(attacker, [&] { return mkdir(shared_path.c_str(), 0777) == 0 && chmod(shared_path.c_str(), 0777) == 0; }));
  const fs::path own = shared / "cache", planted = shared / "planted";
  ScopedEnv victims_choice("INTERLOCK_CACHE", own.string());
  ASSERT_NO_FATAL_FAILURE(build_genuine(own));
  ASSERT_TRUE(plant_folder(planted));
  const std::string a = own.string(), b = planted.string();
  race(attacker, [&] { renameat2(AT_FDCWD, a.c_str(), AT_FDCWD, b.c_str(), RENAME_EXCHANGE); }, marker);
  expect_right_verdict(std::nullopt);
}

}  // namespace
}  // namespace interlock

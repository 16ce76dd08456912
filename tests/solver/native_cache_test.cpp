// The native-code cache (solver/explicit/native/) against what may be found in it: a library
// cut short, one built for another model, one that others may write, a folder that is a link
// or that others may write, a compile that is interrupted, a compile folder left by a process
// that died. Whatever is found, the search uses a library built by this user from its own
// source, or the interpreter, and gives the right verdict. native_cache_attack_test.cpp tries
// the same as another user.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <link.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <optional>
#include <thread>

#include "model/lower.h"
#include "model/semantics.h"
#include "solver/explicit/native/background_compiles.h"
#include "solver/explicit/native/cache_folder.h"
#include "solver/explicit/native/codegen.h"
#include "solver/explicit/native/native_code.h"
#include "solver/explicit/native/sha256.h"
#include "solver/explicit/native/unique_fd.h"
#include "support/native_cache_support.h"
#include "support/process_wait.h"
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

// A library is named by what it is built from: the same model read from another path (the spec
// given relative, absolute, or copied) finds the library compiled before. (The file's name was in
// the generated source: a check by another path compiled again, and a check shorter than the
// compile, such as the KB case's, then never had native code.)
TEST_F(NativeCache, TheSameModelAtAnotherPathUsesTheSameLibrary) {
  auto source_at = [](const std::string& file) {
    const Model model = load_model_from_text(file, kHazardSpec, {});
    const Semantics semantics(model);
    return native_source(model, semantics.param_values(), semantics.dead_clocks(), StateLayout(model));
  };
  EXPECT_EQ(source_at("hazard.sched"), source_at("/srv/specs/../specs/copy of hazard.sched"));
  EXPECT_NE(source_at("hazard.sched"), native_source_of(kQuietSpec));
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

// A library that passes the checks made before loading (this user's, whole, with the binding's
// text in it) but exports another binding is caught after loading, before any use, and rebuilt.
TEST_F(NativeCache, ALibraryExportingAnotherBindingIsRebuilt) {
  expect_native_and_right();
  const fs::path library = only_library(cache);
  ASSERT_FALSE(library.empty());
  const std::string binding = binding_of(read_file(library));
  ASSERT_FALSE(binding.empty());
  const fs::path other = scratch.path() / "other.so";
  const std::string wrong = binding.substr(0, binding.find(':') + 1) + std::string(64, '0');
  ASSERT_TRUE(build_planted_library(other, scratch.path() / "loaded", wrong, binding));
  const std::string other_bytes = read_file(other);
  write_file(library, other_bytes);
  ASSERT_EQ(chmod(library.c_str(), 0600), 0);
  NativeCode code(native_source_of());
  EXPECT_NE(code.rebuilt_because().find("another source"), std::string::npos) << code.rebuilt_because();
  code.wait();
  EXPECT_NE(code.successors(), nullptr) << code.why();
  expect_native_and_right();
  EXPECT_TRUE(read_file(library) != other_bytes) << "not rebuilt";
}

// The descriptor numbers N of libraries loaded as /proc/self/fd/N whose descriptor is closed.
std::vector<int> names_of_closed_descriptors() {
  std::vector<std::string> names;
  dl_iterate_phdr([](dl_phdr_info* info, std::size_t, void* out) {
    if (info->dlpi_name) static_cast<std::vector<std::string>*>(out)->push_back(info->dlpi_name);
    return 0;
  }, &names);
  std::vector<int> closed;
  const std::string prefix = "/proc/self/fd/";
  for (const std::string& name : names)
    if (name.rfind(prefix, 0) == 0 && fcntl(std::stoi(name.substr(prefix.size())), F_GETFD) == -1)
      closed.push_back(std::stoi(name.substr(prefix.size())));
  return closed;
}

// Libraries are loaded as /proc/self/fd/N, and the loader hands back the library it already has
// under a name without opening the file: a number whose name is still taken (the same library
// loaded twice, the first one closed) must not be used to load another.
TEST_F(NativeCache, TwoLibrariesNeverShareALoaderName) {
  const std::string hazard = native_source_of(), quiet = native_source_of(kQuietSpec);
  {
    NativeCode built(quiet);
    built.wait();
    ASSERT_NE(built.successors(), nullptr) << built.why();
  }
  auto first = std::make_unique<NativeCode>(hazard);
  first->wait();
  ASSERT_NE(first->successors(), nullptr) << first->why();
  NativeCode second(hazard);  // the same file: loaded once, under the first one's name
  ASSERT_NE(second.successors(), nullptr) << second.why();
  first.reset();  // its descriptor is closed; the library stays loaded for the second
  const std::vector<int> closed = names_of_closed_descriptors();
  ASSERT_EQ(closed.size(), 1u);
  // The next descriptors opened get that number first (the cache folder's parent, then, once
  // it is closed again, the library).
  std::vector<UniqueFd> fillers;
  for (;;) {
    UniqueFd fd(open("/dev/null", O_RDONLY | O_CLOEXEC));
    ASSERT_TRUE(fd);
    if (fd.get() >= closed[0]) break;
    fillers.push_back(std::move(fd));
  }
  NativeCode other(quiet);
  EXPECT_EQ(other.rebuilt_because(), "");
  EXPECT_NE(other.successors(), nullptr) << other.why();
  EXPECT_NE(other.successors(), second.successors());
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

// ".." in the cache folder's path is where the kernel finds it (after a link: beside the folder
// the link leads to), not where the path's text would put it.
TEST_F(NativeCache, DotDotInTheFolderPathIsResolvedAsTheKernelDoes) {
  const fs::path deep = scratch.path() / "deep", link = scratch.path() / "link";
  fs::create_directories(deep / "sub");
  fs::create_directory_symlink(deep / "sub", link);
  for (const char* name : {"cache", "cache/", "cache/."}) {
    SCOPED_TRACE(name);
    ScopedEnv through_link("INTERLOCK_CACHE", (link / ".." / name).string());
    expect_native_and_right();
  }
  EXPECT_FALSE(only_library(deep / "cache").empty());
  EXPECT_FALSE(fs::exists(scratch.path() / "cache"));
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
    NativeCode code(native_source_of());
    ASSERT_TRUE(wait_until([&] { return fs::exists(report) && fs::file_size(report) > 0; }, 20)) << code.why();
    helper = std::stoi(read_file(report.string() + ".helper"));
    temp = read_file(report.string() + ".temp");
    temp = temp.string().substr(0, temp.string().find('\n'));
    EXPECT_FALSE(code.ready());
    EXPECT_TRUE(fs::exists(temp));
  }
  EXPECT_TRUE(wait_until([&] { return process_ended(helper); }, 5)) << "the compiler's own process still runs";
  if (!process_ended(helper) && read_file("/proc/" + std::to_string(helper) + "/comm") == "sleep\n") kill(helper, SIGKILL);
  EXPECT_FALSE(fs::exists(temp)) << temp;
  EXPECT_EQ(entries(cache), std::vector<std::string>{});
  EXPECT_EQ(entries(tmp), std::vector<std::string>{});
}

// A compile left to finish (background_compiles.h) puts its library into the cache after its
// NativeCode is gone; only where the process allows it, and one at a time: a second is killed as
// any abandoned compile. The compiler here waits until it is let go.

// The gated compiler of the tests below: waits until `go` exists (a minute at most), then runs
// `then` (the real compiler, or false).
void write_gated_compiler(const fs::path& script, const fs::path& go, const std::string& then) {
  write_file(script, "#!/bin/sh\ni=0\nwhile [ ! -e '" + go.string() + "' ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done\n" +
                         then + "\n");
  fs::permissions(script, fs::perms::owner_all);
}

std::vector<std::string> compile_folders(const fs::path& cache) {
  std::vector<std::string> jobs;
  for (const std::string& name : entries(cache))
    if (name.rfind("job-", 0) == 0) jobs.push_back(name);
  return jobs;
}

// A compile left to finish that fails removes its folder: nobody will read its log.
TEST_F(NativeCache, AFailedCompileLeftToFinishLeavesNoFolder) {
  const fs::path go = scratch.path() / "go", compiler = scratch.path() / "failing-compiler";
  write_gated_compiler(compiler, go, "echo 'no compiler here' >&2; exit 1");
  ScopedEnv compiler_env_here("INTERLOCK_CXX", compiler.string());
  allow_background_compiles();
  {
    NativeCode hazard(native_source_of(kHazardSpec));
    hazard.finish_compile_in_background();
  }
  allow_background_compiles(false);
  EXPECT_EQ(compile_folders(cache).size(), 1u);
  write_file(go, "");
  EXPECT_TRUE(wait_until([&] { return compile_folders(cache).empty(); }, 60)) << "its folder stayed";
  EXPECT_TRUE(only_library(cache).empty());
}

// A library the compile cannot put into the cache (a folder has its name) is said as such, not as
// the compiler's failure.
TEST_F(NativeCache, ALibraryThatCannotBePutIntoTheCacheIsSaid) {
  const std::string source = native_source_of(kHazardSpec);
  {
    NativeCode first(source);
    first.wait();
    ASSERT_NE(first.successors(), nullptr) << first.why();
  }
  const fs::path library = only_library(cache);
  ASSERT_FALSE(library.empty());
  fs::remove(library);
  fs::create_directory(library);
  write_file(library / "inside", "x");
  NativeCode again(source);
  again.wait();
  EXPECT_EQ(again.successors(), nullptr);
  EXPECT_NE(again.why().find("could not be put into the cache"), std::string::npos) << again.why();
  EXPECT_EQ(again.why().find("compiler"), std::string::npos) << again.why();
  EXPECT_TRUE(compile_folders(cache).empty());
}

// The compile puts its library into the cache folder it was started in, and removes its own
// folder there, even when the folder's path leads elsewhere by then (renamed, and a link put in
// its place): it goes through "..", which the kernel resolves, never through the path.
TEST_F(NativeCache, TheCompileWorksInItsCacheFolderWhateverItsPathBecomes) {
  const fs::path go = scratch.path() / "go", compiler = scratch.path() / "gated-compiler";
  write_gated_compiler(compiler, go, "exec '" INTERLOCK_TEST_CXX "' \"$@\"");
  ScopedEnv compiler_env_here("INTERLOCK_CXX", compiler.string());
  NativeCode code(native_source_of(kHazardSpec));
  ASSERT_FALSE(code.ready()) << code.why();
  const std::vector<std::string> jobs = compile_folders(cache);
  ASSERT_EQ(jobs.size(), 1u);
  const fs::path moved = scratch.path() / "moved", trap = scratch.path() / "trap";
  fs::create_directories(trap / jobs[0]);  // what a `cd ..; rmdir job-...` by the path would remove
  fs::rename(cache, moved);
  fs::create_directory_symlink(trap, cache);
  write_file(go, "");
  code.wait();
  EXPECT_NE(code.successors(), nullptr) << code.why();
  EXPECT_FALSE(only_library(moved).empty());
  EXPECT_TRUE(compile_folders(moved).empty());
  EXPECT_TRUE(fs::exists(trap / jobs[0]));
  EXPECT_EQ(entries(trap), std::vector<std::string>{jobs[0]});
}

TEST_F(NativeCache, OneCompileAtATimeIsLeftToFinishWhereTheProcessAllowsIt) {
  const fs::path go = scratch.path() / "go";
  const fs::path compiler = scratch.path() / "gated-compiler";
  write_gated_compiler(compiler, go, "exec '" INTERLOCK_TEST_CXX "' \"$@\"");
  ScopedEnv compiler_env_here("INTERLOCK_CXX", compiler.string());
  auto compiles = [&] { return compile_folders(cache); };
  {
    NativeCode not_allowed(native_source_of(kHazardSpec));
    EXPECT_FALSE(not_allowed.ready());
    not_allowed.finish_compile_in_background();
  }
  EXPECT_TRUE(compiles().empty()) << "left to finish where the process does not allow it";

  allow_background_compiles();
  {
    NativeCode hazard(native_source_of(kHazardSpec)), quiet(native_source_of(kQuietSpec));
    EXPECT_FALSE(hazard.ready());
    EXPECT_FALSE(quiet.ready());
    hazard.finish_compile_in_background();
    quiet.finish_compile_in_background();
  }
  allow_background_compiles(false);
  EXPECT_EQ(compiles().size(), 1u);
  write_file(go, "");
  ASSERT_TRUE(wait_until([&] { return !only_library(cache).empty() && compiles().empty(); }, 120)) << "no library came";
  const fs::path library = only_library(cache);
  EXPECT_EQ(mode_of(library), 0600u);
  NativeCode hazard_again(native_source_of(kHazardSpec), /*compile_if_missing=*/false);
  EXPECT_NE(hazard_again.successors(), nullptr) << "the library left is not the first model's";
  NativeCode quiet_again(native_source_of(kQuietSpec), /*compile_if_missing=*/false);
  EXPECT_EQ(quiet_again.successors(), nullptr) << "the second compile was not killed";
}

// A compile folder (job-*) whose process died is removed by the next run that compiles; one
// whose process still runs (its lock is held) is left alone. A run that finds its library does
// not read the folder for them (its cost would grow with the cache).
TEST_F(NativeCache, ACompileFolderLeftByAProcessThatDiedIsRemoved) {
  expect_native_and_right();
  const fs::path library = only_library(cache);
  ASSERT_FALSE(library.empty());
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
  expect_native_and_right();  // the library is found
  EXPECT_TRUE(fs::exists(dead / "model.cpp"));
  fs::remove(library);
  expect_native_and_right();  // compiled again
  close(lock);
  EXPECT_FALSE(fs::exists(dead));
  EXPECT_TRUE(fs::exists(alive / "model.cpp"));
}

// Files in the cache with a modification time `minutes` ago.
void set_age(const fs::path& path, int minutes) {
  const timespec times[2] = {{0, UTIME_OMIT}, {time(nullptr) - 60 * minutes, 0}};
  ASSERT_EQ(utimensat(AT_FDCWD, path.c_str(), times, AT_SYMLINK_NOFOLLOW), 0) << path;
}

TEST_F(NativeCache, TheCacheIsKeptToItsSizeTheLibrariesUsedLongestAgoGoFirst) {
  ScopedEnv limit_env{"INTERLOCK_CACHE_MB", "1"};
  expect_native_and_right();
  const fs::path used = only_library(cache);
  ASSERT_FALSE(used.empty());
  set_age(used, 120);
  expect_native_and_right();  // found and used: it counts as used now
  struct stat info;
  ASSERT_EQ(stat(used.c_str(), &info), 0);
  EXPECT_LT(time(nullptr) - info.st_mtime, 60) << "a library used is marked used";
  // Twelve libraries of 100 KB (1.2 MB with the one above), built 110 to 0 minutes ago, and what
  // trimming must leave alone: a file that is not a library, however large, and a link.
  std::vector<fs::path> built;
  for (int k = 0; k < 12; ++k) {
    char name[80];
    std::snprintf(name, sizeof name, "%064x.so", k + 1);
    built.push_back(cache / name);
    write_file(built.back(), std::string(100 * 1024, 'x'));
    set_age(built.back(), 110 - 10 * k);
  }
  write_file(cache / "notes.txt", std::string(2 << 20, 'n'));
  set_age(cache / "notes.txt", 1000);
  const fs::path link = cache / (std::string(64, 'f') + ".so");
  fs::create_symlink(cache / "notes.txt", link);
  expect_native_and_right();  // the library is found: nothing is compiled, nothing trimmed
  for (const fs::path& library : built) EXPECT_TRUE(fs::exists(library)) << library;
  // Another model is compiled: the libraries are above 1 MB, so the oldest go until at most
  // 768 KB are left. The library just used and the most recent built ones stay.
  EXPECT_EQ(check_hazard(kQuietSpec).verdict, Verdict::Holds);
  uint64_t kept = 0;
  for (std::size_t k = 0; k < built.size(); ++k) {
    if (fs::exists(built[k])) kept += fs::file_size(built[k]);
    if (k > 0 && fs::exists(built[k - 1])) {
      EXPECT_TRUE(fs::exists(built[k])) << "an older library was kept before " << built[k];
    }
  }
  EXPECT_TRUE(fs::exists(used)) << "the library used an instant ago went";
  EXPECT_FALSE(fs::exists(built[0]));
  EXPECT_TRUE(fs::exists(built.back()));
  kept += fs::file_size(used);
  EXPECT_LE(kept, 768u * 1024) << "not trimmed to three quarters";
  EXPECT_GT(kept, 768u * 1024 - 100 * 1024) << "more removed than needed";
  EXPECT_TRUE(fs::exists(cache / "notes.txt"));
  EXPECT_TRUE(fs::is_symlink(link));
  const std::size_t kept_built = std::count_if(built.begin(), built.end(), [](const fs::path& p) { return fs::exists(p); });
  EXPECT_EQ(entries(cache).size(), 4 + kept_built) << "the new library, the used one, notes.txt, the link and the kept ones";
}

TEST_F(NativeCache, ASizeThatIsNotANumberOfMegabytesIsSaid) {
  for (const char* value : {"0", "abc", "256M", "-1", "2000000", "99999999999999999999"}) {
    ScopedEnv limit_env{"INTERLOCK_CACHE_MB", std::string(value)};
    const PropertyResult r = check_hazard();
    EXPECT_EQ(r.verdict, Verdict::Violated) << value;
    EXPECT_EQ(r.stats.native_states, 0u) << value;
    EXPECT_NE(r.stats.native_note.find("INTERLOCK_CACHE_MB='" + std::string(value) + "' is not a whole number of megabytes"),
              std::string::npos)
        << r.stats.native_note;
  }
}

// A FUSE filesystem reports whatever owner and mode its server likes: the cache folder may be on
// one only if the user or root mounted it. (Mounting one here would need allow_other enabled in
// /etc/fuse.conf: the check is tested on mountinfo lines, and on the folders of this machine.)
TEST(NativeCacheMounts, AFuseFilesystemAnotherUserMountedIsNotTrusted) {
  const std::string fuse = "40 27 0:50 / /tmp/interlock-cache-0 rw,nosuid,nodev,relatime shared:1 - fuse.bindfs bindfs ";
  EXPECT_EQ(fuse_mount_problem(fuse + "rw,user_id=1000,group_id=1000,allow_other", 1000), "");
  EXPECT_EQ(fuse_mount_problem(fuse + "rw,user_id=0,group_id=0,allow_other", 1000), "");
  EXPECT_EQ(fuse_mount_problem(fuse + "rw,user_id=1001,group_id=1001,allow_other", 0),
            "is on a FUSE filesystem (fuse.bindfs) that another user mounted (uid 1001)");
  EXPECT_EQ(fuse_mount_problem(fuse + "rw,group_id=0,user_id=1001", 1000),
            "is on a FUSE filesystem (fuse.bindfs) that another user mounted (uid 1001)");
  EXPECT_NE(fuse_mount_problem(fuse + "rw,allow_other", 0), "");
  EXPECT_NE(fuse_mount_problem(fuse + "rw,user_id=", 1000), "");
  EXPECT_NE(fuse_mount_problem("41 27 0:51 / /mnt rw - fuseblk /dev/sdb1 rw,user_id=1002,group_id=0", 0), "");
  EXPECT_EQ(fuse_mount_problem("36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext4 /dev/root rw,errors=continue", 0), "");
  EXPECT_EQ(fuse_mount_problem("22 27 0:21 / /proc rw,relatime - proc proc rw", 0), "");

  for (const char* folder : {"/tmp", INTERLOCK_SOURCE_DIR}) {
    UniqueFd fd(open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    ASSERT_TRUE(fd);
    EXPECT_EQ(mount_problem(fd.get()), "") << folder;
  }
}

TEST(NativeCacheSha256, KnownDigests) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

// Every length up to three blocks (the padding takes one or two), against coreutils' sha256sum.
TEST(NativeCacheSha256, SameAsSha256sum) {
  ScratchFolder scratch;
  std::string command = "cd " + scratch.path().string() + " && sha256sum";
  std::vector<std::string> expected;
  for (int size = 0; size <= 192; ++size) {
    std::string data;
    for (int i = 0; i < size; ++i) data += static_cast<char>((i * 131 + size * 7) & 0xff);
    const std::string name = std::to_string(size);
    write_file(scratch.path() / name, data);
    command.append(" ").append(name);
    expected.push_back(sha256_hex(data).append("  ").append(name));
  }
  FILE* out = popen(command.c_str(), "r");
  ASSERT_NE(out, nullptr);
  char line[256];
  std::size_t k = 0;
  while (std::fgets(line, sizeof line, out)) {
    std::string got(line);
    got = got.substr(0, got.find('\n'));
    ASSERT_LT(k, expected.size());
    EXPECT_EQ(got, expected[k]);
    ++k;
  }
  EXPECT_EQ(pclose(out), 0);
  EXPECT_EQ(k, expected.size());
}

}  // namespace
}  // namespace interlock

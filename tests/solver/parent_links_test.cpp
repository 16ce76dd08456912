// The state store's parent links (solver/explicit/parent_links.h): in a temporary file that has no
// name and only its owner may open; kept in memory, and said so, when the file cannot be created
// or a write fails; and in a whole search, the same traces either way.
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <optional>

#include "model/lower.h"
#include "solver/explicit/explorer.h"
#include "solver/explicit/parent_links.h"
#include "support/other_user.h"
#include "support/scoped_env.h"

namespace interlock {
namespace {

namespace fs = std::filesystem;
using testing::ScopedEnv;

uint32_t link_of(uint64_t k) { return static_cast<uint32_t>(k * 2654435761u ^ 0x5bd1e995u); }

// A fresh folder on disk (the build folder's: /tmp may be a tmpfs, where links stay in memory).
fs::path scratch(const std::string& name) {
  const fs::path dir = fs::path(INTERLOCK_TEST_SCRATCH) / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// The descriptors of this process open on a file in `dir` (its name gone or not).
std::vector<int> descriptors_into(const fs::path& dir) {
  std::vector<int> out;
  for (const auto& e : fs::directory_iterator("/proc/self/fd")) {
    std::error_code ec;
    const std::string target = fs::read_symlink(e.path(), ec).string();
    if (!ec && target.rfind(dir.string() + "/", 0) == 0) out.push_back(std::stoi(e.path().filename().string()));
  }
  return out;
}

TEST(StateStoreParentLinks, FileHasNoNameAndOnlyItsOwnerMayOpenIt) {
  const fs::path dir = scratch("links-private");
  ParentLinks links(dir.string(), 1024);
  for (uint64_t k = 0; k < 5000; ++k) links.push_back(link_of(k));
  EXPECT_EQ(links.note(), "");
  EXPECT_EQ(links.file_bytes(), 4096u * 4);  // four buffers written out, the fifth still in memory
  EXPECT_TRUE(fs::is_empty(dir)) << "the file has a name in " << dir;
  const std::vector<int> fds = descriptors_into(dir);
  ASSERT_EQ(fds.size(), 1u) << "the links are not in a file in " << dir;
  struct stat st;
  ASSERT_EQ(fstat(fds[0], &st), 0);
  EXPECT_EQ(st.st_nlink, 0u);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(st.st_uid, geteuid());
  EXPECT_NE(fcntl(fds[0], F_GETFD) & FD_CLOEXEC, 0) << "a compiler started by the search would inherit it";
  const testing::OtherUser other = testing::other_user();
  if (other.separate) {  // as root: another user cannot open it through /proc either
    const std::string path = "/proc/" + std::to_string(getpid()) + "/fd/" + std::to_string(fds[0]);
    EXPECT_TRUE(testing::run_as(other, [&] { return open(path.c_str(), O_RDONLY) < 0; }));
  }
  for (uint64_t k = 0; k < 5000; ++k) ASSERT_EQ(links[k], link_of(k)) << k;
  EXPECT_EQ(links.memory_bytes_at(5000), 1024u * 4);
}

TEST(StateStoreParentLinks, KeptInMemoryWhenNoFileCanBeCreated) {
  const fs::path dir = scratch("links-nowhere");
  const fs::path file = dir / "a-file";
  std::ofstream(file.string()) << "not a folder";
  for (const fs::path& folder : {dir / "missing", file}) {
    ParentLinks links(folder.string(), 1000);
    for (uint64_t k = 0; k < 5000; ++k) links.push_back(link_of(k));
    EXPECT_NE(links.note().find("cannot create a temporary file in " + folder.string()), std::string::npos) << links.note();
    EXPECT_EQ(links.file_bytes(), 0u);
    EXPECT_EQ(links.memory_bytes_at(5000), 5000u * 4);
    for (uint64_t k = 0; k < 5000; ++k) ASSERT_EQ(links[k], link_of(k)) << k;
    links.resize(1234);
    links.push_back(7);
    EXPECT_EQ(links.size(), 1235u);
    EXPECT_EQ(links[1233], link_of(1233));
    EXPECT_EQ(links[1234], 7u);
  }
}

TEST(StateStoreParentLinks, WriteFailureKeepsTheRestInMemory) {
  // A file size limit makes the third write fail (EFBIG), as a full disk would (ENOSPC).
  const fs::path dir = scratch("links-full");
  struct rlimit before;
  ASSERT_EQ(getrlimit(RLIMIT_FSIZE, &before), 0);
  struct rlimit small = before;
  small.rlim_cur = 2 * 1000 * 4;
  auto old_handler = signal(SIGXFSZ, SIG_IGN);
  ASSERT_EQ(setrlimit(RLIMIT_FSIZE, &small), 0);
  std::optional<ParentLinks> links;
  links.emplace(dir.string(), 1000);
  for (uint64_t k = 0; k < 10000; ++k) links->push_back(link_of(k));
  setrlimit(RLIMIT_FSIZE, &before);
  signal(SIGXFSZ, old_handler);
  EXPECT_NE(links->note().find("writing the temporary file in " + dir.string() + " failed"), std::string::npos)
      << links->note();
  EXPECT_EQ(links->file_bytes(), 2000u * 4);
  EXPECT_EQ(links->memory_bytes_at(10000), 8000u * 4);
  for (uint64_t k = 0; k < 10000; ++k) ASSERT_EQ((*links)[k], link_of(k)) << k;
  links->resize(1500);  // a cut inside the file: the rest stays in memory
  for (uint64_t k = 1500; k < 3000; ++k) links->push_back(link_of(k) + 1);
  for (uint64_t k = 0; k < 3000; ++k) ASSERT_EQ((*links)[k], k < 1500 ? link_of(k) : link_of(k) + 1) << k;
}

TEST(StateStoreParentLinks, TmpfsKeepsThemInMemory) {
  // Every Linux this project builds on mounts a tmpfs at /dev/shm (POSIX shared memory needs it).
  ASSERT_TRUE(fs::is_directory("/dev/shm")) << "no tmpfs at /dev/shm to try";
  ParentLinks links("/dev/shm", 1000);
  for (uint64_t k = 0; k < 3000; ++k) links.push_back(link_of(k));
  EXPECT_NE(links.note().find("in memory (tmpfs)"), std::string::npos) << links.note();
  EXPECT_EQ(links.file_bytes(), 0u);
  EXPECT_EQ(links.memory_bytes_at(3000), 3000u * 4);
}

// ---- In a whole search (links_4: 640,512 states, many buffers of links) ----

struct SearchEnd {
  uint64_t states = 0;
  std::vector<uint32_t> path;  // to the last state
  Trace trace;
  std::string note;
  bool folder_empty_meanwhile = true;
  std::size_t files_meanwhile = 0;
};

SearchEnd search_links_4(const fs::path& tmpdir) {
  ScopedEnv env("TMPDIR", tmpdir.string());
  const Model model = load_model(std::string(INTERLOCK_SOURCE_DIR) + "/specs/bench/links_4.sched");
  Semantics semantics(model);
  Limits limits;
  limits.threads = 1;
  limits.native = NativeMode::Off;
  RunContext context(limits, nullptr);
  Explorer explorer(semantics, context);
  SearchEnd end;
  explorer.run([&](uint32_t index, const int32_t*) {
    if (index == 400000 && fs::is_directory(tmpdir)) {  // most links are in the file by now
      end.folder_empty_meanwhile = fs::is_empty(tmpdir);
      end.files_meanwhile = descriptors_into(tmpdir).size();
    }
    return false;
  });
  end.states = explorer.store().size();
  end.path = explorer.path_to(static_cast<uint32_t>(end.states - 1));
  end.trace = explorer.trace_to(static_cast<uint32_t>(end.states - 1));
  end.note = explorer.stats().parents_note;
  return end;
}

TEST(StateStoreParentLinks, SearchGivesTheSameTraceWithTheFileOrWithout) {
  const fs::path dir = scratch("links-search");
  const SearchEnd on_disk = search_links_4(dir);
  EXPECT_EQ(on_disk.states, 640512u);  // without the engine's reductions
  EXPECT_EQ(on_disk.note, "");
  EXPECT_TRUE(on_disk.folder_empty_meanwhile) << "the links' file has a name in TMPDIR";
  EXPECT_EQ(on_disk.files_meanwhile, 1u) << "the links are not in a file in TMPDIR";
  const SearchEnd in_memory = search_links_4(dir / "missing");
  EXPECT_NE(in_memory.note.find("cannot create a temporary file in " + (dir / "missing").string()), std::string::npos)
      << in_memory.note;
  EXPECT_EQ(in_memory.states, on_disk.states);
  EXPECT_EQ(in_memory.path, on_disk.path);
  EXPECT_GT(on_disk.path.size(), 300u);
  ASSERT_EQ(in_memory.trace.steps.size(), on_disk.trace.steps.size());
  EXPECT_EQ(in_memory.trace.states, on_disk.trace.states);
  EXPECT_TRUE(fs::is_empty(dir)) << "the file outlived the search";
}

}  // namespace
}  // namespace interlock

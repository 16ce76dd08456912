#include "support/native_cache_support.h"

#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "model/layout.h"
#include "model/semantics.h"
#include "solver/explicit/native/codegen.h"
#include "support/test_models.h"

extern char** environ;

namespace interlock::testing {

namespace fs = std::filesystem;

ScratchFolder::ScratchFolder() {
  std::string pattern = "/tmp/interlock-cache-test-XXXXXX";
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  path_ = pattern;
  fs::permissions(path_, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                             fs::perms::others_read | fs::perms::others_exec);
}

ScratchFolder::~ScratchFolder() {
  std::error_code ec;
  fs::remove_all(path_, ec);
}

const char* const kHazardSpec = R"(
  system cache_hazard;
  var n : 0..3;
  machine M { state S; init S; S -> S when n < 3 do n := n + 1; }
  invariant hazard: n < 3;
)";

const char* const kQuietSpec = R"(
  system cache_quiet;
  var n : 0..3;
  machine M { state S; init S; S -> S when n > 3 do n := n + 1; }
  invariant hazard: n < 3;
)";

PropertyResult check_hazard(const char* spec) {
  Limits limits;
  limits.native = NativeMode::On;
  return check_one(model_from(spec), "hazard", limits);
}

std::string native_source_of(const char* spec) {
  Model model = model_from(spec);
  Semantics semantics(model);
  StateLayout layout(model);
  return native_source(model, semantics.param_values(), semantics.dead_clocks(), layout);
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_file(const fs::path& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::vector<std::string> entries(const fs::path& folder) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec))
    names.push_back(it->path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

fs::path only_library(const fs::path& folder) {
  fs::path found;
  for (const std::string& name : entries(folder)) {
    if (fs::path(name).extension() != ".so") continue;
    if (!found.empty()) return {};
    found = folder / name;
  }
  return found;
}

mode_t mode_of(const fs::path& path) {
  struct stat info;
  if (lstat(path.c_str(), &info) != 0) return 0;
  return info.st_mode & 07777;
}

std::string binding_of(const std::string& library) {
  const std::string prefix = "interlock-native-binding-v1:";
  const std::size_t at = library.find(prefix);
  if (at == std::string::npos) return "";
  const std::size_t end = library.find('\0', at);
  return end == std::string::npos ? "" : library.substr(at, end - at);
}

bool build_planted_library(const fs::path& out, const fs::path& marker, const std::string& binding,
                           const std::string& decoy) {
  const fs::path source = out.string() + ".cpp";
  write_file(source, R"(
    #include <fcntl.h>
    #include <unistd.h>
    static void leave_marker() {
      int fd = open(")" + marker.string() + R"(", O_WRONLY | O_CREAT | O_APPEND, 0666);
      if (fd >= 0) close(fd);
    }
    __attribute__((constructor)) static void on_load() { leave_marker(); }
    extern "C" int )" + std::string(kNativeEntry) + R"((const unsigned char*, unsigned char*, unsigned char*, int, unsigned char*, int*) {
      leave_marker();
      return 0;  // no successors: every invariant would hold
    }
    extern "C" const char interlock_native_binding_v1[] = ")" + binding + R"(";
    extern "C" const char interlock_decoy[] = ")" + decoy + R"(";
  )");
  const bool built = run_program({INTERLOCK_TEST_CXX, "-O1", "-shared", "-fPIC", "-o", out.string(), source.string()}) == 0;
  fs::remove(source);
  if (built) fs::permissions(out, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read | fs::perms::others_read);
  return built;
}

int run_program(const std::vector<std::string>& args) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = -1;
  if (posix_spawnp(&pid, argv[0], nullptr, nullptr, argv.data(), environ) != 0) return -1;
  int status = 0;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) return -1;
  return WEXITSTATUS(status);
}

}  // namespace interlock::testing

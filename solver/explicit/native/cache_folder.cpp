#include "solver/explicit/native/cache_folder.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/statfs.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <sstream>
#include <vector>

namespace interlock {
namespace {

namespace fs = std::filesystem;

constexpr const char* kCompilePrefix = "job-";
constexpr time_t kAbandonedAfterSeconds = 60;  // far longer than creating and locking a log takes
constexpr long kFuseMagic = 0x65735546;  // FUSE_SUPER_MAGIC

std::string absolute_env(const char* name) {
  const char* value = std::getenv(name);
  return value && value[0] == '/' ? value : "";  // XDG: a relative path is to be ignored
}

std::string mode_text(mode_t mode) {
  char text[8];
  std::snprintf(text, sizeof text, "%04o", static_cast<unsigned>(mode & 07777));
  return text;
}

// mkdir -p with mode 0700 for what is created; the folders on the way may be links.
void create_parents(const fs::path& path) {
  fs::path prefix;
  for (const fs::path& part : path) {
    prefix /= part;
    mkdir(prefix.c_str(), 0700);
  }
}

std::string random_hex() {
  unsigned char bytes[8];
  if (getrandom(bytes, sizeof bytes, 0) != static_cast<ssize_t>(sizeof bytes)) {
    // Names need to be unique, not secret: the folder they are made in is private.
    static std::atomic<unsigned> counter{0};
    const unsigned long long mix = (static_cast<unsigned long long>(getpid()) << 32) ^ ++counter ^
                                   static_cast<unsigned long long>(clock());
    std::memcpy(bytes, &mix, sizeof bytes);
  }
  std::string hex;
  for (unsigned char b : bytes) {
    char two[3];
    std::snprintf(two, sizeof two, "%02x", b);
    hex += two;
  }
  return hex;
}

}  // namespace

std::vector<std::string> names_in_folder(int fd) {
  std::vector<std::string> names;
  const int copy = fcntl(fd, F_DUPFD_CLOEXEC, 0);
  if (copy < 0) return names;
  DIR* dir = fdopendir(copy);
  if (!dir) {
    close(copy);
    return names;
  }
  rewinddir(dir);
  while (const dirent* entry = readdir(dir))
    if (std::strcmp(entry->d_name, ".") != 0 && std::strcmp(entry->d_name, "..") != 0) names.push_back(entry->d_name);
  closedir(dir);
  return names;
}

fs::path cache_folder_path() {
  if (const char* env = std::getenv("INTERLOCK_CACHE"); env && *env) return env;
  if (std::string xdg = absolute_env("XDG_CACHE_HOME"); !xdg.empty()) return fs::path(xdg) / "interlock";
  if (std::string home = absolute_env("HOME"); !home.empty()) return fs::path(home) / ".cache" / "interlock";
  std::error_code ec;
  fs::path tmp = fs::temp_directory_path(ec);
  if (ec) tmp = "/tmp";
  return tmp / ("interlock-cache-" + std::to_string(geteuid()));
}

std::string folder_problem(int fd) {
  struct stat info;
  if (fstat(fd, &info) != 0) return std::string("cannot be examined: ") + std::strerror(errno);
  if (!S_ISDIR(info.st_mode)) return "is not a folder";
  if (info.st_uid != geteuid()) return "belongs to another user (uid " + std::to_string(info.st_uid) + ")";
  if ((info.st_mode & (S_IWGRP | S_IWOTH)) != 0) return "may be written by other users (mode " + mode_text(info.st_mode) + ")";
  return "";
}

std::string fuse_mount_problem(const std::string& line, uid_t user) {
  // "ID PARENT MAJ:MIN ROOT POINT OPTIONS [TAGS...] - TYPE SOURCE SUPER_OPTIONS"
  const std::size_t dash = line.find(" - ");
  if (dash == std::string::npos) return "";
  std::istringstream after(line.substr(dash + 3));
  std::string type, source, options;
  after >> type >> source >> options;
  if (type != "fuse" && type != "fuseblk" && type.rfind("fuse.", 0) != 0) return "";
  const std::size_t at = ("," + options + ",").find(",user_id=");
  if (at == std::string::npos) return "is on a FUSE filesystem (" + type + ") whose owner is unknown";
  const char* digits = options.c_str() + at + 8;
  char* end = nullptr;
  const long owner = std::strtol(digits, &end, 10);
  if (end == digits) return "is on a FUSE filesystem (" + type + ") whose owner is unknown";
  if (owner == static_cast<long>(user) || owner == 0) return "";
  return "is on a FUSE filesystem (" + type + ") that another user mounted (uid " + std::to_string(owner) + ")";
}

std::string mount_problem(int fd) {
  struct statx info;
  if (statx(fd, "", AT_EMPTY_PATH, STATX_MNT_ID, &info) != 0 || !(info.stx_mask & STATX_MNT_ID)) {
    // A kernel before 5.8 does not say which mount: refuse FUSE altogether.
    struct statfs fs;
    return fstatfs(fd, &fs) == 0 && fs.f_type == kFuseMagic ? "is on a FUSE filesystem" : "";
  }
  std::ifstream mounts("/proc/self/mountinfo");
  const std::string id = std::to_string(info.stx_mnt_id) + " ";
  for (std::string line; std::getline(mounts, line);)
    if (line.rfind(id, 0) == 0) return fuse_mount_problem(line, geteuid());
  return "";
}

UniqueFd open_cache_folder(const fs::path& path, std::string& why) {
  const std::string advice = " (set INTERLOCK_CACHE to a folder of your own)";
  // Not normalised as text: "link/../cache" is where the kernel finds it, beside the folder the
  // link leads to. Only trailing slashes and "." components go ("a/b/", "a/b/.").
  std::string text = path.string();
  for (;;) {
    while (text.size() > 1 && text.back() == '/') text.pop_back();
    if (text.size() > 1 && text.ends_with("/.")) text.resize(text.size() - 2);
    else break;
  }
  const fs::path folder = text;
  const std::string name = folder.filename().string();
  fs::path parent = folder.parent_path();
  if (parent.empty()) parent = ".";
  if (name.empty() || name == "." || name == "..") {
    why = "the cache folder " + path.string() + " must be named by its own name" + advice;
    return UniqueFd();
  }
  // The parents may be anything the user chose, links too: what is checked is the last folder,
  // which no one else can change once it passes (docs/engines.md, "Native code").
  UniqueFd parent_fd(open(parent.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  if (!parent_fd && errno == ENOENT) {
    create_parents(parent);
    parent_fd.reset(open(parent.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
  }
  if (!parent_fd) {
    why = "cannot open the folder " + parent.string() + " for the cache: " + std::strerror(errno) + advice;
    return UniqueFd();
  }
  if (mkdirat(parent_fd.get(), name.c_str(), 0700) != 0 && errno != EEXIST) {
    why = "cannot create the cache folder " + path.string() + ": " + std::strerror(errno) + advice;
    return UniqueFd();
  }
  UniqueFd fd(openat(parent_fd.get(), name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) {
    const int error = errno;
    struct stat info;
    const bool link = fstatat(parent_fd.get(), name.c_str(), &info, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(info.st_mode);
    why = "the cache folder " + path.string() +
          (link ? " is a symbolic link, which is not followed" : " cannot be opened: " + std::string(std::strerror(error))) +
          advice;
    return UniqueFd();
  }
  std::string problem = folder_problem(fd.get());
  if (problem.empty()) problem = mount_problem(fd.get());
  if (!problem.empty()) {
    why = "the cache folder " + path.string() + " " + problem + advice;
    return UniqueFd();
  }
  return fd;
}

bool create_compile_folder(int cache_fd, CompileFolder& folder, std::string& why) {
  for (int attempt = 0; attempt < 10 && folder.name.empty(); ++attempt) {
    std::string name = kCompilePrefix + random_hex();
    if (mkdirat(cache_fd, name.c_str(), 0700) == 0) folder.name = name;
    else if (errno != EEXIST) break;
  }
  if (folder.name.empty()) {
    why = std::string("cannot create a folder to compile in: ") + std::strerror(errno);
    return false;
  }
  folder.fd.reset(openat(cache_fd, folder.name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (folder.fd && folder_problem(folder.fd.get()).empty())
    folder.log.reset(openat(folder.fd.get(), "log", O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!folder.log || flock(folder.log.get(), LOCK_EX) != 0) {
    why = std::string("cannot set up the folder to compile in: ") + std::strerror(errno);
    remove_compile_folder(cache_fd, folder.name);
    return false;
  }
  return true;
}

bool remove_compile_folder(int cache_fd, const std::string& name) {
  UniqueFd fd(openat(cache_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (!fd) return false;
  for (const std::string& entry : names_in_folder(fd.get()))
    if (unlinkat(fd.get(), entry.c_str(), 0) != 0) unlinkat(fd.get(), entry.c_str(), AT_REMOVEDIR);
  return unlinkat(cache_fd, name.c_str(), AT_REMOVEDIR) == 0;
}

void remove_abandoned_compile_folders(int cache_fd) {
  for (const std::string& name : names_in_folder(cache_fd)) {
    if (name.rfind(kCompilePrefix, 0) != 0) continue;
    UniqueFd fd(openat(cache_fd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    struct stat info;
    if (!fd || fstat(fd.get(), &info) != 0 || time(nullptr) - info.st_mtime < kAbandonedAfterSeconds) continue;
    // The log is locked by the process that made the folder and by the compiler it started
    // (its output goes there): taking the lock means all of them have ended.
    UniqueFd log(openat(fd.get(), "log", O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    if (log && flock(log.get(), LOCK_EX | LOCK_NB) != 0) continue;
    remove_compile_folder(cache_fd, name);
  }
}

}  // namespace interlock

#include "solver/explicit/native/compile_job.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <thread>
#include <vector>

extern char** environ;

namespace interlock {
namespace {

// What the child process runs, with $1 the compiler, $2 its flags, $3 the library's name in the
// cache and $4 the compile folder's, from inside that folder. The library is made private (the
// umask), on disk before it has its cache name (so no one sees it half-written, even after a
// crash), renamed into the cache (-T: never into a folder of that name), and the folder removed.
// Paths go through ".." of the folder itself, which the kernel resolves to the cache folder
// whatever its path has become (the shell's `cd ..` would follow the path). After a failure the
// folder and its log stay for the process that waits to read why (the log's first line; exit
// status kPlacementFailed if the library could not be put into the cache), unless the compile was
// left to finish (the file `left`): then nobody reads it. What the compiler left in the folder
// stays for remove_abandoned_compile_folders.
constexpr int kPlacementFailed = 90;
std::string compile_script() {
  return "umask 177\n"
         "\"$1\" \"$2\" -shared -fPIC -o library.so model.cpp\n"
         "status=$?\n"
         "if [ $status -eq 0 ]; then sync library.so && mv -fT library.so \"../$3\" || status=" +
         std::to_string(kPlacementFailed) +
         "; fi\n"
         "if [ $status -eq 0 ] || [ -e left ]; then rm -f model.cpp log left library.so; rmdir \"../$4\"; fi\n"
         "exit $status\n";
}
constexpr const char* kShell = "/bin/sh";

// The process groups of the compiles running, so that a process ending at once (a second Ctrl-C)
// can kill them from a signal handler: lock-free slots, 0 when free.
constexpr std::size_t kMaxGroups = 64;
std::atomic<pid_t> running_groups[kMaxGroups];
static_assert(std::atomic<pid_t>::is_always_lock_free);

void note_running(pid_t group) {
  for (std::atomic<pid_t>& slot : running_groups) {
    pid_t none = 0;
    if (slot.compare_exchange_strong(none, group)) return;
  }
}

void note_ended(pid_t group) {
  for (std::atomic<pid_t>& slot : running_groups) {
    pid_t was = group;
    if (slot.compare_exchange_strong(was, 0)) return;
  }
}
constexpr const char* kSourceName = "model.cpp";

bool write_all(int fd, const std::string& text) {
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    done += static_cast<std::size_t>(n);
  }
  return true;
}

// The environment, with the compiler's temporary files in its own folder (its working folder).
std::vector<std::string> compiler_environment() {
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e)
    if (std::strncmp(*e, "TMPDIR=", 7) != 0) env.emplace_back(*e);
  env.emplace_back("TMPDIR=.");
  return env;
}

// Whether a process of the process group `group` still runs. One that has ended but was not
// reaped yet (a zombie: its new parent may never reap it) runs no more.
bool group_running(pid_t group) {
  if (kill(-group, 0) != 0) return false;
  DIR* proc = opendir("/proc");
  if (!proc) return false;  // cannot tell: taken as ended
  bool running = false;
  while (const dirent* entry = readdir(proc)) {
    if (entry->d_name[0] < '0' || entry->d_name[0] > '9') continue;
    const std::string path = std::string("/proc/") + entry->d_name + "/stat";
    UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC));
    char text[512];
    const ssize_t n = fd ? read(fd.get(), text, sizeof text - 1) : -1;
    if (n <= 0) continue;
    text[n] = '\0';
    // "pid (name) state ppid pgrp ...": the name may hold anything, so parse after its last ')'.
    const char* after = std::strrchr(text, ')');
    char state = 0;
    int parent = 0, process_group = 0;
    if (after && std::sscanf(after + 1, " %c %d %d", &state, &parent, &process_group) == 3 &&
        process_group == group && state != 'Z' && state != 'X') {
      running = true;
      break;
    }
  }
  closedir(proc);
  return running;
}

// The start and the end of the compile's log (what the compiler said can be megabytes).
std::string read_log(int fd) {
  constexpr std::size_t kPart = 512;
  struct stat info;
  const off_t size = fstat(fd, &info) == 0 ? info.st_size : 0;
  auto read_at = [&](off_t at) {
    char text[kPart];
    const ssize_t n = pread(fd, text, kPart, at);
    return std::string(text, n > 0 ? static_cast<std::size_t>(n) : 0);
  };
  if (size <= static_cast<off_t>(2 * kPart)) return read_at(0) + read_at(kPart);
  return read_at(0) + "\n" + read_at(size - static_cast<off_t>(kPart));
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

CompileJob::CompileJob(int cache_fd, const std::string& compiler, const std::string& flags, const std::string& source,
                       const std::string& library_name)
    : cache_(fcntl(cache_fd, F_DUPFD_CLOEXEC, 0)), compiler_(compiler), library_name_(library_name) {
  ended_ = true;  // until the compiler runs
  if (!cache_) {
    why_ = std::string("cannot keep the cache folder open: ") + std::strerror(errno);
    return;
  }
  if (!create_compile_folder(cache_.get(), folder_, why_)) return;
  UniqueFd out(openat(folder_.fd.get(), kSourceName, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600));
  if (!out || !write_all(out.get(), source)) {
    why_ = std::string("cannot write the source to compile: ") + std::strerror(errno);
    return;
  }
  out.reset();

  std::vector<std::string> args{kShell, "-c", compile_script(), kShell, compiler_, flags, library_name_, folder_.name};
  std::vector<std::string> env = compiler_environment();
  std::vector<char*> argv = pointers(args), envp = pointers(env);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addfchdir_np(&actions, folder_.fd.get());
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  // The log is the compiler's output, and its lock is held by every process the compiler starts.
  posix_spawn_file_actions_adddup2(&actions, folder_.log.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, folder_.log.get(), STDERR_FILENO);
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigemptyset(&defaults);
  for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE}) sigaddset(&defaults, s);
  posix_spawnattr_setsigmask(&attributes, &none);
  posix_spawnattr_setsigdefault(&attributes, &defaults);
  posix_spawnattr_setpgroup(&attributes, 0);  // a group of its own: killed as one
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, kShell, &actions, &attributes, argv.data(), envp.data());
  posix_spawnattr_destroy(&attributes);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    why_ = std::string("cannot run ") + kShell + " to compile: " + std::strerror(rc);
    return;
  }
  child_ = pid;
  ended_ = false;
  note_running(child_);
}

CompileJob::~CompileJob() {
  if (!ended_) {
    kill(-child_, SIGKILL);
    int status = 0;
    waitpid(child_, &status, 0);
    note_ended(child_);
    // The processes it started are killed too, but may take a moment to end; until they have,
    // one of them could still create a file in the folder.
    for (int i = 0; i < 500 && group_running(child_); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  // What cannot be removed now is removed by a later run (remove_abandoned_compile_folders).
  if (!folder_.name.empty() && !succeeded_) remove_compile_folder(cache_.get(), folder_.name);
}

bool CompileJob::ended() {
  if (ended_) return true;
  int status = 0;
  const pid_t r = waitpid(child_, &status, WNOHANG);
  if (r == 0) return false;
  finish(r == child_ ? status : -1);
  return true;
}

void CompileJob::wait() {
  if (ended_) return;
  int status = 0;
  pid_t r;
  do r = waitpid(child_, &status, 0);
  while (r < 0 && errno == EINTR);
  finish(r == child_ ? status : -1);
}

void CompileJob::finish(int status) {
  ended_ = true;
  note_ended(child_);
  succeeded_ = status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == 0;
  if (succeeded_) return;
  const std::string log = read_log(folder_.log.get());
  if (status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == kPlacementFailed) {
    // After what the compiler said (warnings, say), the last line is what the placement said.
    std::string last = log.substr(0, log.find_last_not_of('\n') + 1);
    last = last.substr(last.find_last_of('\n') + 1);
    why_ = "the compiled library could not be put into the cache" + (last.empty() ? "" : ": " + last);
    return;
  }
  const std::string first_line = log.substr(0, log.find('\n'));
  why_ = "the compiler " + compiler_ + " failed" + (first_line.empty() ? "" : ": " + first_line);
}

void kill_running_compiles() {
  for (std::atomic<pid_t>& slot : running_groups)
    if (const pid_t group = slot.load(); group > 0) kill(-group, SIGKILL);
}

void CompileJob::mark_left() {
  if (!ended_) UniqueFd(openat(folder_.fd.get(), "left", O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
}

UniqueFd CompileJob::library() {
  if (!ended_ || !succeeded_) return UniqueFd();
  UniqueFd fd(openat(cache_.get(), library_name_.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (!fd) why_ = std::string("cannot open the compiled library: ") + std::strerror(errno);
  return fd;
}

}  // namespace interlock

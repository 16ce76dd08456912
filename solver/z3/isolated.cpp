#include "solver/z3/isolated.h"

#include "solver/run_context.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <chrono>
#include <cstring>
#include <exception>

namespace interlock {

namespace {

// The process's virtual size now (the first field of /proc/self/statm, in pages).
uint64_t virtual_bytes() {
  FILE* f = std::fopen("/proc/self/statm", "r");
  if (!f) return 0;
  unsigned long long pages = 0;
  const int read = std::fscanf(f, "%llu", &pages);
  std::fclose(f);
  return read == 1 ? pages * static_cast<uint64_t>(sysconf(_SC_PAGESIZE)) : 0;
}

}  // namespace

IsolatedResult run_isolated(const std::function<std::string()>& work, double seconds, const std::function<bool()>& stop,
                            uint64_t memory_bytes) {
  IsolatedResult result;
  int fds[2];
  if (pipe(fds) != 0) {
    result.failure = "cannot create a pipe";
    return result;
  }
  pid_t child = fork();
  if (child < 0) {
    close(fds[0]);
    close(fds[1]);
    result.failure = "cannot fork";
    return result;
  }
  if (child == 0) {
    // Z3 ends the process with exit() on an internal error (ERR_UNREACHABLE, 114, met on
    // 4.8.12): that would run, in this copy of the process, the destructors of the parent's
    // static objects (a test's temporary folder of specs was removed so). This handler, the last
    // registered, runs first and leaves at once with the same status.
    on_exit([](int status, void*) { _exit(status); }, nullptr);
    close(fds[0]);
    if (memory_bytes > 0) {
      const uint64_t now = virtual_bytes();
      rlimit limit{};
      limit.rlim_cur = limit.rlim_max = now > 0 ? now + memory_bytes : RLIM_INFINITY;
      setrlimit(RLIMIT_AS, &limit);
    }
    int null = open("/dev/null", O_WRONLY);  // the solver's own complaints stay out of our output
    if (null >= 0) {
      dup2(null, STDOUT_FILENO);
      dup2(null, STDERR_FILENO);
    }
    std::string out;
    try {
      out = work();
    } catch (const std::exception& e) {
      out = std::string("EXCEPTION:") + e.what();
    } catch (...) {
      out = "EXCEPTION:unknown";
    }
    std::size_t written = 0;
    while (written < out.size()) {
      ssize_t n = write(fds[1], out.data() + written, out.size() - written);
      if (n <= 0) break;
      written += static_cast<std::size_t>(n);
    }
    close(fds[1]);
    _exit(0);
  }
  close(fds[1]);
  std::string out;
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  bool timed_out = false, interrupted = false;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    if (stop_requested() || stop()) {  // the child goes at once
      interrupted = true;
      break;
    }
    pollfd p{fds[0], POLLIN, 0};
    int ready = poll(&p, 1, static_cast<int>(std::min<long long>(left, 100)));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) continue;
    char buf[4096];
    ssize_t n = read(fds[0], buf, sizeof buf);
    if (n <= 0) break;  // the child closed the pipe
    out.append(buf, static_cast<std::size_t>(n));
  }
  close(fds[0]);
  if (timed_out || interrupted) kill(child, SIGKILL);
  int status = 0;
  while (waitpid(child, &status, 0) < 0 && errno == EINTR) {
  }
  if (interrupted) {
    result.failure = "interrupted";
  } else if (timed_out) {
    result.failure = "timeout after " + format_seconds(seconds);
  } else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    result.output = out;
  } else if (WIFEXITED(status)) {
    result.failure = "the solver stopped with exit code " + std::to_string(WEXITSTATUS(status)) + " (an internal error in Z3)";
  } else {
    result.failure = "the solver crashed (signal " + std::to_string(WTERMSIG(status)) + ")";
  }
  return result;
}

}  // namespace interlock

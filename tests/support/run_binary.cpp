#include "support/run_binary.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <thread>
#include <stdexcept>

namespace interlock::testing {

ProcessRun run_interlock(const ProcessPlan& plan) {
  int out_pipe[2], err_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) != 0 || pipe2(err_pipe, O_CLOEXEC) != 0) throw std::runtime_error("pipe");
  std::vector<std::string> argv_text{INTERLOCK_BINARY};
  argv_text.insert(argv_text.end(), plan.args.begin(), plan.args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_text) argv.push_back(a.data());
  argv.push_back(nullptr);
  const auto start = std::chrono::steady_clock::now();
  const pid_t child = fork();
  if (child < 0) throw std::runtime_error("fork");
  if (child == 0) {
    dup2(out_pipe[1], STDOUT_FILENO);
    dup2(err_pipe[1], STDERR_FILENO);
    execv(argv[0], argv.data());
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  auto since_start = [&] { return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count(); };
  ProcessRun run;
  double signalled_at = -1;
  int sent = 0;
  int open_pipes = 2;
  pollfd fds[2] = {{out_pipe[0], POLLIN, 0}, {err_pipe[0], POLLIN, 0}};
  std::string* sinks[2] = {&run.out, &run.err};
  while (open_pipes > 0) {
    // Signals apart (0.1 s unless told): one sent while the last is pending would merge with it.
    while (plan.signal_after >= 0 && sent < plan.signals && since_start() >= plan.signal_after + plan.signal_spacing * sent) {
      kill(child, plan.signal_number);
      if (sent++ == 0) signalled_at = since_start();
      if (plan.signal_spacing < 0.01 && sent < plan.signals)  // closer than the loop's poll
        std::this_thread::sleep_for(std::chrono::duration<double>(plan.signal_spacing));
    }
    if (since_start() > plan.kill_after) kill(child, SIGKILL);
    if (poll(fds, 2, 10) <= 0) continue;
    for (int k = 0; k < 2; ++k) {
      if (fds[k].fd < 0 || !(fds[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      char buf[65536];
      const ssize_t n = read(fds[k].fd, buf, sizeof buf);
      if (n > 0) {
        constexpr std::size_t kKept = 1 << 20;  // enough to check; the rest is read and dropped
        if (sinks[k]->size() < kKept) sinks[k]->append(buf, std::min(static_cast<std::size_t>(n), kKept - sinks[k]->size()));
      } else {
        close(fds[k].fd);
        fds[k].fd = -1;
        --open_pipes;
      }
    }
  }
  int status = 0;
  rusage usage{};
  wait4(child, &status, 0, &usage);
  run.seconds = since_start();
  if (signalled_at >= 0) run.exit_after_signal = run.seconds - signalled_at;
  run.peak_rss_kb = usage.ru_maxrss;
  if (WIFEXITED(status)) run.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) run.signal = WTERMSIG(status);
  return run;
}

}  // namespace interlock::testing

// Holds the interlock process to its limits in every phase, for cli/main.cpp (tests that call
// run_command_line() in their own process go without it):
//
// - Ctrl-C (SIGINT, and SIGTERM): the first asks every run to stop (model/stop.h); runs end with
//   what they know so far, unknown for the rest (exit 3). A second one exits at once (exit 3).
// - --memory: a thread reads the process's resident memory every 10 ms. While the memory the run
//   has taken (beyond what the program held when it started) is above the limit, every run is
//   asked to stop; the request is withdrawn once memory falls back under it, so a phase that
//   freed its memory does not stop the next.
// - A backstop for a phase that cannot stop itself: the process ends with a message and exit 3
//   when memory stays above the limit for 2 s or reaches twice it (and 64 MB more), when a Ctrl-C is not honoured
//   within 3 s, or when the run outlives its hard deadline (--timeout and a grace period). The
//   verdicts `check` had decided by then are printed with the message (cli/decided_verdicts.h).
//
// SIGPIPE is ignored, so that output to a closed pipe is an error the program sees, not a
// death by signal: exit codes stay 0-3.
#pragma once

#include <cstdint>
#include <string>
#include <thread>
#include <vector>

namespace interlock {

struct GuardLimits {
  uint64_t memory_mb = 0;             // 0: none
  double hard_deadline_seconds = 0;   // 0: none
};

// The limits a command line asks for (none if it does not parse: its run reports why).
GuardLimits guard_limits(const std::vector<std::string>& args);

class ProcessGuard {
 public:
  explicit ProcessGuard(const GuardLimits& limits);
  ~ProcessGuard();
  ProcessGuard(const ProcessGuard&) = delete;
  ProcessGuard& operator=(const ProcessGuard&) = delete;

 private:
  void watch();
  GuardLimits limits_;
  std::thread watcher_;
};

}  // namespace interlock

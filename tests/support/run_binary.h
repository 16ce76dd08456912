// Runs the built interlock executable as its own process, for what only a process shows: signals,
// FIFOs, the process's memory, its exit code.
#pragma once

#include <signal.h>

#include <string>
#include <vector>

namespace interlock::testing {

struct ProcessRun {
  int exit_code = -1;    // -1 if it did not exit normally
  int signal = 0;        // the signal that ended it, if one did
  std::string out, err;  // the first MiB of each
  double seconds = 0;    // from start to exit
  long peak_rss_kb = 0;  // the child's peak resident memory
  double exit_after_signal = -1;  // seconds from the first signal sent to the exit
};

struct ProcessPlan {
  std::vector<std::string> args;     // after the executable's name
  double signal_after = -1;          // send `signals` signals this long after the start
  int signals = 1;
  int signal_number = SIGINT;        // or SIGTERM
  double kill_after = 60;            // a test never hangs: SIGKILL then
  double signal_spacing = 0.1;       // how far apart the signals are
};

ProcessRun run_interlock(const ProcessPlan& plan);

}  // namespace interlock::testing

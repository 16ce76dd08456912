#include "cli/process_guard.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <mutex>

#include "cli/decided_verdicts.h"
#include "cli/options.h"
#include "model/stop.h"
#include "solver/explicit/native/compile_job.h"

namespace interlock {

namespace {

using Clock = std::chrono::steady_clock;

constexpr auto kSampleEvery = std::chrono::milliseconds(10);
constexpr double kMemoryGraceSeconds = 2;     // above the limit this long: the process ends
constexpr uint64_t kMemorySlackBytes = 64u << 20;  // or above twice the limit and this
constexpr double kInterruptGraceSeconds = 3;  // a Ctrl-C (or SIGTERM) not honoured this long: the process ends

// Shared with the sampler that RunContext calls (a plain function: see set_memory_sampler).
std::atomic<uint64_t> baseline_bytes{0};
std::atomic<uint64_t> limit_bytes{0};  // 0: no memory limit
std::atomic<uint64_t> last_used_bytes{0};

// Written whole with one system call: safe in a signal handler and from any thread.
void say(const char* text) {
  ssize_t ignored = write(STDERR_FILENO, text, std::strlen(text));
  (void)ignored;
}

// After a line that says why the process ends, before it does: the verdicts the check had
// decided (it will not print its report now), and what the others are. Async-signal-safe.
[[noreturn]] void exit_with_decided_verdicts() {
  kill_running_compiles();  // no destructor will
  if (write_decided(STDERR_FILENO, ". The verdicts decided before it ended:\n"))
    say("Every other verdict is unknown.\n");
  else
    say(", and every verdict not printed is unknown\n");
  _exit(3);
}

// Ends the process from the watching thread: no allocation (memory may be what ran out).
[[noreturn]] void end_process(const char* why) {
  char text[512];
  std::snprintf(text, sizeof text, "\ninterlock: %s; the process ends here", why);
  say(text);
  exit_with_decided_verdicts();
}

uint64_t resident_bytes() {
  // /proc/self/statm: sizes in pages; the second is the resident set.
  int fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char text[128];
  const ssize_t n = read(fd, text, sizeof text - 1);
  close(fd);
  if (n <= 0) return 0;
  text[n] = '\0';
  unsigned long long size = 0, resident = 0;
  if (std::sscanf(text, "%llu %llu", &size, &resident) != 2) return 0;
  return static_cast<uint64_t>(resident) * static_cast<uint64_t>(sysconf(_SC_PAGESIZE));
}

// Reads the memory in use and asks runs to stop while it is above the limit.
void sample_memory() {
  const uint64_t limit = limit_bytes.load();
  if (limit == 0) return;
  const uint64_t rss = resident_bytes();
  const uint64_t base = baseline_bytes.load();
  const uint64_t used = rss > base ? rss - base : 0;
  last_used_bytes.store(used);
  if (used > limit) request_stop(StopReason::Memory);
  else withdraw_stop(StopReason::Memory);
}

extern "C" void on_interrupt(int signal) {
  const bool again = stop_requested(StopReason::Interrupt);
  if (signal == SIGTERM) note_termination();
  if (again) {
    say(signal == SIGTERM ? "\ninterlock: terminated again: stopping now" : "\ninterlock: interrupted again: stopping now");
    exit_with_decided_verdicts();
  }
  request_stop(StopReason::Interrupt);
  say(signal == SIGTERM ? "\ninterlock: terminated (SIGTERM): stopping with what is known so far (a second signal quits at once)\n"
                        : "\ninterlock: interrupted: stopping with what is known so far (Ctrl-C again to quit at once)\n");
}

std::mutex mutex;
std::condition_variable wake;
bool done = false;

}  // namespace

GuardLimits guard_limits(const std::vector<std::string>& args) {
  GuardLimits limits;
  try {
    const Options options = parse_options(args);
    limits.memory_mb = options.limits.memory_mb;
    // compare and synth run many checks, each with the timeout: no deadline for the whole.
    const double timeout = options.limits.timeout_seconds;
    if (timeout > 0 && options.command != "compare" && options.command != "synth") limits.hard_deadline_seconds = timeout * 1.1 + 2;
  } catch (const std::exception&) {
  }
  return limits;
}

ProcessGuard::ProcessGuard(const GuardLimits& limits) : limits_(limits) {
  struct sigaction action{};
  action.sa_handler = on_interrupt;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;  // a system call under way goes on; the runs look at the request
  sigaction(SIGINT, &action, nullptr);
  sigaction(SIGTERM, &action, nullptr);
  signal(SIGPIPE, SIG_IGN);
  baseline_bytes = resident_bytes();
  limit_bytes = limits_.memory_mb * 1024 * 1024;
  if (limits_.memory_mb > 0) set_memory_sampler(sample_memory);
  watcher_ = std::thread([this] { watch(); });
}

ProcessGuard::~ProcessGuard() {
  {
    std::lock_guard<std::mutex> lock(mutex);
    done = true;
  }
  wake.notify_all();
  watcher_.join();
  set_memory_sampler(nullptr);
}

void ProcessGuard::watch() {
  const Clock::time_point start = Clock::now();
  // When memory went over the limit, when Ctrl-C came; unset (the epoch) while it is not so.
  Clock::time_point over_since{}, interrupted_since{};
  auto seconds_since = [](Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); };
  std::unique_lock<std::mutex> lock(mutex);
  while (!wake.wait_for(lock, kSampleEvery, [] { return done; })) {
    if (limits_.memory_mb > 0) {
      sample_memory();
      const uint64_t used = last_used_bytes.load(), limit = limit_bytes.load();
      if (used <= limit) {
        over_since = {};
      } else {
        if (over_since == Clock::time_point{}) over_since = Clock::now();
        if (used > 2 * limit + kMemorySlackBytes || seconds_since(over_since) > kMemoryGraceSeconds) {
          char why[160];
          std::snprintf(why, sizeof why, "the memory limit of %llu MB was exceeded (%llu MB) and the run did not stop",
                        static_cast<unsigned long long>(limits_.memory_mb), static_cast<unsigned long long>(used >> 20));
          end_process(why);
        }
      }
    }
    if (stop_requested(StopReason::Interrupt)) {
      if (interrupted_since == Clock::time_point{}) interrupted_since = Clock::now();
      if (seconds_since(interrupted_since) > kInterruptGraceSeconds)
        end_process(termination_noted() ? "terminated, and the run did not stop in time" : "interrupted, and the run did not stop in time");
    }
    if (limits_.hard_deadline_seconds > 0 && seconds_since(start) > limits_.hard_deadline_seconds)
      end_process("the run went on past its --timeout");
  }
}

}  // namespace interlock

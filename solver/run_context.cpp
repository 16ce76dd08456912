#include "solver/run_context.h"

#include <sys/resource.h>

#include <atomic>
#include <cstdio>
#include <ostream>

namespace interlock {

namespace {
std::atomic<bool> stop_flag{false};
}

void request_stop() noexcept { stop_flag.store(true, std::memory_order_relaxed); }
bool stop_requested() noexcept { return stop_flag.load(std::memory_order_relaxed); }

void RunContext::print_progress(const std::string& line) { *progress_ << "[" << static_cast<int>(elapsed()) << "s] " << line << std::endl; }

std::string format_seconds(double seconds) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g s", seconds);
  return buf;
}

uint64_t peak_rss_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<uint64_t>(usage.ru_maxrss) * 1024;  // Linux reports kilobytes
}

}  // namespace interlock

#include "solver/run_context.h"

#include <sys/resource.h>

#include <cstdio>
#include <ostream>

namespace interlock {

std::string RunContext::stop_reason() const {
  if (stop_requested(StopReason::Interrupt)) return "interrupted (Ctrl-C)";
  if (stop_requested(StopReason::Memory)) return memory_limit_reached();
  if (cancel_ && cancel_->load(std::memory_order_relaxed)) return "stopped: another engine answered first";
  return "timeout after " + format_seconds(limits_.timeout_seconds);
}

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

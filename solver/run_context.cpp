#include "solver/run_context.h"

#include <sys/resource.h>

#include <cstdio>
#include <ostream>

namespace interlock {

RunContext::Stop RunContext::current_stop() const {
  if (stop_requested(StopReason::Interrupt)) return Stop::Interrupt;
  if (stop_requested(StopReason::Memory)) return Stop::Memory;
  if (cancel_ && cancel_->load(std::memory_order_relaxed)) return Stop::Cancelled;
  if (limits_.timeout_seconds > 0 && elapsed() > limits_.timeout_seconds) return Stop::Timeout;
  return Stop::None;
}

void RunContext::note_stop() const {
  if (first_stop_.load(std::memory_order_relaxed) != Stop::None) return;
  Stop none = Stop::None;
  // A request withdrawn between timed_out()'s look and this one: it was the memory guard's.
  const Stop now = current_stop();
  const Stop why = now == Stop::None ? Stop::Memory : now;
  first_stop_.compare_exchange_strong(none, why, std::memory_order_relaxed);
}

std::string RunContext::stop_reason() const {
  switch (seen_stop()) {
    case Stop::Interrupt: return describe_interrupt();
    case Stop::Memory: return memory_limit_reached();
    case Stop::Cancelled: return "stopped: another engine answered first";
    case Stop::Timeout: return "timeout after " + format_seconds(limits_.timeout_seconds);
    case Stop::None: break;
  }
  // Not stopped (a caller that asks without timed_out() having been true, say one whose solver
  // used up the time it was given a moment before this clock did).
  if (limits_.timeout_seconds > 0) return "timeout after " + format_seconds(limits_.timeout_seconds);
  return "stopped early";
}

RunContext::Stop RunContext::seen_stop() const {
  const Stop why = first_stop_.load(std::memory_order_relaxed);
  return why == Stop::None ? current_stop() : why;
}

bool RunContext::stopped_for_memory() const { return seen_stop() == Stop::Memory; }

bool RunContext::stopped_by_interrupt() const { return seen_stop() == Stop::Interrupt; }

void RunContext::print_progress(const std::string& line) { *progress_ << "[" << static_cast<int>(elapsed()) << "s] " << line << std::endl; }

std::string format_seconds(double seconds) {
  // Three significant digits (a budget the run computed, 0.00194987 s, reads 0.00195 s), and whole
  // seconds from 100 on ("%g" would print 1234.5 as 1234.5 and 123456 as 123456; "%.3g" 1.23e+03).
  char buf[32];
  if (seconds >= 100)
    std::snprintf(buf, sizeof buf, "%.0f s", seconds);
  else
    std::snprintf(buf, sizeof buf, "%.3g s", seconds);
  return buf;
}

uint64_t peak_rss_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<uint64_t>(usage.ru_maxrss) * 1024;  // Linux reports kilobytes
}

}  // namespace interlock

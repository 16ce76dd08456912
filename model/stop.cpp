#include "model/stop.h"

#include <atomic>

namespace interlock {

namespace {
std::atomic<unsigned> reasons{0};
std::atomic<void (*)()> sampler{nullptr};
std::atomic<bool> terminated{false};
static_assert(std::atomic<unsigned>::is_always_lock_free, "a signal handler sets the stop request");
}  // namespace

void request_stop(StopReason why) noexcept { reasons.fetch_or(static_cast<unsigned>(why), std::memory_order_relaxed); }
void withdraw_stop(StopReason why) noexcept { reasons.fetch_and(~static_cast<unsigned>(why), std::memory_order_relaxed); }
bool stop_requested() noexcept { return reasons.load(std::memory_order_relaxed) != 0; }
bool stop_requested(StopReason why) noexcept { return (reasons.load(std::memory_order_relaxed) & static_cast<unsigned>(why)) != 0; }

const char* describe_stop_request() noexcept {
  if (stop_requested(StopReason::Interrupt)) return describe_interrupt();
  if (stop_requested(StopReason::Memory)) return "over the memory limit";
  return "not stopped";
}

void note_termination() noexcept { terminated.store(true, std::memory_order_relaxed); }
bool termination_noted() noexcept { return terminated.load(std::memory_order_relaxed); }
const char* describe_interrupt() noexcept {
  return termination_noted() ? "terminated (SIGTERM)" : "interrupted (Ctrl-C)";
}

void set_memory_sampler(void (*sample)()) noexcept { sampler.store(sample); }
void resample_memory() noexcept {
  if (void (*sample)() = sampler.load()) sample();
}

}  // namespace interlock

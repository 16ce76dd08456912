// A process-wide request to stop early, and why: Ctrl-C (cli/main.cpp), or the process being
// over its memory limit (cli/process_guard.h). Every loop that can run long or grow asks
// stop_requested(), directly or through RunContext::timed_out(): loading a spec, every search,
// simulate, replay, graph and compare. A run that stops reports what it knows so far; the rest
// is unknown (exit 3).
#pragma once

namespace interlock {

enum class StopReason : unsigned { Interrupt = 1, Memory = 2 };

// Both are async-signal-safe (a lock-free atomic), so a signal handler may call them.
void request_stop(StopReason why = StopReason::Interrupt) noexcept;
void withdraw_stop(StopReason why) noexcept;  // memory that fell back under the limit
bool stop_requested() noexcept;               // for any reason
bool stop_requested(StopReason why) noexcept;
const char* describe_stop_request() noexcept;  // "interrupted (Ctrl-C)", "over the memory limit"

// An Interrupt request came from SIGTERM (a service manager, `kill`), not from Ctrl-C: said so in
// every message that names the stop. Async-signal-safe.
void note_termination() noexcept;
bool termination_noted() noexcept;
// "interrupted (Ctrl-C)", or "terminated (SIGTERM)" after note_termination().
const char* describe_interrupt() noexcept;

// Whoever watches the process's memory (the process guard) may register how to look again now,
// so that a phase that starts right after another freed its memory does not stop on a stale
// reading. resample_memory() runs it, if any.
void set_memory_sampler(void (*sample)()) noexcept;
void resample_memory() noexcept;

}  // namespace interlock

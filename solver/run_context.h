// What one run may use and where it reports progress: passed to every engine, never global.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>

#include "model/stop.h"
#include "solver/coverage.h"

namespace interlock {

// Whether the explicit engine compiles the model's successor function to native code
// (solver/explicit/native/): Auto does once a search has run for a while, On before it starts.
enum class NativeMode { Off, Auto, On };

struct Limits {
  double timeout_seconds = 0;  // 0: none
  // 0: none. The explicit engine holds its visited set and transition graph to it; the process
  // guard (cli/process_guard.h) holds the whole process to it, as a stop request.
  uint64_t memory_mb = 0;
  int depth = 0;               // 0: none
  NativeMode native = NativeMode::Auto;  // not a limit, but carried to the engines the same way
  // The explicit search's threads (--threads): 0 is one per core. A breadth-first level of fewer
  // than parallel_min_level states is expanded on one thread (tests set 1 to try every level).
  int threads = 0;
  uint64_t parallel_min_level = 2048;
  // The explicit engine's reductions (cone of influence, dead clocks): off (--reduce off), it
  // searches the plain semantics, state for state, as a cross-check with another tool needs.
  bool reduce = true;
  // Symmetry reduction (solver/explicit/symmetry.h): interchangeable copies of an indexed machine
  // are searched once per orbit. Off with --symmetry off, and whenever `reduce` is off.
  bool symmetry = true;
  // Partial-order reduction (solver/explicit/partial_order.h): of the independent actions of an
  // instant, one order is explored. On unless --por off; not when `reduce` is off, nor for runs
  // that need every state (responses, delays, lint's coverage): the stats line says so when
  // `partial_order_asked` (--por on was given).
  bool partial_order = true;
  bool partial_order_asked = false;
  // Lint (solver/lint/): when set, the explicit engine also reports what a search of the whole
  // state space covered, in Stats::coverage.
  std::shared_ptr<const CoverageRequest> coverage;
};

// Ctrl-C and memory: request_stop() and stop_requested() (model/stop.h) ask every run in the
// process to stop. A run treats a request as a limit: it ends with what it knows, and whatever it
// left open is unknown (exit 3).

class RunContext {
 public:
  RunContext(Limits limits, std::ostream* progress) : limits_(limits), progress_(progress) { resample_memory(); }
  const Limits& limits() const { return limits_; }
  // Asks the explicit engine of this run for what its search covers (lint, solver/lint/).
  void request_coverage(std::shared_ptr<const CoverageRequest> request) { limits_.coverage = std::move(request); }
  double elapsed() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  }
  // Once true, true for good: a run that has begun to stop (one of its threads, say) does not
  // take it back when a memory stop is withdrawn.
  bool timed_out() const {
    if (first_stop_.load(std::memory_order_relaxed) != Stop::None) return true;
    if (!stop_requested() && !(cancel_ && cancel_->load(std::memory_order_relaxed)) &&
        !(limits_.timeout_seconds > 0 && elapsed() > limits_.timeout_seconds))
      return false;
    note_stop();
    return true;
  }
  // Another run may end this one early (a portfolio whose other engine answered first): it is
  // then stopped as at a timeout.
  void cancel_with(const std::atomic<bool>* flag) { cancel_ = flag; }
  bool over_memory(uint64_t bytes) const { return limits_.memory_mb > 0 && bytes > limits_.memory_mb * 1024 * 1024; }
  // Why timed_out() is true, for a verdict's detail: "interrupted (Ctrl-C)" (or "terminated
  // (SIGTERM)"), "memory limit of 64 MB reached", "timeout after 2 s". The reason timed_out()
  // first saw, even if that has gone since: the process guard withdraws a memory stop once
  // memory falls back under the limit, and a run that stopped for it (its threads freeing their
  // buffers) must still say so.
  std::string stop_reason() const;
  // Whether that reason is the process reaching --memory; a Ctrl-C (or SIGTERM).
  bool stopped_for_memory() const;
  bool stopped_by_interrupt() const;
  // A run of its own inside another (auto's provers) may have no limit of its own while the
  // process's --memory stops it.
  std::string memory_limit_reached() const {
    return limits_.memory_mb ? "memory limit of " + std::to_string(limits_.memory_mb) + " MB reached" : "the process reached --memory";
  }
  // Prints a progress line about once a second; `line` is built only when it will be shown.
  template <class F>
  void progress(F&& line) {
    if (!progress_) return;
    double now = elapsed();
    if (now < next_progress_) return;
    next_progress_ = now + 1.0;
    if (now < 1.0) return;  // short runs stay quiet
    print_progress(line());
  }

 private:
  void print_progress(const std::string& line);
  enum class Stop : int { None, Interrupt, Memory, Cancelled, Timeout };
  Stop current_stop() const;
  Stop seen_stop() const;  // the reason timed_out() first saw, else the current one
  void note_stop() const;  // the reason, the first time timed_out() is true
  Limits limits_;
  std::ostream* progress_;
  const std::atomic<bool>* cancel_ = nullptr;
  mutable std::atomic<Stop> first_stop_{Stop::None};  // timed_out() may run on several threads
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  double next_progress_ = 1.0;
};

uint64_t peak_rss_bytes();

// "30 s", "0.5 s": a duration for messages, without trailing zeros.
std::string format_seconds(double seconds);

}  // namespace interlock

// Interrupts a Z3 context when the run must stop: at its time limit, when the user presses
// Ctrl-C, or when a portfolio's other engine has answered (RunContext::timed_out), or at a
// deadline of its own (Spacer has no timeout parameter). A thread that looks every 50 ms; Z3 then
// gives up its current check (solver::check answers unknown, fixedpoint throws).
#pragma once

#include <z3++.h>

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "solver/run_context.h"

namespace interlock {

class Interrupter {
 public:
  // The context of the run, and a deadline in seconds from now (<= 0: none beyond the run's).
  Interrupter(z3::context& ctx, const RunContext* context, double seconds = 0) : ctx_(ctx) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds > 0 ? seconds : 1e9);
    thread_ = std::thread([this, deadline, context] {
      std::unique_lock<std::mutex> lock(mutex_);
      while (!done_) {
        if (stop_requested() || (context && context->timed_out()) || std::chrono::steady_clock::now() >= deadline) {
          fired_ = true;
          ctx_.interrupt();
          return;
        }
        cv_.wait_for(lock, std::chrono::milliseconds(50));
      }
    });
  }
  Interrupter(const Interrupter&) = delete;
  Interrupter& operator=(const Interrupter&) = delete;
  ~Interrupter() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }
  bool fired() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return fired_;
  }

 private:
  z3::context& ctx_;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
  bool fired_ = false;
  std::thread thread_;
};

}  // namespace interlock

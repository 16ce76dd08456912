// A fixed team of threads for searches that split each step among them (solver/explicit/
// parallel_level.h, solver/distributed/round_expansion.h).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <exception>
#include <thread>
#include <vector>

#include "model/function_ref.h"

namespace interlock {

// Threads that run one job at a time, all of them on it: run(job) calls job(t) for every t in
// 0..size()-1, t = 0 on the calling thread, and returns when every call has. An exception thrown
// by a call is rethrown by run().
class WorkerPool {
 public:
  // A waiting thread spins for kSpin before it sleeps, unless there are more threads than cores.
  explicit WorkerPool(int threads);
  // Spins for `spin` (0: sleeps at once).
  WorkerPool(int threads, std::chrono::nanoseconds spin);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;
  int size() const { return static_cast<int>(threads_.size()) + 1; }
  void run(FunctionRef<void(int)> job);

  static constexpr std::chrono::nanoseconds kSpin{50'000};

 private:
  void work(int t);
  const std::chrono::nanoseconds spin_;  // how long a waiting thread spins before it sleeps
  std::vector<std::thread> threads_;
  std::vector<std::exception_ptr> errors_;
  const FunctionRef<void(int)>* job_ = nullptr;
  std::atomic<uint32_t> generation_{0};
  std::atomic<int> pending_{0};
  std::atomic<int> sleepers_{0};          // workers asleep on generation_, or about to be
  std::atomic<bool> caller_sleeps_{false};  // run()'s caller asleep on pending_, or about to be
  std::atomic<bool> quit_{false};
};

}  // namespace interlock

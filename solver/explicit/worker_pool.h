// A fixed team of threads for searches that split each step among them (solver/explicit/
// parallel_level.h, solver/distributed/round_expansion.h).
#pragma once

#include <atomic>
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
  explicit WorkerPool(int threads);
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;
  int size() const { return static_cast<int>(threads_.size()) + 1; }
  void run(FunctionRef<void(int)> job);

 private:
  void work(int t);
  std::vector<std::thread> threads_;
  std::vector<std::exception_ptr> errors_;
  const FunctionRef<void(int)>* job_ = nullptr;
  std::atomic<uint32_t> generation_{0};
  std::atomic<int> pending_{0};
  std::atomic<bool> quit_{false};
};

}  // namespace interlock

#include "solver/explicit/worker_pool.h"

#include <algorithm>
#include <chrono>
#include <utility>

namespace interlock {

namespace {

void relax() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#endif
}

// Spins until `pending()` is false or `spin` has passed; true if it became false. The clock is
// read every 64 rounds only: reading it costs more than a round.
template <class Pending>
bool spin_while(Pending pending, std::chrono::nanoseconds spin) {
  if (spin.count() == 0) return !pending();
  const auto until = std::chrono::steady_clock::now() + spin;
  for (;;) {
    for (int i = 0; i < 64; ++i) {
      if (!pending()) return true;
      relax();
    }
    if (std::chrono::steady_clock::now() >= until) return !pending();
  }
}

}  // namespace

namespace {

// A level search hands its threads a job every few microseconds to a millisecond: a thread that
// waits spins for a while before it sleeps, since waking a sleeping one costs tens of
// microseconds. Not when there are more threads than cores: a spinning thread would then take the
// core from the thread it waits for.
std::chrono::nanoseconds spin_for(int threads) {
  const unsigned cores = std::thread::hardware_concurrency();
  return cores != 0 && static_cast<unsigned>(std::max(threads, 1)) <= cores ? WorkerPool::kSpin : std::chrono::nanoseconds{0};
}

}  // namespace

WorkerPool::WorkerPool(int threads) : WorkerPool(threads, spin_for(threads)) {}

WorkerPool::WorkerPool(int threads, std::chrono::nanoseconds spin)
    : spin_(spin), errors_(static_cast<std::size_t>(std::max(threads, 1))) {
  for (int t = 1; t < threads; ++t) threads_.emplace_back([this, t] { work(t); });
}

WorkerPool::~WorkerPool() {
  quit_.store(true, std::memory_order_relaxed);
  generation_.fetch_add(1, std::memory_order_seq_cst);
  generation_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void WorkerPool::work(int t) {
  uint32_t seen = 0;
  for (;;) {
    // Sleepers are counted before the last look at the generation, and run() bumps it before it
    // reads the count (both sequentially consistent): either run() sees the sleeper and wakes it,
    // or the sleeper sees the new generation and does not sleep.
    if (!spin_while([&] { return generation_.load(std::memory_order_acquire) == seen; }, spin_)) {
      sleepers_.fetch_add(1, std::memory_order_seq_cst);
      generation_.wait(seen, std::memory_order_seq_cst);
      sleepers_.fetch_sub(1, std::memory_order_relaxed);
      if (generation_.load(std::memory_order_acquire) == seen) continue;  // woken without a job
    }
    seen = generation_.load(std::memory_order_acquire);
    if (quit_.load(std::memory_order_relaxed)) return;
    try {
      (*job_)(t);
    } catch (...) {
      errors_[static_cast<std::size_t>(t)] = std::current_exception();
    }
    if (pending_.fetch_sub(1, std::memory_order_seq_cst) == 1 && caller_sleeps_.load(std::memory_order_seq_cst))
      pending_.notify_one();
  }
}

void WorkerPool::run(FunctionRef<void(int)> job) {
  job_ = &job;
  pending_.store(size() - 1, std::memory_order_relaxed);
  generation_.fetch_add(1, std::memory_order_seq_cst);  // publishes job_ and pending_
  if (sleepers_.load(std::memory_order_seq_cst) != 0) generation_.notify_all();
  try {
    job(0);
  } catch (...) {
    errors_[0] = std::current_exception();
  }
  if (!spin_while([&] { return pending_.load(std::memory_order_acquire) != 0; }, spin_)) {
    caller_sleeps_.store(true, std::memory_order_seq_cst);
    for (int p; (p = pending_.load(std::memory_order_seq_cst)) != 0;) pending_.wait(p, std::memory_order_seq_cst);
    caller_sleeps_.store(false, std::memory_order_relaxed);
  }
  for (std::exception_ptr& e : errors_)
    if (e) std::rethrow_exception(std::exchange(e, nullptr));
}

}  // namespace interlock

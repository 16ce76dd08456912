// The explicit search on several threads (--threads N), one breadth-first level at a time, with
// exactly the results of the one-thread search (solver/explicit/explorer.cpp): the same state
// indexes, the same calls of on_new in the same order, the same parents (so the same traces), the
// same counts, the same fault and the same limits. docs/engines.md, "explicit", says how.
//
// A level [begin, end) of the store is searched in three parallel phases, then on_new is called:
//   1. the level's states, in chunks taken in index order by whichever thread is free, are
//      expanded into the chunk's own buffers: every successor the one-thread search would look
//      up, packed and hashed, in order, and sorted by the hash into one list per thread (shard);
//   2. each thread looks up and inserts the successors of its own shard, chunk after chunk, in
//      order, in the state store's one hash table: a state is in exactly one shard, so exactly
//      one thread decides whether it is old, new, or a repeat of a new one, and the first
//      occurrence in the one-thread order is the one it inserts. New states get a provisional
//      number (their table slots are claimed by compare-and-swap: threads may probe into the
//      same region of the table, but never claim the same slot);
//   3. the new states are numbered in order (a chunk's first new state takes the index after the
//      last of the chunks before it, which is exactly the order the one-thread search inserts
//      them in), and every thread writes its chunks' records and turns their provisional slots
//      into final ones;
// and on the calling thread on_new is called for the new states, in index order.
//
// Whatever would make the one-thread search end inside the level (a fault, on_new asking to
// stop) cuts the level where that search would have been at that point: the store is truncated,
// and the counts are those of the batches of kBatchStates states the one-thread search had
// expanded by then. A level that could reach --memory or the store's capacity is declined: the
// one-thread loop runs it, and checks at each batch as always.
#pragma once

#include <atomic>
#include <cstdint>
#include <exception>
#include <memory>
#include <thread>
#include <vector>

#include "model/function_ref.h"
#include "model/semantics.h"
#include "solver/explicit/explorer.h"
#include "solver/explicit/worker_pool.h"

namespace interlock {

// The number of threads --threads 0 (the default) stands for: one per core.
int default_search_threads();

class ParallelLevel {
 public:
  ParallelLevel(Explorer& explorer, int threads);
  ~ParallelLevel();

  enum class Result {
    Done,      // the level is expanded and its new states inserted; the search goes on
    Ended,     // the search ends here, with `outcome`
    Declined,  // nothing changed: the one-thread loop must run this level
  };
  // Declined: `resume` is the state from which the one-thread loop must go on (the states before
  // it are expanded, and their new states inserted and given to on_new).
  Result run(uint64_t begin, uint64_t end, FunctionRef<bool(uint32_t, const int32_t*)> on_new, Explorer::Outcome& outcome,
             uint64_t& resume);

  // At the end of the search: drops the next level's work done ahead, and gives the store's
  // table the size insert() would have given it (a window may have grown it ahead, or a stop
  // truncated the store).
  void finish();

  // The one-thread search's batch: its checks (--memory) and its counts at a stop are per batch.
  static constexpr uint64_t kBatchStates = 64;
  // A level is searched in windows of at most this many states (whole batches), one after the other.
  static constexpr uint64_t kWindowStates = uint64_t{1} << 15;

 private:
  struct Worker;
  struct Chunk;
  struct Window;  // a part of a level, searched as a whole; two alternate (see run())
  void start(Window& x, uint64_t begin, uint64_t end);
  void expand_window(Worker& w, Window& x);
  void expand(Worker& w, Window& x, Chunk& c);
  bool expand_native(Worker& w, Chunk& c, uint64_t j, uint64_t& repeated, bool& acted);
  Result insert_window(Window& x, Explorer::Outcome& outcome);
  bool insert_shard(Window& x, int shard);
  void number(Chunk& c);
  void record_graph(Window& x, Chunk& c);
  // After phase 3: the state a kept successor leads to (a repeat of a new state: that state).
  uint32_t final_target(const Window& x, const Chunk& c, std::size_t pos) const;
  void note_quiet_ticks(const Window& x);  // Explorer::record_quiet_ticks()
  // Whether the chunks note which successors are ticks (for the graph, or the quiet ticks).
  bool keeps_ticks() const { return ex_.graph_ != nullptr || ex_.quiet_ticks_on_; }
  int shard_of(uint64_t hash) const { return static_cast<int>(((hash >> 32) * static_cast<uint64_t>(shards_)) >> 32); }
  void rehash(uint64_t states);  // the store's table, on every thread
  // The one-thread search's transitions, native expansions and expanded states for the window's
  // states before `to`.
  void count_up_to(const Window& x, uint64_t to);
  void clear_actions(uint64_t from, uint64_t to);
  void discard(const Window& x);
  void merge_edges();
  void drop_pending();
  void undo_graph(const Window& x, uint64_t expanded_to);

  // Shards of the successors, by hash: several per thread, taken by whichever thread is free.
  static constexpr int kShardsPerThread = 4;

  Explorer& ex_;
  WorkerPool pool_;
  int shards_;
  // Phase 2: per shard, the new states it inserted in the window, in order, as (chunk << 32 | position).
  std::vector<std::vector<uint64_t>> mine_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::unique_ptr<Window> windows_[2];
  NativeSuccessorsFn native_fn_ = nullptr;  // as the level started
  uint64_t window_states_ = kWindowStates;
  uint64_t parallel_min_ = 1;  // Limits::parallel_min_level: the next level is searched here if it has as many
  Window* pending_ = nullptr;  // the next level's first window, expanded ahead
  uint64_t level_begin_ = 0;
  uint64_t old_ = 0;       // states in the store as the window's phase 2 began
  uint64_t quota_ = 0;     // new states each shard may insert before the table must grow
  double new_share_ = 0;   // of the last window: new states per successor kept
  std::atomic<bool> over_{false};  // phase 2: some thread used up its quota
  uint64_t graph_base_ = 0;        // the graph's edges before this window
};

}  // namespace interlock

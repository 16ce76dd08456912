// The explicit search on several threads (--threads N), one breadth-first level at a time, with
// exactly the results of the one-thread search (solver/explicit/explorer.cpp): the same state
// indexes, the same calls of on_new in the same order, the same parents (so the same traces), the
// same counts, the same fault and the same limits. docs/engines.md, "explicit", says how.
//
// A level [begin, end) of the store is searched in windows, each in two parallel phases, then
// on_new is called:
//   1. the window's states, in chunks taken in index order by whichever thread is free, are
//      expanded a group at a time, and each successor is looked up at once in the store's one hash
//      table. A successor not there gets an entry (its bytes, its table slot) with a provisional
//      number, and claims the slot by compare-and-swap; all threads probe the same table, so each
//      new state has exactly one entry. The entry's owner is the earliest occurrence met so far,
//      as a key (parent << 32 | position among the parent's successors): an occurrence with a
//      smaller key takes it over (an atomic minimum). When every chunk is done, each entry's owner
//      is its first occurrence in the one-thread search's order, and the chunk that holds it;
//   2. each chunk's owned entries are numbered in its order (its first takes the index after the
//      last of the chunks before it, exactly as the one-thread search inserts them), and every
//      thread writes its chunks' records and turns their provisional slots into final ones;
// and on the calling thread on_new is called for the new states, in index order.
//
// A window may not fill the table past 7/8: its entries are counted against a quota, and a window
// that uses it up is expanded again after the table grows (before a window, the table grows if
// the new states of the window before it, in proportion, would take it past 3/4). Whatever would
// make the one-thread search end inside the level (a fault, on_new asking to stop) cuts the level
// where that search would have been at that point: the store is truncated, and the counts are
// those of the batches of kBatchStates states the one-thread search had expanded by then. A
// window whose new states reach --memory or the store's capacity is declined: the one-thread loop
// runs it, and checks at each batch as always. Provisional entries left in the table (a window
// dropped, cut or declined) are cleared by building the table again from the store.
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
#include "solver/explicit/write_prefetch.h"

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
  Result run(uint64_t begin, uint64_t end, FunctionRef<bool(uint32_t, const uint8_t*)> on_new, Explorer::Outcome& outcome,
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
  struct Entry;   // a new state of the window being expanded, before it has its index
  // `level_end`: the end of the window's level; `pacing`: where partial-order reduction looks in it.
  void start(Window& x, uint64_t begin, uint64_t end, uint64_t level_end, const ReductionPacing& pacing);
  void reset(Window& x);
  void expand_window(Worker& w, Window& x);
  void expand(Worker& w, Window& x, Chunk& c);
  // The interpreter's successor `next` of the state packed at `parent_packed`, packed after the
  // worker's successors as the store keeps states (canonical under symmetry), not yet kept.
  uint8_t* pack_successor(Worker& w, const uint8_t* parent_packed, const int32_t* next);
  // Native code's successors of `parent` into the worker's buffers from `first` on (with each
  // action's edges when `with_actions`), the buffers grown until they fit: how many, or a negative
  // number for a state the interpreter must expand. Inlined: the plain search's hot path.
  [[gnu::always_inline]] int call_native(Worker& w, const uint8_t* parent, std::size_t first, bool with_actions,
                                         std::size_t stride);
  bool expand_native(Worker& w, uint64_t j, uint64_t& repeated, bool& acted);
  // A fault in state j, whose successors begin at `before` in the worker's group.
  void fail(Worker& w, Window& x, Chunk& c, uint64_t j, std::size_t before, bool acted);
  // Partial-order reduction, as Explorer::expand_reduced (the worker's successors from w.count
  // on, keyed); `por` says what it did (kAnalysed...). False at a fault.
  bool expand_reduced(Worker& w, const Window& x, uint64_t j, bool& acted, bool& native, uint8_t& por, ModelFault& fault);
  bool expand_native_with_actions(Worker& w, uint64_t j, bool& tick, bool& acted);
  // Whether a successor is a state of a level before the window's (the cycle proviso).
  bool searched_before(const Window& x, uint64_t hash, const uint8_t* packed) const;
  // The table slot of a successor the group will look up, fetched ready to be written
  // (write_prefetch.h): the claim's compare-and-swap fell from about 20% of the insertion's
  // samples to 6%.
  void prefetch_slot(uint64_t hash) const {
    prefetch_for_write(ex_.store_.slots() + ex_.store_.home(hash), write_prefetch_);
  }
  // Looks up (inserting if new) the successor at `k` of the worker's group; false when the
  // window's quota of entries is used up. Inlined into expand()'s loop: as a call it cost 20
  // instructions per successor.
  [[gnu::always_inline]] bool insert(Worker& w, Window& x, Chunk& c, std::size_t k);
  // Another range of entry numbers for the worker; false when the window's quota is used up.
  bool take_entries(Worker& w, Window& x);
  Entry& entry(uint64_t id) const;
  bool owns(const Chunk& c, const Entry& e) const;
  Result insert_window(Window& x, Explorer::Outcome& outcome);
  void number(Chunk& c);
  void record_graph(Window& x, Chunk& c);
  // After phase 2: the state a kept successor leads to.
  uint32_t final_target(const Window& x, const Chunk& c, std::size_t pos) const;
  void note_quiet_ticks(const Window& x);  // Explorer::record_quiet_ticks()
  // Whether the chunks note where each successor leads and which are ticks (for the graph, or
  // the quiet ticks).
  bool keeps_ticks() const { return ex_.graph_ != nullptr || ex_.quiet_ticks_on_; }
  // A new table of `slots` slots holding the store's states only (no provisional entries),
  // built on every thread.
  void rebuild_table(std::size_t slots);
  // The one-thread search's transitions, native expansions and expanded states for the window's
  // states before `to`.
  void count_up_to(const Window& x, uint64_t to);
  void clear_actions(uint64_t from, uint64_t to);
  void discard(const Window& x);
  void merge_edges();
  void drop_pending();
  void undo_graph(const Window& x, uint64_t expanded_to);

  // Entries live in blocks of 2^kEntryShift, allocated as first needed and kept; a thread takes
  // numbers for its entries a range at a time (Window::entry_range).
  static constexpr uint32_t kEntryShift = 12;
  // States expanded before their successors are looked up: the table's cache misses of a group
  // overlap, as in the one-thread search's batches.
  static constexpr uint64_t kGroupStates = 32;
  // The most new states per state a window is expected to make, for growing the table before it.
  static constexpr double kLikelyPerState = 4;

  Explorer& ex_;
  WorkerPool pool_;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::unique_ptr<Window> windows_[2];
  // Owned (freed by the destructor); each set once, by compare-and-swap, by the thread that first needs it.
  std::unique_ptr<std::atomic<Entry*>[]> entry_blocks_;
  std::size_t entry_block_count_ = 0;
  bool write_prefetch_ = false;  // the processor has PREFETCHW
  NativeSuccessorsFn native_fn_ = nullptr;  // as the level started
  uint64_t window_states_ = kWindowStates;
  uint64_t parallel_min_ = 1;  // Limits::parallel_min_level: the next level is searched here if it has as many
  Window* pending_ = nullptr;  // the next level's first window, expanded ahead
  uint64_t level_begin_ = 0;
  double new_per_state_ = 1;  // of the last window: new states per state expanded
  bool dirty_ = false;        // the table holds provisional entries
  uint64_t expansions_ = 0;   // windows expanded so far (Window::serial)
  uint64_t graph_base_ = 0;   // the graph's edges before this window
};

}  // namespace interlock

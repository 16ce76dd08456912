#include "solver/explicit/parallel_level.h"

#include <algorithm>
#include <cstring>

namespace interlock {

int default_search_threads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n ? static_cast<int>(std::min(n, 256u)) : 1;
}

// ---- WorkerPool ----

WorkerPool::WorkerPool(int threads) : errors_(static_cast<std::size_t>(std::max(threads, 1))) {
  for (int t = 1; t < threads; ++t) threads_.emplace_back([this, t] { work(t); });
}

WorkerPool::~WorkerPool() {
  quit_.store(true, std::memory_order_relaxed);
  generation_.fetch_add(1, std::memory_order_release);
  generation_.notify_all();
  for (std::thread& t : threads_) t.join();
}

void WorkerPool::work(int t) {
  uint32_t seen = 0;
  for (;;) {
    generation_.wait(seen, std::memory_order_acquire);
    seen = generation_.load(std::memory_order_acquire);
    if (quit_.load(std::memory_order_relaxed)) return;
    try {
      (*job_)(t);
    } catch (...) {
      errors_[static_cast<std::size_t>(t)] = std::current_exception();
    }
    if (pending_.fetch_sub(1, std::memory_order_acq_rel) == 1) pending_.notify_one();
  }
}

void WorkerPool::run(FunctionRef<void(int)> job) {
  job_ = &job;
  pending_.store(size() - 1, std::memory_order_relaxed);
  generation_.fetch_add(1, std::memory_order_release);  // publishes job_ and pending_
  generation_.notify_all();
  try {
    job(0);
  } catch (...) {
    errors_[0] = std::current_exception();
  }
  for (int p; (p = pending_.load(std::memory_order_acquire)) != 0;) pending_.wait(p, std::memory_order_acquire);
  for (std::exception_ptr& e : errors_)
    if (e) std::rethrow_exception(std::exchange(e, nullptr));
}

// ---- ParallelLevel ----

namespace {
constexpr uint64_t kNone = UINT64_MAX;
}  // namespace

struct ParallelLevel::Worker {
  std::unique_ptr<Semantics> own;  // threads other than the caller's: a copy (its scratch is its own)
  Semantics* semantics = nullptr;
  std::vector<int32_t> current;
  // The successors of one state, as the one-thread search's batch buffers.
  std::vector<uint8_t> packed;
  std::vector<uint8_t> native_ticks;
  std::vector<uint8_t> edges_taken;  // merged into the explorer's after each level
  // Phase 2: the new states this thread inserted, in order, as (chunk << 32 | position).
  std::vector<uint64_t> mine;

  void reserve(std::size_t states, std::size_t bytes) {
    if (states * bytes + StateLayout::kPadding <= packed.size()) return;
    packed.resize(states * bytes + StateLayout::kPadding);
    native_ticks.resize(states);
  }
  std::size_t room(std::size_t bytes) const { return (packed.size() - StateLayout::kPadding) / bytes; }
};

struct ParallelLevel::Chunk {
  uint64_t begin = 0, end = 0;  // its states
  bool expanded = false;
  uint64_t fault_at = kNone;
  ModelFault fault;
  // Every successor kept (as the one-thread search keeps them: a repeated action is only
  // counted), in order.
  std::vector<uint8_t> packed;
  std::vector<uint64_t> hash;
  std::vector<uint32_t> parent;
  std::vector<uint8_t> tick;                 // with a transition graph only
  std::vector<std::vector<uint32_t>> shard;  // positions of the successors of each shard
  // Phase 2: whether it is the first occurrence of a new state; and where it leads: an old
  // state's index, a provisional number, or for a first occurrence, its table slot. Phase 3 puts
  // the final index there for the first occurrences.
  std::vector<uint8_t> first;
  std::vector<uint32_t> target;
  std::vector<uint32_t> firsts;  // per shard: first occurrences
  uint64_t base = 0;             // the index of its first new state
  uint64_t graph_at = 0;         // where its edges go in the graph
  std::size_t kept() const { return hash.size(); }
};

ParallelLevel::ParallelLevel(Explorer& explorer, int threads)
    : ex_(explorer), pool_(threads), shards_(threads) {
  const std::size_t edges = explorer.edges_taken_.size();
  for (int t = 0; t < threads; ++t) {
    auto w = std::make_unique<Worker>();
    if (t == 0) {
      w->semantics = &explorer.semantics_;
    } else {
      w->own = std::make_unique<Semantics>(explorer.semantics_);
      w->semantics = w->own.get();
    }
    w->current.resize(explorer.layout_.slots() + 1);
    w->edges_taken.assign(edges, 0);
    workers_.push_back(std::move(w));
  }
}

ParallelLevel::~ParallelLevel() = default;

uint64_t ParallelLevel::chunk_begin(std::size_t m) const {
  // Chunks start at multiples of 64 (but the first), so that each word of the explorer's
  // has_action bitmap is written by one thread only.
  if (m == 0) return begin_;
  return std::min(end_, begin_ / 64 * 64 + m * chunk_states_);
}

bool ParallelLevel::expand_native(Worker& w, uint64_t j, std::size_t& count, bool& acted) {
  // As Explorer::expand_native, into this thread's buffer: `count` successors, kept afterwards.
  const StateStore& store = ex_.store_;
  const std::size_t bytes = ex_.layout_.bytes();
  const uint8_t* parent = store.state(static_cast<uint32_t>(j));
  int n = 0;
  for (;;) {
    const std::size_t room = w.room(bytes);
    n = native_fn_(parent, w.packed.data(), w.native_ticks.data(), static_cast<int>(std::min<std::size_t>(room, INT32_MAX)),
                   w.edges_taken.data());
    if (n != kNativeNeedsRoom) break;
    w.reserve(room * 2, bytes);
  }
  if (n < 0) return false;
  count = static_cast<std::size_t>(n);
  for (int k = 0; k < n; ++k)
    if (!w.native_ticks[static_cast<std::size_t>(k)]) acted = true;
  return true;
}

void ParallelLevel::expand(Worker& w, Chunk& c) {
  const StateStore& store = ex_.store_;
  const StateLayout& layout = ex_.layout_;
  const std::size_t bytes = layout.bytes();
  const bool graph = ex_.graph_ != nullptr;
  Semantics& semantics = *w.semantics;
  std::vector<uint64_t>& has_action = ex_.has_action_;
  c.expanded = true;
  c.fault_at = kNone;
  c.fault = ModelFault{};
  c.hash.clear();
  c.parent.clear();
  c.tick.clear();
  c.shard.resize(static_cast<std::size_t>(shards_));
  for (auto& s : c.shard) s.clear();
  w.reserve(64, bytes);
  // Keeps a successor in the chunk: the one-thread search's sink, with a chunk for a batch.
  auto keep = [&](const uint8_t* p, bool tick, uint64_t j, std::size_t before, uint64_t& repeated) {
    const std::size_t n = c.kept();
    if (!tick && n > before && store.equal(p, c.packed.data() + (n - 1) * bytes)) {
      ++repeated;
      return;
    }
    if (c.packed.size() < (n + 1) * bytes + StateLayout::kPadding)  // equal() reads past a state
      c.packed.resize(std::max((n + 1) * bytes + StateLayout::kPadding, c.packed.size() * 2));
    std::memcpy(c.packed.data() + n * bytes, p, bytes);
    const uint64_t h = store.hash(p);
    c.hash.push_back(h);
    c.parent.push_back(static_cast<uint32_t>(j));
    if (graph) c.tick.push_back(tick);
    c.shard[static_cast<std::size_t>(shard_of(h))].push_back(static_cast<uint32_t>(n));
  };
  for (uint64_t j = c.begin; j < c.end; ++j) {
    const std::size_t before = c.kept();
    uint64_t repeated = 0;
    bool acted = false;
    bool native = false;
    std::size_t n = 0;
    if (native_fn_ && expand_native(w, j, n, acted)) {
      native = true;
      for (std::size_t k = 0; k < n; ++k) keep(w.packed.data() + k * bytes, w.native_ticks[k] != 0, j, before, repeated);
    } else {
      const uint8_t* parent_packed = store.state(static_cast<uint32_t>(j));
      layout.unpack(parent_packed, w.current.data());
      const bool ok = semantics.successors(w.current.data(), [&](const Step& step, const int32_t* next) {
        if (!step.tick) {
          acted = true;
          for (int e : step.edges) w.edges_taken[static_cast<std::size_t>(e)] = 1;
        }
        const std::vector<int>& changed = semantics.last_changed();
        layout.repack(parent_packed, next, changed.data(), changed.size(), w.packed.data());
        keep(w.packed.data(), step.tick, j, before, repeated);
      }, c.fault);
      if (!ok) {  // as one thread: the failing state's successors are not taken, nor its transitions
        if (acted) has_action[j >> 6] |= uint64_t{1} << (j & 63);
        for (std::size_t k = before; k < c.kept(); ++k) {
          std::vector<uint32_t>& list = c.shard[static_cast<std::size_t>(shard_of(c.hash[k]))];
          list.pop_back();  // its own successors are the last of every list
        }
        c.hash.resize(before);
        c.parent.resize(before);
        if (graph) c.tick.resize(before);
        transitions_[j - begin_] = 0;
        kept_[j - begin_] = 0;
        native_[j - begin_] = 0;
        c.fault_at = j;
        uint64_t seen = first_fault_.load(std::memory_order_relaxed);
        while (j < seen && !first_fault_.compare_exchange_weak(seen, j, std::memory_order_relaxed)) {
        }
        break;
      }
    }
    if (acted) has_action[j >> 6] |= uint64_t{1} << (j & 63);
    transitions_[j - begin_] = static_cast<uint32_t>(c.kept() - before + repeated);
    kept_[j - begin_] = static_cast<uint32_t>(c.kept() - before);
    native_[j - begin_] = native;
  }
  c.first.resize(c.kept());
  c.target.resize(c.kept());
}

bool ParallelLevel::insert_shard(Worker& w, int shard) {
  // Looks up (and inserts, if new) each successor of the shard in order. Another thread may be
  // probing the same part of the table, for other states, so slots are read atomically and
  // claimed by compare-and-swap; no slot is ever emptied or changed once claimed.
  const StateStore& store = ex_.store_;
  const std::size_t bytes = ex_.layout_.bytes();
  uint32_t* table = store.slots();
  const uint64_t mask = store.slot_mask();
  const uint32_t index_mask = store.index_mask();
  const uint32_t tag_mask = ~index_mask;
  const uint64_t threads = static_cast<uint64_t>(shards_);
  const std::size_t s = static_cast<std::size_t>(shard);
  w.mine.clear();
  for (std::size_t m = 0; m < active_; ++m) {
    if (over_.load(std::memory_order_relaxed)) return false;
    Chunk& c = *chunks_[m];
    const std::vector<uint32_t>& list = c.shard[s];
    uint32_t firsts = 0;
    // As the one-thread search does for a batch: the slot is fetched well ahead, then (once it
    // has arrived) the state its tag points to, then the lookup runs.
    constexpr std::size_t kSlotAhead = 16, kStateAhead = 8;
    auto fetch_state = [&](std::size_t i) {
      const uint64_t h = c.hash[list[i]];
      const uint32_t slot = std::atomic_ref<uint32_t>(table[h & mask]).load(std::memory_order_relaxed);
      if (!slot || (slot & tag_mask) != store.tag(h)) return;
      const uint64_t index = (slot & index_mask) - 1;
      if (index < old_) {
        __builtin_prefetch(store.state(static_cast<uint32_t>(index)));
      } else if ((index - old_) % threads == s) {
        const uint64_t ref = w.mine[(index - old_) / threads];
        __builtin_prefetch(chunks_[ref >> 32]->packed.data() + (ref & UINT32_MAX) * bytes);
      }
    };
    for (std::size_t i = 0; i < list.size() && i < kSlotAhead; ++i) __builtin_prefetch(table + (c.hash[list[i]] & mask), 1);
    for (std::size_t i = 0; i < list.size() && i < kStateAhead; ++i) fetch_state(i);
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (i + kSlotAhead < list.size()) __builtin_prefetch(table + (c.hash[list[i + kSlotAhead]] & mask), 1);
      if (i + kStateAhead < list.size()) fetch_state(i + kStateAhead);
      const uint32_t pos = list[i];
      const uint64_t h = c.hash[pos];
      const uint8_t* p = c.packed.data() + std::size_t{pos} * bytes;
      const uint32_t tag = store.tag(h);
      uint64_t at = h & mask;
      for (;;) {
        std::atomic_ref<uint32_t> slot_ref(table[at]);
        uint32_t slot = slot_ref.load(std::memory_order_relaxed);
        if (slot == 0) {
          if (w.mine.size() >= quota_) return false;  // the table must grow first
          const uint64_t number = old_ + w.mine.size() * threads + s;
          if (!slot_ref.compare_exchange_strong(slot, static_cast<uint32_t>(number + 1) | tag, std::memory_order_relaxed))
            continue;  // another thread's state took it: look at what is there now
          c.first[pos] = 1;
          c.target[pos] = static_cast<uint32_t>(at);
          w.mine.push_back((uint64_t{m} << 32) | pos);
          ++firsts;
          break;
        }
        if ((slot & tag_mask) == tag) {
          const uint64_t index = (slot & index_mask) - 1;
          if (index < old_) {
            if (store.equal(store.state(static_cast<uint32_t>(index)), p)) {
              c.first[pos] = 0;
              c.target[pos] = static_cast<uint32_t>(index);
              break;
            }
          } else if ((index - old_) % threads == s) {  // one of this level's, of this shard
            const uint64_t ref = w.mine[(index - old_) / threads];
            if (store.equal(chunks_[ref >> 32]->packed.data() + (ref & UINT32_MAX) * bytes, p)) {
              c.first[pos] = 0;
              c.target[pos] = static_cast<uint32_t>(index);
              break;
            }
          }
        }
        at = (at + 1) & mask;
      }
    }
    c.firsts[s] = firsts;
  }
  return true;
}

void ParallelLevel::number(Chunk& c) {
  StateStore& store = ex_.store_;
  uint32_t* table = store.slots();
  const std::size_t bytes = ex_.layout_.bytes();
  uint64_t index = c.base;
  constexpr std::size_t kAhead = 16;
  for (std::size_t pos = 0; pos < c.kept(); ++pos) {
    if (pos + kAhead < c.kept() && c.first[pos + kAhead]) __builtin_prefetch(table + c.target[pos + kAhead], 1);
    if (!c.first[pos]) continue;
    store.put(static_cast<uint32_t>(index), c.parent[pos], c.packed.data() + pos * bytes);
    table[c.target[pos]] = static_cast<uint32_t>(index + 1) | store.tag(c.hash[pos]);
    c.target[pos] = static_cast<uint32_t>(index);
    ++index;
  }
}

void ParallelLevel::record_graph(Chunk& c) {
  TransitionGraph& g = *ex_.graph_;
  const uint64_t threads = static_cast<uint64_t>(shards_);
  uint64_t at = c.graph_at;
  std::size_t pos = 0;
  const uint64_t end = c.fault_at != kNone ? c.fault_at : c.end;
  for (uint64_t j = c.begin; j < end; ++j) {
    g.first[j] = at;
    for (uint32_t k = 0; k < kept_[j - begin_]; ++k, ++pos, ++at) {
      uint32_t target = c.target[pos];
      if (!c.first[pos] && target >= old_) {  // a repeat of a new state: that state's index
        const uint64_t number = target - old_;
        const uint64_t ref = workers_[number % threads]->mine[number / threads];
        target = chunks_[ref >> 32]->target[ref & UINT32_MAX];
      }
      g.targets[at] = target;
      if (c.tick[pos]) g.tick[j] = target;
    }
  }
}

void ParallelLevel::rehash(uint64_t states) {
  constexpr uint64_t kRange = uint64_t{1} << 16;
  std::atomic<uint64_t> next{0};
  pool_.run([&](int) {
    for (;;) {
      const uint64_t lo = next.fetch_add(1, std::memory_order_relaxed) * kRange;
      if (lo >= states) return;
      ex_.store_.rehash(lo, std::min(states, lo + kRange));
    }
  });
}

void ParallelLevel::fit_table() {
  StateStore& store = ex_.store_;
  if (StateStore::slots_for(store.size()) == store.table_slots()) return;
  store.resize_table(StateStore::slots_for(store.size()));
  rehash(store.size());
}

void ParallelLevel::count_up_to(uint64_t to) {
  uint64_t transitions = 0, native = 0;
  for (uint64_t j = begin_; j < to; ++j) {
    transitions += transitions_[j - begin_];
    native += native_[j - begin_];
  }
  ex_.transitions_ += transitions;
  ex_.native_states_ += native;
  ex_.expanded_ = to;
}

void ParallelLevel::clear_actions(uint64_t from) {
  for (uint64_t j = from; j < end_; ++j) ex_.has_action_[j >> 6] &= ~(uint64_t{1} << (j & 63));
}

void ParallelLevel::merge_edges() {
  for (auto& w : workers_)
    for (std::size_t e = 0; e < w->edges_taken.size(); ++e)
      if (w->edges_taken[e]) {
        ex_.edges_taken_[e] = 1;
        w->edges_taken[e] = 0;
      }
}

void ParallelLevel::undo_graph_level(uint64_t expanded_to) {
  // Only when on_new stops the search, which the explicit engine never asks for while it records
  // the graph: the level's parents are left with no edges, and the graph stays consistent.
  TransitionGraph& g = *ex_.graph_;
  for (uint64_t j = begin_; j < end_; ++j) g.tick[j] = TransitionGraph::kNoTick;
  g.targets.resize(graph_base_);
  g.first.resize(begin_);
  while (g.first.size() < expanded_to) g.first.push_back(g.targets.size());
  g.tick.resize(ex_.store_.size());
}

ParallelLevel::Result ParallelLevel::run(uint64_t begin, uint64_t end, FunctionRef<bool(uint32_t, const int32_t*)> on_new,
                                         Explorer::Outcome& outcome, uint64_t& resume) {
  // A large level goes in windows of whole batches, one after the other, each as a level of its
  // own, so that the buffers of the successors stay small.
  level_begin_ = begin;
  for (uint64_t at = begin; at < end; at += kWindowStates) {
    resume = at;
    const Result r = run_window(at, std::min(end, at + kWindowStates), on_new, outcome);
    if (r != Result::Done) return r;
  }
  return Result::Done;
}

ParallelLevel::Result ParallelLevel::run_window(uint64_t begin, uint64_t end, FunctionRef<bool(uint32_t, const int32_t*)> on_new,
                                                Explorer::Outcome& outcome) {
  StateStore& store = ex_.store_;
  TransitionGraph* graph = ex_.graph_;
  const uint64_t threads = static_cast<uint64_t>(pool_.size());
  begin_ = begin;
  end_ = end;
  old_ = store.size();
  native_fn_ = ex_.native_fn_;
  const uint64_t level = end - begin;
  chunk_states_ = std::clamp<uint64_t>((level / (threads * 8) + 63) / 64 * 64, 64, 4096);
  chunk_count_ = static_cast<std::size_t>((end - begin / 64 * 64 + chunk_states_ - 1) / chunk_states_);
  while (chunks_.size() < chunk_count_) chunks_.push_back(std::make_unique<Chunk>());
  for (std::size_t m = 0; m < chunk_count_; ++m) {
    Chunk& c = *chunks_[m];
    c.begin = chunk_begin(m);
    c.end = chunk_begin(m + 1);
    c.expanded = false;
    c.firsts.assign(static_cast<std::size_t>(shards_), 0);
  }
  transitions_.resize(level);
  kept_.resize(level);
  native_.resize(level);
  next_chunk_.store(0, std::memory_order_relaxed);
  first_fault_.store(kNone, std::memory_order_relaxed);
  timed_out_.store(false, std::memory_order_relaxed);
  auto discard = [&] {  // as if the level had not been expanded
    clear_actions(begin);
    for (auto& w : workers_) std::fill(w->edges_taken.begin(), w->edges_taken.end(), 0);
  };

  // 1. Expand, chunk by chunk. A chunk after the first fault known is skipped.
  pool_.run([&](int t) {
    Worker& w = *workers_[static_cast<std::size_t>(t)];
    for (;;) {
      const std::size_t m = next_chunk_.fetch_add(1, std::memory_order_relaxed);
      if (m >= chunk_count_) return;
      Chunk& c = *chunks_[m];
      if (c.begin > first_fault_.load(std::memory_order_relaxed) || timed_out_.load(std::memory_order_relaxed)) continue;
      if (ex_.context_.timed_out()) {  // also Ctrl-C and the process over --memory
        timed_out_.store(true, std::memory_order_relaxed);
        continue;
      }
      expand(w, c);
    }
  });
  if (timed_out_.load(std::memory_order_relaxed)) {
    discard();
    ex_.limit_reason_ = ex_.context_.stop_reason();
    outcome = Explorer::Outcome::Limit;
    return Result::Ended;
  }
  const uint64_t fault_at = first_fault_.load(std::memory_order_relaxed);
  const bool faulted = fault_at != kNone;
  active_ = chunk_count_;
  if (faulted)
    while (chunks_[active_ - 1]->begin > fault_at) --active_;
  const uint64_t expanded_end = faulted ? fault_at : end;
  uint64_t kept = 0;
  for (std::size_t m = 0; m < active_; ++m) kept += chunks_[m]->kept();

  // Where the one-thread search would check a limit inside this level, it finds the store (and
  // the graph) no larger than if every successor kept were new; if that is within the limits, so
  // is every check. Otherwise that search runs the level, checking at each batch.
  const uint64_t most = old_ + kept;
  uint64_t graph_bytes = 0;
  if (graph)
    graph_bytes = graph->memory_bytes() + (end - graph->first.size()) * sizeof(uint64_t) + kept * sizeof(uint32_t) +
                  kept * sizeof(uint32_t);
  if (most >= StateStore::kMaxStates || ex_.context_.over_memory(store.memory_bytes_at(most) + graph_bytes)) {
    discard();
    return Result::Declined;
  }

  // 2. Look up and insert, shard by shard. Each thread may insert new states up to a quota that
  // keeps the table at most 7/8 full (and the provisional numbers below its size); a thread
  // over it stops them all, and the table doubles and the phase runs again.
  // If the level is likely to take the table past 3/4 (the one-thread search would grow it in
  // this level), it grows first: judged by the share of new states among the successors of the
  // level before. A wrong guess costs a rehash at the end.
  const uint64_t likely = old_ + static_cast<uint64_t>(static_cast<double>(kept) * new_share_ * 1.1);
  if (StateStore::slots_for(likely) > store.table_slots()) {
    store.resize_table(StateStore::slots_for(likely));
    rehash(old_);
  }
  for (;;) {
    const uint64_t slots = store.table_slots();
    const uint64_t room = std::min<uint64_t>(slots / 8 * 7, slots - 1 - threads);
    quota_ = (room > old_ ? room - old_ : 0) / threads;
    over_.store(false, std::memory_order_relaxed);
    pool_.run([&](int t) {
      if (!insert_shard(*workers_[static_cast<std::size_t>(t)], t)) over_.store(true, std::memory_order_relaxed);
    });
    if (!over_.load(std::memory_order_relaxed)) break;
    store.resize_table(slots * 2);
    rehash(old_);
  }
  uint64_t next = old_;
  for (std::size_t m = 0; m < active_; ++m) {
    Chunk& c = *chunks_[m];
    c.base = next;
    for (uint32_t f : c.firsts) next += f;
  }
  const uint64_t count = next;
  if (kept) new_share_ = static_cast<double>(count - old_) / static_cast<double>(kept);

  // 3. The new states' records and final slots; then the table grows if the one-thread search
  // would have grown it in this level (if it is larger already, it stays so: fit_table()).
  store.reserve_records(count);
  next_chunk_.store(0, std::memory_order_relaxed);
  pool_.run([&](int) {
    for (;;) {
      const std::size_t m = next_chunk_.fetch_add(1, std::memory_order_relaxed);
      if (m >= active_) return;
      number(*chunks_[m]);
    }
  });
  store.commit(count);
  if (StateStore::slots_for(count) > store.table_slots()) {
    store.resize_table(StateStore::slots_for(count));
    rehash(count);
  }
  ex_.has_action_.resize((count + 63) / 64, 0);
  if (graph) {
    graph_base_ = graph->targets.size();
    uint64_t at = graph_base_;
    for (std::size_t m = 0; m < active_; ++m) {
      chunks_[m]->graph_at = at;
      at += chunks_[m]->kept();
    }
    graph->targets.resize(at);
    graph->first.resize(expanded_end);
    const std::size_t ticks = graph->tick.size();
    graph->tick.resize(count);
    std::fill(graph->tick.data() + ticks, graph->tick.data() + count, TransitionGraph::kNoTick);
    next_chunk_.store(0, std::memory_order_relaxed);
    pool_.run([&](int) {
      for (;;) {
        const std::size_t m = next_chunk_.fetch_add(1, std::memory_order_relaxed);
        if (m >= active_) return;
        record_graph(*chunks_[m]);
      }
    });
  }
  merge_edges();

  // The new states to on_new, in index order, as the one-thread search inserts them.
  std::vector<int32_t>& current = workers_[0]->current;
  for (uint64_t k = old_; k < count; ++k) {
    ex_.layout_.unpack(store.state(static_cast<uint32_t>(k)), current.data());
    if (!on_new(static_cast<uint32_t>(k), current.data())) continue;
    // The one-thread search stops inserting here, and had expanded the batch of this state's
    // parent: if that is the batch with the fault, it reports the fault.
    const uint64_t batch = (store.parent(static_cast<uint32_t>(k)) - level_begin_) / kBatchStates;
    const bool fault_batch = faulted && (fault_at - level_begin_) / kBatchStates == batch;
    const uint64_t to = fault_batch ? fault_at : std::min(end, level_begin_ + (batch + 1) * kBatchStates);
    store.truncate(k + 1);
    count_up_to(to);
    clear_actions(fault_batch ? fault_at + 1 : to);
    if (graph) undo_graph_level(to);
    if (fault_batch) {
      ex_.fault_ = chunks_[active_ - 1]->fault;
      ex_.fault_state_ = static_cast<uint32_t>(fault_at);
      outcome = Explorer::Outcome::Fault;
    } else {
      outcome = Explorer::Outcome::Stopped;
    }
    return Result::Ended;
  }
  count_up_to(expanded_end);
  if (faulted) {
    clear_actions(fault_at + 1);
    ex_.fault_ = chunks_[active_ - 1]->fault;
    ex_.fault_state_ = static_cast<uint32_t>(fault_at);
    outcome = Explorer::Outcome::Fault;
    return Result::Ended;
  }
  return Result::Done;
}

}  // namespace interlock

#include "solver/explicit/parallel_level.h"

#include <algorithm>
#include <cstring>

namespace interlock {

int default_search_threads() {
  const unsigned n = std::thread::hardware_concurrency();
  return n ? static_cast<int>(std::min(n, 256u)) : 1;
}

namespace {
constexpr uint64_t kNone = UINT64_MAX;
}  // namespace

struct ParallelLevel::Worker {
  std::unique_ptr<Semantics> own;  // threads other than the caller's: a copy (its scratch is its own)
  Semantics* semantics = nullptr;
  std::vector<int32_t> current;
  std::vector<uint8_t> native_ticks;  // which successors native code wrote are ticks
  std::vector<uint8_t> edges_taken;   // merged into the explorer's after each window
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
  std::vector<uint8_t> tick;                 // with a transition graph or quiet ticks only
  std::vector<std::vector<uint32_t>> shard;  // positions of the successors of each shard
  // Phase 2: whether it is the first occurrence of a new state; and where it leads: an old
  // state's index, a provisional number, or for a first occurrence, its table slot. Phase 3 puts
  // the final index there for the first occurrences.
  std::vector<uint8_t> first;
  std::vector<uint32_t> target;
  std::vector<uint32_t> firsts;  // per shard: first occurrences
  uint64_t base = 0;             // the index of its first new state
  uint64_t graph_at = 0;         // where its edges go in the graph
  std::size_t count = 0;  // successors kept: the buffers above are their capacity
  std::size_t kept() const { return count; }
  void reserve(std::size_t states, std::size_t bytes, bool ticks) {
    const std::size_t need = count + states;
    if (hash.size() < need || packed.size() < need * bytes + StateLayout::kPadding || (ticks && tick.size() < need)) [[unlikely]]
      grow(need, bytes, ticks);
  }
  void grow(std::size_t need, std::size_t bytes, bool ticks);
  // Keeps the successor just packed after the kept ones (reserve() made room for it).
  [[gnu::always_inline]] void add(uint64_t h, uint32_t from, bool is_tick, bool ticks, const ParallelLevel& level) {
    shard[static_cast<std::size_t>(level.shard_of(h))].push_back(static_cast<uint32_t>(count));
    hash[count] = h;
    parent[count] = from;
    if (ticks) tick[count] = is_tick;
    ++count;
  }
};

struct ParallelLevel::Window {
  uint64_t begin = 0, end = 0;  // its states: whole batches of the level
  uint64_t chunk_states = 0;
  std::size_t chunk_count = 0;
  std::size_t active = 0;  // chunks that count: those up to the one with the first fault
  std::vector<std::unique_ptr<Chunk>> chunks;  // kept from window to window, for their buffers
  std::atomic<std::size_t> next_chunk{0};
  std::atomic<uint64_t> first_fault{kNone};
  std::atomic<bool> timed_out{false};
  std::atomic<bool> dropped{false};  // the window before it ended the search: expand no more
  std::vector<uint32_t> transitions;  // per state: successors kept + repeated actions
  std::vector<uint32_t> kept;         // per state: successors kept (the graph's edges)
  std::vector<uint8_t> native;        // per state: expanded by native code

  uint64_t chunk_begin(std::size_t m) const {
    // Chunks start at multiples of 64 (but the first), so that each word of the explorer's
    // has_action bitmap is written by one thread only.
    if (m == 0) return begin;
    return std::min(end, begin / 64 * 64 + m * chunk_states);
  }
  uint64_t fault_at() const { return first_fault.load(std::memory_order_relaxed); }
};

ParallelLevel::ParallelLevel(Explorer& explorer, int threads)
    : ex_(explorer), pool_(threads), shards_(threads * kShardsPerThread), mine_(static_cast<std::size_t>(shards_)) {
  // Windows of 16 times the smallest level searched in parallel (2048 states: 32768, the most),
  // so that a test that runs every level in parallel meets window boundaries often.
  parallel_min_ = std::max<uint64_t>(explorer.context_.limits().parallel_min_level, 1);
  window_states_ = std::clamp<uint64_t>(std::min(explorer.context_.limits().parallel_min_level, kWindowStates) * 16 / 64 * 64, 256, kWindowStates);
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
  windows_[0] = std::make_unique<Window>();
  windows_[1] = std::make_unique<Window>();
}

ParallelLevel::~ParallelLevel() = default;

// Room in the chunk's buffer for `states` more successors after its kept ones (and the padding
// that equal() and packing read and write past a state).
void ParallelLevel::Chunk::grow(std::size_t need, std::size_t bytes, bool ticks) {
  if (packed.size() < need * bytes + StateLayout::kPadding)
    packed.resize(std::max(need * bytes + StateLayout::kPadding, packed.size() * 2));
  if (hash.size() < need) {
    const std::size_t size = std::max(need, hash.size() * 2);
    hash.resize(size);
    parent.resize(size);
  }
  if (ticks && tick.size() < need) tick.resize(std::max(need, tick.size() * 2));
}

bool ParallelLevel::expand_native(Worker& w, Chunk& c, uint64_t j, uint64_t& repeated, bool& acted) {
  // As Explorer::expand_native: the successors are written after the chunk's kept ones, then
  // kept in place (an action leading where the previous kept successor led is counted only).
  const StateStore& store = ex_.store_;
  const std::size_t bytes = ex_.layout_.bytes();
  const bool ticks = keeps_ticks();
  const uint8_t* parent = store.state(static_cast<uint32_t>(j));
  const std::size_t first = c.kept();
  c.reserve(64, bytes, ticks);
  int n = 0;
  for (;;) {
    const std::size_t room = (c.packed.size() - StateLayout::kPadding) / bytes - first;
    if (w.native_ticks.size() < room) w.native_ticks.resize(room);
    n = native_fn_(parent, c.packed.data() + first * bytes, w.native_ticks.data(),
                   static_cast<int>(std::min<std::size_t>(room, INT32_MAX)), w.edges_taken.data());
    if (n != kNativeNeedsRoom) break;
    c.reserve(room * 2, bytes, ticks);
  }
  if (n < 0) return false;
  c.reserve(static_cast<std::size_t>(n), bytes, ticks);  // room for them in the other buffers too
  std::size_t kept = first;
  for (int k = 0; k < n; ++k) {
    uint8_t* p = c.packed.data() + (first + static_cast<std::size_t>(k)) * bytes;
    uint8_t* to = c.packed.data() + kept * bytes;
    const bool tick = w.native_ticks[static_cast<std::size_t>(k)] != 0;
    if (ex_.symmetry_) ex_.symmetry_->canonicalise(p);  // as one thread: each successor as its orbit's form
    if (!tick) acted = true;
    if (!tick && kept > first && store.equal(p, to - bytes)) {
      ++repeated;
      continue;
    }
    if (to != p) std::memmove(to, p, bytes);
    c.add(store.hash(to), static_cast<uint32_t>(j), tick, ticks, *this);
    ++kept;
  }
  return true;
}

void ParallelLevel::start(Window& x, uint64_t begin, uint64_t end) {
  const uint64_t threads = static_cast<uint64_t>(pool_.size());
  x.begin = begin;
  x.end = end;
  x.chunk_states = std::clamp<uint64_t>(((end - begin) / (threads * 8) + 63) / 64 * 64, 64, 4096);
  x.chunk_count = static_cast<std::size_t>((end - begin / 64 * 64 + x.chunk_states - 1) / x.chunk_states);
  while (x.chunks.size() < x.chunk_count) x.chunks.push_back(std::make_unique<Chunk>());
  for (std::size_t m = 0; m < x.chunk_count; ++m) {
    Chunk& c = *x.chunks[m];
    c.begin = x.chunk_begin(m);
    c.end = x.chunk_begin(m + 1);
    c.expanded = false;
    c.firsts.assign(static_cast<std::size_t>(shards_), 0);
  }
  x.transitions.resize(end - begin);
  x.kept.resize(end - begin);
  x.native.resize(end - begin);
  x.active = 0;
  x.next_chunk.store(0, std::memory_order_relaxed);
  x.first_fault.store(kNone, std::memory_order_relaxed);
  x.timed_out.store(false, std::memory_order_relaxed);
  x.dropped.store(false, std::memory_order_relaxed);
}

void ParallelLevel::expand_window(Worker& w, Window& x) {
  // Chunks in index order, to whichever thread is free. A chunk after the first fault known is
  // skipped: nothing after that fault counts.
  for (;;) {
    const std::size_t m = x.next_chunk.fetch_add(1, std::memory_order_relaxed);
    if (m >= x.chunk_count) return;
    Chunk& c = *x.chunks[m];
    if (c.begin > x.fault_at() || x.timed_out.load(std::memory_order_relaxed) || x.dropped.load(std::memory_order_relaxed))
      continue;
    if (ex_.context_.timed_out()) {  // also Ctrl-C and the process over --memory
      x.timed_out.store(true, std::memory_order_relaxed);
      continue;
    }
    expand(w, x, c);
  }
}

void ParallelLevel::expand(Worker& w, Window& x, Chunk& c) {
  const StateStore& store = ex_.store_;
  const StateLayout& layout = ex_.layout_;
  const std::size_t bytes = layout.bytes();
  const bool ticks = keeps_ticks();
  Semantics& semantics = *w.semantics;
  std::vector<uint64_t>& has_action = ex_.has_action_;
  c.expanded = true;
  c.fault_at = kNone;
  c.fault = ModelFault{};
  c.count = 0;
  c.shard.resize(static_cast<std::size_t>(shards_));
  for (auto& s : c.shard) s.clear();
  for (uint64_t j = c.begin; j < c.end; ++j) {
    const std::size_t before = c.kept();
    uint64_t repeated = 0;
    bool acted = false;
    bool native = false;
    if (native_fn_ && expand_native(w, c, j, repeated, acted)) {
      native = true;
    } else {
      const uint8_t* parent_packed = store.state(static_cast<uint32_t>(j));
      layout.unpack(parent_packed, w.current.data());
      const bool ok = semantics.successors(w.current.data(), [&](const Step& step, const int32_t* next) {
        if (!step.tick) {
          acted = true;
          for (int e : step.edges) w.edges_taken[static_cast<std::size_t>(e)] = 1;
        }
        // Packed in place after the kept successors; kept unless it is an action leading where
        // the state's previous kept successor led (then it is counted only), as one thread does.
        c.reserve(1, bytes, ticks);
        const std::size_t n = c.kept();
        uint8_t* p = c.packed.data() + n * bytes;
        const std::vector<int>& changed = semantics.last_changed();
        layout.repack(parent_packed, next, changed.data(), changed.size(), p);
        if (ex_.symmetry_) ex_.symmetry_->canonicalise(p);
        if (!step.tick && n > before && store.equal(p, p - bytes)) {
          ++repeated;
          return;
        }
        c.add(store.hash(p), static_cast<uint32_t>(j), step.tick, ticks, *this);
      }, c.fault);
      if (!ok) {  // as one thread: the failing state's successors are not taken, nor its transitions
        if (acted) has_action[j >> 6] |= uint64_t{1} << (j & 63);
        for (std::size_t k = before; k < c.kept(); ++k)
          c.shard[static_cast<std::size_t>(shard_of(c.hash[k]))].pop_back();  // its own are the last of each list
        c.count = before;
        x.transitions[j - x.begin] = 0;
        x.kept[j - x.begin] = 0;
        x.native[j - x.begin] = 0;
        c.fault_at = j;
        uint64_t seen = x.first_fault.load(std::memory_order_relaxed);
        while (j < seen && !x.first_fault.compare_exchange_weak(seen, j, std::memory_order_relaxed)) {
        }
        break;
      }
    }
    if (acted) has_action[j >> 6] |= uint64_t{1} << (j & 63);
    x.transitions[j - x.begin] = static_cast<uint32_t>(c.kept() - before + repeated);
    x.kept[j - x.begin] = static_cast<uint32_t>(c.kept() - before);
    x.native[j - x.begin] = native;
  }
  c.first.resize(c.kept());
  c.target.resize(c.kept());
}

bool ParallelLevel::insert_shard(Window& x, int shard) {
  // Looks up (and inserts, if new) each successor of the shard in order. Another thread may be
  // probing the same part of the table, for other states, so slots are read atomically and
  // claimed by compare-and-swap; no slot is ever emptied or changed once claimed. A new state
  // gets the provisional number old_ + k * threads + shard, for the k-th new state of the shard.
  const StateStore& store = ex_.store_;
  const std::size_t bytes = ex_.layout_.bytes();
  uint32_t* table = store.slots();
  const uint32_t index_mask = store.index_mask();
  const uint32_t tag_mask = ~index_mask;
  const uint64_t shards = static_cast<uint64_t>(shards_);
  const std::size_t s = static_cast<std::size_t>(shard);
  std::vector<uint64_t>& mine = mine_[s];
  mine.clear();
  for (std::size_t m = 0; m < x.active; ++m) {
    if (over_.load(std::memory_order_relaxed)) return false;
    Chunk& c = *x.chunks[m];
    const std::vector<uint32_t>& list = c.shard[s];
    uint32_t firsts = 0;
    // As the one-thread search does for a batch: the slot is fetched well ahead, then (once it
    // has arrived) the state its tag points to, then the lookup runs.
    constexpr std::size_t kSlotAhead = 16, kStateAhead = 8;
    auto fetch_state = [&](std::size_t i) {
      const uint64_t h = c.hash[list[i]];
      const uint32_t slot = std::atomic_ref<uint32_t>(table[store.home(h)]).load(std::memory_order_relaxed);
      if (!slot || (slot & tag_mask) != store.tag(h)) return;
      const uint64_t index = (slot & index_mask) - 1;
      if (index < old_) {
        __builtin_prefetch(store.state(static_cast<uint32_t>(index)));
      } else if ((index - old_) % shards == s && (index - old_) / shards < mine.size()) {
        const uint64_t ref = mine[(index - old_) / shards];
        __builtin_prefetch(x.chunks[ref >> 32]->packed.data() + (ref & UINT32_MAX) * bytes);
      }
    };
    for (std::size_t i = 0; i < list.size() && i < kSlotAhead; ++i) __builtin_prefetch(table + store.home(c.hash[list[i]]), 1);
    for (std::size_t i = 0; i < list.size() && i < kStateAhead; ++i) fetch_state(i);
    for (std::size_t i = 0; i < list.size(); ++i) {
      if (i + kSlotAhead < list.size()) __builtin_prefetch(table + store.home(c.hash[list[i + kSlotAhead]]), 1);
      if (i + kStateAhead < list.size()) fetch_state(i + kStateAhead);
      const uint32_t pos = list[i];
      const uint64_t h = c.hash[pos];
      const uint8_t* p = c.packed.data() + std::size_t{pos} * bytes;
      const uint32_t tag = store.tag(h);
      uint64_t at = store.home(h);
      for (;;) {
        std::atomic_ref<uint32_t> slot_ref(table[at]);
        uint32_t slot = slot_ref.load(std::memory_order_relaxed);
        if (slot == 0) {
          if (mine.size() >= quota_) return false;  // the table must grow first
          const uint64_t number = old_ + mine.size() * shards + s;
          if (!slot_ref.compare_exchange_strong(slot, static_cast<uint32_t>(number + 1) | tag, std::memory_order_relaxed))
            continue;  // another thread's state took it: look at what is there now
          c.first[pos] = 1;
          c.target[pos] = static_cast<uint32_t>(at);
          mine.push_back((uint64_t{m} << 32) | pos);
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
          } else if ((index - old_) % shards == s) {  // one of this window's, of this shard
            const uint64_t ref = mine[(index - old_) / shards];
            if (store.equal(x.chunks[ref >> 32]->packed.data() + (ref & UINT32_MAX) * bytes, p)) {
              c.first[pos] = 0;
              c.target[pos] = static_cast<uint32_t>(index);
              break;
            }
          }
        }
        at = store.next(at);
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

uint32_t ParallelLevel::final_target(const Window& x, const Chunk& c, std::size_t pos) const {
  const uint32_t target = c.target[pos];
  if (c.first[pos] || target < old_) return target;
  const uint64_t number = target - old_;  // a repeat of a new state: that state's index
  const uint64_t shards = static_cast<uint64_t>(shards_);
  const uint64_t ref = mine_[number % shards][number / shards];
  return x.chunks[ref >> 32]->target[ref & UINT32_MAX];
}

void ParallelLevel::note_quiet_ticks(const Window& x) {
  // As Explorer::note_quiet_ticks, in index order: a state without an action has at most one
  // successor, its tick successor.
  for (std::size_t m = 0; m < x.active; ++m) {
    const Chunk& c = *x.chunks[m];
    std::size_t pos = 0;
    const uint64_t end = c.fault_at != kNone ? c.fault_at : c.end;
    for (uint64_t j = c.begin; j < end; ++j) {
      const uint32_t kept = x.kept[j - x.begin];
      if (!ex_.has_action(static_cast<uint32_t>(j))) {
        uint32_t tick = TransitionGraph::kNoTick;
        for (uint32_t k = 0; k < kept; ++k)
          if (c.tick[pos + k]) tick = final_target(x, c, pos + k);
        ex_.quiet_ticks_.push_back(tick);
      }
      pos += kept;
    }
  }
}

void ParallelLevel::record_graph(Window& x, Chunk& c) {
  TransitionGraph& g = *ex_.graph_;
  uint64_t at = c.graph_at;
  std::size_t pos = 0;
  const uint64_t end = c.fault_at != kNone ? c.fault_at : c.end;
  for (uint64_t j = c.begin; j < end; ++j) {
    g.first[j] = at;
    for (uint32_t k = 0; k < x.kept[j - x.begin]; ++k, ++pos, ++at) {
      const uint32_t target = final_target(x, c, pos);
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

void ParallelLevel::drop_pending() {
  if (pending_) discard(*pending_);
  pending_ = nullptr;
}

void ParallelLevel::finish() {
  drop_pending();
  StateStore& store = ex_.store_;
  if (StateStore::slots_for(store.size()) == store.table_slots()) return;
  store.resize_table(StateStore::slots_for(store.size()));
  rehash(store.size());
}

void ParallelLevel::count_up_to(const Window& x, uint64_t to) {
  uint64_t transitions = 0, native = 0;
  for (uint64_t j = x.begin; j < to; ++j) {
    transitions += x.transitions[j - x.begin];
    native += x.native[j - x.begin];
  }
  ex_.transitions_ += transitions;
  ex_.native_states_ += native;
  ex_.expanded_ = to;
}

void ParallelLevel::clear_actions(uint64_t from, uint64_t to) {
  for (uint64_t j = from; j < to; ++j) ex_.has_action_[j >> 6] &= ~(uint64_t{1} << (j & 63));
}

void ParallelLevel::discard(const Window& x) {  // as if the window had not been expanded
  clear_actions(x.begin, x.end);
  for (auto& w : workers_) std::fill(w->edges_taken.begin(), w->edges_taken.end(), 0);
}

void ParallelLevel::merge_edges() {
  for (auto& w : workers_)
    for (std::size_t e = 0; e < w->edges_taken.size(); ++e)
      if (w->edges_taken[e]) {
        ex_.edges_taken_[e] = 1;
        w->edges_taken[e] = 0;
      }
}

void ParallelLevel::undo_graph(const Window& x, uint64_t expanded_to) {
  // Only when on_new stops the search, which the explicit engine never asks for while it records
  // the graph: the window's parents are left with no edges, and the graph stays consistent.
  TransitionGraph& g = *ex_.graph_;
  for (uint64_t j = x.begin; j < x.end; ++j) g.tick[j] = TransitionGraph::kNoTick;
  g.targets.resize(graph_base_);
  g.first.resize(x.begin);
  while (g.first.size() < expanded_to) g.first.push_back(g.targets.size());
  g.tick.resize(ex_.store_.size());
}

ParallelLevel::Result ParallelLevel::insert_window(Window& x, Explorer::Outcome& outcome) {
  // After phase 1: phases 2 and 3, and the graph. Ended (a timeout) and Declined leave the store
  // as it was.
  StateStore& store = ex_.store_;
  TransitionGraph* graph = ex_.graph_;
  if (x.timed_out.load(std::memory_order_relaxed)) {
    discard(x);
    ex_.limit_reason_ = ex_.context_.stop_reason();
    outcome = Explorer::Outcome::Limit;
    return Result::Ended;
  }
  old_ = store.size();
  x.active = x.chunk_count;
  if (x.fault_at() != kNone)
    while (x.chunks[x.active - 1]->begin > x.fault_at()) --x.active;
  uint64_t kept = 0;
  for (std::size_t m = 0; m < x.active; ++m) kept += x.chunks[m]->kept();

  // Where the one-thread search would check a limit inside this window, it finds the store (and
  // the graph) no larger than if every successor kept were new; if that is within the limits, so
  // is every check. Otherwise that search runs the window, checking at each batch.
  const uint64_t most = old_ + kept;
  uint64_t graph_bytes = 0;
  if (graph)
    graph_bytes = graph->memory_bytes() + (x.end - graph->first.size()) * sizeof(uint64_t) + kept * sizeof(uint32_t) +
                  kept * sizeof(uint32_t);
  uint64_t quiet_bytes = 0;  // the quiet ticks' vector, grown by doubling, if every state of the window were quiet
  if (ex_.quiet_ticks_on_)
    quiet_bytes = std::max<uint64_t>(ex_.quiet_ticks_.capacity(), 2 * (ex_.quiet_ticks_.size() + (x.end - x.begin))) * sizeof(uint32_t);
  if (most >= StateStore::kMaxStates || ex_.context_.over_memory(store.memory_bytes_at(most) + graph_bytes + quiet_bytes)) {
    discard(x);
    return Result::Declined;
  }

  // 2. Look up and insert, shard by shard. Each shard may insert new states up to a quota that
  // keeps the table at most 7/8 full (and the provisional numbers below its size); a shard
  // over it stops them all, and the table grows and the phase runs again. If the window is
  // likely to take the table past 3/4 (the one-thread search would grow it here), it grows
  // first: judged by the share of new states among the successors of the window before.
  const uint64_t likely = old_ + static_cast<uint64_t>(static_cast<double>(kept) * new_share_ * 1.1);
  if (StateStore::slots_for(likely) > store.table_slots()) {
    store.resize_table(StateStore::slots_for(likely));
    rehash(old_);
  }
  for (;;) {
    const uint64_t slots = store.table_slots();
    const uint64_t shards = static_cast<uint64_t>(shards_);
    const uint64_t room = std::min<uint64_t>(slots / 8 * 7, slots - 1 - shards);
    quota_ = (room > old_ ? room - old_ : 0) / shards;
    if (slots >= (uint64_t{1} << 32)) quota_ = UINT64_MAX;  // the largest table: fewer than 3/4 of it are ever used
    over_.store(false, std::memory_order_relaxed);
    std::atomic<int> next_shard{0};
    pool_.run([&](int) {
      for (int shard; (shard = next_shard.fetch_add(1, std::memory_order_relaxed)) < shards_;)
        if (!insert_shard(x, shard)) over_.store(true, std::memory_order_relaxed);
    });
    if (!over_.load(std::memory_order_relaxed)) break;
    store.resize_table(StateStore::grown(slots));
    rehash(old_);
  }
  uint64_t count = old_;
  for (std::size_t m = 0; m < x.active; ++m) {
    Chunk& c = *x.chunks[m];
    c.base = count;
    for (uint32_t f : c.firsts) count += f;
  }
  if (kept) new_share_ = static_cast<double>(count - old_) / static_cast<double>(kept);

  // 3. The new states' records and final slots; then the table grows if the one-thread search
  // would have grown it in this window (if it is larger already, it stays so: fit_table()).
  store.reserve_records(count);
  x.next_chunk.store(0, std::memory_order_relaxed);
  pool_.run([&](int) {
    for (;;) {
      const std::size_t m = x.next_chunk.fetch_add(1, std::memory_order_relaxed);
      if (m >= x.active) return;
      number(*x.chunks[m]);
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
    for (std::size_t m = 0; m < x.active; ++m) {
      x.chunks[m]->graph_at = at;
      at += x.chunks[m]->kept();
    }
    graph->targets.resize(at);
    graph->first.resize(x.fault_at() != kNone ? x.fault_at() : x.end);
    const std::size_t ticks = graph->tick.size();
    graph->tick.resize(count);
    std::fill(graph->tick.data() + ticks, graph->tick.data() + count, TransitionGraph::kNoTick);
    x.next_chunk.store(0, std::memory_order_relaxed);
    pool_.run([&](int) {
      for (;;) {
        const std::size_t m = x.next_chunk.fetch_add(1, std::memory_order_relaxed);
        if (m >= x.active) return;
        record_graph(x, *x.chunks[m]);
      }
    });
  }
  if (ex_.quiet_ticks_on_) note_quiet_ticks(x);
  merge_edges();
  return Result::Done;
}

ParallelLevel::Result ParallelLevel::run(uint64_t begin, uint64_t end, FunctionRef<bool(uint32_t, const int32_t*)> on_new,
                                         Explorer::Outcome& outcome, uint64_t& resume) {
  // The level goes in windows of whole batches, each searched as a level of its own, so that
  // the buffers of the successors stay small. While the calling thread gives one window's new
  // states to on_new, the other threads already expand the next window (phase 1 reads only
  // states the store holds already), or after the level's last window, the next level's first
  // (if it is large enough to be searched here: it is `pending_` then); if on_new stops the
  // search, or the search ends before the next level, that work is dropped.
  StateStore& store = ex_.store_;
  level_begin_ = begin;
  Window* x = windows_[0].get();
  Window* next = windows_[1].get();
  if (pending_ && pending_->begin == begin && pending_->end == std::min(end, begin + window_states_)) {
    x = pending_;
    next = x == windows_[0].get() ? windows_[1].get() : windows_[0].get();
    pending_ = nullptr;
  } else {
    drop_pending();
    native_fn_ = ex_.native_fn_;
    start(*x, begin, std::min(end, begin + window_states_));
    pool_.run([&](int t) { expand_window(*workers_[static_cast<std::size_t>(t)], *x); });
  }
  native_fn_ = ex_.native_fn_;  // native code that became ready since: from the next window on
  for (;;) {
    resume = x->begin;
    const Result r = insert_window(*x, outcome);
    if (r != Result::Done) return r;
    const uint64_t old = old_;
    const uint64_t count = store.size();
    const uint64_t fault_at = x->fault_at();
    const bool faulted = fault_at != kNone;
    const bool more = x->end < end && !faulted;
    const bool ahead = !more && !faulted && count - end >= parallel_min_;  // the next level's first window
    if (more) start(*next, x->end, std::min(end, x->end + window_states_));
    if (ahead) start(*next, end, std::min(count, end + window_states_));
    // The new states to on_new, in index order, as the one-thread search inserts them.
    uint64_t stopped_at = kNone;
    pool_.run([&](int t) {
      if (t == 0) {
        std::vector<int32_t>& current = workers_[0]->current;
        for (uint64_t k = old; k < count; ++k) {
          ex_.layout_.unpack(store.state(static_cast<uint32_t>(k)), current.data());
          if (on_new(static_cast<uint32_t>(k), current.data())) {
            stopped_at = k;
            next->dropped.store(true, std::memory_order_relaxed);
            break;
          }
        }
      }
      if (more || ahead) expand_window(*workers_[static_cast<std::size_t>(t)], *next);
    });
    if (stopped_at != kNone) {
      // The one-thread search stops inserting here, and had expanded the batch of this state's
      // parent: if that is the batch with the fault, it reports the fault.
      const uint64_t batch = (store.parent(static_cast<uint32_t>(stopped_at)) - level_begin_) / kBatchStates;
      const bool fault_batch = faulted && (fault_at - level_begin_) / kBatchStates == batch;
      const uint64_t to = fault_batch ? fault_at : std::min(x->end, level_begin_ + (batch + 1) * kBatchStates);
      store.truncate(stopped_at + 1);
      count_up_to(*x, to);
      clear_actions(fault_batch ? fault_at + 1 : to, end);
      if (ex_.graph_) undo_graph(*x, to);
      if (ahead) discard(*next);
      if (fault_batch) {
        ex_.fault_ = x->chunks[x->active - 1]->fault;
        ex_.fault_state_ = static_cast<uint32_t>(fault_at);
        outcome = Explorer::Outcome::Fault;
      } else {
        outcome = Explorer::Outcome::Stopped;
      }
      return Result::Ended;
    }
    count_up_to(*x, faulted ? fault_at : x->end);
    if (faulted) {
      clear_actions(fault_at + 1, x->end);
      ex_.fault_ = x->chunks[x->active - 1]->fault;
      ex_.fault_state_ = static_cast<uint32_t>(fault_at);
      outcome = Explorer::Outcome::Fault;
      return Result::Ended;
    }
    if (!more) {
      if (ahead) pending_ = next;
      return Result::Done;
    }
    std::swap(x, next);
  }
}

}  // namespace interlock

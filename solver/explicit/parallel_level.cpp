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
// What partial-order reduction did in a state (Window::por): analysed it, found a set, kept only
// that set's actions (no cycle proviso), or expanded it without a look (ReductionPacing).
constexpr uint8_t kAnalysed = 1, kChose = 2, kReduced = 4, kPaused = 8;
}  // namespace

struct ParallelLevel::Entry {
  std::atomic<uint64_t> owner{0};  // the key of the earliest occurrence met: parent << 32 | position
  const uint8_t* bytes = nullptr;  // in the arena of the thread that made it
  uint32_t slot = 0;               // its table slot
  uint32_t index = 0;              // phase 2: its index in the store
};

inline ParallelLevel::Entry& ParallelLevel::entry(uint64_t id) const {
  return entry_blocks_[id >> kEntryShift].load(std::memory_order_relaxed)[id & ((uint64_t{1} << kEntryShift) - 1)];
}

struct ParallelLevel::Worker {
  std::unique_ptr<Semantics> own;  // threads other than the caller's: a copy (its scratch is its own)
  Semantics* semantics = nullptr;
  std::vector<int32_t> current;
  std::vector<uint8_t> native_ticks;  // which successors native code wrote are ticks
  std::vector<uint8_t> edges_taken;   // merged into the explorer's after each window
  // The successors of the group of states being expanded (as the one-thread search keeps them:
  // a repeated action is only counted), in order, with their keys.
  std::vector<uint8_t> packed;
  std::vector<uint64_t> hash;
  std::vector<uint64_t> key;
  std::vector<uint8_t> tick;
  std::size_t count = 0;
  void reserve(std::size_t states, std::size_t bytes) {
    const std::size_t need = count + states;
    if (hash.size() < need || packed.size() < need * bytes + StateLayout::kPadding) [[unlikely]]
      grow(need, bytes);
  }
  void grow(std::size_t need, std::size_t bytes);
  // The bytes of the window's new states, in blocks that never move while the window lasts (other
  // threads compare against them), each state in whole words (see insert()).
  std::vector<std::unique_ptr<uint8_t[]>> arena;
  std::size_t arena_bytes = 0;  // per block
  std::size_t arena_block = 0, arena_used = 0;
  uint8_t* room(std::size_t bytes) {  // where the next new state's bytes go (taken by take())
    if (arena_used + bytes > arena_bytes) {
      ++arena_block;
      arena_used = 0;
    }
    if (arena_block == arena.size()) arena.push_back(std::make_unique<uint8_t[]>(arena_bytes));
    return arena[arena_block].get() + arena_used;
  }
  void take(std::size_t bytes) { arena_used += bytes; }
  // The entry numbers it has taken and not used: [entry_next, entry_end).
  uint64_t entry_next = 0, entry_end = 0;
  uint64_t serial = 0;  // of the window expansion these belong to
  // Partial-order reduction: its own analysis, and each action's edges (Explorer::expand_reduced).
  std::unique_ptr<PartialOrder> por;
  std::vector<int> step_edges;
  std::vector<std::size_t> step_begin;
  std::vector<PartialOrder::Action> actions;
  std::vector<uint8_t> keep;
  std::vector<int32_t> native_actions;
};

struct ParallelLevel::Chunk {
  uint64_t begin = 0, end = 0;  // its states
  uint64_t fault_at = kNone;
  ModelFault fault;
  // The entries it made or took over, in the order of their keys; it owns those whose owner is
  // still one of its states when every chunk is done, and only those stay (insert_window()).
  std::vector<uint32_t> candidates;
  std::size_t kept = 0;  // successors kept
  // With keeps_ticks(): per kept successor, in order, where it leads (an old state's index, or a
  // provisional number) and whether it is a tick.
  std::vector<uint32_t> target;
  std::vector<uint8_t> tick;
  uint64_t firsts = 0;    // the entries it owns
  uint64_t base = 0;      // the index of its first new state
  uint64_t graph_at = 0;  // where its edges go in the graph
};

struct ParallelLevel::Window {
  uint64_t begin = 0, end = 0;  // its states: whole batches of the level
  uint64_t level_end = 0;       // the end of its level: the states below were searched before it
  ReductionPacing pacing;       // the states partial-order reduction looks at, as in its level
  std::size_t chunk_count = 0;
  std::size_t active = 0;  // chunks that count: those up to the one with the first fault
  std::vector<std::unique_ptr<Chunk>> chunks;  // kept from window to window, for their buffers
  std::atomic<std::size_t> next_chunk{0};
  std::atomic<uint64_t> first_fault{kNone};
  std::atomic<bool> timed_out{false};
  std::atomic<bool> dropped{false};  // the window before it ended the search: expand no more
  std::atomic<bool> over{false};     // the quota of entries is used up: expand again after the table grows
  uint64_t old = 0;                  // states in the store as its expansion began
  uint64_t quota = 0;                // entries it may make: the table stays at most 7/8 full
  uint64_t entry_range = 1;          // entry numbers a thread takes at a time
  std::atomic<uint64_t> next_entry{0};
  uint64_t serial = 0;               // which expansion (a window may be expanded again)
  std::vector<uint32_t> transitions;  // per state: successors kept + repeated actions
  std::vector<uint32_t> kept;         // per state: successors kept (the graph's edges)
  std::vector<uint8_t> native;        // per state: expanded by native code
  std::vector<uint8_t> por;           // per state: what partial-order reduction did (kAnalysed...)

  uint64_t fault_at() const { return first_fault.load(std::memory_order_relaxed); }
};

ParallelLevel::ParallelLevel(Explorer& explorer, int threads) : ex_(explorer), pool_(threads) {
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
    if (explorer.por_) w->por = explorer.por_->copy_for(*w->semantics);
    w->arena_bytes = std::max<std::size_t>(std::size_t{1} << 16, explorer.layout_.bytes() * 64);
    workers_.push_back(std::move(w));
  }
  write_prefetch_ = cpu_prefetches_for_write();
  windows_[0] = std::make_unique<Window>();
  windows_[1] = std::make_unique<Window>();
}

ParallelLevel::~ParallelLevel() {
  for (std::size_t b = 0; b < entry_block_count_; ++b) delete[] entry_blocks_[b].load(std::memory_order_relaxed);
}

// Room in the group's buffers for `need` successors (and the padding that equal() and packing
// read and write past a state).
void ParallelLevel::Worker::grow(std::size_t need, std::size_t bytes) {
  if (packed.size() < need * bytes + StateLayout::kPadding)
    packed.resize(std::max(need * bytes + StateLayout::kPadding, packed.size() * 2));
  if (hash.size() < need) {
    const std::size_t size = std::max(need, hash.size() * 2);
    hash.resize(size);
    key.resize(size);
    tick.resize(size);
  }
}

inline uint8_t* ParallelLevel::pack_successor(Worker& w, const uint8_t* parent_packed, const int32_t* next) {
  const std::size_t bytes = ex_.layout_.bytes();
  w.reserve(1, bytes);
  uint8_t* p = w.packed.data() + w.count * bytes;
  const std::vector<int>& changed = w.semantics->last_changed();
  ex_.layout_.repack(parent_packed, next, changed.data(), changed.size(), p);
  if (ex_.symmetry_) ex_.symmetry_->canonicalise(p);
  return p;
}

inline int ParallelLevel::call_native(Worker& w, const uint8_t* parent, std::size_t first, bool with_actions, std::size_t stride) {
  const std::size_t bytes = ex_.layout_.bytes();
  w.reserve(64, bytes);
  for (;;) {
    const std::size_t room = (w.packed.size() - StateLayout::kPadding) / bytes - first;
    if (w.native_ticks.size() < room) w.native_ticks.resize(room);
    if (with_actions && w.native_actions.size() < room * stride) w.native_actions.resize(room * stride);
    const int n = native_fn_(parent, w.packed.data() + first * bytes, w.native_ticks.data(),
                             static_cast<int>(std::min<std::size_t>(room, INT32_MAX)), w.edges_taken.data(),
                             with_actions ? w.native_actions.data() : nullptr);
    if (n != kNativeNeedsRoom) return n;
    w.reserve(room * 2, bytes);
  }
}

bool ParallelLevel::expand_native(Worker& w, uint64_t j, uint64_t& repeated, bool& acted) {
  // As Explorer::expand_native: the successors are written after the group's, then kept in place
  // (an action leading where the previous kept successor led is counted only).
  const StateStore& store = ex_.store_;
  const std::size_t bytes = ex_.layout_.bytes();
  const std::size_t first = w.count;
  const int n = call_native(w, store.state(static_cast<uint32_t>(j)), first, false, 0);
  if (n < 0) return false;
  w.reserve(static_cast<std::size_t>(n), bytes);  // room for them in the other buffers too
  std::size_t kept = first;
  for (int k = 0; k < n; ++k) {
    uint8_t* p = w.packed.data() + (first + static_cast<std::size_t>(k)) * bytes;
    uint8_t* to = w.packed.data() + kept * bytes;
    const bool tick = w.native_ticks[static_cast<std::size_t>(k)] != 0;
    if (ex_.symmetry_) ex_.symmetry_->canonicalise(p);  // as one thread: each successor as its orbit's form
    if (!tick) acted = true;
    if (!tick && kept > first && store.equal(p, to - bytes)) {
      ++repeated;
      continue;
    }
    w.hash[kept] = store.hash(p);  // before the copy, as Explorer::expand_native
    if (to != p) StateStore::copy_state(to, p, bytes);  // a whole state apart: no overlap
    prefetch_slot(w.hash[kept]);
    w.key[kept] = (j << 32) | (kept - first);
    w.tick[kept] = tick;
    ++kept;
  }
  w.count = kept;
  return true;
}

void ParallelLevel::start(Window& x, uint64_t begin, uint64_t end, uint64_t level_end, const ReductionPacing& pacing) {
  const uint64_t threads = static_cast<uint64_t>(pool_.size());
  x.begin = begin;
  x.end = end;
  x.level_end = level_end;
  x.pacing = pacing;
  // Chunks shrink towards the window's end (each about an eighth of what is left per thread, at
  // most 4,096 states, at least one batch), so that the threads finish it at nearly the same time.
  x.chunk_count = 0;
  for (uint64_t at = begin; at < end; ++x.chunk_count) {
    if (x.chunks.size() == x.chunk_count) x.chunks.push_back(std::make_unique<Chunk>());
    // Chunks after the first start at multiples of 64, so that each word of the explorer's
    // has_action bitmap is written by one thread only.
    const uint64_t size = std::clamp<uint64_t>((end - at) / (threads * 8) / 64 * 64, 64, 4096);
    Chunk& c = *x.chunks[x.chunk_count];
    c.begin = at;
    c.end = std::min(end, at / 64 * 64 + size);
    at = c.end;
  }
  x.transitions.resize(end - begin);
  x.kept.resize(end - begin);
  x.native.resize(end - begin);
  x.por.resize(end - begin);
  x.dropped.store(false, std::memory_order_relaxed);
  // The table holds the store's states only here. It grows first if the window's new states, as
  // many per state as in the window before (at most kLikelyPerState: a level that branches wide
  // may be followed by one that does not), would take it past 3/4 (the one-thread search would
  // grow it inside the window); a window over its quota is expanded twice.
  StateStore& store = ex_.store_;
  x.old = store.size();
  const double per_state = std::min(new_per_state_, kLikelyPerState) * 1.25;
  const uint64_t likely =
      std::min<uint64_t>(x.old + static_cast<uint64_t>(static_cast<double>(end - begin) * per_state) + 64, StateStore::kMaxStates);
  if (StateStore::slots_for(likely) > store.table_slots()) rebuild_table(StateStore::slots_for(likely));
  reset(x);
}

void ParallelLevel::reset(Window& x) {
  // Before an expansion: nothing expanded yet, and the quota for the table as it is.
  x.active = 0;
  x.next_chunk.store(0, std::memory_order_relaxed);
  x.first_fault.store(kNone, std::memory_order_relaxed);
  x.timed_out.store(false, std::memory_order_relaxed);
  x.over.store(false, std::memory_order_relaxed);
  x.next_entry.store(0, std::memory_order_relaxed);
  x.serial = ++expansions_;
  const uint64_t slots = ex_.store_.table_slots();
  const uint64_t room = std::min<uint64_t>(slots / 8 * 7, slots - 1);
  x.quota = room > x.old ? room - x.old : 0;
  // Ranges of a power of two up to a block, so that a range never spans two blocks; small
  // enough that every thread gets several before the quota is used up.
  x.entry_range = uint64_t{1} << kEntryShift;
  while (x.entry_range > 1 && x.entry_range * 4 * static_cast<uint64_t>(pool_.size()) > x.quota) x.entry_range /= 2;
  const std::size_t blocks = static_cast<std::size_t>((x.quota >> kEntryShift) + 1);
  if (entry_block_count_ < blocks) {  // between expansions: no other thread reads them
    auto grown = std::make_unique<std::atomic<Entry*>[]>(blocks);
    for (std::size_t b = 0; b < entry_block_count_; ++b) grown[b].store(entry_blocks_[b].load(std::memory_order_relaxed), std::memory_order_relaxed);
    entry_blocks_ = std::move(grown);
    entry_block_count_ = blocks;
  }
}

void ParallelLevel::expand_window(Worker& w, Window& x) {
  // Chunks in index order, to whichever thread is free. A chunk after the first fault known is
  // skipped: nothing after that fault counts.
  if (w.serial != x.serial) {  // the arena and entry numbers of an expansion before are done with
    w.serial = x.serial;
    w.arena_block = 0;
    w.arena_used = 0;
    w.entry_next = w.entry_end = 0;
  }
  for (;;) {
    const std::size_t m = x.next_chunk.fetch_add(1, std::memory_order_relaxed);
    if (m >= x.chunk_count) return;
    Chunk& c = *x.chunks[m];
    if (c.begin > x.fault_at() || x.timed_out.load(std::memory_order_relaxed) || x.dropped.load(std::memory_order_relaxed) ||
        x.over.load(std::memory_order_relaxed))
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
  Semantics& semantics = *w.semantics;
  std::vector<uint64_t>& has_action = ex_.has_action_;
  c.fault_at = kNone;
  c.fault = ModelFault{};
  c.candidates.clear();
  c.target.clear();
  c.tick.clear();
  c.kept = 0;
  for (uint64_t j = c.begin; j < c.end;) {
    if (x.over.load(std::memory_order_relaxed)) return;
    // A group of states expanded, then their successors looked up in order.
    const uint64_t group_end = std::min(c.end, j + kGroupStates);
    w.count = 0;
    for (; j < group_end; ++j) {
      const std::size_t before = w.count;
      uint64_t repeated = 0;
      bool acted = false;
      bool native = false;
      uint8_t por = 0;
      if (w.por && x.pacing.analyses(j)) {
        if (!expand_reduced(w, x, j, acted, native, por, c.fault)) {
          fail(w, x, c, j, before, acted);
          break;
        }
      } else if (native_fn_ && expand_native(w, j, repeated, acted)) {
        native = true;
        if (w.por) por = kPaused;
      } else {
        if (w.por) por = kPaused;
        const uint8_t* parent_packed = store.state(static_cast<uint32_t>(j));
        layout.unpack(parent_packed, w.current.data());
        const bool ok = semantics.successors(w.current.data(), [&](const Step& step, const int32_t* next) {
          if (!step.tick) {
            acted = true;
            for (int e : step.edges) w.edges_taken[static_cast<std::size_t>(e)] = 1;
          }
          // Packed in place after the kept successors; kept unless it is an action leading where
          // the state's previous kept successor led (then it is counted only), as one thread does.
          const std::size_t n = w.count;
          uint8_t* p = pack_successor(w, parent_packed, next);
          if (!step.tick && n > before && store.equal(p, p - bytes)) {
            ++repeated;
            return;
          }
          w.hash[n] = store.hash(p);
          prefetch_slot(w.hash[n]);
          w.key[n] = (j << 32) | (n - before);
          w.tick[n] = step.tick;
          ++w.count;
        }, c.fault);
        if (!ok) {
          fail(w, x, c, j, before, acted);
          break;
        }
      }
      if (acted) has_action[j >> 6] |= uint64_t{1} << (j & 63);
      x.transitions[j - x.begin] = static_cast<uint32_t>(w.count - before + repeated);
      x.kept[j - x.begin] = static_cast<uint32_t>(w.count - before);
      x.native[j - x.begin] = native;
      x.por[j - x.begin] = por;
    }
    // As the one-thread search does for a batch: the slots were fetched as the successors were
    // hashed; now the states their tags point to, then the lookups.
    uint32_t* table = store.slots();
    const uint32_t index_mask = store.index_mask();
    for (std::size_t k = 0; k < w.count; ++k) {
      const uint64_t h = w.hash[k];
      const uint32_t slot = std::atomic_ref<uint32_t>(table[store.home(h)]).load(std::memory_order_relaxed);
      if (!slot || (slot & ~index_mask) != store.tag(h)) continue;
      const uint64_t index = (slot & index_mask) - 1;
      if (index < x.old) __builtin_prefetch(store.state(static_cast<uint32_t>(index)));
    }
    c.kept += w.count;
    for (std::size_t k = 0; k < w.count; ++k)
      if (!insert(w, x, c, k)) {
        x.over.store(true, std::memory_order_relaxed);
        return;
      }
    if (c.fault_at != kNone) return;
  }
}

void ParallelLevel::fail(Worker& w, Window& x, Chunk& c, uint64_t j, std::size_t before, bool acted) {
  // As one thread: the failing state's successors are not taken, nor its transitions.
  if (acted) ex_.has_action_[j >> 6] |= uint64_t{1} << (j & 63);
  w.count = before;
  x.transitions[j - x.begin] = 0;
  x.kept[j - x.begin] = 0;
  x.native[j - x.begin] = 0;
  x.por[j - x.begin] = 0;
  c.fault_at = j;
  uint64_t seen = x.first_fault.load(std::memory_order_relaxed);
  while (j < seen && !x.first_fault.compare_exchange_weak(seen, j, std::memory_order_relaxed)) {
  }
}

bool ParallelLevel::expand_native_with_actions(Worker& w, uint64_t j, bool& tick, bool& acted) {
  // As Explorer::expand_native_with_actions: every successor kept, each action's edges noted.
  const StateStore& store = ex_.store_;
  const std::size_t bytes = ex_.layout_.bytes();
  const std::size_t stride = native_action_stride(ex_.semantics_.model());
  const std::size_t first = w.count;
  const int n = call_native(w, store.state(static_cast<uint32_t>(j)), first, true, stride);
  if (n < 0) return false;
  w.reserve(static_cast<std::size_t>(n), bytes);
  for (std::size_t k = first; k < first + static_cast<std::size_t>(n); ++k) {
    const bool is_tick = w.native_ticks[k - first] != 0;
    if (is_tick) {
      tick = true;
    } else {
      acted = true;
      const int32_t* action = w.native_actions.data() + (k - first) * stride;
      w.step_begin.push_back(w.step_edges.size());
      w.step_edges.insert(w.step_edges.end(), action + 1, action + 1 + action[0]);
    }
    uint8_t* p = w.packed.data() + k * bytes;
    if (ex_.symmetry_) ex_.symmetry_->canonicalise(p);
    w.hash[k] = store.hash(p);
    w.tick[k] = is_tick;
  }
  w.count = first + static_cast<std::size_t>(n);
  return true;
}

bool ParallelLevel::expand_reduced(Worker& w, const Window& x, uint64_t j, bool& acted, bool& native, uint8_t& por,
                                   ModelFault& fault) {
  // As Explorer::expand_reduced, the successors after the group's.
  const StateStore& store = ex_.store_;
  const StateLayout& layout = ex_.layout_;
  const std::size_t bytes = layout.bytes();
  const uint8_t* parent_packed = store.state(static_cast<uint32_t>(j));
  const std::size_t before = w.count;
  layout.unpack(parent_packed, w.current.data());
  w.step_edges.clear();
  w.step_begin.clear();
  bool tick = false;
  native = native_fn_ && expand_native_with_actions(w, j, tick, acted);
  if (!native) {
    Semantics& semantics = *w.semantics;
    const bool ok = semantics.successors(w.current.data(), [&](const Step& step, const int32_t* next) {
      if (step.tick) {
        tick = true;
      } else {
        acted = true;
        for (int e : step.edges) w.edges_taken[static_cast<std::size_t>(e)] = 1;
        w.step_begin.push_back(w.step_edges.size());
        w.step_edges.insert(w.step_edges.end(), step.edges.begin(), step.edges.end());
      }
      const std::size_t n = w.count;
      uint8_t* p = pack_successor(w, parent_packed, next);
      w.hash[n] = store.hash(p);
      w.tick[n] = step.tick;
      ++w.count;
    }, fault);
    if (!ok) return false;
  }
  w.actions.clear();
  w.step_begin.push_back(w.step_edges.size());
  for (std::size_t a = 0; a + 1 < w.step_begin.size(); ++a)
    w.actions.push_back({std::span<const int>(w.step_edges.data() + w.step_begin[a], w.step_edges.data() + w.step_begin[a + 1])});
  const uint64_t analysed = w.por->analysed();
  const bool chose = w.por->choose(w.current.data(), w.actions, tick, w.keep);
  por = static_cast<uint8_t>((w.por->analysed() != analysed ? kAnalysed : 0) | (chose ? kChose : 0));
  bool reduce = chose;
  for (std::size_t k = before, action = 0; k < w.count && reduce; ++k) {  // the cycle proviso
    if (w.tick[k] || !w.keep[action++]) continue;
    reduce = !searched_before(x, w.hash[k], w.packed.data() + k * bytes);
  }
  if (reduce) {
    por |= kReduced;
    std::size_t kept = before;
    for (std::size_t k = before, action = 0; k < w.count; ++k) {
      if (w.tick[k] || !w.keep[action++]) continue;
      if (kept != k) {
        StateStore::copy_state(w.packed.data() + kept * bytes, w.packed.data() + k * bytes, bytes);
        w.hash[kept] = w.hash[k];
        w.tick[kept] = 0;
      }
      ++kept;
    }
    w.count = kept;
  }
  for (std::size_t k = before; k < w.count; ++k) {
    w.key[k] = (j << 32) | (k - before);
    prefetch_slot(w.hash[k]);
  }
  return true;
}

bool ParallelLevel::searched_before(const Window& x, uint64_t h, const uint8_t* p) const {
  // A state of an earlier level was in the table before the window's expansion began, and so were
  // the states in the slots its probe sequence passes before it (nothing leaves the table): a
  // probe meets it before any empty slot or provisional entry.
  const StateStore& store = ex_.store_;
  uint32_t* table = store.slots();
  const uint32_t index_mask = store.index_mask();
  const uint32_t tag = store.tag(h);
  for (uint64_t at = store.home(h);; at = store.next(at)) {
    const uint32_t slot = std::atomic_ref<uint32_t>(table[at]).load(std::memory_order_relaxed);
    if (slot == 0) return false;
    const uint64_t index = (slot & index_mask) - 1;
    if (index >= x.old) return false;
    if ((slot & ~index_mask) == tag && store.equal(store.state(static_cast<uint32_t>(index)), p)) return index < x.level_end;
  }
}

bool ParallelLevel::take_entries(Worker& w, Window& x) {
  const uint64_t lo = x.next_entry.fetch_add(x.entry_range, std::memory_order_relaxed);
  if (lo + x.entry_range > x.quota) return false;
  std::atomic<Entry*>& block = entry_blocks_[lo >> kEntryShift];
  if (!block.load(std::memory_order_acquire)) {
    Entry* fresh = new Entry[std::size_t{1} << kEntryShift];
    Entry* none = nullptr;
    if (!block.compare_exchange_strong(none, fresh, std::memory_order_acq_rel)) delete[] fresh;  // another thread's is there
  }
  w.entry_next = lo;
  w.entry_end = lo + x.entry_range;
  return true;
}

inline bool ParallelLevel::insert(Worker& w, Window& x, Chunk& c, std::size_t k) {
  // Slots are read atomically and claimed by compare-and-swap (other threads probe the same
  // table); no slot is emptied or changed while the window is expanded. A state's probe sequence
  // is the same for every thread, so all of them meet its first empty slot, and exactly one
  // claims it: a state has one entry.
  const StateStore& store = ex_.store_;
  const std::size_t bytes = ex_.layout_.bytes();
  uint32_t* table = store.slots();
  const uint32_t index_mask = store.index_mask();
  const uint8_t* p = w.packed.data() + k * bytes;
  // In the arena each state takes whole words: equal() reads the last one whole, and must not
  // read the start of the next state while its thread writes it.
  const std::size_t stride = (bytes + 7) / 8 * 8;
  const uint64_t h = w.hash[k];
  const uint64_t key = w.key[k];
  const uint32_t tag = store.tag(h);
  uint64_t at = store.home(h);
  uint64_t target = 0;
  for (;;) {
    std::atomic_ref<uint32_t> slot_ref(table[at]);
    uint32_t slot = slot_ref.load(std::memory_order_acquire);
    if (slot == 0) {
      if (w.entry_next == w.entry_end && !take_entries(w, x)) return false;  // the table must grow first
      const uint64_t id = w.entry_next;
      Entry* e = &entry(id);
      uint8_t* copy = w.room(stride);
      StateStore::copy_state(copy, p, bytes);
      e->owner.store(key, std::memory_order_relaxed);
      e->bytes = copy;
      e->slot = static_cast<uint32_t>(at);
      target = x.old + id;
      // The entry is written before the slot is: a thread that reads the slot finds it whole.
      if (!slot_ref.compare_exchange_strong(slot, static_cast<uint32_t>(target + 1) | tag, std::memory_order_release,
                                            std::memory_order_relaxed))
        continue;  // another thread's state took it: look at what is there now (this entry is used next)
      w.take(stride);
      ++w.entry_next;
      c.candidates.push_back(static_cast<uint32_t>(id));
      break;
    }
    if ((slot & ~index_mask) == tag) {
      const uint64_t index = (slot & index_mask) - 1;
      if (index < x.old) {
        if (store.equal(store.state(static_cast<uint32_t>(index)), p)) {
          target = index;
          break;
        }
      } else {
        Entry& e = entry(index - x.old);
        if (store.equal(e.bytes, p)) {
          // A repeat of a new state: this occurrence owns it if it comes first in the one-thread
          // order. A chunk meets its keys in increasing order, so it lists an entry once.
          uint64_t owner = e.owner.load(std::memory_order_relaxed);
          while (key < owner)
            if (e.owner.compare_exchange_weak(owner, key, std::memory_order_relaxed)) {
              c.candidates.push_back(static_cast<uint32_t>(index - x.old));
              break;
            }
          target = index;
          break;
        }
      }
    }
    at = store.next(at);
  }
  if (keeps_ticks()) {
    c.target.push_back(static_cast<uint32_t>(target));
    c.tick.push_back(w.tick[k]);
  }
  return true;
}

bool ParallelLevel::owns(const Chunk& c, const Entry& e) const {
  const uint64_t parent = e.owner.load(std::memory_order_relaxed) >> 32;
  return parent >= c.begin && parent < c.end;
}

void ParallelLevel::number(Chunk& c) {
  StateStore& store = ex_.store_;
  uint32_t* table = store.slots();
  const uint32_t tag_mask = ~store.index_mask();
  uint64_t index = c.base;
  constexpr std::size_t kAhead = 16;
  const std::size_t n = c.candidates.size();
  for (std::size_t i = 0; i < n; ++i) {
    if (i + kAhead < n) __builtin_prefetch(table + entry(c.candidates[i + kAhead]).slot, 1);
    Entry& e = entry(c.candidates[i]);  // one it owns (insert_window)
    store.put(static_cast<uint32_t>(index), static_cast<uint32_t>(e.owner.load(std::memory_order_relaxed) >> 32), e.bytes);
    table[e.slot] = static_cast<uint32_t>(index + 1) | (table[e.slot] & tag_mask);
    e.index = static_cast<uint32_t>(index);
    ++index;
  }
}

uint32_t ParallelLevel::final_target(const Window& x, const Chunk& c, std::size_t pos) const {
  const uint32_t target = c.target[pos];
  return target < x.old ? target : entry(target - x.old).index;  // an old state, or a new one's entry
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

void ParallelLevel::rebuild_table(std::size_t slots) {
  // Every step on every thread: the old table given back by the last thread while the others
  // back the new table's pages (the kernel zeroes each one), in ranges of whole pages; then the
  // states placed.
  StateStore& store = ex_.store_;
  MappedBuffer old = store.resize_table(slots);
  constexpr std::size_t kRangeBytes = std::size_t{1} << 20;
  const std::size_t bytes = store.table_bytes();
  std::atomic<std::size_t> next_page{0};
  pool_.run([&](int t) {
    if (t == pool_.size() - 1) old = MappedBuffer();
    for (std::size_t lo; (lo = next_page.fetch_add(kRangeBytes, std::memory_order_relaxed)) < bytes;)
      store.populate_table(lo, std::min(bytes, lo + kRangeBytes));
  });
  constexpr uint64_t kRangeStates = uint64_t{1} << 16;
  const uint64_t states = store.size();
  std::atomic<uint64_t> next_state{0};
  pool_.run([&](int) {
    for (uint64_t lo; (lo = next_state.fetch_add(kRangeStates, std::memory_order_relaxed)) < states;)
      store.rehash(lo, std::min(states, lo + kRangeStates));
  });
  dirty_ = false;
}

void ParallelLevel::drop_pending() {
  if (pending_) discard(*pending_);
  pending_ = nullptr;
  if (dirty_) rebuild_table(ex_.store_.table_slots());
}

void ParallelLevel::finish() {
  if (pending_) discard(*pending_);
  pending_ = nullptr;
  StateStore& store = ex_.store_;
  if (dirty_ || StateStore::slots_for(store.size()) != store.table_slots()) rebuild_table(StateStore::slots_for(store.size()));
}

void ParallelLevel::count_up_to(const Window& x, uint64_t to) {
  uint64_t transitions = 0, native = 0, reduced = 0, paused = 0;
  for (uint64_t j = x.begin; j < to; ++j) {
    transitions += x.transitions[j - x.begin];
    native += x.native[j - x.begin];
    reduced += (x.por[j - x.begin] & kReduced) != 0;
    paused += (x.por[j - x.begin] & kPaused) != 0;
  }
  ex_.transitions_ += transitions;
  ex_.native_states_ += native;
  ex_.reduced_states_ += reduced;
  ex_.paused_states_ += paused;
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
  // After phase 1: phase 2, and the graph. Ended (a timeout) and Declined leave the store as it
  // was (and the table, after Declined).
  StateStore& store = ex_.store_;
  TransitionGraph* graph = ex_.graph_;
  for (;;) {
    if (x.timed_out.load(std::memory_order_relaxed)) {
      discard(x);
      ex_.limit_reason_ = ex_.context_.stop_reason();
      outcome = Explorer::Outcome::Limit;
      return Result::Ended;
    }
    if (!x.over.load(std::memory_order_relaxed)) break;
    // The quota was used up: the table grows to twice the room, and the window is expanded again.
    const uint64_t slots = store.table_slots();
    discard(x);
    if (slots >= StateStore::kMaxSlots) {  // the one-thread loop meets the store's capacity
      rebuild_table(slots);
      return Result::Declined;
    }
    const uint64_t room = std::min<uint64_t>(x.old + 2 * std::max<uint64_t>(x.quota, x.end - x.begin), StateStore::kMaxStates);
    rebuild_table(std::max(StateStore::grown(slots), StateStore::slots_for(room)));
    reset(x);
    dirty_ = true;
    pool_.run([&](int t) { expand_window(*workers_[static_cast<std::size_t>(t)], x); });
  }
  x.active = x.chunk_count;
  if (x.fault_at() != kNone)
    while (x.chunks[x.active - 1]->begin > x.fault_at()) --x.active;

  // 2. Each chunk's entries, numbered in order: how many it owns first (every thread), then
  // where its first goes, then the records and final slots (every thread).
  auto each_chunk = [&](auto job) {
    x.next_chunk.store(0, std::memory_order_relaxed);
    pool_.run([&](int) {
      for (;;) {
        const std::size_t m = x.next_chunk.fetch_add(1, std::memory_order_relaxed);
        if (m >= x.active) return;
        job(*x.chunks[m]);
      }
    });
  };
  each_chunk([&](Chunk& c) {  // a chunk keeps the entries it owns, in order
    std::erase_if(c.candidates, [&](uint32_t id) { return !owns(c, entry(id)); });
    c.firsts = c.candidates.size();
  });
  uint64_t count = x.old, kept = 0;
  for (std::size_t m = 0; m < x.active; ++m) {
    Chunk& c = *x.chunks[m];
    c.base = count;
    count += c.firsts;
    kept += c.kept;
  }

  // Where the one-thread search would check a limit inside this window, it finds the store (and
  // the graph) no larger than here at the end; if that is within the limits, so is every check.
  // Otherwise that search runs the window, checking at each batch.
  uint64_t graph_bytes = 0;
  if (graph)
    graph_bytes = graph->memory_bytes() + (x.end - graph->first.size()) * sizeof(uint64_t) + kept * sizeof(uint32_t) +
                  kept * sizeof(uint32_t);
  uint64_t quiet_bytes = 0;  // the quiet ticks' vector, grown by doubling, if every state of the window were quiet
  if (ex_.quiet_ticks_on_)
    quiet_bytes = std::max<uint64_t>(ex_.quiet_ticks_.capacity(), 2 * (ex_.quiet_ticks_.size() + (x.end - x.begin))) * sizeof(uint32_t);
  if (count >= StateStore::kMaxStates || ex_.context_.over_memory(store.memory_bytes_at(count) + graph_bytes + quiet_bytes)) {
    discard(x);
    rebuild_table(store.table_slots());
    return Result::Declined;
  }
  store.reserve_records(count);
  each_chunk([&](Chunk& c) { number(c); });
  store.commit(count);
  // Chunks after a fault may have left entries in the table.
  dirty_ = x.fault_at() != kNone;
  const uint64_t expanded = (x.fault_at() != kNone ? x.fault_at() : x.end) - x.begin;
  if (expanded) new_per_state_ = static_cast<double>(count - x.old) / static_cast<double>(expanded);
  // The table grows if the one-thread search would have grown it in this window (if it is larger
  // already, it stays so: the one-thread search grows it when it needs to).
  if (StateStore::slots_for(count) > store.table_slots()) rebuild_table(StateStore::slots_for(count));
  ex_.has_action_.resize((count + 63) / 64, 0);
  if (graph) {
    graph_base_ = graph->targets.size();
    uint64_t at = graph_base_;
    for (std::size_t m = 0; m < x.active; ++m) {
      x.chunks[m]->graph_at = at;
      at += x.chunks[m]->kept;
    }
    graph->targets.resize(at);
    graph->first.resize(x.fault_at() != kNone ? x.fault_at() : x.end);
    const std::size_t ticks = graph->tick.size();
    graph->tick.resize(count);
    std::fill(graph->tick.data() + ticks, graph->tick.data() + count, TransitionGraph::kNoTick);
    each_chunk([&](Chunk& c) { record_graph(x, c); });
  }
  if (ex_.quiet_ticks_on_) note_quiet_ticks(x);
  if (ex_.por_) {  // the level's analyses, for where the next level looks (before it is started ahead)
    uint64_t analysed = 0, chose = 0;
    for (uint64_t j = x.begin; j < x.begin + expanded; ++j) {
      analysed += (x.por[j - x.begin] & kAnalysed) != 0;
      chose += (x.por[j - x.begin] & kChose) != 0;
    }
    ex_.pacing_.add(analysed, chose);
  }
  merge_edges();
  return Result::Done;
}

ParallelLevel::Result ParallelLevel::run(uint64_t begin, uint64_t end, FunctionRef<bool(uint32_t, const uint8_t*)> on_new,
                                         Explorer::Outcome& outcome, uint64_t& resume) {
  // The level goes in windows of whole batches, each searched as a level of its own, so that
  // the entries and arenas stay small. While the calling thread gives one window's new states to
  // on_new, the other threads already expand the next window (it reads only states the store
  // holds already, and adds only provisional entries to the table), or after the level's last
  // window, the next level's first (if it is large enough to be searched here: it is `pending_`
  // then); if on_new stops the search, or the search ends before the next level, that work is
  // dropped.
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
    start(*x, begin, std::min(end, begin + window_states_), end, ex_.pacing_);
    dirty_ = true;
    pool_.run([&](int t) { expand_window(*workers_[static_cast<std::size_t>(t)], *x); });
  }
  native_fn_ = ex_.native_fn_;  // native code that became ready since: from the next window on
  for (;;) {
    resume = x->begin;
    const Result r = insert_window(*x, outcome);
    if (r != Result::Done) return r;
    const uint64_t old = x->old;
    const uint64_t count = store.size();
    const uint64_t fault_at = x->fault_at();
    const bool faulted = fault_at != kNone;
    const bool more = x->end < end && !faulted;
    const bool ahead = !more && !faulted && count - end >= parallel_min_;  // the next level's first window
    if (more) start(*next, x->end, std::min(end, x->end + window_states_), end, ex_.pacing_);
    if (ahead) start(*next, end, std::min(count, end + window_states_), count, ex_.pacing_.after_level());
    if (more || ahead) dirty_ = true;
    // The new states to on_new, in index order, as the one-thread search inserts them.
    uint64_t stopped_at = kNone;
    pool_.run([&](int t) {
      if (t == 0) {
        // Here, beside the others' expansion, not between a window's two phases while they wait.
        store.write_parents_ahead();
        for (uint64_t k = old; k < count; ++k) {
          if (on_new(static_cast<uint32_t>(k), store.state(static_cast<uint32_t>(k)))) {
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
      if (dirty_) rebuild_table(store.table_slots());  // truncate() reads the states of the slots it moves
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

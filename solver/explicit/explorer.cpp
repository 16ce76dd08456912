#include "solver/explicit/explorer.h"

#include <algorithm>
#include <cstring>
#include <sstream>
#include <thread>

#include "solver/explicit/parallel_level.h"
#include "solver/explicit/path_trace.h"

namespace interlock {

Explorer::Explorer(Semantics& semantics, RunContext& context)
    : semantics_(semantics), context_(context), layout_(semantics.model()), store_(layout_.bytes()),
      edges_taken_(semantics.model().edges.size() + 1, 0) {}

Trace Explorer::trace_lasso(const std::vector<uint32_t>& path, std::size_t loop_at) {
  Trace trace = lasso_through(semantics_, layout_, symmetry_, path.size(), loop_at,
                              [&](std::size_t k) { return store_.state(path[k]); });
  for (const auto& p : semantics_.model().params)
    if (p.value) trace.params.emplace_back(p.name, *p.value);
  return trace;
}

std::vector<int32_t> Explorer::unpacked(uint32_t index) const {
  std::vector<int32_t> s(layout_.slots() + 1);
  layout_.unpack(store_.state(index), s.data());
  s.resize(layout_.slots());
  return s;
}

Stats Explorer::stats() const {
  Stats s;
  s.states = store_.size();
  s.transitions = transitions_;
  s.depth = depth_;
  s.seconds = seconds_;
  s.store_bytes = store_.memory_bytes();
  s.peak_rss_bytes = peak_rss_bytes();
  s.state_bytes = store_.state_bytes();
  s.native_states = native_states_;
  s.native_note = native_note_;
  s.parents_note = store_.parents_note();
  if (symmetry_) s.symmetry = symmetry_->describe();
  s.partial_order = por_ != nullptr;
  s.reduced_states = reduced_states_;
  s.por_paused_states = paused_states_;
  s.threads = threads_;
  return s;
}

namespace {
// Auto mode starts compiling native code once a search has run this long: shorter searches
// would end before the compiler does.
constexpr double kNativeAfterSeconds = 0.1;
}  // namespace

void Explorer::start_native() {
  if (native_) return;
  native_ = std::make_unique<NativeCode>(
      native_source(semantics_.model(), semantics_.param_values(), semantics_.dead_clocks(), layout_));
}

void Explorer::use_cached_native() {
  auto cached = std::make_unique<NativeCode>(
      native_source(semantics_.model(), semantics_.param_values(), semantics_.dead_clocks(), layout_),
      /*compile_if_missing=*/false);
  if (!cached->successors()) return;  // not in the cache: compiled later, if the search runs long
  native_ = std::move(cached);
  poll_native();
}

void Explorer::poll_native() {
  if (native_fn_ || !native_ || !native_->ready()) return;
  native_fn_ = native_->successors();
  if (!native_fn_) native_note_ = native_->why();
}

void Explorer::reserve_batch(std::size_t states) {
  if (states <= batch_hash_.size()) return;
  batch_hash_.resize(states);
  batch_parent_.resize(states);
  batch_tick_.resize(states);
  if (quiet_ticks_on_) batch_index_.resize(states);
  native_ticks_.resize(states);
  batch_packed_.resize(states * layout_.bytes() + StateLayout::kPadding);
}

inline const uint8_t* Explorer::pack_into_batch(const uint8_t* parent_packed, const int32_t* next, std::size_t count) {
  if (count == batch_hash_.size()) reserve_batch(count * 2 + 16);
  uint8_t* p = batch_packed_.data() + count * layout_.bytes();
  const std::vector<int>& changed = semantics_.last_changed();
  layout_.repack(parent_packed, next, changed.data(), changed.size(), p);
  if (symmetry_) symmetry_->canonicalise(p);
  return p;
}

inline void Explorer::keep_in_batch(std::size_t& count, uint64_t parent, bool tick) {
  batch_hash_[count] = store_.hash(batch_packed_.data() + count * layout_.bytes());
  batch_parent_[count] = static_cast<uint32_t>(parent);
  batch_tick_[count] = tick;
  store_.prefetch_slot(batch_hash_[count]);
  ++count;
}

bool Explorer::expand_native(uint64_t j, std::size_t& count, uint64_t& repeated, bool& acted) {
  const std::size_t bytes = layout_.bytes();
  const uint8_t* parent = store_.state(static_cast<uint32_t>(j));
  reserve_batch(count + 64);
  int n = 0;
  for (;;) {
    const std::size_t room = batch_hash_.size() - count;
    n = native_fn_(parent, batch_packed_.data() + count * bytes, native_ticks_.data(),
                   static_cast<int>(std::min<std::size_t>(room, INT32_MAX)), edges_taken_.data(), nullptr);
    if (n != kNativeNeedsRoom) break;
    reserve_batch(count + room * 2);
  }
  if (n < 0) return false;
  ++native_states_;
  // As the interpreter's sink below: an action leading where the previous kept successor led is
  // counted, not stored.
  std::size_t kept = count;
  for (int k = 0; k < n; ++k) {
    uint8_t* p = batch_packed_.data() + (count + static_cast<std::size_t>(k)) * bytes;
    uint8_t* to = batch_packed_.data() + kept * bytes;
    const bool tick = native_ticks_[static_cast<std::size_t>(k)] != 0;
    if (symmetry_) symmetry_->canonicalise(p);
    if (!tick) acted = true;
    if (!tick && kept > count && store_.equal(p, to - bytes)) {
      ++repeated;
      continue;
    }
    // Hashed from the bytes native code wrote, before the copy: a word loaded right after the
    // copy's narrower stores waits for them (about 6% of the KB check's CPU time).
    batch_hash_[kept] = store_.hash(p);
    if (to != p) StateStore::copy_state(to, p, bytes);  // a whole state apart: no overlap
    batch_parent_[kept] = static_cast<uint32_t>(j);
    batch_tick_[kept] = tick;
    store_.prefetch_slot(batch_hash_[kept]);
    ++kept;
  }
  count = kept;
  return true;
}

bool Explorer::expand_native_with_actions(uint64_t j, std::size_t& count, bool& tick, bool& acted) {
  // As expand_native(), but every successor is kept (a repeated action too: the one kept may be
  // set aside), and each action's edges are noted as the interpreter's path notes them. (The call
  // loop is not shared with expand_native(): a shared helper cost it 2.3 M instructions on
  // links_4, callgrind, the plain search's hot path.)
  const std::size_t bytes = layout_.bytes();
  const std::size_t stride = native_action_stride(semantics_.model());
  const uint8_t* parent = store_.state(static_cast<uint32_t>(j));
  reserve_batch(count + 64);
  int n = 0;
  for (;;) {
    const std::size_t room = batch_hash_.size() - count;
    if (native_actions_.size() < room * stride) native_actions_.resize(room * stride);
    n = native_fn_(parent, batch_packed_.data() + count * bytes, native_ticks_.data(),
                   static_cast<int>(std::min<std::size_t>(room, INT32_MAX)), edges_taken_.data(), native_actions_.data());
    if (n != kNativeNeedsRoom) break;
    reserve_batch(count + room * 2);
  }
  if (n < 0) return false;
  ++native_states_;
  for (int k = 0; k < n; ++k) {
    const bool is_tick = native_ticks_[static_cast<std::size_t>(k)] != 0;
    if (is_tick) {
      tick = true;
    } else {
      acted = true;
      const int32_t* action = native_actions_.data() + static_cast<std::size_t>(k) * stride;
      step_begin_.push_back(step_edges_.size());
      step_edges_.insert(step_edges_.end(), action + 1, action + 1 + action[0]);
    }
    if (symmetry_) symmetry_->canonicalise(batch_packed_.data() + count * bytes);
    keep_in_batch(count, j, is_tick);
  }
  return true;
}

Explorer::Outcome Explorer::run(FunctionRef<bool(uint32_t, const int32_t*)> on_new) {
  std::vector<int32_t> state(layout_.slots() + 1);
  return run_packed([&](uint32_t index, const uint8_t* packed) {
    layout_.unpack(packed, state.data());
    return on_new(index, state.data());
  });
}

Explorer::Outcome Explorer::run_packed(FunctionRef<bool(uint32_t, const uint8_t*)> on_new) {
  const double start = context_.elapsed();
  std::unique_ptr<ParallelLevel> parallel;  // with more than one thread
  auto finish = [&](Outcome o) {
    if (parallel) parallel->finish();
    // A search that ended before its compile did: a later run of this model gets the library
    // (one stopped by a limit or Ctrl-C leaves nothing running).
    if (native_ && o != Outcome::Limit) native_->finish_compile_in_background();
    if (quiet_ticks_on_) {
      acting_before_.resize(has_action_.size());
      uint64_t acting = 0;
      for (std::size_t w = 0; w < has_action_.size(); ++w) {
        acting_before_[w] = static_cast<uint32_t>(acting);
        acting += static_cast<uint64_t>(__builtin_popcountll(has_action_[w]));
      }
    }
    seconds_ = context_.elapsed() - start;
    if (graph_) graph_->first.push_back(graph_->targets.size());  // where the last state's edges end
    if (symmetry_) symmetry_->close_edges(edges_taken_);
    return o;
  };
  std::vector<int32_t> current;
  if (!semantics_.initial(current, fault_)) return finish(Outcome::Fault);
  current.resize(layout_.slots() + 1);
  std::vector<uint8_t> packed(layout_.buffer_bytes());
  layout_.pack(current.data(), packed.data());
  if (symmetry_) symmetry_->canonicalise(packed.data());
  store_.insert(packed.data(), StateStore::kNoParent);
  has_action_.assign(1, 0);
  if (graph_) {
    graph_->first.clear();
    graph_->targets.clear();
    graph_->tick.clear();
    graph_->tick.push_back(TransitionGraph::kNoTick);
  }
  if (on_new(0, packed.data())) return finish(Outcome::Stopped);
  const NativeMode native_mode = context_.limits().native;
  if (native_mode == NativeMode::On) {
    start_native();
    while (!native_->ready() && !context_.timed_out()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    poll_native();
  } else if (native_mode == NativeMode::Auto) {
    use_cached_native();
  }
  // More threads: each level of at least parallel_min_level states is searched by ParallelLevel,
  // whose threads start at the first such level.
  const int threads = context_.limits().threads > 0 ? context_.limits().threads : default_search_threads();
  const uint64_t parallel_min = std::max<uint64_t>(context_.limits().parallel_min_level, 1);
  constexpr uint64_t kNever = UINT64_MAX;
  uint64_t parallel_at = threads > 1 && parallel_min <= 1 ? 0 : kNever;  // where the current level starts, if it is parallel
  // Out of the loop's way: on one thread the loop is as it was.
  auto search_level = [&](uint64_t begin, uint64_t end, Outcome& outcome, uint64_t& resume) __attribute__((noinline)) {
    if (!parallel) {
      parallel = std::make_unique<ParallelLevel>(*this, threads);
      threads_ = threads;
    }
    return parallel->run(begin, end, on_new, outcome, resume);
  };

  const int max_depth = context_.limits().depth;
  const std::size_t bytes = layout_.bytes();
  uint64_t level_end = 1;
  bool stop = false;
  uint64_t i = 0, batches = 0;
  while (i < store_.size()) {
    if (i == level_end) {
      ++depth_;
      level_end = store_.size();
      if (por_) pacing_.end_level();
      if (threads > 1 && level_end - i >= parallel_min) parallel_at = i;
      if (max_depth > 0 && depth_ >= max_depth) {
        limit_reason_ = "depth limit " + std::to_string(max_depth) + " reached";
        return finish(Outcome::Limit);
      }
    }
    if (context_.timed_out()) {  // also Ctrl-C, and the process over --memory
      limit_reason_ = context_.stop_reason();
      return finish(Outcome::Limit);
    }
    if (context_.over_memory(store_.memory_bytes() + (graph_ ? graph_->memory_bytes() : 0) + quiet_ticks_.capacity() * sizeof(uint32_t))) {
      limit_reason_ = context_.memory_limit_reached();
      return finish(Outcome::Limit);
    }
    if (!native_fn_ && native_mode == NativeMode::Auto && (++batches % 64 == 0 || i == parallel_at)) {  // a system call: not every batch
      if (!native_ && context_.elapsed() - start >= kNativeAfterSeconds) start_native();
      poll_native();
    }
    context_.progress([&] {
      std::ostringstream line;
      double secs = context_.elapsed() - start;
      line << store_.size() << " states, " << static_cast<uint64_t>(store_.size() / std::max(secs, 1e-9))
           << " states/s, depth " << depth_ << ", " << store_.memory_bytes() / (1024 * 1024) << " MB";
      return line.str();
    });

    if (i == parallel_at) [[unlikely]] {
      Outcome outcome = Outcome::Complete;
      uint64_t resume = i;
      const ParallelLevel::Result done = search_level(i, level_end, outcome, resume);
      if (done == ParallelLevel::Result::Ended) return finish(outcome);
      if (done == ParallelLevel::Result::Done || resume != i) {  // declined from `resume` on: the checks above first
        i = done == ParallelLevel::Result::Done ? level_end : resume;
        continue;
      }
      // Declined (it could reach a limit): the batches below, as on one thread.
    }

    // Expand a batch of states of one BFS level, then insert all their successors in the same
    // order a one-at-a-time search would: the table lookups of the whole batch are prefetched
    // first, so their cache misses overlap instead of queueing.
    const uint64_t end = std::min(i + kBatchStates, level_end);
    std::size_t count = 0;
    bool faulted = false;
    uint64_t expanded_to = end;
    for (uint64_t j = i; j < end; ++j) {
      const uint8_t* parent_packed = store_.state(static_cast<uint32_t>(j));
      const std::size_t before = count;
      uint64_t repeated = 0;
      bool acted = false;
      if (por_ && pacing_.analyses(j)) {
        layout_.unpack(parent_packed, current.data());
        const uint64_t analysed = por_->analysed(), chosen = por_->chosen();
        const bool ok = expand_reduced(j, current, count, acted, level_end);
        pacing_.add(por_->analysed() - analysed, por_->chosen() - chosen);
        if (acted) has_action_[j >> 6] |= uint64_t{1} << (j & 63);
        if (!ok) {
          count = before;
          fault_state_ = static_cast<uint32_t>(j);
          faulted = true;
          expanded_to = j;
          break;
        }
        continue;
      }
      if (native_fn_ && expand_native(j, count, repeated, acted)) {
        if (acted) has_action_[j >> 6] |= uint64_t{1} << (j & 63);
        transitions_ += repeated;
        paused_states_ += por_ != nullptr;
        continue;
      }
      layout_.unpack(parent_packed, current.data());
      bool ok = semantics_.successors(current.data(), [&](const Step& step, const int32_t* next) {
        if (!step.tick) {
          acted = true;
          for (int e : step.edges) edges_taken_[static_cast<std::size_t>(e)] = 1;
        }
        const uint8_t* p = pack_into_batch(parent_packed, next, count);
        // An action leading where the previous successor of this state led (a choose value that
        // makes no difference, say) would only be looked up again: it is counted, not stored.
        if (!step.tick && count > before && store_.equal(p, p - bytes)) {
          ++repeated;
          return;
        }
        keep_in_batch(count, j, step.tick);
      }, fault_);
      if (acted) has_action_[j >> 6] |= uint64_t{1} << (j & 63);
      transitions_ += repeated;
      if (!ok) {
        transitions_ -= repeated;
        count = before;  // the failing state's successors are not taken
        fault_state_ = static_cast<uint32_t>(j);
        faulted = true;
        expanded_to = j;
        break;
      }
      paused_states_ += por_ != nullptr;
    }
    transitions_ += count;
    for (std::size_t k = 0; k < count; ++k) store_.prefetch_record(batch_hash_[k]);
    for (std::size_t k = 0; k < count && !stop; ++k) {
      if (store_.full()) {
        stop = true;
        limit_reason_ = "more than 3 * 2^30 states";
        break;
      }
      auto [index, inserted] = store_.insert(batch_packed_.data() + k * bytes, batch_hash_[k], batch_parent_[k]);
      if (quiet_ticks_on_) batch_index_[k] = index;
      if (graph_) {
        while (graph_->first.size() <= batch_parent_[k]) graph_->first.push_back(graph_->targets.size());
        graph_->targets.push_back(index);
        if (batch_tick_[k]) graph_->tick[batch_parent_[k]] = index;
        if (inserted) graph_->tick.push_back(TransitionGraph::kNoTick);
      }
      if (!inserted) continue;
      if ((index >> 6) >= has_action_.size()) has_action_.push_back(0);
      if (on_new(index, batch_packed_.data() + k * bytes)) stop = true;
    }
    if (quiet_ticks_on_ && !stop) note_quiet_ticks(i, expanded_to, count);
    expanded_ = expanded_to;
    if (graph_)
      while (graph_->first.size() < expanded_to) graph_->first.push_back(graph_->targets.size());
    if (faulted) return finish(Outcome::Fault);
    if (stop) return finish(limit_reason_.empty() ? Outcome::Stopped : Outcome::Limit);
    i = end;
  }
  return finish(Outcome::Complete);
}

void Explorer::note_quiet_ticks(uint64_t from, uint64_t to, std::size_t count) {
  // The batch holds the successors of [from, to) in order of their parents; a state without an
  // action has at most one, its tick successor.
  std::size_t k = 0;
  for (uint64_t j = from; j < to; ++j) {
    const bool quiet = !has_action(static_cast<uint32_t>(j));
    uint32_t tick = TransitionGraph::kNoTick;
    for (; k < count && batch_parent_[k] == j; ++k)
      if (batch_tick_[k]) tick = batch_index_[k];
    if (quiet) quiet_ticks_.push_back(tick);
  }
}

bool Explorer::expand_reduced(uint64_t j, std::vector<int32_t>& current, std::size_t& count, bool& acted, uint64_t level_end) {
  const std::size_t bytes = layout_.bytes();
  const uint8_t* parent_packed = store_.state(static_cast<uint32_t>(j));
  const std::size_t before = count;
  step_edges_.clear();
  step_begin_.clear();
  bool tick = false;
  // Every successor, as without the reduction (so a step that fails is found in the same states),
  // each action's edges noted; no repeated action is dropped, as the one kept may be left out.
  if (!(native_fn_ && expand_native_with_actions(j, count, tick, acted))) {
    const bool ok = semantics_.successors(current.data(), [&](const Step& step, const int32_t* next) {
      if (step.tick) {
        tick = true;
      } else {
        acted = true;
        for (int e : step.edges) edges_taken_[static_cast<std::size_t>(e)] = 1;
        step_begin_.push_back(step_edges_.size());
        step_edges_.insert(step_edges_.end(), step.edges.begin(), step.edges.end());
      }
      pack_into_batch(parent_packed, next, count);
      keep_in_batch(count, j, step.tick);
    }, fault_);
    if (!ok) return false;
  }
  actions_.clear();
  step_begin_.push_back(step_edges_.size());
  for (std::size_t a = 0; a + 1 < step_begin_.size(); ++a)
    actions_.push_back({std::span<const int>(step_edges_.data() + step_begin_[a], step_edges_.data() + step_begin_[a + 1])});
  if (!por_->choose(current.data(), actions_, tick, keep_)) return true;
  // The cycle proviso: a kept successor in a level already searched (in the store before this
  // level began) and the state is expanded fully.
  for (std::size_t k = before, action = 0; k < count; ++k) {
    if (batch_tick_[k] || !keep_[action++]) continue;
    if (store_.find(batch_packed_.data() + k * bytes, batch_hash_[k]) < level_end) return true;
  }
  // The kept successors stay in the batch, in order.
  std::size_t kept = before;
  for (std::size_t k = before, action = 0; k < count; ++k) {
    if (batch_tick_[k] || !keep_[action++]) continue;
    if (kept != k) {
      StateStore::copy_state(batch_packed_.data() + kept * bytes, batch_packed_.data() + k * bytes, bytes);
      batch_hash_[kept] = batch_hash_[k];
      batch_parent_[kept] = batch_parent_[k];
      batch_tick_[kept] = 0;
    }
    ++kept;
  }
  count = kept;
  ++reduced_states_;
  return true;
}

std::vector<uint32_t> Explorer::path_to(uint32_t index) const {
  std::vector<uint32_t> path;
  for (uint32_t i = index; i != StateStore::kNoParent; i = store_.parent(i)) path.push_back(i);
  std::reverse(path.begin(), path.end());
  return path;
}

Trace Explorer::trace_to(uint32_t index) { return trace_along(path_to(index)); }

Trace Explorer::trace_along(const std::vector<uint32_t>& path) {
  Trace trace = trace_through(semantics_, layout_, symmetry_, path.size(),
                              [&](std::size_t k) { return store_.state(path[k]); });
  for (const auto& p : semantics_.model().params)
    if (p.value) trace.params.emplace_back(p.name, *p.value);
  return trace;
}

}  // namespace interlock

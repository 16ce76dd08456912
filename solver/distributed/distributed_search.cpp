#include "solver/distributed/distributed_search.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>

#include "model/cone.h"
#include "model/dead_clocks.h"
#include "model/diagnostics.h"
#include "model/layout.h"
#include "model/semantics.h"
#include "solver/distributed/delay_graph.h"
#include "solver/distributed/distributed_delays.h"
#include "solver/distributed/exchange.h"
#include "solver/distributed/round_expansion.h"
#include "solver/distributed/state_names.h"
#include "solver/explicit/condition_memo.h"
#include "solver/explicit/delay_properties.h"
#include "solver/explicit/explicit_engine.h"
#include "solver/explicit/native/native_code.h"
#include "solver/explicit/path_trace.h"
#include "solver/explicit/state_store.h"
#include "solver/explicit/symmetry.h"
#include "solver/explicit/value_maximum.h"
#include "solver/explicit/worker_pool.h"
#include "solver/trace/replay.h"

namespace interlock {
namespace {

// States expanded per rank between two exchanges: bounds the batches (a few MB) however wide a
// level is. $INTERLOCK_MPI_ROUND_STATES sets another number (the tests make the batches tiny, so
// that every level and every exchange of the deadlock search takes many rounds).
constexpr uint64_t kStatesPerRound = 16384;
uint64_t states_per_round() {
  const char* text = std::getenv("INTERLOCK_MPI_ROUND_STATES");
  if (!text || !*text) return kStatesPerRound;
  char* end = nullptr;
  const unsigned long long n = std::strtoull(text, &end, 10);
  if (*end != '\0' || n == 0 || n > (uint64_t{1} << 30))
    throw InputError(std::string("interlock-mpi: error: INTERLOCK_MPI_ROUND_STATES must be a number of states from 1 to 2^30, not '") +
                     text + "'\n");
  return n;
}

// Collective: the message and place of a fault that rank `from` holds, on every rank.
ModelFault shared_fault(ModelFault fault, int from, MPI_Comm comm) {
  uint64_t size = fault.message.size();
  MPI_Bcast(&size, 1, MPI_UINT64_T, from, comm);
  fault.message.resize(size);
  MPI_Bcast(fault.message.data(), static_cast<int>(size), MPI_CHAR, from, comm);
  int where[2] = {fault.loc.line, fault.loc.col};
  MPI_Bcast(where, 2, MPI_INT, from, comm);
  fault.loc.line = where[0];
  fault.loc.col = where[1];
  return fault;
}

class Search {
 public:
  // With `symmetry`, every rank stores one state per orbit (its representative), as the
  // one-process search does, so the states and their owners are the same on every run.
  Search(const Model& model, DeadClocks dead, const Symmetry* symmetry, MPI_Comm comm, RunContext& context)
      : model_(model), semantics_(model), layout_(model), comm_(comm), context_(context), symmetry_(symmetry),
        // Questions and messages after the search go in slices of 64 per state of a round (1 M by
        // default): no exchange brings a rank much more than the search's own rounds do.
        round_states_(states_per_round()), exchange_(comm, round_states_ * 64) {
    semantics_.hold_dead_clocks(std::move(dead));
    MPI_Comm_rank(comm, &rank_);
    MPI_Comm_size(comm, &ranks_);
    store_ = std::make_unique<StateStore>(layout_.bytes(), nullptr);  // parents are kept in parents_, by global name
    record_bytes_ = layout_.bytes() + sizeof(uint64_t);
  }

  struct Watch {
    std::size_t result;
    bool reachable;
    Compiled cond;
    uint64_t found = kNoState;    // the least id, over all ranks, of a state at the level it was first seen
    uint64_t fault = kNoState;    // the property's formula failed to evaluate here
    ModelFault fault_detail;
    bool fault_shared = false;    // every rank has its message
    const Expr* expr = nullptr;   // the formula `cond` was compiled from
  };

  // Runs the search; on return every rank knows each watch's answer and whether the search
  // covered every reachable state.
  void run(std::vector<Watch>& watches) {
    level_found_.assign(watches.size(), kNoState);
    // The watches' values, remembered by what they read (solver/explicit/condition_memo.h).
    std::vector<const Expr*> formulas;
    for (const Watch& w : watches) formulas.push_back(w.expr);
    memo_ = ConditionMemo::for_formulas(layout_, semantics_.model().slots.size(), formulas);
    watch_values_.resize(watches.size());
    watch_faults_.resize(watches.size());
    level_starts_.assign(1, 0);
    start_native();
    start_threads();
    std::vector<int32_t> state;
    ModelFault fault;
    const bool initial_ok = semantics_.initial(state, fault);
    if (!initial_ok) {
      initial_fault_ = fault;
      outcome_ = Outcome::Fault;
      return;
    }
    state.resize(layout_.slots() + 1);
    std::vector<uint8_t> packed(layout_.buffer_bytes());
    layout_.pack(state.data(), packed.data());
    if (symmetry_) symmetry_->canonicalise(packed.data());
    const uint64_t hash = store_->hash(packed.data());
    if (owner(hash) == rank_) insert(packed.data(), hash, kNoState, watches, state);
    uint64_t level_begin = 0;
    if (!end_level(watches, level_begin)) return;
    // depth_ is the level being expanded, as in one process (solver/explicit/explorer.cpp): a
    // search that stops in a level reports it, a complete one its deepest, and --depth K keeps
    // the states of levels 0 to K (it stops before expanding level K).
    for (depth_ = 0;; ++depth_) {
      const uint64_t level_end = store_->size();
      if (next_most_ == 0) {
        --depth_;  // the level found no state: the deepest is the one before
        outcome_ = Outcome::Complete;
        return;
      }
      if (context_.limits().depth > 0 && depth_ >= context_.limits().depth) {
        limit_reason_ = "depth limit " + std::to_string(context_.limits().depth) + " reached";
        outcome_ = Outcome::Limit;
        return;
      }
      // Each round's states are expanded while the round before is exchanged and inserted (the
      // first round of a level: by every thread, before).
      const uint64_t rounds = (next_most_ + round_states_ - 1) / round_states_;
      auto round_from = [&](uint64_t r) { return std::min(level_begin + r * round_states_, level_end); };
      auto round_to = [&](uint64_t r) { return std::min(round_from(r) + round_states_, level_end); };
      RoundExpansion* current = expansions_[0].get();
      RoundExpansion* ahead = expansions_[1].get();
      current->prepare(round_from(0), round_to(0));
      pool_->run([&](int t) { current->work(t); });
      for (uint64_t r = 0; r < rounds; ++r) {
        round_from_ = round_from(r);
        commit(*current);
        const bool more = r + 1 < rounds;
        if (more) ahead->prepare(round_from(r + 1), round_to(r + 1));  // before this round's states are inserted
        pool_->run([&](int t) {
          if (t == 0) exchange(watches);
          if (more) ahead->work(t);
        });
        std::swap(current, ahead);
      }
      level_begin = level_end;
      level_starts_.push_back(level_begin);
      if (!end_level(watches, level_begin)) return;
    }
  }

  // The packed states from the initial state to `id`, gathered on every rank.
  std::vector<std::vector<uint8_t>> path_to(uint64_t id) {
    std::vector<std::vector<uint8_t>> path;
    std::vector<uint8_t> buffer(record_bytes_);
    while (id != kNoState) {
      const int owner_rank = rank_of(id);
      if (owner_rank == rank_) {
        std::memcpy(buffer.data(), store_->state(index_of(id)), layout_.bytes());
        std::memcpy(buffer.data() + layout_.bytes(), &parents_[index_of(id)], sizeof(uint64_t));
      }
      MPI_Bcast(buffer.data(), static_cast<int>(record_bytes_), MPI_BYTE, owner_rank, comm_);
      // The packed state, with the padding a reader of it may touch.
      path.emplace_back(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(layout_.bytes()));
      path.back().resize(layout_.buffer_bytes());
      std::memcpy(&id, buffer.data() + layout_.bytes(), sizeof(uint64_t));
    }
    std::reverse(path.begin(), path.end());
    return path;
  }

  // The run along a path of packed states (each a successor of the last), as Explorer finds it.
  Trace trace_along(const std::vector<std::vector<uint8_t>>& path) {
    return trace_through(semantics_, layout_, symmetry_, path.size(), [&](std::size_t k) { return path[k].data(); });
  }

  // deadlock_free is checked: the search records which states have an action and goes on to the
  // end, for find_deadlock().
  void check_deadlock() { track_actions_ = true; }

  // Before run(), for responses and maxima of a delay: every transition is kept, by the owner of
  // its target (solver/distributed/delay_graph.h), and the search goes on to the end.
  void keep_transitions() { delay_graph_ = std::make_unique<DelayGraph>(exchange_); }
  DelayGraph* delay_graph() { return delay_graph_.get(); }

  // Collective: a state's packed bytes (with padding), by its name.
  std::vector<uint8_t> packed_of(uint64_t id) {
    std::vector<uint8_t> packed(layout_.buffer_bytes(), 0);
    if (rank_of(id) == rank_) std::memcpy(packed.data(), store_->state(index_of(id)), layout_.bytes());
    MPI_Bcast(packed.data(), static_cast<int>(layout_.bytes()), MPI_BYTE, rank_of(id), comm_);
    return packed;
  }
  const uint8_t* local_state(uint32_t index) const { return store_->state(index); }
  const StateLayout& layout() const { return layout_; }
  Exchange& exchange() { return exchange_; }

  // After a complete search (collective): the first state, in breadth-first order (the least
  // depth, then the least name), from which no action is possible now or after any delay;
  // kNoState if there is none. As the one-process search (DeadlockSearch in
  // solver/explicit/explicit_engine.cpp) each state without an action follows its ticks until one
  // with an action (live), one where time cannot pass, or a cycle of ticks (dead). Here the
  // chains cross ranks, so they are followed by pointer jumping: every state without an action
  // names its tick successor (asked of its owner), then in each round takes what its successor
  // names, so after r rounds it names the state 2^r ticks on, or a verdict. A chain that has
  // met no verdict after more rounds than the states without an action can make ends in a cycle.
  // `timed_out` is set (and kNoState returned) if the time ran out on the way.
  uint64_t find_deadlock(bool& timed_out) {
    const uint64_t n = store_->size();
    const std::size_t ranks = static_cast<std::size_t>(ranks_);
    // next[i]: the name of the state state i waits for, or a verdict (names never reach these).
    constexpr uint64_t kLive = UINT64_MAX - 1, kDead = UINT64_MAX - 2;
    std::vector<uint64_t> next(n, kLive);
    acts_.resize(n, 0);
    // 1. Each state without an action: its tick successor, found by its owner.
    std::vector<std::vector<uint8_t>> boxes(ranks);
    std::vector<std::vector<uint32_t>> asked(ranks);  // per rank: the local states whose question it answers, in order
    {
      std::vector<int32_t> state(layout_.slots() + 1), later(layout_.slots() + 1);
      std::vector<uint8_t> packed(layout_.buffer_bytes());
      for (uint64_t i = 0; i < n; ++i) {
        if (acts_[i]) continue;
        layout_.unpack(store_->state(static_cast<uint32_t>(i)), state.data());
        ModelFault fault;
        if (!semantics_.tick(state.data(), later.data(), fault)) {
          // The search expanded this state without a fault, ticks included.
          if (!fault.message.empty()) throw std::logic_error("internal error: a tick fails after the search took it");
          next[i] = kDead;  // time cannot pass and nothing can act
          continue;
        }
        layout_.pack(later.data(), packed.data());
        if (symmetry_) symmetry_->canonicalise(packed.data());
        const std::size_t to = static_cast<std::size_t>(owner(store_->hash(packed.data())));
        boxes[to].insert(boxes[to].end(), packed.begin(), packed.begin() + static_cast<std::ptrdiff_t>(layout_.bytes()));
        asked[to].push_back(static_cast<uint32_t>(i));
      }
    }
    const auto found = exchange_.ask<uint32_t>(boxes, layout_.bytes(), [&](const uint8_t* state) {
      const uint32_t index = store_->find(state);
      if (index == StateStore::kNotFound) throw std::logic_error("internal error: a tick leads outside the explored states");
      return index;
    });
    for (std::size_t r = 0; r < ranks; ++r)
      for (std::size_t k = 0; k < asked[r].size(); ++k) next[asked[r][k]] = global_id(static_cast<int>(r), found[r][k]);

    // 2. Pointer jumping, until every chain has a verdict or must be a cycle.
    uint64_t waiting = 0;
    for (uint64_t i = 0; i < n; ++i) waiting += !acts_[i];
    const uint64_t chain_most = all_sum(waiting, comm_);
    for (uint64_t reach = 1;; reach *= 2) {
      uint64_t open = 0;
      for (auto& a : asked) a.clear();
      for (auto& b : boxes) b.clear();
      for (uint64_t i = 0; i < n; ++i) {
        if (next[i] == kLive || next[i] == kDead) continue;
        ++open;
        const std::size_t to = static_cast<std::size_t>(rank_of(next[i]));
        append(boxes[to], index_of(next[i]));
        asked[to].push_back(static_cast<uint32_t>(i));
      }
      timed_out = all_max(context_.timed_out() ? 1 : 0, comm_) != 0;
      if (timed_out) return kNoState;
      if (all_sum(open, comm_) == 0) break;
      if (reach > chain_most) {  // past every chain that meets a verdict: the rest go round a cycle of ticks
        for (uint64_t& v : next)
          if (v != kLive) v = kDead;
        break;
      }
      // Every answer is given before any rank takes one: what the state named as the round began.
      const auto named = exchange_.ask<uint64_t>(boxes, sizeof(uint32_t), [&](const uint8_t* question) {
        const uint32_t index = read<uint32_t>(question);
        return acts_[index] ? kLive : next[index];
      });
      for (std::size_t r = 0; r < ranks; ++r)
        for (std::size_t k = 0; k < asked[r].size(); ++k) next[asked[r][k]] = named[r][k];
    }

    // 3. The first dead state: local indexes grow with the depth, so a rank's first is its least.
    uint64_t first = kNoState;
    for (uint64_t i = 0; i < n && first == kNoState; ++i)
      if (!acts_[i] && next[i] == kDead) first = i;
    return first_of(first);
  }

  // Collective: of every rank's candidate (a local index, or kNoState), the global id of the one
  // of least depth, then least id: as long a trace as to the first in the one-process order.
  uint64_t first_of(uint64_t local) const {
    const uint64_t depth = local == kNoState ? kNoState : depth_of(local);
    const uint64_t least_depth = all_min(depth, comm_);
    if (least_depth == kNoState) return kNoState;
    return all_min(depth == least_depth ? global_id(rank_, static_cast<uint32_t>(local)) : kNoState, comm_);
  }

  // Before run(): also follow these value maxima in every state (the search then runs to its end).
  void follow_maxima(std::vector<ValueMaximum>& maxima) {
    maxima_ = &maxima;
    best_at_.assign(maxima.size(), kNoState);
    failed_at_.assign(maxima.size(), kNoState);
    failures_.assign(maxima.size(), ModelFault{});
  }
  // This rank's first state with its maximum's best value, and its first where the formula failed.
  uint64_t best_at(std::size_t m) const { return best_at_[m]; }
  uint64_t failed_at(std::size_t m) const { return failed_at_[m]; }
  const ModelFault& failure(std::size_t m) const { return failures_[m]; }

  enum class Outcome { Complete, Stopped, Limit, Fault };
  Outcome outcome() const { return outcome_; }
  const std::string& limit_reason() const { return limit_reason_; }
  uint64_t fault_state() const { return fault_state_; }
  const ModelFault& initial_fault() const { return initial_fault_; }
  ModelFault fault_here() const { return fault_; }
  int fault_rank() const { return fault_rank_; }
  uint64_t local_states() const { return store_->size(); }
  uint64_t local_transitions() const { return transitions_; }
  uint64_t local_bytes() const {
    return store_->memory_bytes() + parents_.size() * sizeof(uint64_t) + (delay_graph_ ? delay_graph_->memory_bytes() : 0);
  }
  uint64_t local_native_states() const { return native_states_; }
  uint64_t bytes_sent() const { return exchange_.bytes_sent(); }
  int depth() const { return depth_; }
  int rounds() const { return rounds_; }
  std::size_t state_bytes() const { return layout_.bytes(); }
  Semantics& semantics() { return semantics_; }

 private:
  // The level a local state was found at.
  uint64_t depth_of(uint64_t index) const {
    return static_cast<uint64_t>(std::upper_bound(level_starts_.begin(), level_starts_.end(), index) - level_starts_.begin()) - 1;
  }

  int owner(uint64_t hash) const { return owner_of(hash, ranks_); }

  // Native code: a library already in the cache (--native auto), or with --native on compiled by
  // rank 0 first while the others wait, then loaded by every rank from the cache.
  void start_native() {
    const NativeMode mode = context_.limits().native;
    if (mode == NativeMode::Off) return;
    const std::string source = native_source(model_, semantics_.param_values(), semantics_.dead_clocks(), layout_);
    if (rank_ == 0 && mode == NativeMode::On) {
      NativeCode first(source, /*compile_if_missing=*/true);
      first.wait();
    }
    MPI_Barrier(comm_);
    native_ = std::make_unique<NativeCode>(source, /*compile_if_missing=*/false);
    native_fn_ = native_->successors();
  }

  // The threads of this rank (--threads; 1 unless given) and what they expand, once native code
  // is known.
  void start_threads() {
    const int threads = std::max(context_.limits().threads, 1);
    pool_ = std::make_unique<WorkerPool>(threads);
    const RoundExpansion::Setup setup{semantics_, layout_, *store_, symmetry_, native_fn_, rank_, ranks_, track_actions_,
                                      delay_graph_ != nullptr};
    for (auto& e : expansions_) e = std::make_unique<RoundExpansion>(setup, threads);
  }

  // Returns the state's local index, new or not.
  uint32_t insert(const uint8_t* packed, uint64_t hash, uint64_t parent, std::vector<Watch>& watches, std::vector<int32_t>& unpacked) {
    auto [index, inserted] = store_->insert(packed, hash, StateStore::kNoParent);
    if (!inserted) return index;
    parents_.push_back(parent);
    unpacked.resize(layout_.slots() + 1);
    bool is_unpacked = false;
    auto state = [&] {
      if (!is_unpacked) layout_.unpack(store_->state(index), unpacked.data());
      is_unpacked = true;
      return unpacked.data();
    };
    const uint64_t id = global_id(rank_, index);
    // Every watch's value, decided ones' too (so that the memo holds them all); a state where one
    // cannot be evaluated is not remembered, and its faults count below as they arise.
    const uint8_t* known = memo_ ? memo_->find(store_->state(index)) : nullptr;
    if (!known) {
      bool clean = true;
      for (std::size_t k = 0; k < watches.size(); ++k) {
        watch_faults_[k] = ModelFault{};
        watch_values_[k] = semantics_.holds(watches[k].cond, state(), watch_faults_[k]);
        clean = clean && watch_faults_[k].message.empty();
      }
      if (clean && memo_) memo_->remember(watch_values_.data());
      known = watch_values_.data();
    }
    for (std::size_t k = 0; k < watches.size(); ++k) {
      Watch& w = watches[k];
      if (w.found != kNoState || w.fault != kNoState) continue;
      if (known == watch_values_.data() && !watch_faults_[k].message.empty()) {
        level_fault_candidate(w, id, watch_faults_[k]);
        continue;
      }
      if ((known[k] != 0) == w.reachable && id < level_found_[k]) level_found_[k] = id;
    }
    if (!maxima_) return index;
    for (std::size_t m = 0; m < maxima_->size(); ++m) {
      ModelFault f;
      const ValueMaximum::Seen seen = (*maxima_)[m].see(semantics_, state(), f);
      if (seen == ValueMaximum::Seen::NewBest) best_at_[m] = index;
      if (seen == ValueMaximum::Seen::Failed) {
        failed_at_[m] = index;
        failures_[m] = f;
      }
    }
    return index;
  }

  void level_fault_candidate(Watch& w, uint64_t id, const ModelFault& f) {
    if (id < w.fault) {
      w.fault = id;
      w.fault_detail = f;
    }
  }

  // The round's successors, as expanded (by RoundExpansion, on this rank's threads), become the
  // boxes exchange() sends; after a model error nothing more is sent, as on one thread.
  void commit(RoundExpansion& round) {
    round.take(round_);
    std::swap(outbox_, round_.boxes);
    if (fault_state_ != kNoState) {
      for (auto& box : outbox_) box.clear();
      return;
    }
    transitions_ += round_.transitions;
    native_states_ += round_.native_states;
    if (track_actions_) {
      acts_.resize(store_->size(), 0);
      std::copy(round_.acts.begin(), round_.acts.end(), acts_.begin() + static_cast<std::ptrdiff_t>(round_from_));
    }
    if (round_.fault_state != kNoState) {
      fault_state_ = round_.fault_state;
      fault_ = round_.fault;
    }
  }

  // Sends every outbox to its owner and inserts what arrives, in rank order (so the least id
  // found at a level is the same whatever the timing).
  void exchange(std::vector<Watch>& watches) {
    ++rounds_;
    std::vector<uint8_t> receiving;
    exchange_.alltoall(outbox_, receiving, StateLayout::kPadding);
    std::vector<int32_t> unpacked;
    const std::size_t records = (receiving.size() - StateLayout::kPadding) / record_bytes_;
    // A record's state is read where it lies: the 8-byte parent name after it (and the padding
    // after the last) are the spare bytes a reader of a packed state may touch.
    auto record = [&](std::size_t k) { return receiving.data() + k * record_bytes_; };
    // In batches, as the one-process search inserts: every slot of the batch is fetched, then the
    // states they point to, then the lookups run, so that their cache misses overlap.
    constexpr std::size_t kBatch = 64;
    uint64_t hashes[kBatch];
    for (std::size_t first = 0; first < records; first += kBatch) {
      const std::size_t n = std::min(kBatch, records - first);
      for (std::size_t k = 0; k < n; ++k) {
        hashes[k] = store_->hash(record(first + k));
        store_->prefetch_slot(hashes[k]);
      }
      for (std::size_t k = 0; k < n; ++k) store_->prefetch_record(hashes[k]);
      for (std::size_t k = 0; k < n; ++k) {
        uint64_t parent = 0;
        std::memcpy(&parent, record(first + k) + layout_.bytes(), sizeof parent);
        const uint32_t index = insert(record(first + k), hashes[k], parent & ~DelayGraph::kTickBit, watches, unpacked);
        if (delay_graph_) delay_graph_->add(index, parent);
      }
    }
  }

  // Agrees, across ranks, on what this level decided and on the size of the next one (the states
  // from `next_begin` on), in one reduction; false when the search ends here. Maxima travel as
  // minima of their complements.
  bool end_level(std::vector<Watch>& watches, uint64_t next_begin) {
    const std::size_t n = watches.size();
    std::vector<uint64_t> mine(2 * n + 3), all(2 * n + 3);
    for (std::size_t w = 0; w < n; ++w) {
      mine[w] = level_found_[w];
      mine[n + w] = watches[w].fault;
    }
    mine[2 * n] = fault_state_;
    mine[2 * n + 1] = UINT64_MAX - (context_.timed_out() ? 1 : 0);
    mine[2 * n + 2] = UINT64_MAX - (store_->size() - next_begin);
    MPI_Allreduce(mine.data(), all.data(), static_cast<int>(mine.size()), MPI_UINT64_T, MPI_MIN, comm_);
    for (std::size_t w = 0; w < n; ++w) {
      if (watches[w].found == kNoState) watches[w].found = all[w];
      share_fault(watches[w], all[n + w]);
      level_found_[w] = kNoState;
    }
    next_most_ = UINT64_MAX - all[2 * n + 2];
    if (all[2 * n] != kNoState) {
      fault_rank_ = rank_of(all[2 * n]);
      fault_state_ = all[2 * n];
      outcome_ = Outcome::Fault;
      return false;
    }
    if (all[2 * n + 1] != UINT64_MAX) {
      limit_reason_ = context_.stop_reason();
      outcome_ = Outcome::Limit;
      return false;
    }
    bool open = false;
    for (const Watch& w : watches) open = open || (w.found == kNoState && w.fault == kNoState);
    if (!open && !watches.empty() && !track_actions_ && !maxima_ && !delay_graph_) {
      outcome_ = Outcome::Stopped;
      return false;
    }
    return true;
  }

  // The fault message travels from the rank that holds the state.
  void share_fault(Watch& w, uint64_t fault) {
    if (fault == kNoState || w.fault_shared) return;
    w.fault_shared = true;
    w.fault_detail = shared_fault(w.fault_detail, rank_of(fault), comm_);
    w.fault = fault;
  }

  const Model& model_;
  Semantics semantics_;
  StateLayout layout_;
  MPI_Comm comm_;
  RunContext& context_;
  const Symmetry* symmetry_;
  int rank_ = 0, ranks_ = 1;
  std::unique_ptr<StateStore> store_;
  std::vector<uint64_t> parents_;  // per local state: its parent's global id
  std::size_t record_bytes_ = 0;   // a successor on the wire: packed state, then its parent's id
  uint64_t round_states_;
  Exchange exchange_;  // after round_states_, which sizes its slices
  std::vector<std::vector<uint8_t>> outbox_;
  std::vector<uint64_t> level_found_;
  std::unique_ptr<ConditionMemo> memo_;  // null when a watch reads a choose value
  std::vector<uint8_t> watch_values_;    // a state's, when it is not in the memo
  std::vector<ModelFault> watch_faults_;
  std::vector<uint64_t> level_starts_;  // the local index where each level's states begin
  bool track_actions_ = false;          // deadlock_free is checked
  std::vector<ValueMaximum>* maxima_ = nullptr;
  std::vector<uint64_t> best_at_, failed_at_;  // per maximum: local indexes (see best_at())
  std::vector<ModelFault> failures_;
  std::vector<uint8_t> acts_;           // then, per local state: some action is possible there
  std::unique_ptr<DelayGraph> delay_graph_;  // the transitions, for delays
  uint64_t next_most_ = 0;  // the most states any rank has in the level to expand next
  std::unique_ptr<NativeCode> native_;
  NativeSuccessorsFn native_fn_ = nullptr;
  std::unique_ptr<WorkerPool> pool_;
  std::unique_ptr<RoundExpansion> expansions_[2];  // the round being exchanged, and the next
  RoundExpansion::Result round_;
  uint64_t round_from_ = 0;  // the first state of the round being committed
  uint64_t native_states_ = 0;
  uint64_t transitions_ = 0;
  int depth_ = 0;
  int rounds_ = 0;
  Outcome outcome_ = Outcome::Stopped;
  std::string limit_reason_;
  uint64_t fault_state_ = kNoState;  // a state whose successors could not be computed
  ModelFault fault_;
  ModelFault initial_fault_;
  int fault_rank_ = -1;
};

std::string fault_text(const Model& model, const ModelFault& fault) {
  std::string where = fault.loc.line > 0 ? " at " + model.file + ":" + std::to_string(fault.loc.line) + ":" + std::to_string(fault.loc.col) : "";
  return fault.message + where;
}

}  // namespace

DistributedOutcome check_distributed(const Model& whole, const std::vector<int>& properties, RunContext& context,
                                     MPI_Comm comm) {
  int rank = 0, ranks = 1;
  MPI_Comm_rank(comm, &rank);
  MPI_Comm_size(comm, &ranks);
  const double start = context.elapsed();
  // The same reductions as the one-process search (solver/explicit/explicit_engine.cpp), so the
  // state counts agree.
  const bool reduce = context.limits().reduce;
  Cone cone = reduce ? cone_of_influence(whole, properties) : Cone{whole, {}};
  DeadClocks dead = reduce ? dead_clocks(cone.model, properties) : DeadClocks{};
  const Model& model = cone.model;
  std::unique_ptr<Symmetry> symmetry;
  if (reduce && context.limits().symmetry) symmetry = Symmetry::detect(model, properties, dead);
  Search search(model, std::move(dead), symmetry.get(), comm, context);

  DistributedOutcome outcome;
  outcome.results.resize(properties.size());
  std::vector<Search::Watch> watches;
  std::vector<std::size_t> deadlock_results;
  std::vector<ValueMaximum> maxima;
  std::vector<DelayProperty> delays;
  for (std::size_t r = 0; r < properties.size(); ++r) {
    const Property& p = model.properties[static_cast<std::size_t>(properties[r])];
    outcome.results[r] = PropertyResult(p, "distributed explicit");
    if (p.kind == Property::Kind::Invariant || p.kind == Property::Kind::Reachable) {
      watches.push_back({r, p.kind == Property::Kind::Reachable, search.semantics().compile(*p.a), kNoState, kNoState, {}, false, &*p.a});
    } else if (p.kind == Property::Kind::DeadlockFree) {
      deadlock_results.push_back(r);
    } else if (p.kind == Property::Kind::Maximum && !p.delay) {
      maxima.emplace_back(search.semantics(), p, r);
    } else {  // a response, or the maximum of a delay
      delays.push_back({r, &p, p.within ? within_bound(search.semantics(), *p.within) : -1});
    }
  }
  if (!delays.empty()) search.keep_transitions();
  if (!deadlock_results.empty()) search.check_deadlock();
  if (!maxima.empty()) search.follow_maxima(maxima);
  search.run(watches);

  Stats stats;
  const uint64_t local = search.local_states();
  outcome.states_per_rank.assign(static_cast<std::size_t>(ranks), 0);
  MPI_Gather(&local, 1, MPI_UINT64_T, outcome.states_per_rank.data(), 1, MPI_UINT64_T, 0, comm);
  stats.states = all_sum(local, comm);
  stats.transitions = all_sum(search.local_transitions(), comm);
  stats.store_bytes = all_sum(search.local_bytes(), comm);
  stats.native_states = all_sum(search.local_native_states(), comm);
  outcome.bytes_sent = all_sum(search.bytes_sent(), comm);
  outcome.rounds = search.rounds();
  stats.depth = search.depth();
  if (symmetry) stats.symmetry = symmetry->describe();
  stats.state_bytes = search.state_bytes();
  stats.peak_rss_bytes = all_max(peak_rss_bytes(), comm);
  stats.seconds = context.elapsed() - start;

  // Traces: every rank takes part in each path's walk (collective), rank 0 keeps it. As in one
  // process, a trace of the reduced model gets the whole model's values.
  const bool reduced = !cone.dropped.empty() || any_dead(search.semantics().dead_clocks());
  auto finish_trace = [&](Trace& trace) {
    if (reduced) lift_to_whole(whole, trace);
    for (const auto& p : whole.params)
      if (p.value) trace.params.emplace_back(p.name, *p.value);
  };
  auto traced = [&](uint64_t id, const std::string& note) {
    std::vector<std::vector<uint8_t>> path = search.path_to(id);
    if (rank != 0) return std::optional<Trace>();
    Trace trace = search.trace_along(path);
    finish_trace(trace);
    trace.final_note = note;
    return std::optional<Trace>(std::move(trace));
  };

  // A property whose own formula fails: its model error, placed at the property when the fault
  // has no place of its own (as in one process).
  auto property_fault = [&](std::size_t result, ModelFault f, uint64_t at) {
    PropertyResult& res = outcome.results[result];
    if (f.loc.line == 0) f.loc = model.properties[static_cast<std::size_t>(properties[result])].loc;
    res.verdict = Verdict::ModelError;
    res.detail = fault_text(model, f) + " in property '" + res.property + "'";
    res.trace = traced(at, "'" + res.property + "' cannot be evaluated here: " + f.message);
  };

  const auto result_of = search.outcome();
  for (Search::Watch& w : watches) {
    PropertyResult& res = outcome.results[w.result];
    if (w.fault != kNoState) {
      property_fault(w.result, w.fault_detail, w.fault);
    } else if (w.found != kNoState) {
      res.verdict = w.reachable ? Verdict::Holds : Verdict::Violated;
      res.detail = w.reachable ? "reachable (a shortest witness)" : "a shortest counterexample";
      res.trace = traced(w.found, w.reachable ? "reaches " + res.property : "violates " + res.property);
    } else if (result_of == Search::Outcome::Complete) {
      res.verdict = w.reachable ? Verdict::Violated : Verdict::Holds;
      res.detail = w.reachable ? "no reachable state satisfies the condition" : "";
    }
  }
  for (std::size_t m = 0; m < maxima.size(); ++m) {
    ValueMaximum& x = maxima[m];
    PropertyResult& res = outcome.results[x.result()];
    // As in one process: a state where the formula fails makes the answer that model error.
    const uint64_t failed = search.first_of(search.failed_at(m));
    if (failed != kNoState) {
      property_fault(x.result(), shared_fault(search.failure(m), rank_of(failed), comm), failed);
      continue;
    }
    if (result_of != Search::Outcome::Complete) continue;
    // The largest value over the ranks, and the first state that has it.
    const bool any = all_max(x.best() ? 1 : 0, comm) != 0;
    const int64_t mine = x.best() ? *x.best() : INT64_MIN;
    int64_t best = INT64_MIN;
    MPI_Allreduce(&mine, &best, 1, MPI_INT64_T, MPI_MAX, comm);
    const uint64_t at = search.first_of(x.best() && mine == best ? search.best_at(m) : kNoState);
    x.merge(any ? std::optional<int64_t>(best) : std::nullopt, all_max(x.saturated() ? 1 : 0, comm) != 0);
    std::optional<Trace> trace;
    if (any) trace = traced(at, "");
    x.answer(whole, std::move(trace), res);
  }
  if (!deadlock_results.empty() && result_of == Search::Outcome::Complete) {
    bool timed_out = false;
    const uint64_t dead = search.find_deadlock(timed_out);
    std::optional<Trace> trace;
    if (dead != kNoState) {
      trace = traced(dead, "deadlock: from here no action is possible, now or after any delay");
      if (trace) trace->stuck = true;  // with_why() below says why nothing can happen there
    }
    for (std::size_t r : deadlock_results) {
      PropertyResult& res = outcome.results[r];
      if (timed_out) {
        res.detail = "stopped while searching for deadlocks (" + context.stop_reason() + ")";
        res.stopped_by_limit = true;
      } else if (dead == kNoState) {
        res.verdict = Verdict::Holds;
      } else {
        res.verdict = Verdict::Violated;
        res.detail = "a shortest trace to a deadlocked state";
        res.trace = trace;
      }
    }
  }
  if (!delays.empty()) {
    DelayGraph* graph = result_of == Search::Outcome::Complete ? search.delay_graph() : nullptr;
    if (graph) graph->finish(search.local_states());
    DelaySearchView view{search.semantics(),
                         search.layout(),
                         symmetry.get(),
                         search.exchange(),
                         context,
                         search.local_states(),
                         [&](uint32_t i) { return search.local_state(i); },
                         [&](uint64_t local) { return search.first_of(local); },
                         [&](uint64_t id) { return search.path_to(id); },
                         [&](uint64_t id) { return search.packed_of(id); }};
    answer_delays(view, graph, delays, outcome.results, finish_trace, [&](std::size_t result, const ModelFault& f, uint64_t at) {
      property_fault(result, shared_fault(f, rank_of(at), comm), at);
    });
  }
  if (result_of == Search::Outcome::Fault) {
    // A step of the model fails: every property still open shares the fault, as in one process.
    std::string message;
    if (search.fault_state() == kNoState) {
      message = fault_text(model, search.initial_fault());
    } else {
      message = fault_text(model, shared_fault(search.fault_here(), search.fault_rank(), comm));
    }
    std::optional<Trace> trace;
    if (search.fault_state() != kNoState) trace = traced(search.fault_state(), "its next step fails");
    for (PropertyResult& res : outcome.results) {
      if (res.verdict != Verdict::Unknown || !res.detail.empty()) continue;
      res.verdict = Verdict::ModelError;
      res.detail = message;
      res.trace = trace;
    }
  }
  for (PropertyResult& res : outcome.results) {
    res.stats = stats;
    if (res.verdict == Verdict::Unknown && res.detail.empty())
      res.detail = result_of == Search::Outcome::Limit ? search.limit_reason() : "search stopped";
  }
  if (rank == 0) outcome.results = with_why(whole, std::move(outcome.results));
  return outcome;
}

}  // namespace interlock

#include "solver/distributed/distributed_search.h"

#include <algorithm>
#include <cstring>
#include <memory>
#include <optional>
#include <stdexcept>

#include "model/cone.h"
#include "model/dead_clocks.h"
#include "model/layout.h"
#include "model/semantics.h"
#include "solver/explicit/native/native_code.h"
#include "solver/explicit/state_store.h"
#include "solver/trace/replay.h"

namespace interlock {
namespace {

// A state's name across ranks: its owner in the high half, its index there in the low half.
constexpr uint64_t kNoState = UINT64_MAX;
uint64_t global_id(int rank, uint32_t index) { return (static_cast<uint64_t>(rank) << 32) | index; }
int rank_of(uint64_t id) { return static_cast<int>(id >> 32); }
uint32_t index_of(uint64_t id) { return static_cast<uint32_t>(id); }

// States expanded per rank between two exchanges: bounds the batches (a few MB) however wide a
// level is.
constexpr uint64_t kStatesPerRound = 16384;

uint64_t all_max(uint64_t v, MPI_Comm comm) {
  uint64_t out = 0;
  MPI_Allreduce(&v, &out, 1, MPI_UINT64_T, MPI_MAX, comm);
  return out;
}
uint64_t all_sum(uint64_t v, MPI_Comm comm) {
  uint64_t out = 0;
  MPI_Allreduce(&v, &out, 1, MPI_UINT64_T, MPI_SUM, comm);
  return out;
}

class Search {
 public:
  Search(const Model& model, DeadClocks dead, MPI_Comm comm, RunContext& context)
      : model_(model), semantics_(model), layout_(model), comm_(comm), context_(context) {
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
  };

  // Runs the search; on return every rank knows each watch's answer and whether the search
  // covered every reachable state.
  void run(std::vector<Watch>& watches) {
    level_found_.assign(watches.size(), kNoState);
    start_native();
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
    const uint64_t hash = store_->hash(packed.data());
    if (owner(hash) == rank_) insert(packed.data(), hash, kNoState, watches, state);
    uint64_t level_begin = 0;
    if (!end_level(watches, level_begin)) return;
    for (;;) {
      const uint64_t level_end = store_->size();
      if (next_most_ == 0) {
        --depth_;  // the last level expanded found nothing new: the depth is that of the level before
        outcome_ = Outcome::Complete;
        return;
      }
      ++depth_;
      if (context_.limits().depth > 0 && depth_ >= context_.limits().depth) {
        limit_reason_ = "depth limit " + std::to_string(context_.limits().depth) + " reached";
        outcome_ = Outcome::Limit;
        return;
      }
      const uint64_t rounds = (next_most_ + kStatesPerRound - 1) / kStatesPerRound;
      for (uint64_t r = 0; r < rounds; ++r) {
        const uint64_t from = std::min(level_begin + r * kStatesPerRound, level_end);
        const uint64_t to = std::min(from + kStatesPerRound, level_end);
        expand(from, to);
        exchange(watches);
      }
      level_begin = level_end;
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
      path.emplace_back(buffer.begin(), buffer.begin() + static_cast<std::ptrdiff_t>(layout_.bytes()));
      std::memcpy(&id, buffer.data() + layout_.bytes(), sizeof(uint64_t));
    }
    std::reverse(path.begin(), path.end());
    return path;
  }

  // The steps along a path of packed states (each a successor of the last), as Explorer does.
  Trace trace_along(const std::vector<std::vector<uint8_t>>& path) {
    Trace trace;
    std::vector<int32_t> from(layout_.slots() + 1);
    std::vector<uint8_t> packed(layout_.buffer_bytes());
    auto unpacked = [&](const std::vector<uint8_t>& p) {
      std::vector<uint8_t> padded(p);
      padded.resize(layout_.buffer_bytes());
      std::vector<int32_t> s(layout_.slots() + 1);
      layout_.unpack(padded.data(), s.data());
      s.resize(layout_.slots());
      return s;
    };
    trace.states.push_back(unpacked(path[0]));
    for (std::size_t k = 1; k < path.size(); ++k) {
      from = trace.states.back();
      from.resize(layout_.slots() + 1);
      bool found = false;
      ModelFault fault;
      semantics_.successors(from.data(), [&](const Step& step, const int32_t* next) {
        if (found && (trace.steps.back().tick || !step.tick)) return;
        layout_.pack(next, packed.data());
        if (std::memcmp(packed.data(), path[k].data(), layout_.bytes()) != 0) return;
        if (found) trace.steps.back() = step;
        else trace.steps.push_back(step);
        found = true;
      }, fault);
      if (!found) throw std::logic_error("internal error: a distributed path has a pair of states with no step between them");
      trace.states.push_back(unpacked(path[k]));
    }
    return trace;
  }

  enum class Outcome { Complete, Stopped, Limit, Fault };
  Outcome outcome() const { return outcome_; }
  const std::string& limit_reason() const { return limit_reason_; }
  uint64_t fault_state() const { return fault_state_; }
  const ModelFault& initial_fault() const { return initial_fault_; }
  ModelFault fault_here() const { return fault_; }
  int fault_rank() const { return fault_rank_; }
  uint64_t local_states() const { return store_->size(); }
  uint64_t local_transitions() const { return transitions_; }
  uint64_t local_bytes() const { return store_->memory_bytes() + parents_.size() * sizeof(uint64_t); }
  uint64_t local_native_states() const { return native_states_; }
  uint64_t bytes_sent() const { return bytes_sent_; }
  int depth() const { return depth_; }
  int rounds() const { return rounds_; }
  std::size_t state_bytes() const { return layout_.bytes(); }
  Semantics& semantics() { return semantics_; }

 private:
  int owner(uint64_t hash) const { return static_cast<int>(((hash >> 32) * static_cast<uint64_t>(ranks_)) >> 32); }

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
    taken_.assign(model_.edges.size() + 1, 0);
  }

  void insert(const uint8_t* packed, uint64_t hash, uint64_t parent, std::vector<Watch>& watches, std::vector<int32_t>& unpacked) {
    auto [index, inserted] = store_->insert(packed, hash, StateStore::kNoParent);
    if (!inserted) return;
    parents_.push_back(parent);
    unpacked.resize(layout_.slots() + 1);
    layout_.unpack(store_->state(index), unpacked.data());
    const uint64_t id = global_id(rank_, index);
    for (Watch& w : watches) {
      if (w.found != kNoState || w.fault != kNoState) continue;
      ModelFault f;
      const bool value = semantics_.holds(w.cond, unpacked.data(), f);
      if (!f.message.empty()) {
        level_fault_candidate(w, id, f);
        continue;
      }
      if (value == w.reachable && id < level_found_[&w - watches.data()]) level_found_[&w - watches.data()] = id;
    }
  }

  void level_fault_candidate(Watch& w, uint64_t id, const ModelFault& f) {
    if (id < w.fault) {
      w.fault = id;
      w.fault_detail = f;
    }
  }

  void expand(uint64_t from, uint64_t to) {
    outbox_.assign(static_cast<std::size_t>(ranks_), {});
    std::vector<int32_t> current(layout_.slots() + 1);
    std::vector<uint8_t> out;
    std::vector<uint8_t> ticks;
    for (uint64_t j = from; j < to && fault_state_ == kNoState; ++j) {
      const uint8_t* parent = store_->state(static_cast<uint32_t>(j));
      const uint64_t parent_id = global_id(rank_, static_cast<uint32_t>(j));
      auto send = [&](const uint8_t* successor) {
        std::vector<uint8_t>& box = outbox_[static_cast<std::size_t>(owner(store_->hash(successor)))];
        box.insert(box.end(), successor, successor + layout_.bytes());
        const auto* id_bytes = reinterpret_cast<const uint8_t*>(&parent_id);
        box.insert(box.end(), id_bytes, id_bytes + sizeof(uint64_t));
        ++transitions_;
      };
      if (native_fn_) {
        int capacity = 64, n = 0;
        for (;;) {
          out.resize(static_cast<std::size_t>(capacity) * layout_.bytes() + StateLayout::kPadding);
          ticks.resize(static_cast<std::size_t>(capacity));
          n = native_fn_(parent, out.data(), ticks.data(), capacity, taken_.data());
          if (n != kNativeNeedsRoom) break;
          capacity *= 2;
        }
        if (n >= 0) {
          ++native_states_;
          for (int k = 0; k < n; ++k) send(out.data() + static_cast<std::size_t>(k) * layout_.bytes());
          continue;
        }
      }
      layout_.unpack(parent, current.data());
      std::vector<uint8_t> packed(layout_.buffer_bytes());
      const bool ok = semantics_.successors(current.data(), [&](const Step&, const int32_t* next) {
        const std::vector<int>& changed = semantics_.last_changed();
        layout_.repack(parent, next, changed.data(), changed.size(), packed.data());
        send(packed.data());
      }, fault_);
      if (!ok) fault_state_ = parent_id;
    }
  }

  // Sends every outbox to its owner and inserts what arrives, in rank order (so the least id
  // found at a level is the same whatever the timing).
  void exchange(std::vector<Watch>& watches) {
    ++rounds_;
    std::vector<int> send_counts(static_cast<std::size_t>(ranks_)), recv_counts(static_cast<std::size_t>(ranks_));
    for (int r = 0; r < ranks_; ++r) {
      send_counts[static_cast<std::size_t>(r)] = static_cast<int>(outbox_[static_cast<std::size_t>(r)].size());
      if (r != rank_) bytes_sent_ += outbox_[static_cast<std::size_t>(r)].size();
    }
    MPI_Alltoall(send_counts.data(), 1, MPI_INT, recv_counts.data(), 1, MPI_INT, comm_);
    std::vector<int> send_at(static_cast<std::size_t>(ranks_)), recv_at(static_cast<std::size_t>(ranks_));
    std::vector<uint8_t> sending, receiving;
    for (int r = 0, s = 0, t = 0; r < ranks_; ++r) {
      send_at[static_cast<std::size_t>(r)] = s;
      recv_at[static_cast<std::size_t>(r)] = t;
      s += send_counts[static_cast<std::size_t>(r)];
      t += recv_counts[static_cast<std::size_t>(r)];
      sending.insert(sending.end(), outbox_[static_cast<std::size_t>(r)].begin(), outbox_[static_cast<std::size_t>(r)].end());
      if (r + 1 == ranks_) receiving.resize(static_cast<std::size_t>(t) + StateLayout::kPadding);
    }
    MPI_Alltoallv(sending.data(), send_counts.data(), send_at.data(), MPI_BYTE, receiving.data(), recv_counts.data(),
                  recv_at.data(), MPI_BYTE, comm_);
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
        insert(record(first + k), hashes[k], parent, watches, unpacked);
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
    if (!open && !watches.empty()) {
      outcome_ = Outcome::Stopped;
      return false;
    }
    return true;
  }

  // The fault message travels from the rank that holds the state.
  void share_fault(Watch& w, uint64_t fault) {
    if (fault == kNoState || w.fault_shared) return;
    w.fault_shared = true;
    const int from = rank_of(fault);
    std::string message = rank_ == from ? w.fault_detail.message : std::string();
    uint64_t size = message.size();
    MPI_Bcast(&size, 1, MPI_UINT64_T, from, comm_);
    message.resize(size);
    MPI_Bcast(message.data(), static_cast<int>(size), MPI_CHAR, from, comm_);
    int where[2] = {w.fault_detail.loc.line, w.fault_detail.loc.col};
    MPI_Bcast(where, 2, MPI_INT, from, comm_);
    w.fault = fault;
    w.fault_detail.message = message;
    w.fault_detail.loc.line = where[0];
    w.fault_detail.loc.col = where[1];
  }

  const Model& model_;
  Semantics semantics_;
  StateLayout layout_;
  MPI_Comm comm_;
  RunContext& context_;
  int rank_ = 0, ranks_ = 1;
  std::unique_ptr<StateStore> store_;
  std::vector<uint64_t> parents_;  // per local state: its parent's global id
  std::size_t record_bytes_ = 0;   // a successor on the wire: packed state, then its parent's id
  std::vector<std::vector<uint8_t>> outbox_;
  std::vector<uint64_t> level_found_;
  uint64_t next_most_ = 0;  // the most states any rank has in the level to expand next
  std::unique_ptr<NativeCode> native_;
  NativeSuccessorsFn native_fn_ = nullptr;
  std::vector<uint8_t> taken_;
  uint64_t native_states_ = 0;
  uint64_t transitions_ = 0;
  uint64_t bytes_sent_ = 0;
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
  Search search(model, std::move(dead), comm, context);

  DistributedOutcome outcome;
  outcome.results.resize(properties.size());
  std::vector<Search::Watch> watches;
  for (std::size_t r = 0; r < properties.size(); ++r) {
    const Property& p = model.properties[static_cast<std::size_t>(properties[r])];
    outcome.results[r] = PropertyResult(p, "distributed explicit");
    if (p.kind == Property::Kind::Invariant || p.kind == Property::Kind::Reachable)
      watches.push_back({r, p.kind == Property::Kind::Reachable, search.semantics().compile(*p.a), kNoState, kNoState, {}, false});
    else
      outcome.results[r].detail = "not decided by the distributed search (invariants and reachable properties only): "
                                  "run `interlock check` for it";
  }
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
  stats.state_bytes = search.state_bytes();
  stats.peak_rss_bytes = all_max(peak_rss_bytes(), comm);
  stats.seconds = context.elapsed() - start;

  // Traces: every rank takes part in each path's walk (collective), rank 0 keeps it.
  auto traced = [&](uint64_t id, const std::string& note) {
    std::vector<std::vector<uint8_t>> path = search.path_to(id);
    if (rank != 0) return std::optional<Trace>();
    Trace trace = search.trace_along(path);
    if (!cone.dropped.empty() || any_dead(search.semantics().dead_clocks())) {
      // As the one-process engine: the reduced model's steps replayed on the whole model.
      Replayed full = replay_steps(whole, trace.steps);
      if (full.outcome != Replayed::Outcome::Ok)
        throw std::logic_error("internal error: a trace of the reduced model does not replay on the whole model");
      trace.states = std::move(full.trace.states);
    }
    for (const auto& p : whole.params)
      if (p.value) trace.params.emplace_back(p.name, *p.value);
    trace.final_note = note;
    return std::optional<Trace>(std::move(trace));
  };

  const auto result_of = search.outcome();
  for (Search::Watch& w : watches) {
    PropertyResult& res = outcome.results[w.result];
    if (w.fault != kNoState) {
      res.verdict = Verdict::ModelError;
      res.detail = fault_text(model, w.fault_detail) + " in property '" + res.property + "'";
      res.trace = traced(w.fault, "'" + res.property + "' cannot be evaluated here: " + w.fault_detail.message);
    } else if (w.found != kNoState) {
      res.verdict = w.reachable ? Verdict::Holds : Verdict::Violated;
      res.detail = w.reachable ? "reachable (a shortest witness)" : "a shortest counterexample";
      res.trace = traced(w.found, w.reachable ? "reaches " + res.property : "violates " + res.property);
    } else if (result_of == Search::Outcome::Complete) {
      res.verdict = w.reachable ? Verdict::Violated : Verdict::Holds;
      res.detail = w.reachable ? "no reachable state satisfies the condition" : "";
    }
  }
  if (result_of == Search::Outcome::Fault) {
    // A step of the model fails: every property still open shares the fault, as in one process.
    std::string message;
    if (search.fault_state() == kNoState) {
      message = fault_text(model, search.initial_fault());
    } else {
      const int from = search.fault_rank();
      ModelFault f = search.fault_here();
      uint64_t size = f.message.size();
      MPI_Bcast(&size, 1, MPI_UINT64_T, from, comm);
      f.message.resize(size);
      MPI_Bcast(f.message.data(), static_cast<int>(size), MPI_CHAR, from, comm);
      int where[2] = {f.loc.line, f.loc.col};
      MPI_Bcast(where, 2, MPI_INT, from, comm);
      f.loc.line = where[0];
      f.loc.col = where[1];
      message = fault_text(model, f);
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
  return outcome;
}

}  // namespace interlock

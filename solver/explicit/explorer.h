// Breadth-first exploration of the reachable states (the explicit engine's core): states are
// packed into a StateStore that is both the visited set and the queue, so the first state found
// with a property is one reached by the fewest steps, and its parent links give that trace.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/function_ref.h"
#include "model/layout.h"
#include "model/semantics.h"
#include <memory>

#include "solver/explicit/native/native_code.h"
#include "solver/explicit/partial_order.h"
#include "solver/explicit/reduction_pacing.h"
#include "solver/result.h"
#include "solver/run_context.h"
#include "solver/explicit/state_store.h"
#include "solver/explicit/symmetry.h"
#include "solver/explicit/transition_graph.h"

namespace interlock {

class Explorer {
 public:
  enum class Outcome { Complete, Stopped, Limit, Fault };

  Explorer(Semantics& semantics, RunContext& context);

  // Explores from the initial state. on_new is called once per state, in BFS order, with the
  // state unpacked; returning true stops the search.
  Outcome run(FunctionRef<bool(uint32_t, const int32_t*)> on_new);
  // The same with the state packed (layout()), for a caller that may not need to unpack it. The
  // bytes stay readable until on_new returns, with StateLayout::kPadding bytes after them.
  Outcome run_packed(FunctionRef<bool(uint32_t, const uint8_t*)> on_new);

  // Before run(): also record every transition into `graph` (its memory counts against --memory).
  void record_transitions(TransitionGraph* graph) { graph_ = graph; }
  // Before run(), for deadlock freedom without a transition graph: note the tick successor of
  // every state without an action (see quiet_tick()), so that the search for deadlocks after it
  // need not compute those successors again.
  void record_quiet_ticks() { quiet_ticks_on_ = true; }
  bool records_quiet_ticks() const { return quiet_ticks_on_; }
  // After a search that ended Complete, with record_quiet_ticks(): the tick successor of `index`,
  // a state without an action, or TransitionGraph::kNoTick when time cannot pass there.
  uint32_t quiet_tick(uint32_t index) const {
    const uint64_t word = index >> 6;
    const uint64_t below = has_action_[word] & ((uint64_t{1} << (index & 63)) - 1);
    return quiet_ticks_[index - acting_before_[word] - static_cast<uint64_t>(__builtin_popcountll(below))];
  }
  // Before run(): store one state per orbit of `symmetry` (solver/explicit/symmetry.h); traces
  // still follow real steps.
  void use_symmetry(const Symmetry* symmetry) { symmetry_ = symmetry; }
  // Before run(): explore in each state only the actions `por` keeps (solver/explicit/
  // partial_order.h), and every successor of a state whose kept actions lead back into the
  // levels already searched. Not with record_transitions.
  void use_partial_order(PartialOrder* por) { por_ = por; }
  // A packed state as the store holds it: its orbit's representative under use_symmetry.
  void canonicalise(uint8_t* packed) const {
    if (symmetry_) symmetry_->canonicalise(packed);
  }

  const StateStore& store() const { return store_; }
  const StateLayout& layout() const { return layout_; }
  Semantics& semantics() { return semantics_; }
  Stats stats() const;
  uint64_t reduced_states() const { return reduced_states_; }  // expanded with only some of their actions
  const std::string& limit_reason() const { return limit_reason_; }
  const ModelFault& fault() const { return fault_; }
  uint32_t fault_state() const { return fault_state_; }  // kNoParent when the initial state failed
  bool has_action(uint32_t index) const { return (has_action_[index >> 6] >> (index & 63)) & 1; }
  bool fully_expanded(uint32_t index) const { return index < expanded_; }
  // One byte per edge of the model: 1 when some expanded state has an action (a successor that
  // was generated, new or not) with that edge in it, by the interpreter or by native code. After a
  // search that ended Complete, exactly the edges taken somewhere in the reachable state space.
  const std::vector<uint8_t>& edges_taken() const { return edges_taken_; }

  // The shortest trace from the initial state to `index`.
  Trace trace_to(uint32_t index);
  // The trace along `path`, a list of states from the initial state, each a successor of the last.
  Trace trace_along(const std::vector<uint32_t>& path);
  // The same for a lasso: `path` ends where its state `loop_at` is, and the cycle from there
  // repeats forever. Under symmetry the stored states are representatives, so one round of the
  // cycle may end in a permutation of the real state it began in: the round is then repeated
  // until the real run comes back to a real state it was in at the start of a round (it must,
  // the orbit being finite), and the trace's loop_start is that round's start.
  Trace trace_lasso(const std::vector<uint32_t>& path, std::size_t loop_at);
  // The shortest path of states from the initial state to `index`.
  std::vector<uint32_t> path_to(uint32_t index) const;
  std::vector<int32_t> unpacked(uint32_t index) const;

 private:
  friend class ParallelLevel;  // the search on several threads (parallel_level.h)
  int threads_ = 1;  // 1 until a level is searched on more
  Semantics& semantics_;
  RunContext& context_;
  StateLayout layout_;
  StateStore store_;
  TransitionGraph* graph_ = nullptr;
  const Symmetry* symmetry_ = nullptr;
  PartialOrder* por_ = nullptr;
  uint64_t reduced_states_ = 0;  // expanded with the actions partial-order reduction kept
  ReductionPacing pacing_;       // where partial-order reduction looks
  uint64_t paused_states_ = 0;   // expanded fully without a look (pacing_)
  std::vector<uint64_t> has_action_;
  // record_quiet_ticks(): one entry per expanded state without an action, in index order (its
  // tick successor or kNoTick); after the search, per word of has_action_, the states with an
  // action before it.
  bool quiet_ticks_on_ = false;
  std::vector<uint32_t> quiet_ticks_;
  std::vector<uint32_t> acting_before_;
  // Appends the quiet states among [from, to) of the batch just inserted (successors `count`).
  void note_quiet_ticks(uint64_t from, uint64_t to, std::size_t count);
  std::vector<uint8_t> edges_taken_;  // per edge (and one spare, so that the data is never null)
  uint64_t transitions_ = 0;
  int depth_ = 0;
  uint64_t expanded_ = 0;
  double seconds_ = 0;
  std::string limit_reason_;
  ModelFault fault_;
  uint32_t fault_state_ = StateStore::kNoParent;
  // Native code: started when the mode asks for it, used from the first batch after it is ready.
  void start_native();
  // Auto mode, before the search: a library already in the cache is used from the first state.
  void use_cached_native();
  void poll_native();
  // Expands state j with native code into the batch from `count` on: false if the state must go
  // to the interpreter. `acted`: some successor is an action.
  bool expand_native(uint64_t j, std::size_t& count, uint64_t& repeated, bool& acted);
  // Partial-order reduction: expands state j with native code into the batch from `count` on,
  // every successor kept and each action's edges noted (step_edges_); false if the state must go
  // to the interpreter.
  bool expand_native_with_actions(uint64_t j, std::size_t& count, bool& tick, bool& acted);
  void reserve_batch(std::size_t states);
  // The interpreter's successor `next` of the state packed at `parent_packed`, packed into the
  // batch at `count` as the store keeps states (canonical under symmetry); then kept there (its
  // hash, parent and kind noted, its table slot prefetched).
  const uint8_t* pack_into_batch(const uint8_t* parent_packed, const int32_t* next, std::size_t count);
  void keep_in_batch(std::size_t& count, uint64_t parent, bool tick);
  // Partial-order reduction: expands state j into the batch from `count` on, keeping only the
  // actions por_ keeps, unless one of them leads into a level already searched (a state below
  // `level_end`, the cycle proviso): then every successor. False at a fault, as successors().
  bool expand_reduced(uint64_t j, std::vector<int32_t>& current, std::size_t& count, bool& acted, uint64_t level_end);
  std::vector<uint32_t> batch_index_;  // with record_quiet_ticks(): where each successor went
  std::vector<int> step_edges_;        // the actions of the state being expanded, edge by edge
  std::vector<std::size_t> step_begin_;
  std::vector<PartialOrder::Action> actions_;
  std::vector<uint8_t> keep_;
  std::unique_ptr<NativeCode> native_;
  NativeSuccessorsFn native_fn_ = nullptr;
  uint64_t native_states_ = 0;  // expanded by native code rather than the interpreter
  std::string native_note_;     // why native code was wanted and not used
  std::vector<uint8_t> native_ticks_;
  std::vector<int32_t> native_actions_;  // under partial-order reduction: each successor's edges

  // The successors of one batch of expanded states: packed, hashed, with their parents.
  static constexpr uint64_t kBatchStates = 64;
  std::vector<uint8_t> batch_packed_;
  std::vector<uint64_t> batch_hash_;
  std::vector<uint32_t> batch_parent_;
  std::vector<uint8_t> batch_tick_;
};

}  // namespace interlock

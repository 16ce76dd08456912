// Partial-order reduction for the explicit search (--por, docs/engines.md "Partial-order
// reduction" gives the soundness argument): in a state where some machines can act without
// anything the others do in the meantime mattering to them, only their actions are explored, and
// the other orders of the same independent actions are not.
//
// The set is a stubborn set built machine by machine. It starts from one machine with an enabled
// action and adds every machine that could interfere with what its members may do now: one that
// shares a channel with a live edge of a member, or has an edge that is dependent on one (model/
// independence.h: it reads or writes what the other writes, or an invariant reads both's writes;
// a broadcast counts as one action with every edge that could receive it).
// Machines that are frozen are not added: every edge out of their current location is disabled by
// a guard that nothing outside the set can make true (nor, while time cannot pass, the clocks),
// or waits on a channel whose partners are frozen that way. Time is one more transition: when a
// tick is possible, every live edge of the set must commute with it (read and reset no clock,
// touch nothing urgency, `asap` or a clock invariant depends on); when it is not, one member must
// keep it impossible until the set acts (an urgent location, or an invariant at its bound that
// only the member's own actions change), so the clocks stand still meanwhile.
//
// The actions kept must be invisible to the properties checked (they cannot change what a
// property reads, a machine's location counting only where a test `M.L` could change), and a
// state whose kept actions lead back into the levels already searched is expanded fully (the
// breadth-first cycle proviso, applied by the explorer).
//
// The answers are remembered by what the analysis reads of a state (analysis_memo.h): most
// states are answered by a lookup.
#pragma once

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "model/independence.h"
#include "model/model.h"
#include "model/semantics.h"
#include "solver/explicit/analysis_memo.h"

namespace interlock {

class PartialOrder {
 public:
  // For a search of `model` (its properties `properties`, lowered as the semantics runs it, dead
  // clocks held as `semantics` holds them). Null when no state could ever be reduced (one machine).
  static std::unique_ptr<PartialOrder> build(const Semantics& semantics, const std::vector<int>& properties);
  // The same analysis for another thread, evaluating by `semantics` (a copy of the one it was
  // built for), with counts and remembered answers of its own (none yet).
  std::unique_ptr<PartialOrder> copy_for(const Semantics& semantics) const;

  // One enabled action of a state: its edges (Step::edges).
  struct Action {
    std::span<const int> edges;
  };
  // Picks the actions to explore in `state`: true with keep[k] set for the kept actions (a proper
  // subset of the successors: the tick is never kept), false when every successor must be
  // explored. `tick` says whether time may pass in `state`.
  bool choose(const int32_t* state, std::span<const Action> actions, bool tick, std::vector<uint8_t>& keep);
  // Of the calls of choose(): those that analysed the state (with two actions, or an action and
  // the tick, at least), and those that returned true.
  uint64_t analysed() const { return analysed_; }
  uint64_t chosen() const { return chosen_; }
  // Of the analyses, those answered by an earlier one of the same key (analysis_memo.h).
  uint64_t remembered() const { return memo_.hits(); }
  // The next analyses start with nothing remembered.
  void forget_answers() { memo_.forget(); }

 private:
  explicit PartialOrder(const Semantics& semantics);
  void prepare(const std::vector<int>& properties);

  struct EdgeFacts {
    int machine = 0;
    int channel = -1;
    SyncKind sync = SyncKind::None;
    bool broadcast = false;
    Compiled guard;             // when the guard reads no choose value: whether it holds
    bool guard_known = false;   // the guard above decides the edge alone (no choose value in it)
    std::vector<uint64_t> guard_writers;  // machines with an edge that writes what the guard reads
    bool guard_reads_clock = false;
    bool commutes_with_tick = false;
    bool visible = false;
    std::vector<uint64_t> interferes;  // machines with an edge that could interfere with it
    std::vector<uint64_t> partners;    // machines with an edge on its channel, the other way
  };
  struct LocationFacts {
    bool urgent = false;
    Compiled clock_invariant;  // when the invariant reads a clock and nothing else others write
    bool can_block_time = false;
    // Some edge from here stays possible while time passes and does not commute with a tick: the
    // machine cannot be in a set chosen where time may pass.
    bool needs_frozen_time = false;
  };

  // What the analysis of `state` reads of it, into key_ (analysis_memo.h).
  void make_key(const int32_t* state, std::span<const Action> actions, bool tick);
  bool analyse(const int32_t* state, std::span<const Action> actions, bool tick, std::vector<uint8_t>& keep);

  // Whether the edge's guard is false in the state being looked at (one whose guard is not known,
  // or faults, is not): make_key() evaluates those at the machines' locations.
  bool guard_false(int edge, const int32_t* state);
  bool guard_blocked(int edge, const int32_t* state, const std::vector<uint64_t>& stays, bool time_frozen);
  bool edge_blocked(int edge, const int32_t* state, const std::vector<uint64_t>& stays, bool time_frozen);
  void find_frozen(const int32_t* state, const std::vector<uint64_t>& in_set, bool time_frozen,
                   std::vector<uint64_t>& frozen);
  std::span<const int> edges_at(int machine, const int32_t* state) const;
  const LocationFacts& location_of(int machine, const int32_t* state) const {
    const int location = state[model_.instances[static_cast<std::size_t>(machine)].location_slot];
    return locations_[static_cast<std::size_t>(location_base_[static_cast<std::size_t>(machine)] + location)];
  }
  bool blocks_time(int machine, const int32_t* state);
  // Whether at least n of the actions have an edge of a machine in the set.
  bool keeps_at_least(std::span<const Action> actions, const std::vector<uint64_t>& in_set, std::size_t n) const;

  const Semantics* semantics_;  // evaluates guards (with its own scratch: one per thread)
  const Model& model_;
  std::size_t words_ = 1;  // of a machine bit set
  std::vector<EdgeFacts> edges_;
  std::vector<std::vector<int>> edges_from_;       // by location key
  std::vector<std::vector<int>> guarded_from_;     // the same, only those with a guard known alone
  std::vector<int> location_base_;                 // per machine: key of its location 0
  std::vector<LocationFacts> locations_;           // by location key
  std::vector<std::vector<uint64_t>> writers_;     // by slot: machines with an edge writing it
  std::vector<int> clock_slots_;
  std::vector<int32_t> clock_hi_;

  // Scratch, per state.
  std::vector<uint32_t> guard_stamp_;  // by edge: the state (stamp_) whose guard value it holds
  std::vector<uint8_t> guard_is_false_;
  uint32_t stamp_ = 0;
  std::vector<uint64_t> candidates_, in_set_, frozen_, stays_, wanted_, frozen_stays_;
  std::vector<uint64_t> base_;  // frozen for the empty set, in the state being looked at
  std::vector<uint8_t> pick_;
  std::vector<int32_t> ticked_;  // the state one tick later, clocks only (for blocks_time)
  bool ticked_ready_ = false;
  std::vector<int32_t> key_;
  AnalysisMemo memo_;
  uint64_t analysed_ = 0, chosen_ = 0;
};

}  // namespace interlock

// The distributed search's transitions, for responses and maxima of a delay
// (solver/explicit/delay_properties.h asks the questions): each rank keeps the edges into the
// states it owns, reversed (every predecessor's name across ranks, the tick marked), and answers
// the delay analysis's questions about the region where the target does not hold without ever
// bringing the graph to one place. Three fixpoints, each computed in rounds of messages along
// the reversed edges:
//
// 1. Every run leaves the region (a least fixpoint, peeled from the outside in, as Kahn's
//    algorithm: a state is done when all of its successors are): the longest wait of such a state
//    is the most ticks on a path out, taken from its successors as they finish.
// 2. Of the rest, the states where time can pass forever inside the region (Emerson and Lei's
//    fixpoint: Z is narrowed to the states that can reach, inside Z, a state whose tick stays in
//    Z, until it no longer shrinks): the unbounded waits.
// 3. The others can reach a timelock or a cycle of actions without a tick (a run that stops time),
//    and their longest wait is finite: a longest-path relaxation, which ends because no cycle
//    among them has a tick.
//
// Each state keeps the successor its answer came from, so a trace is a walk from its start
// (walk()), one message per step: to the exit along a longest wait, around a cycle with a tick,
// or to where time stops. The same answers as solver/explicit/delay_analysis.h's strongly
// connected components, by another way (docs/engines.md says why they agree).
#pragma once

#include <cstdint>
#include <unordered_map>
#include <vector>

#include "solver/distributed/exchange.h"
#include "solver/run_context.h"

namespace interlock {

class DelayGraph {
 public:
  static constexpr uint64_t kTickBit = uint64_t{1} << 63;  // on a name: the edge is the tick
  static constexpr uint64_t kExitBit = uint64_t{1} << 62;  // on a longest_next: it is outside the region
  static constexpr uint64_t kFlags = kTickBit | kExitBit;
  static constexpr uint64_t kNone = UINT64_MAX;

  explicit DelayGraph(Exchange& exchange) : exchange_(exchange) {}

  // During the search: the local state `target` has the predecessor `source` (its global name,
  // with kTickBit when the edge is that state's tick).
  void add(uint32_t target, uint64_t source) {
    edge_target_.push_back(target);
    edge_source_.push_back(source);
  }
  // Collective, after the search: the edges grouped by target, and each state's successors counted.
  void finish(uint64_t states);
  uint64_t memory_bytes() const;

  enum Kind : uint8_t {
    kOutside,  // the target holds
    kLeaves,   // every run leaves the region: a finite wait, and time cannot stop on the way
    kForever,  // time can pass forever without the target: an unbounded wait
    kStops,    // a finite wait, but a run can stop time first (a timelock or a cycle of actions)
  };
  struct Analysis {
    std::vector<uint8_t> kind;              // per local state
    std::vector<int64_t> wait;              // kLeaves, kStops: the most ticks until the target
    std::vector<uint64_t> longest_next;     // kLeaves, kStops: the successor a longest wait takes
                                            // (kExitBit: out of the region), or kNone
    std::vector<uint64_t> forever_next;     // kForever: the successor on the way to (or around) a cycle with a tick
    std::vector<uint64_t> stop_next;        // kStops: a successor that is kStops too, kNone for a timelock
    bool timed_out = false;                 // the time ran out: nothing else is meaningful
  };
  // Collective. in_region[i]: the target does not hold in local state i.
  Analysis analyse(const std::vector<uint8_t>& in_region, RunContext& context);

  // Collective: the names (without flags) from `start` on, each the `next_of(index)` of the one
  // before (as its owner holds it), until a state's next is kNone (`ended`), a state comes back
  // (loop_start: where it was first), or `stop(next with its flags, ticks so far)` says to end
  // with that next. Every rank gets the same walk.
  struct Walk {
    std::vector<uint64_t> states;
    int loop_start = -1;
    bool ended = false;  // the last state has no next
  };
  template <typename NextFn, typename StopFn>
  Walk walk(uint64_t start, NextFn next_of, StopFn stop);

 private:
  // Sends, from each state in `from`, a message to every predecessor (with `ticks_only`, to those
  // whose tick it is): (its index at its owner, `value(state)`, the state's name with the edge's
  // kTickBit and `flags(state, flags_data)`); `take(index, value, name)` sees each message this
  // rank gets. In pieces: a state's value is read when its piece goes, after the messages of the
  // pieces before it were taken.
  template <typename ValueFn, typename TakeFn>
  void to_predecessors(const std::vector<uint32_t>& from, ValueFn value, TakeFn take, bool ticks_only = false,
                       uint64_t (*flags)(uint32_t, const void*) = nullptr, const void* flags_data = nullptr);
  bool out_of_time(RunContext& context) const;

  Exchange& exchange_;
  std::vector<uint32_t> edge_target_;   // during the search
  std::vector<uint64_t> edge_source_;
  std::vector<uint64_t> first_;         // then: per local state, where its predecessors begin
  std::vector<uint64_t> predecessors_;  // names, kTickBit on ticks
  std::vector<uint32_t> successors_;    // per local state: how many edges leave it
};

template <typename NextFn, typename StopFn>
DelayGraph::Walk DelayGraph::walk(uint64_t start, NextFn next_of, StopFn stop) {
  Walk w;
  std::unordered_map<uint64_t, int> at;  // the states so far, and where
  uint64_t ticks = 0;
  for (uint64_t state = start;;) {
    const auto [found, fresh] = at.emplace(state, static_cast<int>(w.states.size()));
    w.states.push_back(state);
    if (!fresh) {
      w.loop_start = found->second;
      return w;
    }
    const int owner = static_cast<int>(state >> 32);
    uint64_t next = owner == exchange_.rank() ? next_of(static_cast<uint32_t>(state)) : 0;
    MPI_Bcast(&next, 1, MPI_UINT64_T, owner, exchange_.comm());
    if (next == kNone) {
      w.ended = true;
      return w;
    }
    ticks += (next & kTickBit) ? 1 : 0;
    if (stop(next, ticks)) {
      w.states.push_back(next & ~kFlags);
      return w;
    }
    state = next & ~kFlags;
  }
}

}  // namespace interlock

// How long can a run take from a state where p holds until q holds? Answered on the recorded
// state graph with Boost.Graph's strongly connected components, restricted to the states where
// q does not hold (the region). Time is the number of ticks; a run that lets time pass forever
// inside the region never reaches q (an unbounded delay: a lasso whose cycle contains a tick).
//
// A run that stops time (a timelock: no action and no tick) or acts forever in zero time (a
// cycle without a tick) is not a real run, but a model that has such runs in the region cannot
// be said to satisfy a liveness property: those are reported as "time stops", with their trace.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <vector>

#include "solver/explicit/transition_graph.h"

namespace interlock {

// The states reachable from `starts` through states where `allowed` holds (starts included when
// allowed): the part of a region that a question about those starts can ever visit.
std::vector<bool> reachable_within(const TransitionGraph& graph, const std::vector<uint32_t>& starts,
                                   const std::vector<bool>& allowed);

class DelayAnalysis {
 public:
  static constexpr int64_t kUnbounded = std::numeric_limits<int64_t>::max();

  // in_region[s]: q does not hold in state s.
  DelayAnalysis(const TransitionGraph& graph, std::vector<bool> in_region);
  ~DelayAnalysis();

  // The most ticks a run from `state` (in the region) can take before reaching q, or kUnbounded.
  int64_t worst(uint32_t state) const;
  // Whether a run from `state` can reach a timelock or a zero-time cycle inside the region.
  bool time_can_stop(uint32_t state) const;

  // Runs, as lists of states starting at `state`; loop_start is the index where a cycle that
  // repeats forever begins (the last state equals the state at loop_start), -1 for no cycle.
  struct Run {
    std::vector<uint32_t> states;
    int loop_start = -1;
    bool timelock = false;  // the run ends in a state with no step at all
  };
  // For worst(state) == kUnbounded: a lasso that lets time pass forever inside the region.
  Run forever(uint32_t state) const;
  // For a finite worst(state): a run that takes that long, ending in the first state where q
  // holds; or, when more than max_ticks ticks pass before that, ending after tick max_ticks + 1.
  Run longest(uint32_t state, int64_t max_ticks) const;
  // For time_can_stop(state): a run into a timelock, or a lasso around a zero-time cycle.
  Run to_time_stop(uint32_t state) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace interlock

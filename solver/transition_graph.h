// The reachable state graph as the explorer found it, kept for analyses that need more than one
// pass over the states (liveness, delays): the successors of every state, in source order, and
// which successor is the tick. Time is deterministic, so a state has at most one tick successor.
#pragma once

#include <cstdint>
#include <vector>

namespace interlock {

struct TransitionGraph {
  static constexpr uint32_t kNoTick = UINT32_MAX;

  // Edge k leads from sources[k] to targets[k], sorted by source. Boost's compressed graph takes
  // the targets over without copying them (SuccessorIndex).
  std::vector<uint32_t> sources, targets;
  std::vector<uint32_t> tick;  // per state: its tick successor, or kNoTick

  bool is_tick(uint32_t from, uint32_t to) const { return tick[from] == to; }
  uint64_t memory_bytes() const {
    return (sources.capacity() + targets.capacity() + tick.capacity()) * sizeof(uint32_t);
  }
};

}  // namespace interlock

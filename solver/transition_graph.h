// The reachable state graph as the explorer found it, kept for analyses that need more than one
// pass over the states (liveness, delays): the successors of every state, in source order, and
// which successor is the tick. Time is deterministic, so a state has at most one tick successor.
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace interlock {

struct TransitionGraph {
  static constexpr uint32_t kNoTick = UINT32_MAX;

  std::vector<std::pair<uint32_t, uint32_t>> edges;  // (source, target), sorted by source
  std::vector<uint32_t> tick;                         // per state: its tick successor, or kNoTick

  bool is_tick(uint32_t from, uint32_t to) const { return tick[from] == to; }
  uint64_t memory_bytes() const {
    return edges.capacity() * sizeof(edges[0]) + tick.capacity() * sizeof(uint32_t);
  }
};

}  // namespace interlock

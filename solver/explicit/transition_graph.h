// The reachable state graph as the explorer found it, kept for analyses that need more than one
// pass over the states (liveness, delays): the successors of every state, in the order found,
// and which successor is the tick. Time is deterministic, so a state has at most one tick
// successor.
//
// Breadth-first search expands states in index order, so the edges are recorded already grouped
// by source: a compressed sparse row form (where each state's edges begin, and the targets) with
// no source stored per edge and no sorting afterwards.
#pragma once

#include <cstdint>
#include <span>

#include "solver/explicit/mapped_array.h"

namespace interlock {

struct TransitionGraph {
  static constexpr uint32_t kNoTick = UINT32_MAX;

  MappedArray<uint64_t> first;    // per expanded state, then one more: where its edges begin
  MappedArray<uint32_t> targets;  // the edges' target states, grouped by source
  MappedArray<uint32_t> tick;     // per state: its tick successor, or kNoTick

  uint32_t states() const { return static_cast<uint32_t>(tick.size()); }
  // The successors of a state; empty for a state that was never expanded.
  std::span<const uint32_t> successors(uint32_t state) const {
    if (state + std::size_t{1} >= first.size()) return {};
    return {targets.data() + first[state], targets.data() + first[state + 1]};
  }
  bool is_tick(uint32_t from, uint32_t to) const { return tick[from] == to; }
  uint64_t memory_bytes() const { return first.memory_bytes() + targets.memory_bytes() + tick.memory_bytes(); }
};

}  // namespace interlock

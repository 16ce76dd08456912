// How the distributed search (solver/distributed/) names states across ranks, and which rank owns
// a state: shared by the search and the expansion of its rounds.
#pragma once

#include <cstdint>

namespace interlock {

// A state's name across ranks: its owner in the high half, its index there in the low half.
inline constexpr uint64_t kNoState = UINT64_MAX;
inline uint64_t global_id(int rank, uint32_t index) { return (static_cast<uint64_t>(rank) << 32) | index; }
inline int rank_of(uint64_t id) { return static_cast<int>(id >> 32); }
inline uint32_t index_of(uint64_t id) { return static_cast<uint32_t>(id); }

// The rank that owns a state of this hash (the visited set's own hash), out of `ranks`.
inline int owner_of(uint64_t hash, int ranks) { return static_cast<int>(((hash >> 32) * static_cast<uint64_t>(ranks)) >> 32); }

}  // namespace interlock

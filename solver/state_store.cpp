#include "solver/state_store.h"

#include <cstring>

namespace interlock {

StateStore::StateStore(std::size_t state_bytes)
    : state_bytes_(state_bytes), record_bytes_(state_bytes + sizeof(uint32_t)) {
  table_.assign(1024, 0);
  mask_ = table_.size() - 1;
}

uint64_t StateStore::hash(const uint8_t* p) const {
  // 8 bytes at a time, each word multiplied into the accumulator and folded (a multiply-xorshift
  // mix in the spirit of wyhash); the tail is read byte-wise.
  uint64_t h = 0x9E3779B97F4A7C15ull ^ state_bytes_;
  std::size_t n = state_bytes_;
  while (n >= 8) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
    h ^= h >> 31;
    p += 8;
    n -= 8;
  }
  uint64_t tail = 0;
  for (std::size_t i = 0; i < n; ++i) tail |= static_cast<uint64_t>(p[i]) << (8 * i);
  h = (h ^ tail) * 0x94D049BB133111EBull;
  h ^= h >> 29;
  h *= 0xBF58476D1CE4E5B9ull;
  h ^= h >> 32;
  return h;
}

uint32_t StateStore::parent(uint32_t index) const {
  uint32_t p;
  std::memcpy(&p, record(index), sizeof p);
  return p;
}

uint8_t* StateStore::append(uint32_t parent, const uint8_t* packed) {
  uint32_t index = static_cast<uint32_t>(count_);
  if ((index >> kChunkShift) >= chunks_.size())
    chunks_.emplace_back(new uint8_t[static_cast<std::size_t>(kChunkMask + 1) * record_bytes_]);
  uint8_t* r = chunks_[index >> kChunkShift].get() + static_cast<std::size_t>(index & kChunkMask) * record_bytes_;
  std::memcpy(r, &parent, sizeof parent);
  std::memcpy(r + sizeof parent, packed, state_bytes_);
  ++count_;
  return r;
}

void StateStore::grow() {
  std::vector<uint32_t> bigger(table_.size() * 2, 0);
  uint64_t mask = bigger.size() - 1;
  for (uint64_t i = 0; i < count_; ++i) {
    uint64_t h = hash(state(static_cast<uint32_t>(i))) & mask;
    while (bigger[h]) h = (h + 1) & mask;
    bigger[h] = static_cast<uint32_t>(i + 1);
  }
  table_.swap(bigger);
  mask_ = mask;
}

std::pair<uint32_t, bool> StateStore::insert(const uint8_t* packed, uint32_t parent) {
  uint64_t h = hash(packed) & mask_;
  while (uint32_t slot = table_[h]) {
    if (std::memcmp(state(slot - 1), packed, state_bytes_) == 0) return {slot - 1, false};
    h = (h + 1) & mask_;
  }
  uint32_t index = static_cast<uint32_t>(count_);
  append(parent, packed);
  table_[h] = index + 1;
  if (count_ * 4 > table_.size() * 3) grow();
  return {index, true};
}

uint32_t StateStore::find(const uint8_t* packed) const {
  uint64_t h = hash(packed) & mask_;
  while (uint32_t slot = table_[h]) {
    if (std::memcmp(state(slot - 1), packed, state_bytes_) == 0) return slot - 1;
    h = (h + 1) & mask_;
  }
  return kNotFound;
}

uint64_t StateStore::memory_bytes() const {
  return static_cast<uint64_t>(chunks_.size()) * (kChunkMask + 1) * record_bytes_ + table_.size() * sizeof(uint32_t);
}

}  // namespace interlock

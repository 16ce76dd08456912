#include "solver/explicit/state_store.h"

#include <cstring>

namespace interlock {

StateStore::StateStore(std::size_t state_bytes)
    : state_bytes_(state_bytes), record_bytes_(state_bytes + sizeof(uint32_t)) {
  set_capacity(1024);
}

void StateStore::set_capacity(std::size_t slots) {
  table_ = MappedBuffer(slots * sizeof(uint32_t));
  mask_ = slots - 1;
  index_bits_ = 0;
  while ((std::size_t{1} << index_bits_) < slots) ++index_bits_;
  // index + 1 <= 3/4 of the slots < 2^index_bits_, so the index fits below the tag.
  tag_bits_ = index_bits_ >= 32 ? 0 : 32 - index_bits_;
  index_mask_ = index_bits_ >= 32 ? UINT32_MAX : (uint32_t{1} << index_bits_) - 1;
}

uint64_t StateStore::hash(const uint8_t* p) const {
  // 8 bytes at a time, each word multiplied into the accumulator and folded (a multiply-xorshift
  // mix in the spirit of wyhash); the tail is read as a whole word and masked.
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
  const uint64_t tail = n ? word(p) & tail_mask(n) : 0;
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
    chunks_.emplace_back(static_cast<std::size_t>(kChunkMask + 1) * record_bytes_ + kTailPadding);
  uint8_t* r = chunks_[index >> kChunkShift].data() + static_cast<std::size_t>(index & kChunkMask) * record_bytes_;
  std::memcpy(r, &parent, sizeof parent);
  std::memcpy(r + sizeof parent, packed, state_bytes_);
  ++count_;
  return r;
}

void StateStore::grow() {
  set_capacity(table_slots() * 2);
  uint32_t* t = table();
  // Hashes run kAhead states ahead of the writes, whose buckets are prefetched meanwhile.
  constexpr uint64_t kAhead = 16;
  uint64_t ahead[kAhead];
  for (uint64_t i = 0; i < count_ && i < kAhead; ++i) {
    ahead[i] = hash(state(static_cast<uint32_t>(i)));
    __builtin_prefetch(t + (ahead[i] & mask_));
  }
  for (uint64_t i = 0; i < count_; ++i) {
    uint64_t h = ahead[i % kAhead];
    if (i + kAhead < count_) {
      uint64_t next = hash(state(static_cast<uint32_t>(i + kAhead)));
      ahead[i % kAhead] = next;
      __builtin_prefetch(t + (next & mask_));
    }
    uint64_t at = h & mask_;
    while (t[at]) at = (at + 1) & mask_;
    t[at] = static_cast<uint32_t>(i + 1) | tag_of(h);
  }
}

void StateStore::prefetch_record(uint64_t h) const {
  uint32_t slot = table()[h & mask_];
  if (slot && (slot & ~index_mask_) == tag_of(h)) __builtin_prefetch(record((slot & index_mask_) - 1));
}

std::pair<uint32_t, bool> StateStore::insert(const uint8_t* packed, uint64_t h, uint32_t parent) {
  const uint32_t tag = tag_of(h);
  const uint32_t tag_mask = ~index_mask_;
  uint32_t* t = table();
  uint64_t at = h & mask_;
  while (uint32_t slot = t[at]) {
    if ((slot & tag_mask) == tag) {
      uint32_t index = (slot & index_mask_) - 1;
      if (equal(state(index), packed)) return {index, false};
    }
    at = (at + 1) & mask_;
  }
  uint32_t index = static_cast<uint32_t>(count_);
  append(parent, packed);
  t[at] = (index + 1) | tag;
  if (count_ * 4 > table_slots() * 3) grow();
  return {index, true};
}

uint32_t StateStore::find(const uint8_t* packed) const {
  const uint64_t h = hash(packed);
  const uint32_t tag = tag_of(h);
  const uint32_t tag_mask = ~index_mask_;
  const uint32_t* t = table();
  uint64_t at = h & mask_;
  while (uint32_t slot = t[at]) {
    if ((slot & tag_mask) == tag) {
      uint32_t index = (slot & index_mask_) - 1;
      if (equal(state(index), packed)) return index;
    }
    at = (at + 1) & mask_;
  }
  return kNotFound;
}

uint64_t StateStore::memory_bytes() const {
  // Chunks are mapped lazily: only the records written so far occupy memory.
  constexpr uint64_t kPage = 4096;
  uint64_t records = (count_ * record_bytes_ + kPage - 1) / kPage * kPage;
  return records + table_.size();
}

}  // namespace interlock

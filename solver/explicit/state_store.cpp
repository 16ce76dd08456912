#include "solver/explicit/state_store.h"

#include <algorithm>
#include <atomic>
#include <cstring>

namespace interlock {

namespace {
constexpr std::size_t kFirstSlots = 1024;
}  // namespace

StateStore::StateStore(std::size_t state_bytes, std::unique_ptr<ParentLinks> parents)
    : state_bytes_(state_bytes), parents_(std::move(parents)) {
  set_capacity(kFirstSlots);
  table_.populate();  // probes read a slot before they write it
}

MappedBuffer StateStore::resize_table(std::size_t slots) {
  MappedBuffer old = std::move(table_);
  set_capacity(slots);
  return old;
}

void StateStore::set_capacity(std::size_t slots) {
  table_ = MappedBuffer(slots * sizeof(uint32_t));
  slots_ = slots;
  index_bits_ = 0;
  while ((std::size_t{1} << index_bits_) < slots) ++index_bits_;
  // index + 1 < the slots <= 2^index_bits_ (the table is never full), so the index fits below
  // the tag.
  index_mask_ = index_bits_ >= 32 ? UINT32_MAX : (uint32_t{1} << index_bits_) - 1;
}

void StateStore::add_chunk() { chunks_.emplace_back(static_cast<std::size_t>(kChunkMask + 1) * state_bytes_ + kTailPadding); }

void StateStore::append(uint32_t parent, const uint8_t* packed) {
  const uint32_t index = static_cast<uint32_t>(count_);
  if ((index >> kChunkShift) >= chunks_.size()) add_chunk();
  copy_state(record(index), packed, state_bytes_);
  if (parents_) parents_->push_back(parent);
  ++count_;
}

void StateStore::grow() {
  set_capacity(grown(slots_));
  table_.populate();
  rehash_all();
}

void StateStore::rehash_all() {
  uint32_t* t = table();
  // Hashes run kAhead states ahead of the writes, whose buckets are prefetched meanwhile.
  constexpr uint64_t kAhead = 16;
  uint64_t ahead[kAhead];
  for (uint64_t i = 0; i < count_ && i < kAhead; ++i) {
    ahead[i] = hash(state(static_cast<uint32_t>(i)));
    __builtin_prefetch(t + home(ahead[i]));
  }
  for (uint64_t i = 0; i < count_; ++i) {
    uint64_t h = ahead[i % kAhead];
    if (i + kAhead < count_) {
      uint64_t next = hash(state(static_cast<uint32_t>(i + kAhead)));
      ahead[i % kAhead] = next;
      __builtin_prefetch(t + home(next));
    }
    uint64_t at = home(h);
    while (t[at]) at = next(at);
    t[at] = static_cast<uint32_t>(i + 1) | tag_of(h);
  }
}

std::pair<uint32_t, bool> StateStore::insert(const uint8_t* packed, uint64_t h, uint32_t parent) {
  const uint32_t tag = tag_of(h);
  const uint32_t tag_mask = ~index_mask_;
  uint32_t* t = table();
  uint64_t at = home(h);
  while (uint32_t slot = t[at]) {
    if ((slot & tag_mask) == tag) {
      uint32_t index = (slot & index_mask_) - 1;
      if (equal(state(index), packed)) return {index, false};
    }
    at = next(at);
  }
  uint32_t index = static_cast<uint32_t>(count_);
  append(parent, packed);
  t[at] = (index + 1) | tag;
  if (count_ * 4 > table_slots() * 3) grow();
  return {index, true};
}

uint32_t StateStore::find(const uint8_t* packed) const { return find(packed, hash(packed)); }

uint32_t StateStore::find(const uint8_t* packed, uint64_t h) const {
  const uint32_t tag = tag_of(h);
  const uint32_t tag_mask = ~index_mask_;
  const uint32_t* t = table();
  uint64_t at = home(h);
  while (uint32_t slot = t[at]) {
    if ((slot & tag_mask) == tag) {
      uint32_t index = (slot & index_mask_) - 1;
      if (equal(state(index), packed)) return index;
    }
    at = next(at);
  }
  return kNotFound;
}

std::size_t StateStore::slots_for(uint64_t states) {
  std::size_t slots = kFirstSlots;  // as the constructor starts, then grown as insert() does
  while (states * 4 > slots * 3) slots = grown(slots);
  return slots;
}

void StateStore::reserve_records(uint64_t states) {
  while ((chunks_.size() << kChunkShift) < states) add_chunk();
  if (parents_) parents_->resize(states);
}

void StateStore::rehash(uint64_t lo, uint64_t hi) {
  constexpr uint64_t kAhead = 16;  // as grow(): hash ahead, prefetch the slot meanwhile
  uint64_t ahead[kAhead];
  for (uint64_t i = lo; i < hi && i < lo + kAhead; ++i) {
    ahead[i % kAhead] = hash(state(static_cast<uint32_t>(i)));
    __builtin_prefetch(table() + home(ahead[i % kAhead]));
  }
  for (uint64_t i = lo; i < hi; ++i) {
    const uint64_t h = ahead[i % kAhead];
    if (i + kAhead < hi) {
      ahead[i % kAhead] = hash(state(static_cast<uint32_t>(i + kAhead)));
      __builtin_prefetch(table() + home(ahead[i % kAhead]));
    }
    place(static_cast<uint32_t>(i), h);
  }
}

void StateStore::place(uint32_t index, uint64_t h) {
  // Every key placed is new, so a probe only looks for an empty slot; a slot taken by another
  // thread between the look and the swap sends it on to the next one. Slots are never emptied
  // while this runs, so each key lies after an unbroken run of full slots from its home, as a
  // lookup expects.
  const uint32_t value = (index + 1) | tag_of(h);
  uint32_t* t = table();
  uint64_t at = home(h);
  for (;;) {
    std::atomic_ref<uint32_t> slot(t[at]);
    uint32_t expected = 0;
    if (slot.load(std::memory_order_relaxed) == 0 &&
        slot.compare_exchange_strong(expected, value, std::memory_order_relaxed))
      return;
    at = next(at);
  }
}

void StateStore::truncate(uint64_t states) {
  for (uint64_t i = states; i < count_; ++i) remove_slot_of(static_cast<uint32_t>(i));
  count_ = std::min(count_, states);
  if (parents_) parents_->resize(count_);
}

void StateStore::remove_slot_of(uint32_t index) {
  // Linear probing's deletion without tombstones: empty the slot, then move back each later key
  // of the run whose home does not lie between the hole and it.
  uint32_t* t = table();
  uint64_t hole = home(hash(state(index)));
  while ((t[hole] & index_mask_) != index + 1) hole = next(hole);
  for (uint64_t j = next(hole);; j = next(j)) {
    const uint32_t slot = t[j];
    if (!slot) break;
    const uint64_t from = home(hash(state((slot & index_mask_) - 1)));
    const bool stays = hole <= j ? (from > hole && from <= j) : (from > hole || from <= j);
    if (stays) continue;
    t[hole] = slot;
    hole = j;
  }
  t[hole] = 0;
}

uint64_t StateStore::memory_bytes_at(uint64_t states) const {
  constexpr uint64_t kPage = 4096;  // chunks are mapped lazily: only the records written occupy memory
  return (states * state_bytes_ + kPage - 1) / kPage * kPage + slots_for(states) * sizeof(uint32_t) +
         (parents_ ? parents_->memory_bytes_at(states) : 0);
}

uint64_t StateStore::memory_bytes() const {
  // Chunks are mapped lazily: only the records written so far occupy memory. The table and the
  // parent links' buffer are counted as insert() sizes them: the search on several threads may
  // hold the table one size larger, and a window's links in memory, for a while.
  return memory_bytes_at(count_);
}

}  // namespace interlock

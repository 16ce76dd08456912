// The visited set of the explicit engine: every packed state stored once, in the order found,
// with the index of the state it was first reached from. Breadth-first search walks the store in
// index order, so the store is also the queue, and parent links give shortest traces.
//
// Memory per state: the packed bytes, and 4-byte slots of an open-address hash table kept
// between 1/2 and 3/4 full (it grows by half) once it has 2^20 slots: 5.3 to 8 bytes, so at most
// packed + 8 on a large search (a smaller table grows 3.4 times at once, and a small search also
// pays for the first 1,024 slots and the 64 KiB buffer of parent links). Records live in fixed
// chunks, so growth never copies them. The parent links are read only to rebuild a trace, so they
// go to a private temporary file (solver/explicit/parent_links.h); where that cannot be used they
// stay in memory, 4 bytes more per state.
//
// A slot holds the state's index in its low bits and, in the bits the table's size leaves free,
// a tag taken from the high bits of the state's hash: a probe that meets another state usually
// rejects it by the tag, without reading that state from memory (a cache miss on a large
// store). The table's size need not be a power of two: a state's home slot is the low 32 bits
// of its hash scaled to the size (home()), and probing wraps at the size (next()).
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "solver/explicit/mapped_buffer.h"
#include "solver/explicit/parent_links.h"

namespace interlock {

class StateStore {
 public:
  static constexpr uint32_t kNoParent = UINT32_MAX;
  static constexpr uint32_t kNotFound = UINT32_MAX;
  // Bytes after the last record that a reader of a packed state may touch (StateLayout::kPadding).
  static constexpr std::size_t kTailPadding = 8;
  static constexpr uint64_t kMaxSlots = uint64_t{1} << 32;           // a slot's position fits 32 bits
  static constexpr uint64_t kQuickGrowthSlots = uint64_t{1} << 20;   // 4 MiB of table
  static constexpr uint64_t kMaxStates = kMaxSlots / 4 * 3 - 1;      // 3/4 of the largest table

  // `parents`: where the parent links go; null for a search that keeps them elsewhere (parent()
  // then answers kNoParent).
  explicit StateStore(std::size_t state_bytes, std::unique_ptr<ParentLinks> parents = std::make_unique<ParentLinks>());

  // Inserts a state unless present. Returns its index and whether it is new.
  std::pair<uint32_t, bool> insert(const uint8_t* packed, uint32_t parent) { return insert(packed, hash(packed), parent); }
  std::pair<uint32_t, bool> insert(const uint8_t* packed, uint64_t hash, uint32_t parent);

  // For batches: hash first, then prefetch the table slot, then (once that has arrived) the
  // record its tag points to, then insert. The memory latencies of a batch then overlap.
  // Inline: it runs once per successor, and as a call it cost a tenth of itself.
  uint64_t hash(const uint8_t* packed) const {
    // 8 bytes at a time, each word multiplied into the accumulator and folded (a multiply-xorshift
    // mix in the spirit of wyhash); the tail is read as a whole word and masked.
    uint64_t h = 0x9E3779B97F4A7C15ull ^ state_bytes_;
    std::size_t n = state_bytes_;
    for (; n >= 8; n -= 8, packed += 8) {
      h = (h ^ word(packed)) * 0xBF58476D1CE4E5B9ull;
      h ^= h >> 31;
    }
    const uint64_t tail = n ? word(packed) & tail_mask(n) : 0;
    h = (h ^ tail) * 0x94D049BB133111EBull;
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ull;
    h ^= h >> 32;
    return h;
  }
  void prefetch_slot(uint64_t hash) const { __builtin_prefetch(table() + home(hash)); }
  void prefetch_record(uint64_t hash) const {
    const uint32_t slot = table()[home(hash)];
    if (slot && (slot & ~index_mask_) == tag_of(hash)) __builtin_prefetch(record((slot & index_mask_) - 1));
  }
  uint32_t find(const uint8_t* packed) const;
  uint32_t find(const uint8_t* packed, uint64_t hash) const;

  // For the search on several threads (solver/explicit/parallel_level.h), which probes and fills
  // the table itself, from several threads at once (each claims an empty slot by compare-and-swap):
  // the raw slots and how to read them (home() and next() give the probe sequence);
  // resize_table() (empty, its pages not yet backed: populate_table() backs them, in ranges that
  // may run in parallel, before any probe or rehash()) and rehash(lo, hi), which places the
  // states of a range of indexes again and may run for several ranges in parallel (a
  // compare-and-swap claims each slot); reserve_records(n), which makes room for the
  // states below n; put(), which writes the record of a state at its index (each index from one
  // thread); commit(n), which makes the states below n the store's.
  uint32_t* slots() const { return table(); }
  // The slot a probe for `hash` starts at, and the one after `at`.
  uint64_t home(uint64_t hash) const { return (hash & UINT32_MAX) * slots_ >> 32; }
  uint64_t next(uint64_t at) const { return at + 1 == slots_ ? 0 : at + 1; }
  uint32_t index_mask() const { return index_mask_; }
  uint32_t tag(uint64_t hash) const { return tag_of(hash); }
  std::size_t table_slots() const { return slots_; }
  // The size insert() gives the table for `states` states, and the size after `slots`.
  static std::size_t slots_for(uint64_t states);
  // The next size: by half, or below kQuickGrowthSlots by half three times over (3.4 times), so
  // that a small search places its states again less often (the KB check's four properties: 8%
  // fewer instructions, callgrind) and a large one still keeps at most packed + 8 bytes a state.
  // Both go through the same sizes.
  static std::size_t grown(std::size_t slots) {
    for (int step = slots < kQuickGrowthSlots ? 3 : 1; step > 0; --step) slots = std::min<std::size_t>(slots + slots / 2, kMaxSlots);
    return slots;
  }
  void reserve_records(uint64_t states);
  // Returns the table before, for the caller to give back where that costs least.
  MappedBuffer resize_table(std::size_t slots);
  std::size_t table_bytes() const { return table_.size(); }
  void populate_table(std::size_t from_byte, std::size_t to_byte) { table_.populate(from_byte, to_byte); }
  void rehash(uint64_t lo, uint64_t hi);
  void put(uint32_t index, uint32_t parent, const uint8_t* packed) {  // inline: once per new state
    copy_state(record(index), packed, state_bytes_);
    if (parents_) parents_->put(index, parent);
  }
  void commit(uint64_t states) { count_ = states; }
  // Writes the parent links out now if reserve_records() would (ParentLinks::write_out_if_full()).
  void write_parents_ahead() {
    if (parents_) parents_->write_out_if_full();
  }
  // Forgets the states from `states` on. The table keeps its size: resize_table(),
  // populate_table() and rehash() give it the size insert() would have.
  void truncate(uint64_t states);
  // What memory_bytes() will be once the store holds `states` states.
  uint64_t memory_bytes_at(uint64_t states) const;

  // Copies a packed state's n bytes to a place apart from it, no more (the bytes after `to` may be
  // another state's, written by another thread), in two overlapping moves when n is 4 to 16: a
  // memcpy of a size known only at run time is a library call.
  static void copy_state(uint8_t* to, const uint8_t* from, std::size_t n) {
    if (n >= 8 && n <= 16) {
      const uint64_t head = word(from), last = word(from + n - 8);
      std::memcpy(to, &head, 8);
      std::memcpy(to + n - 8, &last, 8);
    } else if (n >= 4 && n < 8) {
      uint32_t head, last;
      std::memcpy(&head, from, 4);
      std::memcpy(&last, from + n - 4, 4);
      std::memcpy(to, &head, 4);
      std::memcpy(to + n - 4, &last, 4);
    } else {
      std::memcpy(to, from, n);
    }
  }

  // Whether two packed states are the same. Both must have kTailPadding readable bytes after
  // them: the last partial word is read whole and masked, with no call for a few bytes.
  bool equal(const uint8_t* a, const uint8_t* b) const {
    std::size_t n = state_bytes_;
    for (; n >= 8; n -= 8, a += 8, b += 8)
      if (word(a) != word(b)) return false;
    return n == 0 || ((word(a) ^ word(b)) & tail_mask(n)) == 0;
  }

  const uint8_t* state(uint32_t index) const { return record(index); }
  // Read from the file for a state written out: for traces, not for the search's inner loop.
  uint32_t parent(uint32_t index) const { return parents_ ? (*parents_)[index] : kNoParent; }
  // Empty while the parent links go to the temporary file; otherwise why they are in memory.
  std::string parents_note() const { return parents_ ? parents_->note() : ""; }
  uint64_t size() const { return count_; }
  bool full() const { return count_ >= kMaxStates; }
  std::size_t state_bytes() const { return state_bytes_; }
  uint64_t memory_bytes() const;

 private:
  static uint64_t word(const uint8_t* p) {
    uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
  }
  static uint64_t tail_mask(std::size_t n) { return (uint64_t{1} << (8 * n)) - 1; }  // n in 1..7 (little-endian)

  static constexpr uint32_t kChunkShift = 20;  // 2^20 records per chunk: no doubling copies
  static constexpr uint32_t kChunkMask = (1u << kChunkShift) - 1;

  uint8_t* record(uint32_t index) const {
    return chunks_[index >> kChunkShift].data() + static_cast<std::size_t>(index & kChunkMask) * state_bytes_;
  }
  uint32_t* table() const { return reinterpret_cast<uint32_t*>(table_.data()); }
  void add_chunk();
  void append(uint32_t parent, const uint8_t* packed);
  void grow();
  void rehash_all();  // puts every state into the (empty) table
  void place(uint32_t index, uint64_t hash);
  void remove_slot_of(uint32_t index);
  void set_capacity(std::size_t slots);
  // The hash's top bits in the bits above the index: its high word with the index bits
  // cleared (0 when no bits are free).
  uint32_t tag_of(uint64_t h) const { return static_cast<uint32_t>(h >> 32) & ~index_mask_; }

  std::size_t state_bytes_;
  std::vector<MappedBuffer> chunks_;  // the packed states, 2^kChunkShift to a chunk
  std::unique_ptr<ParentLinks> parents_;  // null: none kept
  MappedBuffer table_;  // uint32 slots: (index + 1) | tag << index_bits_; 0 = empty
  uint64_t slots_ = 0;
  uint32_t index_bits_ = 0;  // the bits the table's size needs: every index + 1 is below it
  uint32_t index_mask_ = 0;
  uint64_t count_ = 0;
};

}  // namespace interlock

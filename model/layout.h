// The packed state: a fixed bit layout computed from each slot's range. A slot whose range holds
// n values takes ceil(log2 n) bits (none when it can hold only one value), stored minus the
// slot's lower bound. Each field is read and written with one unaligned 64-bit access, so every
// buffer that holds a packed state must have kPadding spare bytes after it (see buffer_bytes()).
#pragma once

#include <cstdint>
#include <vector>

#include "model/model.h"

namespace interlock {

class StateLayout {
 public:
  static constexpr std::size_t kPadding = 8;  // packing writes whole 64-bit words

  explicit StateLayout(const Model& model);
  std::size_t bytes() const { return bytes_; }
  std::size_t buffer_bytes() const { return bytes_ + kPadding; }  // to allocate one packed state
  std::size_t bits() const { return bits_; }
  std::size_t slots() const { return slot_count_; }
  void pack(const int32_t* state, uint8_t* out) const;
  void unpack(const uint8_t* packed, int32_t* out) const;
  // Packs `state` given the packed form of a state that differs from it only in `changed` slots
  // (slots may repeat): copies `base` and rewrites those fields. Same bytes as pack().
  void repack(const uint8_t* base, const int32_t* state, const int* changed, std::size_t count, uint8_t* out) const;

  struct Field {
    uint32_t slot;
    uint32_t byte;   // first byte the field touches (for unpacking)
    uint32_t shift;  // bit position within that byte, 0..7
    uint32_t word;   // 64-bit word the field starts in (for packing)
    uint32_t word_shift;  // bit position within that word
    uint64_t mask;   // the field's width, as a mask
    int32_t lo;
  };
  // The layout itself, for code that packs and unpacks on its own (solver/explicit/native/).
  const std::vector<Field>& fields() const { return fields_; }
  const std::vector<std::pair<uint32_t, int32_t>>& constants() const { return constants_; }
  std::size_t words() const { return words_; }

 private:
  std::size_t words_ = 0;
  std::vector<int32_t> field_of_slot_;  // index into fields_, or -1 for a constant slot
  std::vector<Field> fields_;   // fields of one or more bits
  std::vector<std::pair<uint32_t, int32_t>> constants_;  // slots with one possible value
  std::size_t bytes_ = 0;
  std::size_t bits_ = 0;
  std::size_t slot_count_ = 0;
};

}  // namespace interlock

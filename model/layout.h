// The packed state: a fixed byte layout computed from each slot's range. A slot whose range spans
// at most 256 values takes one byte, 65536 values two, otherwise four; values are stored minus
// the slot's lower bound.
#pragma once

#include <cstdint>
#include <vector>

#include "model/model.h"

namespace interlock {

class StateLayout {
 public:
  explicit StateLayout(const Model& model);
  std::size_t bytes() const { return bytes_; }
  std::size_t slots() const { return slot_count_; }
  void pack(const int32_t* state, uint8_t* out) const;
  void unpack(const uint8_t* packed, int32_t* out) const;

 private:
  struct Field {
    uint32_t slot;
    uint32_t offset;
    int32_t lo;
  };
  // Grouped by width, so each loop has no per-field branch.
  std::vector<Field> bytes1_, bytes2_, bytes4_;
  std::size_t slot_count_ = 0;
  std::size_t bytes_ = 0;
};

}  // namespace interlock

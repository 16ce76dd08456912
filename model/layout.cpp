#include "model/layout.h"

#include <cstring>

namespace interlock {

StateLayout::StateLayout(const Model& model) : slot_count_(model.slots.size()) {
  for (std::size_t i = 0; i < model.slots.size(); ++i) {
    const Slot& s = model.slots[i];
    uint64_t span = static_cast<uint64_t>(s.hi - s.lo);
    Field f{static_cast<uint32_t>(i), static_cast<uint32_t>(bytes_), static_cast<int32_t>(s.lo)};
    if (span < 256) {
      bytes1_.push_back(f);
      bytes_ += 1;
    } else if (span < 65536) {
      bytes2_.push_back(f);
      bytes_ += 2;
    } else {
      bytes4_.push_back(f);
      bytes_ += 4;
    }
  }
  if (bytes_ == 0) bytes_ = 1;  // a model with no state still has one (empty) state
}

void StateLayout::pack(const int32_t* state, uint8_t* out) const {
  if (slot_count_ == 0) out[0] = 0;
  for (const Field& f : bytes1_) out[f.offset] = static_cast<uint8_t>(state[f.slot] - f.lo);
  for (const Field& f : bytes2_) {
    uint16_t w = static_cast<uint16_t>(state[f.slot] - f.lo);
    std::memcpy(out + f.offset, &w, 2);
  }
  for (const Field& f : bytes4_) {
    uint32_t w = static_cast<uint32_t>(state[f.slot] - f.lo);
    std::memcpy(out + f.offset, &w, 4);
  }
}

void StateLayout::unpack(const uint8_t* packed, int32_t* out) const {
  for (const Field& f : bytes1_) out[f.slot] = static_cast<int32_t>(packed[f.offset]) + f.lo;
  for (const Field& f : bytes2_) {
    uint16_t w;
    std::memcpy(&w, packed + f.offset, 2);
    out[f.slot] = static_cast<int32_t>(w) + f.lo;
  }
  for (const Field& f : bytes4_) {
    uint32_t w;
    std::memcpy(&w, packed + f.offset, 4);
    out[f.slot] = static_cast<int32_t>(w + static_cast<uint32_t>(f.lo));
  }
}

}  // namespace interlock

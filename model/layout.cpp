#include "model/layout.h"

#include <cstring>

namespace interlock {

StateLayout::StateLayout(const Model& model) {
  for (const Slot& s : model.slots) {
    uint64_t span = static_cast<uint64_t>(s.hi - s.lo);
    uint8_t width = span < 256 ? 1 : span < 65536 ? 2 : 4;
    fields_.push_back({static_cast<uint32_t>(bytes_), width, static_cast<int32_t>(s.lo)});
    bytes_ += width;
  }
  if (bytes_ == 0) bytes_ = 1;  // a model with no state still has one (empty) state
}

void StateLayout::pack(const int32_t* state, uint8_t* out) const {
  if (fields_.empty()) out[0] = 0;
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    const Field& f = fields_[i];
    uint32_t v = static_cast<uint32_t>(state[i] - f.lo);
    switch (f.width) {
      case 1: out[f.offset] = static_cast<uint8_t>(v); break;
      case 2: { uint16_t w = static_cast<uint16_t>(v); std::memcpy(out + f.offset, &w, 2); break; }
      default: std::memcpy(out + f.offset, &v, 4); break;
    }
  }
}

void StateLayout::unpack(const uint8_t* packed, int32_t* out) const {
  for (std::size_t i = 0; i < fields_.size(); ++i) {
    const Field& f = fields_[i];
    uint32_t v = 0;
    switch (f.width) {
      case 1: v = packed[f.offset]; break;
      case 2: { uint16_t w; std::memcpy(&w, packed + f.offset, 2); v = w; break; }
      default: std::memcpy(&v, packed + f.offset, 4); break;
    }
    out[i] = static_cast<int32_t>(v) + f.lo;
  }
}

}  // namespace interlock

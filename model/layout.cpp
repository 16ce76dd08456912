#include "model/layout.h"

#include <algorithm>
#include <cstring>

namespace interlock {

namespace {
// A value's offset from its slot's low end, which may not fit an int32 (a range may span 2^32
// values): computed modulo 2^32, where it always fits.
uint64_t offset(int32_t value, int32_t lo) { return static_cast<uint32_t>(value) - static_cast<uint32_t>(lo); }
}  // namespace

StateLayout::StateLayout(const Model& model) : slot_count_(model.slots.size()) {
  for (std::size_t i = 0; i < model.slots.size(); ++i) {
    const Slot& s = model.slots[i];
    uint64_t span = static_cast<uint64_t>(s.hi - s.lo);  // values are lo .. lo + span
    uint32_t width = 0;
    while (width < 64 && (span >> width) != 0) ++width;
    if (width == 0) {
      constants_.emplace_back(static_cast<uint32_t>(i), static_cast<int32_t>(s.lo));
      continue;
    }
    field_of_slot_.resize(i + 1, -1);
    field_of_slot_[i] = static_cast<int32_t>(fields_.size());
    Field f;
    f.slot = static_cast<uint32_t>(i);
    f.byte = static_cast<uint32_t>(bits_ / 8);
    f.shift = static_cast<uint32_t>(bits_ % 8);
    f.word = static_cast<uint32_t>(bits_ / 64);
    f.word_shift = static_cast<uint32_t>(bits_ % 64);
    f.mask = width >= 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1;
    f.lo = static_cast<int32_t>(s.lo);
    fields_.push_back(f);
    bits_ += width;
  }
  bytes_ = (bits_ + 7) / 8;
  if (bytes_ == 0) bytes_ = 1;  // a model with no varying state still has one (empty) state
  words_ = (bits_ + 63) / 64;
  field_of_slot_.resize(model.slots.size(), -1);
}

void StateLayout::repack(const uint8_t* base, const int32_t* state, const int* changed, std::size_t count,
                         uint8_t* out) const {
  std::memcpy(out, base, bytes_);
  for (std::size_t c = 0; c < count; ++c) {
    int32_t index = field_of_slot_[changed[c]];
    if (index < 0) continue;
    const Field& f = fields_[index];
    uint64_t word;
    std::memcpy(&word, out + f.byte, 8);
    uint64_t v = offset(state[f.slot], f.lo) & f.mask;
    word = (word & ~(f.mask << f.shift)) | (v << f.shift);
    std::memcpy(out + f.byte, &word, 8);
  }
}

void StateLayout::pack(const int32_t* state, uint8_t* out) const {
  // Fields are in bit order: build each 64-bit word in a register and store it once. The last
  // word may reach up to 7 bytes past bytes(), into the buffer's padding.
  if (words_ == 0) {
    out[0] = 0;
    return;
  }
  uint64_t word = 0, spill = 0;
  uint32_t at = 0;
  for (const Field& f : fields_) {
    while (f.word > at) {
      std::memcpy(out + 8 * at, &word, 8);
      word = spill;
      spill = 0;
      ++at;
    }
    uint64_t v = offset(state[f.slot], f.lo) & f.mask;
    word |= v << f.word_shift;
    if (f.word_shift != 0) spill |= v >> (64 - f.word_shift);  // the part that crosses into the next word
  }
  std::memcpy(out + 8 * at, &word, std::min<std::size_t>(8, bytes_ + kPadding - 8 * at));
  if (at + 1 < words_) std::memcpy(out + 8 * (at + 1), &spill, 8);
}

void StateLayout::unpack(const uint8_t* packed, int32_t* out) const {
  for (const Field& f : fields_) {
    uint64_t word;
    std::memcpy(&word, packed + f.byte, 8);
    out[f.slot] = static_cast<int32_t>(static_cast<uint32_t>((word >> f.shift) & f.mask) + static_cast<uint32_t>(f.lo));
  }
  for (const auto& [slot, value] : constants_) out[slot] = value;
}

}  // namespace interlock

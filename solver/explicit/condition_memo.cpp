#include "solver/explicit/condition_memo.h"

#include <algorithm>
#include <cstring>

namespace interlock {

ConditionMemo::ConditionMemo(const StateLayout& layout, const std::vector<bool>& reads, std::size_t values)
    : values_(values) {
  std::vector<uint64_t> mask(layout.words(), 0);
  for (const StateLayout::Field& f : layout.fields()) {
    if (f.slot >= reads.size() || !reads[f.slot]) continue;
    mask[f.word] |= f.mask << f.word_shift;
    if (f.word_shift != 0 && f.word + 1 < mask.size()) mask[f.word + 1] |= f.mask >> (64 - f.word_shift);
  }
  for (std::size_t w = 0; w < mask.size(); ++w)
    if (mask[w]) words_.push_back({static_cast<uint32_t>(8 * w), mask[w]});
  keys_.assign(kEntries * words_.size(), 0);
  filled_.assign(kEntries, 0);
  stored_.assign(kEntries * values_, 0);
  key_.assign(words_.size(), 0);
}

std::unique_ptr<ConditionMemo> ConditionMemo::for_formulas(const StateLayout& layout, std::size_t slots,
                                                           const std::vector<const Expr*>& formulas) {
  std::vector<bool> reads(slots, false);
  for (const Expr* e : formulas) {
    if (reads_choose(*e)) return nullptr;
    mark_reads(*e, reads);
  }
  return std::make_unique<ConditionMemo>(layout, reads, formulas.size());
}

const uint8_t* ConditionMemo::find(const uint8_t* packed) {
  ++lookups_;
  const std::size_t n = words_.size();
  uint64_t h = 0x9E3779B97F4A7C15ull;
  for (std::size_t w = 0; w < n; ++w) {
    uint64_t word;
    std::memcpy(&word, packed + words_[w].at, 8);
    key_[w] = word & words_[w].mask;
    h = (h ^ key_[w]) * 0xBF58476D1CE4E5B9ull;
  }
  entry_ = static_cast<std::size_t>(h >> (64 - kEntryBits));  // the product's high bits mix every key bit
  if (!filled_[entry_]) return nullptr;
  const uint64_t* stored = keys_.data() + entry_ * n;
  for (std::size_t w = 0; w < n; ++w)
    if (stored[w] != key_[w]) return nullptr;
  ++hits_;
  return stored_.data() + entry_ * values_;
}

void ConditionMemo::remember(const uint8_t* values) {
  std::copy(key_.begin(), key_.end(), keys_.begin() + static_cast<std::ptrdiff_t>(entry_ * words_.size()));
  std::copy(values, values + values_, stored_.begin() + static_cast<std::ptrdiff_t>(entry_ * values_));
  filled_[entry_] = 1;
}

}  // namespace interlock

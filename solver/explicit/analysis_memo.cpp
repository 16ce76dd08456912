#include "solver/explicit/analysis_memo.h"

#include <algorithm>

namespace interlock {

const std::vector<uint8_t>* AnalysisMemo::find(std::span<const int32_t> key) {
  ++lookups_;
  uint64_t h = 0x9E3779B97F4A7C15ull;
  for (int32_t word : key) {
    h = (h ^ static_cast<uint32_t>(word)) * 0xFF51AFD7ED558CCDull;
    h ^= h >> 29;
  }
  chosen_ = &entries_[static_cast<std::size_t>(h >> (64 - kEntryBits))];
  chosen_key_ = key;
  if (chosen_->generation != generation_ || chosen_->key.size() != key.size() ||
      !std::equal(key.begin(), key.end(), chosen_->key.begin()))
    return nullptr;
  ++hits_;
  return &chosen_->answer;
}

void AnalysisMemo::remember(bool reduced, std::span<const uint8_t> keep) {
  chosen_->generation = generation_;
  chosen_->key.assign(chosen_key_.begin(), chosen_key_.end());
  chosen_->answer.assign(1, reduced ? 1 : 0);
  if (reduced) chosen_->answer.insert(chosen_->answer.end(), keep.begin(), keep.end());
}

}  // namespace interlock

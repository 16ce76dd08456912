// The partial-order analysis's answers (solver/explicit/partial_order.h), remembered by what the
// analysis reads of a state: which location each machine is in, which guards there are false,
// which machines keep time from passing, whether time may pass, and the state's enabled actions.
// Most states of a search agree on all of that with one seen shortly before (they differ in a
// clock, a counter, a queue's contents), and their analysis is then a lookup.
//
// Exact, not a heuristic: the analysis is a function of the key alone, and an answer is only
// ever taken for a key equal to the one it was computed for, word by word.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

namespace interlock {

class AnalysisMemo {
 public:
  // The answer remembered for `key` (whether the state is reduced, and then which actions are
  // kept), or null. After a miss, remember() stores the answer for that key, in the entry the
  // lookup chose (a later lookup may replace it).
  const std::vector<uint8_t>* find(std::span<const int32_t> key);
  void remember(bool reduced, std::span<const uint8_t> keep);
  // Drops every answer remembered so far, at once.
  void forget() { ++generation_; }

  uint64_t hits() const { return hits_; }
  uint64_t lookups() const { return lookups_; }

 private:
  static constexpr unsigned kEntryBits = 12;  // direct-mapped, 4,096 entries
  struct Entry {
    uint32_t generation = 0;      // filled before the last forget() if not generation_
    std::vector<int32_t> key;
    std::vector<uint8_t> answer;  // reduced (0 or 1), then one byte per action: kept
  };
  std::vector<Entry> entries_ = std::vector<Entry>(std::size_t{1} << kEntryBits);
  Entry* chosen_ = nullptr;  // the entry of the last lookup
  std::span<const int32_t> chosen_key_;
  uint32_t generation_ = 1;
  uint64_t hits_ = 0, lookups_ = 0;
};

}  // namespace interlock

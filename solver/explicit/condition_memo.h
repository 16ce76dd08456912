// The values of a fixed list of conditions (a search's invariants, reachable properties and delay
// conditions) remembered by the part of the packed state they read. A search's new states mostly
// differ from states seen before only in what no property reads (a clock, a counter, another
// machine's location), so most states need neither unpacking nor evaluating: a lookup masks the
// packed words, hashes them and compares them with one remembered state's.
//
// Exact, not a heuristic: a condition's value is a function of the slots it reads (model/eval.h
// has no other input but the model's constants), and a state is only ever matched with one that
// agrees with it on every bit of those slots.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "model/layout.h"
#include "model/model.h"

namespace interlock {

class ConditionMemo {
 public:
  // `reads`: per slot, whether a condition reads it; `values`: the number of values per state.
  ConditionMemo(const StateLayout& layout, const std::vector<bool>& reads, std::size_t values);
  // For the values of `formulas`, in order, over `slots` slots: keyed by what they read; null when
  // one reads a `choose` value (not in the state).
  static std::unique_ptr<ConditionMemo> for_formulas(const StateLayout& layout, std::size_t slots,
                                                     const std::vector<const Expr*>& formulas);

  // The values remembered for a state that agrees with `packed` (StateLayout::kPadding readable
  // bytes after it) on every slot read, or null. After a miss, remember() stores the values of
  // this state, in the entry the lookup chose (a later lookup may replace it).
  const uint8_t* find(const uint8_t* packed);
  void remember(const uint8_t* values);

  uint64_t hits() const { return hits_; }
  uint64_t lookups() const { return lookups_; }

 private:
  static constexpr unsigned kEntryBits = 12;  // direct-mapped, 4,096 entries: a few hundred keys are typical
  static constexpr std::size_t kEntries = std::size_t{1} << kEntryBits;

  struct Word {
    uint32_t at;  // the packed word's byte offset
    uint64_t mask;
  };
  std::vector<Word> words_;      // the packed words with a bit read, and which bits
  std::size_t values_;
  std::vector<uint64_t> keys_;   // kEntries * words_.size()
  std::vector<uint8_t> filled_;  // per entry
  std::vector<uint8_t> stored_;  // kEntries * values_
  std::vector<uint64_t> key_;    // the last lookup's key
  std::size_t entry_ = 0;        // and its entry
  uint64_t hits_ = 0, lookups_ = 0;
};

}  // namespace interlock

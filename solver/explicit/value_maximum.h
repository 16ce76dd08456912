// A `maximum NAME: e [when c]` over values (not a delay), as the explicit searches decide it:
// every reachable state where `c` holds is looked at, and the largest value of `e` is the answer,
// with a trace to the first state (in breadth-first order) that has it. One process
// (explicit_engine.cpp) and many (solver/distributed/) follow it the same way.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

#include "model/model.h"
#include "model/semantics.h"
#include "model/time_format.h"
#include "solver/result.h"

namespace interlock {

class ValueMaximum {
 public:
  // `property` is a Maximum without a delay; `result` is the caller's index for its answer.
  ValueMaximum(const Semantics& semantics, const Property& property, std::size_t result);

  enum class Seen { Nothing, NewBest, Failed };
  // Looks at one more state. NewBest when its value is larger than every one before (the caller
  // notes the state); Failed when the formula cannot be evaluated there (`fault` says why): the
  // property then has no answer but that model error, and later states are not looked at.
  Seen see(const Semantics& semantics, const int32_t* state, ModelFault& fault);

  std::size_t result() const { return result_; }
  bool failed() const { return failed_; }
  const std::optional<int64_t>& best() const { return best_; }
  bool saturated() const { return saturated_; }
  // For a search on several ranks: the answer of all of them together.
  void merge(const std::optional<int64_t>& best, bool saturated);

  // The verdict, value and detail once every reachable state was seen; `trace` leads to the
  // first state with the best value (none when no state satisfied the condition).
  void answer(const Model& model, std::optional<Trace> trace, PropertyResult& out) const;

 private:
  std::size_t result_;
  Compiled value_, cond_;
  std::vector<int> clocks_;  // the clocks the value reads: a saturated one makes it a lower bound
  TimeKind kind_ = TimeKind::Plain;  // how its values are shown (a clock's as a duration)
  std::optional<int64_t> best_;
  bool saturated_ = false;
  bool failed_ = false;
};

}  // namespace interlock

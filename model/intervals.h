// Interval arithmetic over a lowered model: the range of values an expression can take, given
// every slot's declared range, each parameter's value (or its whole range when it is free) and
// an edge's choose ranges. Used where a bound must hold for every state: the cone of influence
// (can this update fail?) and each clock's saturation value (what can it be compared with?).
#pragma once

#include <utility>
#include <vector>

#include "model/model.h"

namespace interlock {

struct Range {
  __int128 lo = 0, hi = 0;  // wide enough that no bound of 64-bit operands overflows
};

class IntervalEval {
 public:
  // `edge`: the edge whose choose values the expressions may read, or null.
  IntervalEval(const Model& model, const Edge* edge);
  void set_edge(const Edge* edge) { edge_ = edge; }

  // The range of `e`; inside `c ? a : b`, each branch is evaluated where `c` has that value, as
  // far as simple comparisons of a slot with a constant tell.
  Range eval(const Expr& e);

  // Whether some evaluation so far might fail at run time (a division by zero, an index out of
  // an array, a result beyond 64 bits).
  bool may_fault() const { return fault_; }

 private:
  static Range join(Range a, Range b) { return {std::min(a.lo, b.lo), std::max(a.hi, b.hi)}; }
  Range check(Range r);
  void narrow(const Expr& c, bool truth);
  Range slot_range(int64_t slot) const;

  const Model& model_;
  const Edge* edge_;
  // Slots narrowed inside the branches of `c ? a : b` being evaluated, latest last.
  std::vector<std::pair<int64_t, Range>> narrowed_;
  bool fault_ = false;
};

}  // namespace interlock

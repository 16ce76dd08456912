// Where the explicit search looks for partial-order reduction (solver/explicit/partial_order.h).
// The analysis of a state costs two to four expansions, and on a spec whose machines all touch
// the same variables it finds almost nothing to leave out (the KB case: no state of 473,431). On
// the benchmark at N = 5, where about a third of the states analysed are reduced, the reduced
// search takes about the plain one's time; a spec reducing 1 in 30 took 4 times as long. So once
// the analyses of a level have found too little (fewer than 1 in kWorthIt of at least kProbe
// analysed states reduced), the next levels look at probes only: the first kProbe of every
// `period` state indexes, the period doubling from kFirstPeriod after each level that finds too
// little, up to kMaxPeriod, and back to every state after a level whose probes reduced enough.
// The cap keeps a search that turns reducible late from missing much of it (the benchmark at
// N = 5 finds nothing to reduce in its first half million states, then about half of those it
// looks at). Expanding a state fully is always sound (docs/engines.md, "Partial-order reduction").
//
// Whether a state is looked at depends only on its index and on what the levels before it found,
// never on the order in which a level's states are expanded: so the search on several threads
// (solver/explicit/parallel_level.h) looks at exactly the states the one-thread search does.
#pragma once

#include <algorithm>
#include <cstdint>

namespace interlock {

class ReductionPacing {
 public:
  static constexpr uint64_t kProbe = 256;
  static constexpr uint64_t kFirstPeriod = 4096;
  static constexpr uint64_t kMaxPeriod = 32768;
  static constexpr uint64_t kWorthIt = 3;  // at least 1 in this many analysed states reduced

  // Whether the state with this index, in the level being searched, is analysed.
  bool analyses(uint64_t index) const { return period_ == 0 || index % period_ < kProbe; }
  // The analyses of states of the level being searched: how many there were, and in how many the
  // analysis chose a set (PartialOrder's counts).
  void add(uint64_t analysed, uint64_t reduced) {
    analysed_ += analysed;
    reduced_ += reduced;
  }
  // At the end of a level: what the next one looks at. Fewer than kProbe analyses since the last
  // decision say too little: the next level looks as this one did, and they count together.
  void end_level() {
    if (analysed_ < kProbe) return;
    if (reduced_ * kWorthIt < analysed_)
      period_ = period_ == 0 ? kFirstPeriod : std::min(period_ * 2, kMaxPeriod);
    else
      period_ = 0;
    analysed_ = reduced_ = 0;
  }
  // The pacing of the next level, once this one's analyses are all added.
  ReductionPacing after_level() const {
    ReductionPacing next = *this;
    next.end_level();
    return next;
  }
  uint64_t period() const { return period_; }  // 0 while every state is analysed

 private:
  uint64_t period_ = 0;
  uint64_t analysed_ = 0, reduced_ = 0;
};

}  // namespace interlock

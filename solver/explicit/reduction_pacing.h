// When the explicit search pauses partial-order reduction (solver/explicit/partial_order.h). The
// analysis of a state costs about as much as expanding it, and on a spec whose machines all
// touch the same variables it finds almost nothing to leave out (the KB case: 458 of 473,341
// states). So the search looks in probes of kProbe analysed states; after a probe in which fewer
// than 1 in 32 were reduced, the next `pause` states are expanded fully without a look, the
// pause doubling after each such probe up to kMaxPause, and back to kFirstPause after a probe that
// reduced enough. The cap keeps a search that turns reducible late from missing much of it (the
// benchmark at N = 5 finds nothing to reduce in its first half million states, then about half
// of those it looks at). Expanding a state fully is always sound (docs/engines.md,
// "Partial-order reduction"), and the choice depends on counts only, so a search is the same
// every time.
#pragma once

#include <algorithm>
#include <cstdint>

namespace interlock {

class ReductionPacing {
 public:
  static constexpr uint64_t kProbe = 256;
  static constexpr uint64_t kFirstPause = 4096;
  static constexpr uint64_t kMaxPause = 32768;

  // Whether the next state is to be analysed; if not, it counts as paused.
  bool analyse_next() {
    if (pause_left_ == 0) return true;
    --pause_left_;
    ++paused_;
    return false;
  }
  // After a state was analysed: the analyses and reductions so far (PartialOrder's counts).
  void after(uint64_t analysed, uint64_t reduced) {
    if (analysed - probe_analysed_ < kProbe) return;
    if ((reduced - probe_reduced_) * 32 < analysed - probe_analysed_) {
      pause_left_ = pause_;
      pause_ = std::min(pause_ * 2, kMaxPause);
    } else {
      pause_ = kFirstPause;
    }
    probe_analysed_ = analysed;
    probe_reduced_ = reduced;
  }
  uint64_t paused_states() const { return paused_; }  // expanded fully without a look

 private:
  uint64_t probe_analysed_ = 0, probe_reduced_ = 0;
  uint64_t pause_ = kFirstPause;
  uint64_t pause_left_ = 0;
  uint64_t paused_ = 0;
};

}  // namespace interlock

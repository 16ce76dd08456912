// k-induction (Sheeran, Singh, Stalmarck 2000) over the Z3 encoding. For k = 1, 2, ...:
//   base: no bad state (property false, or a step that may fault) within k - 1 steps of the
//         initial states (bounded model checking);
//   step: any k consecutive states that are good are followed by a good state.
// Both succeed: the property holds at every depth, for every parameter value allowed. The step
// case is strengthened with what the model gives for free: every slot within its range (so each
// machine is in exactly one control state and each clock within its bound) and every state
// invariant. The step query is re-run in a fresh solver before the proof is believed. A base case
// that fails is a violation; bmc then finds the trace, which is replayed as usual.
#pragma once

#include "solver/engine.h"

namespace interlock {

class KInductionEngine : public Engine {
 public:
  static constexpr int kDefaultMaxK = 12;
  std::string name() const override { return "kind"; }
  std::vector<PropertyResult> check(const Model& model, const std::vector<int>& properties,
                                    RunContext& context) override;
};

}  // namespace interlock

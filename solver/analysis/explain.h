// `interlock explain`: which steps of a counterexample the violation needs. Each action of the
// trace is tried away, replaying the rest of the trace as far as it still applies (a step that is
// no longer possible is skipped; a broadcast is matched by its emitter, its receivers being
// whoever can receive then; where time cannot pass because the changed run owes an action, the
// first action after which it can is taken):
//   - irrelevant: without the step the invariant is still broken; it is cut from the trace;
//   - forced: without it, the run takes it anyway (time cannot pass otherwise) and still breaks
//     the invariant, or time stops;
//   - cause: without it, the rest of the run goes on and the invariant holds.
// Ticks are never tried away: time passing is the clock, not a choice. The cut is greedy, one
// action at a time (delta debugging's 1-minimal form).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "model/model.h"
#include "solver/result.h"

namespace interlock {

struct ExplainedStep {
  std::size_t index = 0;  // in the explanation's trace
  std::string what;       // the step, as the timeline writes it
  std::string why;        // "without it ..." or "with d=3 ..."
  int64_t time = 0;
};

struct Explanation {
  Trace trace;                       // the counterexample without its irrelevant steps, replayed
  std::vector<ExplainedStep> causes;
  std::size_t original_steps = 0;
  std::size_t forced = 0;            // actions the spec forced
};

// `property` must be an invariant and `trace` a run that violates it.
Explanation explain_violation(const Model& model, const Property& property, const Trace& trace);

}  // namespace interlock

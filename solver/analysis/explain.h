// `interlock explain`: which steps of a counterexample the violation needs, and who decided each.
// It explains invariants, deadlock_free and responses (a deadline that passes, or a cycle that
// repeats forever without the target): what solver/property_watch.h sees a run break.
//
// Each action of the trace is tried away, replaying the rest of the trace as far as it still
// applies (a step that is no longer possible is skipped; a broadcast is matched by its emitter,
// its receivers being whoever can receive then; where time cannot pass because the changed run
// owes an action, the first action after which it can is taken). For a cycle, the changed run may
// take the cycle's steps up to kExtraRounds more times before it closes:
//   - irrelevant: without the step the property is still broken; it is cut from the trace;
//   - a cause: without it, the rest of the run goes on and the property is not broken. For a
//     response, a changed run that ends with its trigger waiting goes on as time alone takes it
//     (ticks, and the actions it owes) until the target comes (a cause), the property breaks, or
//     time stops: a forced step of a cycle is otherwise taken for a cause, the run having only
//     run out of steps;
//   - otherwise the run cannot do without it (it takes the step anyway, or time stops).
// Ticks are never tried away: time passing is the clock, not a choice. The cut is greedy, one
// action at a time (delta debugging's 1-minimal form).
//
// Every action that remains is also said to be forced by the spec, forced with values left to
// the environment, or the environment's own choice (solver/analysis/step_decision.h): a user
// queuing mail is never "forced", whether or not the violation needs it.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "model/model.h"
#include "solver/analysis/step_decision.h"
#include "solver/result.h"

namespace interlock {

struct ExplainedStep {
  std::size_t index = 0;  // in the explanation's trace
  std::string what;       // the step, as the timeline writes it
  int64_t time = 0;
  StepDecision decided;   // who decided it
  bool cause = false;
  bool by_order = false;  // a cause by its order: another action of its moment taken first keeps the property
  // Without it the changed run neither broke the property nor kept it: a response's trigger still
  // waited kGoOnTicks ticks after the run's end. No cause is claimed, and none is ruled out.
  bool undecided = false;
  std::string why;        // for a cause or an undecided step: "without it ..."
};

struct Explanation {
  Trace trace;                         // the counterexample without its irrelevant steps, replayed
  std::vector<ExplainedStep> actions;  // every action that remains, in order
  std::size_t original_steps = 0;
  std::size_t count(Decision d) const;
  std::vector<const ExplainedStep*> causes() const;
  std::vector<const ExplainedStep*> undecided() const;
};

// How often a changed run may repeat a counterexample's cycle before it must have closed it.
constexpr int kExtraRounds = 3;
// Ticks a changed run may go on for after its last step, while a response's trigger waits.
constexpr std::size_t kGoOnTicks = 4096;

// Whether explain handles this kind of property.
bool explainable(const Property& property);

// `property` must be explainable and `trace` a run that breaks it (the explicit engine's
// counterexample: for a cycle, `loop_start` says where it begins).
Explanation explain_violation(const Model& model, const Property& property, const Trace& trace);

}  // namespace interlock

// Who decided an action of a run: the spec, or whoever the spec leaves the choice to (the
// environment: users queuing mail, how long a job runs). `explain` counts only the first as "the
// spec forced it". An action is forced when time cannot pass in the state it is taken from and
// one of the machines that move is what stops time (an urgent state, a due `asap` edge, a state
// invariant that a tick would break): then that machine must move before anything else happens
// with time. Even then the spec may leave open how it moves:
//   - Forced: nothing was left open: no other value, no other way for those machines to move;
//   - ValuesChosen: the step was forced, but its `choose` values (or another edge of the same
//     machines) were a choice;
//   - Chosen: the step was not forced: time could pass instead, or the machine that stopped time
//     was another one, and another action was possible. Where time cannot pass and this step's
//     edges are all that can happen, it is forced whoever stops time.
#pragma once

#include <string>
#include <vector>

#include "model/semantics.h"

namespace interlock {

enum class Decision { Forced, ValuesChosen, Chosen };

struct StepDecision {
  Decision decision = Decision::Chosen;
  std::string why;  // "Rotate.Wait's invariant c <= 10 stops time", "time could pass instead"
  std::string open;  // for ValuesChosen: "d=2 (one of 3 possible values)"
  bool alone = false;  // time could not pass and no other action was possible: a run cannot do without it
};

// `state` is the state the action `step` is taken from (the model's slots).
StepDecision decide_step(Semantics& semantics, const std::vector<int32_t>& state, const Step& step);

const char* decision_name(Decision d);  // "forced", "forced, values chosen", "chosen"

}  // namespace interlock

// Replays steps (from any engine) on the explicit semantics, with given parameter values, and
// returns the trace with every state filled in: the check every trace passes before it is shown.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "model/model.h"
#include "model/semantics.h"
#include "solver/result.h"
#include "solver/run_context.h"

namespace interlock {

struct Replayed {
  enum class Outcome { Ok, Disabled, Fault } outcome = Outcome::Ok;
  Trace trace;        // the states reached (up to the failing step)
  std::size_t failed_step = 0;
  ModelFault fault;
};

Replayed replay_steps(const Model& model, const std::vector<Step>& steps);

// A lasso found on a reduced model (model/cone.h drops variables nothing checked reads, and
// model/dead_clocks.h holds clocks at 0 where their value cannot matter) comes back to where its
// cycle began there, but replayed on `model` it may not: a dropped variable or a dead clock may
// have moved. Its cycle's steps are then taken again, round after round, until a round begins
// in a state an earlier round began in (the steps are deterministic and the states finite); the
// trace then ends there, with loop_start at that earlier round. False (the trace unchanged) when
// that takes more than `max_rounds` rounds, or a step is not possible.
bool close_cycle(const Model& model, Trace& trace, std::size_t max_rounds);

// Checks a run given only as states (a trace from another tool): the first state must be the
// initial state and each next state must be reached by some step. `problem` is empty when every
// step is possible; otherwise it says which step is not, and what the spec allows there.
struct StateRunCheck {
  std::vector<Step> steps;  // the steps found, up to the first impossible one
  std::string problem;
  std::size_t failed_at = 0;  // the index of the state that cannot be reached
  std::string stopped;        // the run's limit (or Ctrl-C) ended the check first: why
};
// With a context, the check stops at the run's limits (`stopped` then says why).
StateRunCheck check_state_run(const Model& model, const std::vector<std::vector<int32_t>>& states,
                              const RunContext* context = nullptr);

}  // namespace interlock

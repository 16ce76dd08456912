// Whether time can stop while a response waits: the explicit engine answers a response
// `unknown` when, from a state where p holds and q does not, a run can reach without q a
// timelock (no action and no tick) or a cycle of actions without a tick, and no run violates it
// (docs/language.md, "Properties"). A symbolic proof of a response must rule both out for every
// parameter value before it says "holds". These checks need no search: they look at every state
// where q does not hold (reachable or not) that keeps the invariants, the ranges and the spec's
// static facts, so they may see a time stop that no run reaches. A prover then tries again on
// the reachable states (a timelock; ResponseProduct::time_stops), or answers unknown.
#pragma once

#include <functional>
#include <string>

#include "model/model.h"
#include "solver/result.h"
#include "solver/run_context.h"

namespace interlock {

struct TimeStops {
  bool timelock_free = false;   // no such state is a timelock
  bool cycle_free = false;      // no cycle of actions without a tick runs through such states only
  std::string timelock_why;     // otherwise, why not (a state, or the solver's answer)
  std::string cycle_why;
};

TimeStops check_time_stops(const Model& model, const Property& response, RunContext& context);

enum class TimeStop { Timelock, Cycle };

// The last part of a response proof, once a prover has shown that no trigger waits too long
// (`proven` says how): `res` holds when time cannot stop while a trigger waits, and is unknown
// otherwise, saying why. `reachable` asks the prover about the reachable states when
// check_time_stops sees a way for time to stop: "no", "yes", or why it could not tell.
void finish_response_proof(const Model& model, const Property& response, RunContext& context, const std::string& proven,
                           const std::function<std::string(TimeStop)>& reachable, PropertyResult& res);

}  // namespace interlock

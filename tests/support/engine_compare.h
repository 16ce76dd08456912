// The explicit engine and bmc side by side: bmc never reports a property the explicit engine
// rules out, and it finds every violation or witness whose explicit trace fits within its depth
// (counting a run of ticks as one step, as bmc does), in no fewer symbolic steps and, when asked,
// no earlier in time than the earliest possible.
#pragma once

#include <string>
#include <vector>

#include "model/model.h"
#include "solver/result.h"

namespace interlock::testing {

struct Tally {
  int found_by_both = 0;  // a witness or counterexample found by both engines
  int ruled_out = 0;      // the explicit engine proved none exists
};

// Steps as bmc counts them: each action is one, each run of ticks is one delay.
int symbolic_steps(const Trace& t);

// bmc on every invariant and reachable property, to `depth`.
std::vector<PropertyResult> run_bmc(const Model& model, int depth);

// Returns "" when bmc agrees with the explicit results; otherwise one line per disagreement.
// check_earliest runs naive searches for the earliest time and the fewest symbolic steps, which
// bmc must match exactly: affordable on small models only.
std::string compare_engines(const Model& model, const std::vector<PropertyResult>& explicit_results, int depth,
                            Tally* tally, bool check_earliest);

}  // namespace interlock::testing

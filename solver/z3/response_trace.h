// A symbolic engine's counterexample to `response NAME: p leads_to q [within T]`, checked on the
// explicit semantics after its steps have replayed (solver/trace/replay.h), and marked as the
// explicit engine marks its own: where the trigger holds, and what the last state shows.
#pragma once

#include <string>

#include "model/model.h"
#include "solver/result.h"

namespace interlock {

struct ResponseCheck {
  std::string problem;  // empty when the trace shows a violation; otherwise why it does not
  std::string detail;   // the verdict's detail: when the trigger holds and what follows
};

// `fixed` has every parameter at the trace's values. Without a cycle (loop_start < 0) the trace
// must hold a state where p holds and q does not, followed by T + 1 ticks with q false in every
// state before the last of them; the trace is cut right after that tick. With a cycle (a lasso)
// the last state must equal the one at loop_start, some tick must lie on the cycle, and q must be
// false from a state where p holds (and q does not) through the end, the whole cycle included.
ResponseCheck confirm_response_violation(const Model& fixed, const Property& property, Trace& trace);

}  // namespace interlock

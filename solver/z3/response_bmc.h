// bmc for `response NAME: p leads_to q [within T]` (solver/z3/response_monitor.h), one property
// per solver: the observer's delays stop where p or q change, which would cost the other
// properties' searches steps.
//
// With `within T` it looks, depth by depth, for a state where a trigger has waited more than T
// ticks. Without it, for a lasso: a state reached twice, a trigger waiting all along the way
// between, and a delay on it: time passes forever without q (liveness to safety by comparing
// the states of one path, Biere, Artho, Schuppan 2002). Either trace is replayed on the
// explicit semantics and checked there (solver/z3/response_trace.h) before it is shown.
// Finding nothing within the depth proves nothing: unknown.
#pragma once

#include "model/model.h"
#include "solver/result.h"
#include "solver/run_context.h"

namespace interlock {

PropertyResult check_response_bmc(const Model& model, int property, RunContext& context, int max_depth,
                                  const std::string& engine = "bmc");

}  // namespace interlock

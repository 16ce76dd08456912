// Gives a Z3 solver what is left of the run's time limit (or no limit) for its next check.
#pragma once

#include <z3++.h>

#include <algorithm>

#include "solver/run_context.h"

namespace interlock {

inline void set_solver_timeout(z3::solver& solver, const RunContext& context) {
  z3::params p(solver.ctx());
  double left = context.limits().timeout_seconds > 0 ? context.limits().timeout_seconds - context.elapsed() : 0;
  p.set("timeout", context.limits().timeout_seconds > 0 ? static_cast<unsigned>(std::max(1.0, left * 1000)) : 4294967295u);
  solver.set(p);
}

}  // namespace interlock

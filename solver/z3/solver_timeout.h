// Gives a Z3 solver what is left of the run's time limit, and asks it questions with a second
// chance where its incremental core gives up.
#pragma once

#include <z3++.h>

#include <algorithm>
#include <optional>
#include <string>

#include "solver/run_context.h"

namespace interlock {

// Z3 catches Ctrl-C during a check unless told not to, and then only cancels that check: the
// run would go on. interlock's own handler (cli/process_guard.h) stops the whole run instead.
inline void keep_ctrl_c(z3::params& p) { p.set("ctrl_c", false); }

inline void set_solver_timeout(z3::solver& solver, const RunContext& context) {
  z3::params p(solver.ctx());
  keep_ctrl_c(p);
  double left = context.limits().timeout_seconds > 0 ? context.limits().timeout_seconds - context.elapsed() : 0;
  p.set("timeout", context.limits().timeout_seconds > 0 ? static_cast<unsigned>(std::max(1.0, left * 1000)) : 4294967295u);
  solver.set(p);
}

constexpr double kRetrySeconds = 10;  // the second chance on nonlinear arithmetic, at most

struct SolverAnswer {
  z3::check_result result = z3::unknown;
  std::optional<z3::model> model;  // when sat
  std::string reason;              // when unknown
};

// solver.check(assumptions); when the incremental core answers "incomplete" (nonlinear integer
// arithmetic, such as a product of two parameters), the same question again to Z3's solver for
// the whole logic, which tries its nonlinear tactics, with what is left of the time.
inline SolverAnswer check_with_retry(z3::solver& solver, const z3::expr_vector& assumptions, const RunContext& context) {
  set_solver_timeout(solver, context);
  SolverAnswer out;
  out.result = solver.check(assumptions);
  // An answer that comes as the run is stopped (Ctrl-C, a portfolio's other engine) is not
  // trusted: Z3 4.8.12 can answer a check cancelled midway wrongly.
  if (context.timed_out()) {
    out.result = z3::unknown;
    out.reason = "canceled";
    return out;
  }
  if (out.result == z3::sat) out.model = solver.get_model();
  if (out.result != z3::unknown) return out;
  out.reason = solver.reason_unknown();
  if (out.reason.find("incomplete") == std::string::npos || context.timed_out()) return out;
  // Z3's tactic for nonlinear integer problems (nlsat after preprocessing), for a short while.
  z3::solver whole = z3::tactic(solver.ctx(), "qfnia").mk_solver();
  for (const z3::expr& a : solver.assertions()) whole.add(a);
  for (const z3::expr& a : assumptions) whole.add(a);
  z3::params p(solver.ctx());
  keep_ctrl_c(p);
  const double left = context.limits().timeout_seconds > 0 ? context.limits().timeout_seconds - context.elapsed() : kRetrySeconds;
  p.set("timeout", static_cast<unsigned>(std::max(1.0, std::min(left, kRetrySeconds) * 1000)));
  whole.set(p);
  const z3::check_result again = whole.check();
  if (again == z3::unknown || context.timed_out()) return out;
  out.result = again;
  if (again == z3::sat) out.model = whole.get_model();
  return out;
}

// Whether `target` can hold on top of what `solver` holds, asked under a fresh literal `name` so
// that the question is not kept; when it cannot, !target is added, since it follows from what the
// solver holds (a bounded search's path so far) and need not be found again.
inline SolverAnswer ask_under_literal(z3::solver& solver, const z3::expr& target, const std::string& name,
                                      const RunContext& context) {
  z3::expr lit = solver.ctx().bool_const(name.c_str());
  solver.add(z3::implies(lit, target));
  z3::expr_vector assumptions(solver.ctx());
  assumptions.push_back(lit);
  SolverAnswer answer = check_with_retry(solver, assumptions, context);
  if (answer.result == z3::unsat) solver.add(!target);
  return answer;
}

}  // namespace interlock

#include "solver/z3/start_check.h"

#include "model/semantics.h"
#include "solver/z3/encoding.h"
#include "solver/z3/interrupt.h"
#include "solver/z3/solver_timeout.h"

namespace interlock {

namespace {

std::string values_text(const std::vector<std::pair<std::string, int64_t>>& values) {
  std::string out;
  for (const auto& [name, value] : values) out += (out.empty() ? "" : " ") + name + "=" + std::to_string(value);
  return out;
}

}  // namespace

StartCheck check_start(const Model& model, RunContext& context) {
  StartCheck out;
  z3::context ctx;
  Encoding enc(ctx, model);
  Interrupter interrupt(ctx, &context);
  z3::solver solver(ctx, z3::solver::simple());
  auto unknown = [&](const std::string& what, const std::string& reason) {
    out.outcome = StartCheck::Outcome::Unknown;
    out.detail = context.timed_out() ? "stopped while checking " + what + " (" + context.stop_reason() + ")"
                                     : "the solver could not decide " + what + " (" + reason + ")";
    return out;
  };
  const z3::expr_vector none(ctx);
  // Name the parameter values and let the explicit semantics say what fails there.
  auto failure_at = [&](const z3::model& m) {
    const std::vector<std::pair<std::string, int64_t>> values = enc.decode_params(m);
    Model fixed = with_params(model, values);
    Semantics semantics(fixed);
    std::vector<int32_t> state;
    ModelFault fault;
    if (semantics.initial(state, fault))
      throw std::logic_error("internal error: the symbolic encoding finds a failing start that the explicit semantics starts from");
    out.outcome = StartCheck::Outcome::ModelError;
    out.detail = fault.message + (values.empty() ? "" : " (with " + values_text(values) + ")");
    if (fault.loc.line > 0)
      out.detail += " at " + model.file + ":" + std::to_string(fault.loc.line) + ":" + std::to_string(fault.loc.col);
    return out;
  };
  if (!model.assumes.empty()) {
    z3::solver faults(ctx, z3::solver::simple());
    faults.add(enc.assumption_fault());
    SolverAnswer fault = check_with_retry(faults, none, context);
    if (fault.result == z3::unknown) return unknown("whether the spec's assumptions can be evaluated", fault.reason);
    if (fault.result == z3::sat) return failure_at(*fault.model);
  }
  solver.add(enc.parameters_ok());
  SolverAnswer any = check_with_retry(solver, none, context);
  if (any.result == z3::unknown) return unknown("whether the spec's assumptions can hold", any.reason);
  if (any.result == z3::unsat) {
    const bool all_fixed = !model.has_free_params();
    out.outcome = StartCheck::Outcome::ModelError;
    out.detail = all_fixed ? "the parameter values break an assumption of the spec"
                           : "no parameter values satisfy the spec's ranges and assumptions";
    return out;
  }
  solver.add(enc.initial_fault());
  SolverAnswer fails = check_with_retry(solver, none, context);
  if (fails.result == z3::unknown) return unknown("whether the initial state fails", fails.reason);
  if (fails.result == z3::unsat) return out;
  return failure_at(*fails.model);
}

bool apply_start_check(const StartCheck& check, std::vector<PropertyResult>& results) {
  if (check.outcome == StartCheck::Outcome::Ok) return false;
  for (PropertyResult& r : results) {
    r.verdict = check.outcome == StartCheck::Outcome::ModelError ? Verdict::ModelError : Verdict::Unknown;
    r.detail = check.detail;
    r.stopped_by_limit = check.outcome == StartCheck::Outcome::Unknown;
  }
  return true;
}

}  // namespace interlock

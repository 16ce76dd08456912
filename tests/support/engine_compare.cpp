#include "support/engine_compare.h"

#include "solver/z3/bmc_engine.h"
#include "support/test_models.h"

namespace interlock::testing {

// Steps as bmc counts them: each action is one, each run of ticks is one delay.
int symbolic_steps(const Trace& t) {
  int steps = 0;
  for (std::size_t i = 0; i < t.steps.size(); ++i)
    if (!t.steps[i].tick || i == 0 || !t.steps[i - 1].tick) ++steps;
  return steps;
}

std::vector<PropertyResult> run_bmc(const Model& model, int depth) {
  std::vector<int> props;
  for (std::size_t i = 0; i < model.properties.size(); ++i)
    if (model.properties[i].kind == Property::Kind::Invariant || model.properties[i].kind == Property::Kind::Reachable)
      props.push_back(static_cast<int>(i));
  Limits limits;
  limits.depth = depth;
  RunContext context(limits, nullptr);
  BmcEngine bmc;
  return bmc.check(model, props, context);
}

// Returns "" when the two engines agree on every property bmc checks.
std::string compare_engines(const Model& model, const std::vector<PropertyResult>& explicit_results, int depth,
                            Tally* tally, bool check_earliest) {
  auto bmc_results = run_bmc(model, depth);
  std::string problems;
  for (const auto& b : bmc_results) {
    const PropertyResult* e = nullptr;
    for (const auto& r : explicit_results)
      if (r.property == b.property) e = &r;
    if (!e || e->verdict == Verdict::ModelError) continue;
    const bool found_by_explicit = (e->kind == Property::Kind::Reachable) == (e->verdict == Verdict::Holds);
    const bool found_by_bmc = b.verdict == Verdict::Holds || b.verdict == Verdict::Violated;
    if (found_by_bmc && b.verdict != e->verdict)
      problems += b.property + ": bmc says " + verdict_name(b.verdict) + ", explicit says " + verdict_name(e->verdict) + "\n";
    if (found_by_explicit && !found_by_bmc && e->trace && symbolic_steps(*e->trace) <= depth)
      problems += b.property + ": explicit found it in " + std::to_string(symbolic_steps(*e->trace)) +
                  " symbolic steps, bmc did not within " + std::to_string(depth) + "\n";
    if (tally && found_by_bmc && found_by_explicit) ++tally->found_by_both;
    if (tally && !found_by_explicit) ++tally->ruled_out;
    if (found_by_bmc && b.trace && e->trace && symbolic_steps(*b.trace) > symbolic_steps(*e->trace))
      problems += b.property + ": bmc's trace has more symbolic steps than explicit's\n";
    if (check_earliest && found_by_bmc && b.trace && symbolic_steps(*b.trace) != fewest_symbolic_steps(model, b.property))
      problems += b.property + ": bmc's trace has " + std::to_string(symbolic_steps(*b.trace)) + " symbolic steps, the fewest are " +
                  std::to_string(fewest_symbolic_steps(model, b.property)) + "\n";
    if (check_earliest && found_by_bmc && b.trace) {
      int64_t ticks = 0;
      for (const Step& step : b.trace->steps) ticks += step.tick;
      int64_t earliest = earliest_time(model, b.property);
      if (earliest < 0 || ticks < earliest)
        problems += b.property + ": bmc's trace takes " + std::to_string(ticks) + " ticks, earlier than the earliest possible (" +
                    std::to_string(earliest) + ")\n";
    }
  }
  return problems;
}

}  // namespace interlock::testing

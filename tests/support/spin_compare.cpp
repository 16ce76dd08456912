#include "support/spin_compare.h"

#include <algorithm>
#include <optional>

namespace interlock::testing {
namespace {

struct Finding {
  enum class Kind { Decides, PropertyFault, StepFault, InitialFault, None } kind = Kind::None;
  int depth = -1;  // steps from the initial state; -1 without a trace
  // Its place in interlock's search: stored states of depth d at 2d, expansions at 2d + 1.
  int slot() const { return kind == Kind::StepFault ? 2 * depth + 1 : 2 * depth; }
};

const char* kind_name(Finding::Kind k) {
  switch (k) {
    case Finding::Kind::Decides: return "decided";
    case Finding::Kind::PropertyFault: return "model error in the property";
    case Finding::Kind::StepFault: return "model error in a step";
    case Finding::Kind::InitialFault: return "model error in the initial state";
    case Finding::Kind::None: return "nothing found";
  }
  return "?";
}

std::string describe(const Finding& f) {
  return std::string(kind_name(f.kind)) + (f.depth >= 0 ? " at depth " + std::to_string(f.depth) : "");
}

std::optional<int> failed_at(const SpinAnswer& spin, const std::string& label) {
  auto it = spin.first_failure.find(label);
  if (it == spin.first_failure.end()) return std::nullopt;
  return it->second;
}

int trace_length(const PropertyResult& r) { return r.trace ? static_cast<int>(r.trace->steps.size()) : -1; }

// What interlock found for a property, in the same terms.
Finding interlock_finding(const PropertyResult& r, bool invariant) {
  const int depth = trace_length(r);
  if (r.verdict == Verdict::ModelError) {
    if (depth < 0) return {Finding::Kind::InitialFault, -1};
    const bool in_property = r.detail.find("in property '") != std::string::npos;
    return {in_property ? Finding::Kind::PropertyFault : Finding::Kind::StepFault, depth};
  }
  const Verdict found = invariant ? Verdict::Violated : Verdict::Holds;
  if (r.verdict == found && depth >= 0) return {Finding::Kind::Decides, depth};
  const Verdict not_found = invariant ? Verdict::Holds : Verdict::Violated;
  if (r.verdict == not_found && depth < 0) return {Finding::Kind::None, -1};
  return {Finding::Kind::None, -2};  // matches nothing: an unknown, or a verdict without its trace
}

}  // namespace

std::string compare_property(const Model& model, int index, const PropertyResult& interlock, const SpinAnswer& spin) {
  const Property& p = model.properties[static_cast<std::size_t>(index)];
  const bool invariant = p.kind == Property::Kind::Invariant;
  const Finding got = interlock_finding(interlock, invariant);
  std::vector<Finding> allowed;
  if (failed_at(spin, "valid_initial_state")) {
    allowed.push_back({Finding::Kind::InitialFault, -1});
  } else {
    std::vector<Finding> seen;
    if (auto d = failed_at(spin, (invariant ? "invariant_" : "unreachable_") + p.name)) seen.push_back({Finding::Kind::Decides, *d});
    if (auto d = failed_at(spin, "evaluable_" + p.name)) seen.push_back({Finding::Kind::PropertyFault, *d});
    if (auto d = failed_at(spin, "no_model_error")) seen.push_back({Finding::Kind::StepFault, *d});
    if (seen.empty()) allowed.push_back({Finding::Kind::None, -1});
    int first = INT32_MAX;
    for (const Finding& f : seen) first = std::min(first, f.slot());
    for (const Finding& f : seen)
      if (f.slot() == first || (first % 2 == 1 && f.slot() == first + 1)) allowed.push_back(f);
  }
  for (const Finding& f : allowed)
    if (f.kind == got.kind && f.depth == got.depth) return "";
  std::string expected;
  for (const Finding& f : allowed) expected += (expected.empty() ? "" : " or ") + describe(f);
  return p.name + ": SPIN says " + expected + "; interlock says " + verdict_name(interlock.verdict) +
         (got.depth >= 0 ? " with a trace of " + std::to_string(got.depth) + " steps" : "") +
         (interlock.detail.empty() ? "" : " (" + interlock.detail + ")");
}

std::string compare_search(const PropertyResult& interlock, const SpinAnswer& spin) {
  const int depth = trace_length(interlock);
  if (failed_at(spin, "valid_initial_state")) {
    if (interlock.verdict == Verdict::ModelError && depth < 0) return "";
    return "SPIN finds the initial state invalid; interlock says " + std::string(verdict_name(interlock.verdict));
  }
  if (auto d = failed_at(spin, "no_model_error")) {
    if (interlock.verdict == Verdict::ModelError && depth == *d) return "";
    return "SPIN finds a model error at depth " + std::to_string(*d) + "; interlock says " +
           verdict_name(interlock.verdict) + (depth >= 0 ? " at depth " + std::to_string(depth) : "") + " (" +
           interlock.detail + ")";
  }
  if (interlock.verdict == Verdict::ModelError || interlock.verdict == Verdict::Unknown)
    return "SPIN finds no model error; interlock says " + std::string(verdict_name(interlock.verdict)) + " (" +
           interlock.detail + ")";
  if (interlock.stats.states != spin.states || interlock.stats.depth != spin.depth)
    return "SPIN stores " + std::to_string(spin.states) + " states, depth " + std::to_string(spin.depth) +
           "; interlock explores " + std::to_string(interlock.stats.states) + " states, depth " +
           std::to_string(interlock.stats.depth);
  return "";
}

}  // namespace interlock::testing

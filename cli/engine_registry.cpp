#include "cli/engine_registry.h"

#include "solver/explicit_engine.h"
#include "solver/z3/bmc_engine.h"
#include "solver/z3/chc_engine.h"
#include "solver/z3/kind_engine.h"

namespace interlock {

std::unique_ptr<Engine> make_engine(const std::string& name) {
  if (name == "explicit") return std::make_unique<ExplicitEngine>();
  if (name == "bmc") return std::make_unique<BmcEngine>();
  if (name == "chc") return std::make_unique<ChcEngine>();
  if (name == "kind") return std::make_unique<KInductionEngine>();
  return nullptr;
}

std::vector<std::string> engine_names() { return {"explicit", "bmc", "kind", "chc"}; }

std::vector<PropertyResult> check_auto(const Model& model, const std::vector<int>& properties, RunContext& context) {
  bool all_fixed = true;
  for (const Param& p : model.params) all_fixed = all_fixed && p.value.has_value();
  if (all_fixed) return ExplicitEngine().check(model, properties, context);
  std::vector<PropertyResult> results;
  ChcEngine chc;
  BmcEngine bmc;
  for (int index : properties) {
    const Property& p = model.properties[index];
    // Each property gets its own time budget, so one hard property cannot starve the rest.
    Limits limits = context.limits();
    if (limits.timeout_seconds <= 0) limits.timeout_seconds = kAutoSecondsPerProperty;
    RunContext own(limits, nullptr);
    if (p.kind == Property::Kind::Invariant) {
      results.push_back(chc.check(model, {index}, own).at(0));
    } else if (p.kind == Property::Kind::Reachable) {
      results.push_back(bmc.check(model, {index}, own).at(0));
    } else {
      PropertyResult r(p, "auto");
      r.detail = "with free parameters only invariant and reachable properties are checked; give every "
                 "parameter a value (--set) for the explicit engine";
      results.push_back(r);
    }
  }
  return results;
}

}  // namespace interlock

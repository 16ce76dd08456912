#include "cli/engine_registry.h"

#include "solver/explicit_engine.h"
#include "solver/z3/bmc_engine.h"

namespace interlock {

std::unique_ptr<Engine> make_engine(const std::string& name) {
  if (name == "explicit") return std::make_unique<ExplicitEngine>();
  if (name == "bmc") return std::make_unique<BmcEngine>();
  return nullptr;
}

std::vector<std::string> engine_names() { return {"explicit", "bmc"}; }

std::string auto_engine(const Model& model) {
  for (const Param& p : model.params)
    if (!p.value) return "bmc";
  return "explicit";
}

}  // namespace interlock

#include "solver/engine.h"
#include "solver/explicit_engine.h"

namespace interlock {

std::unique_ptr<Engine> make_engine(const std::string& name) {
  if (name == "explicit") return std::make_unique<ExplicitEngine>();
  return nullptr;
}

std::vector<std::string> engine_names() { return {"explicit"}; }

}  // namespace interlock

#include "cli/load_spec.h"

namespace interlock {

Model load_spec(const std::string& path, const LowerOptions& options, const RunContext& context) {
  LowerOptions limited = options;
  limited.stop_reason = [&context] { return context.timed_out() ? context.stop_reason() : std::string(); };
  return load_model(path, limited);
}

}  // namespace interlock

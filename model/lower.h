// Lowers a parsed spec into the model: resolves names, checks types and constant ranges,
// expands indexed machines and channel arrays, and computes each clock's saturation value.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "model/ast.h"
#include "model/model.h"

namespace interlock {

// Values given on the command line with --set NAME=VALUE.
using ParamOverrides = std::vector<std::pair<std::string, int64_t>>;

struct LowerOptions {
  ParamOverrides set;
  // --set NAME=02:30 (a time or a duration, as written): converted to ticks once the spec's unit
  // of time is known, then as `set`.
  std::vector<std::pair<std::string, std::string>> set_times;
  std::vector<std::string> free;  // params to leave free even if they have a default ("all" = every)
  // Asked now and then while a spec is lowered: a non-empty answer (why) stops loading with
  // LoadStopped. Without it, loading stops at a process-wide stop request (model/stop.h).
  std::function<std::string()> stop_reason;
};

// Loading stopped early at a limit of the run (Ctrl-C, --timeout, --memory): the run's answer is
// unknown (exit 3), the spec is not at fault. what() says which spec and why.
struct LoadStopped : std::runtime_error {
  using std::runtime_error::runtime_error;
};

Model lower(const ast::Spec& spec, Diagnostics& diags, const LowerOptions& options = {});

// Reads, parses and lowers a spec file; throws InputError with every diagnostic rendered.
Model load_model(const std::string& path, const LowerOptions& options = {});
Model load_model_from_text(const std::string& path, const std::string& text,
                           const LowerOptions& options = {});

}  // namespace interlock

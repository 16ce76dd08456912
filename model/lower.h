// Lowers a parsed spec into the model: resolves names, checks types and constant ranges,
// expands indexed machines and channel arrays, and computes each clock's saturation value.
#pragma once

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
  std::vector<std::string> free;  // params to leave free even if they have a default ("all" = every)
};

Model lower(const ast::Spec& spec, Diagnostics& diags, const LowerOptions& options = {});

// Reads, parses and lowers a spec file; throws InputError with every diagnostic rendered.
Model load_model(const std::string& path, const LowerOptions& options = {});
Model load_model_from_text(const std::string& path, const std::string& text,
                           const LowerOptions& options = {});

}  // namespace interlock

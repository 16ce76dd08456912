// `interlock compare`: every property of several specs (an original and its candidate fixes), one
// row per spec and one column per property, so the fixes can be weighed side by side.
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "cli/options.h"
#include "solver/lint/lint.h"
#include "solver/result.h"

namespace interlock {

struct CompareRow {
  std::string spec;    // the path given, or found in a folder
  std::string system;
  std::string time_unit;  // what a "value" counts: "minutes", "ticks"
  std::vector<PropertyResult> results;
  std::string error;   // the spec could not be checked: why
  bool unknown = false;  // ... because the run stopped (a limit, Ctrl-C), not because of the spec
  LintReport lint;       // with --lint on (the default): printed to stderr after the table
  std::string lint_error;  // why lint could not run, if it could not
};

// Spec files named directly, and every *.sched under named folders: a folder's own files first,
// then its subfolders', each level sorted by name.
std::vector<std::string> collect_specs(const std::vector<std::string>& paths);

// The table in `format` (text, markdown or json).
void print_comparison(std::ostream& out, const std::vector<CompareRow>& rows, const std::string& format);

int run_compare(const Options& options, std::ostream& out, std::ostream& err);

}  // namespace interlock

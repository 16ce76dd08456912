// Lint on the command line (solver/lint/): its warnings after `check`, `compare` and `synth`
// (--lint on, the default; on stderr, never changing the exit code), and `interlock lint SPEC`,
// which runs it alone.
#pragma once

#include <ostream>
#include <string>

#include "cli/options.h"
#include "solver/lint/lint.h"

namespace interlock {

// The text of the spec `model` was loaded from, to show expressions as it writes them; without
// constants' names if the file cannot be read again.
SpecText spec_text_of(const Model& model, const std::string& path);

// After a run: the warnings and a line saying what they cover; nothing when there are none.
void print_run_lint(std::ostream& err, const std::string& spec, const LintReport& report);

// Lint after a run, which must not change the run's outcome: whatever goes wrong in it is one
// line on `err` ("lint: not run: ..."), never an exception.
LintReport lint_after_run(const Model& model, const std::vector<int>& properties, const std::vector<PropertyResult>& results,
                          const std::string& spec, std::ostream& err);

// `interlock lint SPEC`: exit 0 when there is nothing to say, 1 with warnings, 2 for bad input or a
// model error met by the search, 3 when the search could not explore every reachable state.
int run_lint(const Options& options, std::ostream& out, std::ostream& err);

}  // namespace interlock

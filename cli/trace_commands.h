// `interlock simulate` (a random run, reproducible from its seed), `interlock replay` (a trace
// from another tool, in ITF, checked step by step against the spec) and `interlock explain` (the
// steps of a counterexample that matter).
#pragma once

#include <ostream>

#include "cli/options.h"

namespace interlock {

int run_simulate(const Options& options, std::ostream& out, std::ostream& err);
int run_replay(const Options& options, std::ostream& out, std::ostream& err);
int run_explain(const Options& options, std::ostream& out, std::ostream& err);

}  // namespace interlock

// `interlock synth SPEC --param P`: the values of P under which the spec's invariants (or those
// named with --prop) hold, the other parameters at their values (solver/analysis/synthesis.h).
#pragma once

#include <ostream>

#include "cli/options.h"

namespace interlock {

int run_synth(const Options& options, std::ostream& out, std::ostream& err);

}  // namespace interlock

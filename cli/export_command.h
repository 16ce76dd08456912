// `interlock export --promela SPEC`: the model as Promela on stdout, for SPIN (solver/export/).
#pragma once

#include <ostream>

#include "cli/options.h"

namespace interlock {

int run_export(const Options& options, std::ostream& out, std::ostream& err);

}  // namespace interlock

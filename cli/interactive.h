// `interlock simulate SPEC --interactive`: a person picks each step. At every state the possible
// steps are listed, numbered; a number takes one, `u` undoes the last, `s` shows the whole state,
// `q` ends. The run so far is then printed as a trace. Reads commands line by line, so it can be
// driven through a pipe.
#pragma once

#include <istream>
#include <ostream>

#include "cli/options.h"

namespace interlock {

int run_interactive(const Options& options, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace interlock

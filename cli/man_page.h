// `interlock man`: the manual page interlock(1) in roff, generated from the command line's
// definitions (cli/command_spec.h), so that it lists exactly the commands and options accepted.
#pragma once

#include <string>

#include "cli/command_spec.h"

namespace interlock {

std::string man_page(const CommandSpec& program, const std::string& version);

}  // namespace interlock

// `interlock completion bash`: a bash completion script generated from the command line's
// definitions (cli/command_spec.h): commands, each command's options, the choices of an option,
// spec files for SPEC, and a spec's property and parameter names for --prop, --set and --free.
#pragma once

#include <string>

#include "cli/command_spec.h"

namespace interlock {

std::string bash_completion(const CommandSpec& program);

}  // namespace interlock

#include <iostream>

#include "cli/commands.h"
#include "cli/process_guard.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  interlock::ProcessGuard guard(interlock::guard_limits(args));
  return interlock::run_command_line(args, std::cin, std::cout, std::cerr);
}

#include <iostream>

#include "cli/commands.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return interlock::run_command_line(args, std::cin, std::cout, std::cerr);
}

#include <iostream>
#include <optional>

#include "cli/commands.h"
#include "cli/process_guard.h"
#include "solver/explicit/native/background_compiles.h"

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::optional<interlock::ProcessGuard> guard;
  try {
    guard.emplace(interlock::guard_limits(args));
  } catch (const std::exception& e) {  // no thread to watch with: the run's own checks remain
    std::cerr << "interlock: warning: cannot watch the process's limits (" << e.what() << ")\n";
  }
  interlock::allow_background_compiles();  // a compile a short search ended before serves the next run
  return interlock::run_command_line(args, std::cin, std::cout, std::cerr);
}

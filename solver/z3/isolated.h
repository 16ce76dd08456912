// Runs a computation in a child process. Z3 4.8.12's Spacer can stop the whole process on an
// internal assertion (it calls exit); in a child that becomes "no answer", and a child that runs
// past its time is killed, which also bounds what a watchdog interrupt cannot. The child's exit()
// runs none of the parent's static destructors (its status is kept).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace interlock {

struct IsolatedResult {
  std::optional<std::string> output;  // what the computation returned, if it finished
  std::string failure;                // otherwise why not
};

// `stop`: asked every 100 ms; when it says so (Ctrl-C, a portfolio's other engine answered), the
// child is killed and the failure is "interrupted". `memory_bytes` (0: none) is what the child
// may allocate beyond what it starts with (--memory): past it, its allocations fail and it ends
// with no answer.
IsolatedResult run_isolated(const std::function<std::string()>& work, double seconds, const std::function<bool()>& stop,
                            uint64_t memory_bytes = 0);

}  // namespace interlock

// Random small specs for cross-checking engines: two to four machines, a rendezvous and a
// broadcast channel, clocks with invariants, urgent states, guards, choose, and reachability and
// invariant properties. Updates keep every variable in range, so no spec has a model error.
#pragma once

#include <cstdint>
#include <string>

namespace interlock::testing {

std::string random_spec(uint32_t seed);

}  // namespace interlock::testing

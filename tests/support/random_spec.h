// Random small specs for cross-checking engines: two to four machines, a rendezvous and a
// broadcast channel, clocks with invariants, urgent states, guards, choose, and reachability and
// invariant properties. Updates keep every variable in range, so no spec has a model error.
#pragma once

#include <cstdint>
#include <string>

namespace interlock::testing {

std::string random_spec(uint32_t seed);

// `text`, a random spec, with `response u01: R0 leads_to R1;` and `response w01: R0 leads_to R1
// within BOUND;` over the conditions of its own reachable properties r0 and r1.
std::string with_responses(const std::string& text, int bound);

}  // namespace interlock::testing

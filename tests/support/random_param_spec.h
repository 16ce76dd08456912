// Random small timed specs with parameters, for checking synthesis and the symbolic engines
// against the explicit engine at every parameter value: two or three machines whose clock
// guards, invariants, variable guards, choose ranges and updates read three parameters with
// small ranges (A, B, C), and one or two invariants. Some specs have model errors at some values
// (a division by a parameter that may be 0, an update out of range).
#pragma once

#include <cstdint>
#include <string>

namespace interlock::testing {

std::string random_param_spec(uint32_t seed);

}  // namespace interlock::testing

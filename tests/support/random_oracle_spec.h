// Random small specs that use every construct of the language, for the cross-check against SPIN
// (tests/solver/spin_oracle_test.cpp): plain and indexed machines (`machine W[i : 0..N-1]`),
// rendezvous, broadcast and channel arrays, clocks, urgent states, state invariants (some reading
// other machines' variables and states), choose (constant and state-dependent ranges, two at
// once), arrays, enumerations, parameters, `?:`, `/`, `%`, `=>`. About a third of the specs may
// also fail at run time: assignments out of range, division by zero, an index outside its array,
// a choose range of more than 65536 values, an invariant or a property that cannot be evaluated.
// random_spec() (random_spec.h) stays as it was, for the tests that use its specs.
#pragma once

#include <cstdint>
#include <string>

namespace interlock::testing {

std::string random_oracle_spec(uint32_t seed);

}  // namespace interlock::testing

// Random small specs with indexed machines, for symmetry reduction (solver/explicit/symmetry.h):
// a family A[i : 0..N-1] (N = 2 or 3) of copies with a clock, a local variable and edges that use
// a shared variable, a global array indexed by the copy's own index, a rendezvous channel, a
// broadcast channel and a channel array d[N]; sometimes a second family B[i] that meets A[i] over
// d[i], and a plain machine. Most properties quantify over every copy; some specs single one copy
// out (a guard on `i == 0`, a property on A[0]), so that both outcomes of the detection are
// exercised. Updates keep every variable in range, so no spec has a model error. With `delays`,
// the same spec (the same text first) ends with responses and delay maxima between such
// conditions, which the explicit engine answers on its transition graph.
#pragma once

#include <cstdint>
#include <string>

namespace interlock::testing {

std::string random_indexed_spec(uint32_t seed, bool delays = false);

}  // namespace interlock::testing

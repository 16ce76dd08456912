// Small specs whose delays are computed by hand, shared by the tests of the one-process search
// (tests/solver/delay_test.cpp) and of the distributed one (tests/mpi/mpi_agreement_test.cpp).
#pragma once

namespace interlock::testing {

// A waits at most 3 ticks (its invariant) before it moves to B, and B at most 5 before it moves
// back; in B the clock reaches 5.
inline constexpr const char* kTwoStatesDelays = R"(
  system d1;
  machine M {
    clock c;
    state A { invariant c <= 3; }
    state B { invariant c <= 5; }
    init A;
    A -> B when c >= 1 do c := 0;
    B -> A when c >= 2 do c := 0;
  }
  response ab: M.A leads_to M.B;
  response ab2: M.A leads_to M.B within 2;
  response ab3: M.A leads_to M.B within 3;
  maximum wait_a: M.A leads_to M.B;
  maximum wait_b: M.B leads_to M.A;
  maximum c_in_b: M.c when M.B;
  maximum never: M.c when M.A && M.B;
)";

}  // namespace interlock::testing

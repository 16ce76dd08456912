// The run behind a path of stored states, for the explicit searches' traces (one process:
// Explorer; many: solver/distributed/). Each state of the path is a successor of the one before,
// as the search stored it: packed, and under symmetry reduction the representative of its orbit.
#pragma once

#include <cstddef>
#include <cstdint>

#include "model/function_ref.h"
#include "model/layout.h"
#include "model/semantics.h"
#include "solver/explicit/symmetry.h"
#include "solver/result.h"

namespace interlock {

// The steps between the `length` states state_at(0..length-1) (each with StateLayout::kPadding
// readable bytes after it). Without symmetry the trace's states are the path's; with it the
// trace starts from the real initial state and follows, at each step, the real successor whose
// representative is the next state of the path, so it is a run of the model as written. When an
// action and a tick lead to the same state the tick is shown: a cycle through it then visibly
// lets time pass. Throws std::logic_error if two states of the path have no step between them.
Trace trace_through(Semantics& semantics, const StateLayout& layout, const Symmetry* symmetry, std::size_t length,
                    FunctionRef<const uint8_t*(std::size_t)> state_at);

// A lasso: the path's last state is the one at `loop_at`, and the trace's loop_start says where
// its cycle begins. With symmetry the cycle of representatives, followed from a real state, may
// end in a permutation of that state: the cycle is then taken again, round after round, until a
// round begins in a real state an earlier round began in (each round is determined by the state
// it starts from, and an orbit is finite), and the trace loops from that earlier round.
Trace lasso_through(Semantics& semantics, const StateLayout& layout, const Symmetry* symmetry, std::size_t length,
                    std::size_t loop_at, FunctionRef<const uint8_t*(std::size_t)> state_at);

}  // namespace interlock

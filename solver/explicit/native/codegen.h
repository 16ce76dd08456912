// The successor function of one model as C++ source, to be compiled to native code (as SPIN
// compiles its pan.c): parameters, the state layout, guards, updates and invariants become
// straight-line code instead of bytecode run by model/eval.h.
//
// The generated function takes a packed state and writes its successors, packed, in exactly the
// order and with exactly the values of Semantics::successors (actions, then the tick), so the
// search can switch between the two at any state. It handles no fault: where the interpreter
// would report one (a value out of range, a division by zero), or could report one, it returns
// kNativeAskInterpreter and the interpreter expands that state instead.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/dead_clocks.h"
#include "model/layout.h"
#include "model/model.h"

namespace interlock {

// int interlock_successors_v3(const uint8_t* state, uint8_t* out, uint8_t* is_tick, int capacity,
// uint8_t* taken, int32_t* actions): the number of successors written (each layout.bytes() long,
// one after the other, is_tick[k] set for the tick), or one of the codes below. `out` must have
// StateLayout::kPadding bytes after the last of its `capacity` states, and `state` as many after
// it (a field is read and rewritten with one unaligned 64-bit access). `taken` has one byte per edge of
// the model: the function sets taken[e] to 1 for every edge of every action it writes (what
// lint's unreached report reads, solver/lint/), and leaves the others as they are. A state it
// hands back may have set some already: those are edges of actions the interpreter takes too.
// `actions`, if not null, has native_action_stride(model) entries per successor: for each action
// written, its number of edges and then its edges (Step::edges, as the interpreter gives them:
// what partial-order reduction needs); nothing for the tick.
inline constexpr const char* kNativeEntry = "interlock_successors_v3";
using NativeSuccessorsFn = int (*)(const uint8_t* state, uint8_t* out, uint8_t* is_tick, int capacity, uint8_t* taken,
                                   int32_t* actions);
inline constexpr int kNativeAskInterpreter = -1;  // expand this state with the interpreter
inline constexpr int kNativeNeedsRoom = -2;       // more successors than `capacity`: retry with more

// Entries per successor in the `actions` array: the count, and an edge per machine at most (an
// emitter and one receiving edge of each other machine).
inline std::size_t native_action_stride(const Model& model) { return model.instances.size() + 1; }

// `params` are the parameter values (as Semantics::param_values), `dead` the clocks held at 0
// (as Semantics::dead_clocks; empty for none).
std::string native_source(const Model& model, const std::vector<int64_t>& params, const DeadClocks& dead,
                          const StateLayout& layout);

}  // namespace interlock

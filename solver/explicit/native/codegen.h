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

// int interlock_successors_v1(const uint8_t* state, uint8_t* out, uint8_t* is_tick, int capacity):
// the number of successors written (each layout.bytes() long, one after the other, is_tick[k]
// set for the tick), or one of the codes below.
inline constexpr const char* kNativeEntry = "interlock_successors_v1";
using NativeSuccessorsFn = int (*)(const uint8_t* state, uint8_t* out, uint8_t* is_tick, int capacity);
inline constexpr int kNativeAskInterpreter = -1;  // expand this state with the interpreter
inline constexpr int kNativeNeedsRoom = -2;       // more successors than `capacity`: retry with more

// `params` are the parameter values (as Semantics::param_values), `dead` the clocks held at 0
// (as Semantics::dead_clocks; empty for none).
std::string native_source(const Model& model, const std::vector<int64_t>& params, const DeadClocks& dead,
                          const StateLayout& layout);

}  // namespace interlock

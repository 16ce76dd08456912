// What a condition is for every state at once, by interval arithmetic over the slots' ranges
// (model/intervals.h): surely true, surely false, or either. Lint uses it to leave out what the
// parameters switch off (`when THRESHOLD_ON == 1 && ...` with THRESHOLD_ON = 0): an option left
// off is not a modelling trap.
#pragma once

#include "model/intervals.h"
#include "model/model.h"

namespace interlock {

enum class Tri { False, True, Unknown };

inline Tri tri_not(Tri t) { return t == Tri::Unknown ? t : t == Tri::True ? Tri::False : Tri::True; }

// `eval` carries the model (its parameters at their values, or free over their ranges) and the
// edge whose choose values `e` may read.
Tri surely(const Expr& e, IntervalEval& eval);

// The edge's guard is false in every state with the model's parameter values, but not with every
// parameter free over its range: the parameters switch the edge off. `open` is the model with
// every parameter free.
bool switched_off(const Model& model, const Model& open, int edge);

// The edge's guard is false in every state, whatever enables it.
bool never_enabled(const Model& model, int edge);

}  // namespace interlock

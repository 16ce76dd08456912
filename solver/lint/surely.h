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

// `a && b`, `a || b`, `a => b` (op And, Or or Implies) over three values: an absorbing operand
// decides it, an unknown one leaves it unknown.
inline Tri tri_connective(Expr::Op op, Tri a, Tri b) {
  if (op == Expr::Op::Implies) a = tri_not(a);
  const Tri absorbing = op == Expr::Op::And ? Tri::False : Tri::True;
  if (a == absorbing || b == absorbing) return absorbing;
  if (a == Tri::Unknown || b == Tri::Unknown) return Tri::Unknown;
  return tri_not(absorbing);
}

// `c ? a : b` over three values.
inline Tri tri_choice(Tri c, Tri a, Tri b) {
  if (c == Tri::True) return a;
  if (c == Tri::False) return b;
  return a == b ? a : Tri::Unknown;
}

// `eval` carries the model (its parameters at their values, or free over their ranges) and the
// edge whose choose values `e` may read.
Tri surely(const Expr& e, IntervalEval& eval);

// The edge's guard is false in every state with the model's parameter values, but not with every
// parameter free over its range: the parameters switch the edge off. `open` is the model with
// every parameter free.
bool switched_off(const Model& model, const Model& open, int edge);

// The edge's guard is false in every state, whatever enables it.
bool never_enabled(const Model& model, int edge);

// The edge's guard is true in every state (or it has none): `tok == 3 || i == 2` in copy 2.
bool always_enabled(const Model& model, int edge);

}  // namespace interlock

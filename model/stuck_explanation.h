// Why nothing can happen in a state (a deadlock or a timelock), for a person reading a trace: why
// time cannot pass (an urgent state, a due `asap` edge, an invariant and the values it reads), or
// that it passes for ever, and why each edge out of the machines' current states is disabled (its
// guard and the values it reads, a channel with no partner, an empty `choose` range, an invariant
// the action would break). Evaluated with the explicit semantics, so it says what the search saw.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "model/semantics.h"

namespace interlock {

struct StuckExplanation {
  // The first line is about time; then one line per edge (or per machine with no edge out of its
  // state), machine by machine, at most `max_edge_lines` of them and then "and N more".
  std::vector<std::string> lines;
};

// `state` is a state of `semantics`' model, reached at time `now` (ticks since the start: the
// time shown in lines such as "until 02:30"). When time can pass there, ticks are followed until
// time stops or nothing changes any more, and the edges are explained in that later state, as the
// time line says.
StuckExplanation explain_stuck(Semantics& semantics, const std::vector<int32_t>& state, int64_t now,
                               std::size_t max_edge_lines = 12);

// An expression as the spec writes it, with names for slots, parameters, enums and states; the
// prefix "M." is left out of the slots of machine instance `own` (-1: none).
std::string expr_text(const Model& model, const Expr& e, int own = -1);
// The same, with each integer constant shown as `constant` gives it (as the source writes it, say:
// `02:00`, `DAY`), or as a number when it gives "".
using ConstantText = std::function<std::string(const Expr&)>;
std::string expr_text(const Model& model, const Expr& e, int own, const ConstantText& constant);

}  // namespace interlock

// Each clock saturates one above the largest value it is compared with (docs/language.md), so
// the state space is finite while no guard, invariant or property can tell the difference. That
// value may come from a parameter (`c == JOB`), so it belongs to the parameters' values: it is
// computed from the lowered model, each parameter at its value or over its whole range when free,
// and computed again whenever parameter values change (model/model.h, with_params).
#pragma once

#include <vector>

#include "model/model.h"

namespace interlock {

// The largest value a clock may be compared with: its saturation value, one above, is stored in
// a 32-bit slot.
constexpr int64_t kMaxClockComparison = (INT64_C(1) << 31) - 2;

// Sets every clock's `hi`. Returns the clocks compared with values beyond kMaxClockComparison
// (their `hi` is then 1): the caller reports them.
std::vector<int> bound_clocks(Model& model);

}  // namespace interlock

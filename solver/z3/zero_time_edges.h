// Which edges can lie on a cycle of actions that takes no time (a zero-time cycle: the run acts
// forever and time stops), found from the spec alone.
//
// A machine's moves along such a cycle form a closed walk in its own edge graph, repeated for
// ever. If the walk resets a clock x (to at most R, the largest value any update gives x) and
// takes an edge whose guard needs x >= b with b > R, then after the reset that edge waits for a
// tick: no clock advances otherwise, and only x's own machine resets it. So each closed walk
// avoids, for every clock, its resets or its edges that need time; an edge lies on such a walk
// only if, for some choice of which set each clock avoids, it lies inside a strongly connected
// part of what is left. A synchronised edge needs a partner that can lie on one too; removing
// edges can break walks, so the two are repeated until nothing changes. The edges left over-
// approximate every edge a zero-time cycle can use (`KB`: a user queueing a message and RSC
// starting the next one; every other edge needs time).
#pragma once

#include <vector>

#include "model/model.h"

namespace interlock {

// Per edge of the model: whether it may be taken on a zero-time cycle.
std::vector<bool> zero_time_edges(const Model& model);

}  // namespace interlock

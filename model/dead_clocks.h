// Dead clocks (active-clock reduction, as in Daws and Yovine 1996): a clock whose value cannot
// matter in a machine's current state, because every way on from there resets it before anything
// reads it, can be held at 0 there. States that differ only in such a clock then become one, and
// every verdict stays the same. RSC's transmission clock while RSC is idle is the typical case.
//
// Conservative: a clock that another machine, an update of another variable outside its own
// machine's edges, or a checked property reads is never dead.
#pragma once

#include <vector>

#include "model/model.h"

namespace interlock {

// For each machine instance and each of its locations: the clock slots that are dead there.
using DeadClocks = std::vector<std::vector<std::vector<int>>>;

DeadClocks dead_clocks(const Model& model, const std::vector<int>& properties);

bool any_dead(const DeadClocks& dead);

}  // namespace interlock

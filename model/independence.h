// Static independence of actions: two actions that involve different machines, where neither
// writes what the other reads or writes, and no invariant reads what both write, can be taken in
// either order from any state where both are possible, with the same result and with every
// state in between keeping every invariant. The bounded model checker uses it to consider one
// order of such neighbours only (solver/z3/encoding.h).
#pragma once

#include <vector>

#include "model/model.h"

namespace interlock {

struct Footprint {
  std::vector<bool> machines;  // by instance
  std::vector<bool> reads;     // by slot: guards, choose bounds, update values and indexes, locations
  std::vector<bool> writes;    // by slot: update targets (arrays whole), locations of moving machines
};

// The footprint of an action made of `edges` (an internal edge, a rendezvous pair, or a
// broadcast's emitter with every edge that could receive it).
Footprint footprint_of(const Model& model, const std::vector<int>& edges);

// Whether the two actions commute in the sense above. `invariant_reads` is, per location
// invariant in the model, the slots it reads together with its machine's location slot.
bool independent(const Footprint& a, const Footprint& b, const std::vector<std::vector<bool>>& invariant_reads);

std::vector<std::vector<bool>> invariant_reads(const Model& model);

// Whether every invariant, once true after a delay, was true before it: each is a conjunction of
// clock-free conditions and upper bounds `t <= e`, `t < e` on a clock t with a clock-free e.
bool invariants_monotone_in_time(const Model& model);

// Whether an action (its `edges` and footprint) can be moved from just after a delay to just
// before it, ending in the same state: it reads and resets no clock, enters no urgent state, and
// writes nothing that decides whether an `asap` edge is due (`asap`, from asap_reads(model)).
// Sound only when invariants_monotone_in_time(model).
bool commutes_with_delay(const Model& model, const Footprint& action, const std::vector<int>& edges,
                         const std::vector<bool>& asap);

// The slots that decide whether some `asap` edge is due: the guards and choose bounds of the
// `asap` edges and of every edge on a channel that an `asap` edge uses, and those edges'
// machines' locations.
std::vector<bool> asap_reads(const Model& model);

// Whether `edge` is `asap` and its guard can hold (by interval arithmetic, each parameter at its
// value when it has one): `when THRESHOLD_ON == 1 && ...` with THRESHOLD_ON = 0 never falls due.
bool may_be_due(const Model& model, const Edge& edge);

}  // namespace interlock

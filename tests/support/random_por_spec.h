// Random small specs made for partial-order reduction (solver/explicit/partial_order.h) to have
// something to remove: three or four machines, most of whose steps touch only their own variable
// at the same instant, beside a few that write a shared variable, a rendezvous and a broadcast
// channel, clocks with invariants, urgent states and `asap` edges. Properties read some machines'
// own variables and states (so their steps are visible) and leave others alone; some are made to
// fail, so that violations behind postponed steps are looked for. Updates keep every variable in
// range: no spec has a model error. The other generators' specs are shrunk by the reduction only
// now and then (3 of 200 random_spec() specs), as their machines share most of what they touch.
#pragma once

#include <cstdint>
#include <string>

namespace interlock::testing {

std::string random_por_spec(uint32_t seed);

}  // namespace interlock::testing

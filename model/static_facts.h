// Facts that hold in every reachable state, found from the spec alone, without a search: each
// machine is in a location it can reach from its initial one in its own edge graph (guards and
// partners aside), and a variable that is assigned only constants holds one of them or its
// initial value. k-induction adds them to its step case, where a state need not be reachable:
// they rule out many unreachable states that would otherwise start a path to a bad state.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "model/model.h"

namespace interlock {

struct StaticFacts {
  std::vector<std::vector<int>> locations;          // per instance: its reachable locations
  std::vector<std::optional<std::vector<int64_t>>> values;  // per slot: its possible values, when known
};

StaticFacts static_facts(const Model& model);

}  // namespace interlock

// The explicit-state engine: breadth-first search over packed states (see explorer.h).
// Invariants and reachability are checked on each new state, so the first counterexample or
// witness is a shortest one; deadlock freedom is decided after the search, by following each
// action-less state's ticks until an action becomes possible, time stops, or time passes forever.
#pragma once

#include "solver/engine.h"

namespace interlock {

class ExplicitEngine : public Engine {
 public:
  std::string name() const override { return "explicit"; }
  std::vector<PropertyResult> check(const Model& model, const std::vector<int>& properties,
                                    RunContext& context) override;
};

}  // namespace interlock

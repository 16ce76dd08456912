// The explicit-state engine: breadth-first search over packed states (see explorer.h).
// Invariants and reachability are checked on each new state, so the first counterexample or
// witness is a shortest one; deadlock freedom is decided after the search, by following each
// action-less state's ticks until an action becomes possible, time stops, or time passes forever.
#pragma once

#include "solver/engine.h"

namespace interlock {

class ExplicitEngine : public Engine {
 public:
  // `reduce`: search a reduced model (cone of influence, dead clocks held at 0); the verdicts
  // are the same, the state counts smaller. Tests that count the states of the plain semantics
  // turn it off.
  explicit ExplicitEngine(bool reduce = true) : reduce_(reduce) {}
  std::string name() const override { return "explicit"; }
  std::vector<PropertyResult> check(const Model& model, const std::vector<int>& properties,
                                    RunContext& context) override;

 private:
  bool reduce_;
};

}  // namespace interlock

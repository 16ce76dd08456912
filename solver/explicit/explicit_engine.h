// The explicit-state engine: breadth-first search over packed states (see explorer.h).
// Invariants and reachability are checked on each new state, so the first counterexample or
// witness is a shortest one; deadlock freedom is decided after the search, by following each
// action-less state's ticks until an action becomes possible, time stops, or time passes forever.
#pragma once

#include <vector>

#include "model/model.h"
#include "solver/engine.h"
#include "solver/result.h"

namespace interlock {

// Says under each trace that ends in a deadlock or a timelock (Trace::stuck) why nothing can
// happen there, on `model`, the whole model (the traces' states are the whole model's).
std::vector<PropertyResult> with_why(const Model& model, std::vector<PropertyResult> results);

// A trace found on a reduced model (model/cone.h, model/dead_clocks.h) with the whole model's
// values: its steps replayed on `whole`; a lasso's cycle is taken again until it comes back to a
// state of the whole model it was in (solver/trace/replay.h, close_cycle).
void lift_to_whole(const Model& whole, Trace& trace);

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

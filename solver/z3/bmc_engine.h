// Bounded model checking with Z3 (Biere, Cimatti, Clarke, Zhu 1999): the transition relation of
// solver/z3/encoding.h unrolled one step at a time in a single incremental solver, asking at
// each depth whether a state that violates an invariant (or reaches a `reachable` condition) is
// reachable in exactly that many steps. The first answer is therefore one with the fewest
// symbolic steps (a delay of any length is one step). Parameters left free take whatever values
// the solver picks within their ranges and assumptions; the trace names them.
//
// Every counterexample is replayed on the explicit semantics with those parameter values before
// it is shown; one that does not replay is an internal error, never a verdict. Finding nothing up
// to the depth bound proves nothing: the verdict is unknown.
#pragma once

#include <optional>

#include "model/semantics.h"
#include "solver/engine.h"

namespace interlock {

// The explicit semantics' fault when it expands `state`, if any (the step that fails and why).
std::optional<ModelFault> expansion_fault(const Model& model, const std::vector<int32_t>& state);
// A fault's message with its place in the spec, "... at FILE:LINE:COL".
std::string located_fault(const Model& model, const ModelFault& fault);

// For the proof engines: a violation (or a possible model fault) is reachable, so bmc is run to
// find and replay its trace. Gives `res` the verdict and trace, or says why there is none.
void trace_with_bmc(const Model& model, int property, RunContext& context, const std::string& finding,
                    PropertyResult& res);

class BmcEngine : public Engine {
 public:
  static constexpr int kDefaultDepth = 20;
  std::string name() const override { return "bmc"; }
  std::vector<PropertyResult> check(const Model& model, const std::vector<int>& properties,
                                    RunContext& context) override;
};

}  // namespace interlock

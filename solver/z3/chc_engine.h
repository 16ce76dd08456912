// Unbounded proofs with constrained Horn clauses, solved by Z3's Spacer (Komuravelli, Gurfinkel,
// Chaki 2014). One predicate Inv(params, state) stands for the reachable states:
//
//   params ok /\ initial(s)            => Inv(p, s)
//   Inv(p, s) /\ step(s, s')           => Inv(p, s')
//   Inv(p, s) /\ (bad(s) \/ fault(s))  => false
//
// Satisfiable means safe for every parameter value the ranges and assumptions allow, and the
// model's Inv is an inductive invariant; interlock re-checks it (initiation, consecution,
// safety) with a plain SMT solver before saying "holds". Unsatisfiable means a violation or a
// model fault is reachable: bmc is then run to find the trace, which is replayed as usual.
// Spacer is tried with its interpolation option off, then on (a small portfolio): on timed
// models one of the two settings can diverge where the other answers at once.
#pragma once

#include "solver/engine.h"

namespace interlock {

class ChcEngine : public Engine {
 public:
  static constexpr double kDefaultTimeout = 60;
  std::string name() const override { return "chc"; }
  std::vector<PropertyResult> check(const Model& model, const std::vector<int>& properties,
                                    RunContext& context) override;
};

}  // namespace interlock

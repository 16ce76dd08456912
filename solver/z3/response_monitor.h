// `response NAME: p leads_to q [within T]` in the symbolic engines: the model's transition
// relation (solver/z3/encoding.h) in product with an observer, the usual reduction of a bounded
// response to an invariant. Beside the model's state the observer keeps
//
//   pending: a trigger waits: since the last state where q held, some state satisfied p and not
//            q (the same state counts, so p && q triggers nothing);
//   waited:  ticks since the earliest waiting trigger, up to bound + 1 (a later trigger can only
//            wait less, so the earliest one is all a violation needs).
//
// After each step it adds the step's ticks to `waited`; the trigger is violated when more than
// `bound` ticks have passed (the tick that reaches q counts, as in the explicit engine, so q
// holding right after tick T + 1 is still a violation); otherwise q in the new state releases
// it, and p && !q there starts a new one. `pending && waited > bound` is then a bad state: with
// bound T it is exactly the explicit engine's "a run that lets T + 1 ticks pass without q".
//
// A delay of d ticks passes d - 1 states the observer would not see. It may not pass an instant
// where p or q changes in a way the observer must see (q while a trigger waits, p && !q while
// none does): those instants are where a clock of a comparison in p or q reaches its bound or
// one more, so the condition is exact and without quantifiers, as for `asap` edges.
//
// With Bound::Liveness the bound is a number of ticks larger than the model has states: a run
// that waits longer must repeat a state with a tick between, a cycle where time passes forever
// without q. Proving the bound (k-liveness) proves that no such cycle exists; it holds whatever
// the number, so proofs never depend on it.
#pragma once

#include <z3++.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "model/model.h"
#include "solver/result.h"
#include "solver/z3/encoding.h"

namespace interlock {

// Whether `within T` can be evaluated, and is not negative, at every parameter value the ranges
// and assumptions allow. The explicit engine refuses such a bound; so, where it fails, `res`
// becomes a model error naming the values (or unknown when the solver cannot tell) and the
// answer is false.
bool settle_bound(const Model& model, const Property& property, PropertyResult& res);

class ResponseProduct {
 public:
  // Within: the property's own `within T`. Liveness: see above. None: `pending` only, for bmc's
  // search for lassos.
  enum class Bound { Within, Liveness, None };

  // `cycles`: the product also watches for a cycle of actions without a tick while a trigger
  // waits (liveness to safety, Biere, Artho, Schuppan 2002): at some step where a trigger waits it
  // may copy the state it leaves; from then on it takes actions only, a trigger waits all along,
  // and coming back to the copy closes such a cycle (cycle_closed).
  ResponseProduct(z3::context& ctx, const Model& model, const Property& property, Bound bound, bool cycles = false);
  ResponseProduct(const ResponseProduct&) = delete;
  ResponseProduct& operator=(const ResponseProduct&) = delete;

  Encoding& encoding() { return enc_; }
  const Property& property() const { return property_; }

  struct State {
    SymState s;
    z3::expr pending;  // 0 or 1
    z3::expr waited;   // the constant 0 with Bound::None
    z3::expr copied;   // 0 or 1: the copy is taken (the constant 0 without `cycles`)
    SymState copy;     // the state copied (empty without `cycles`)
  };
  State state(int step);
  // The model's ranges and the observer's.
  z3::expr in_ranges(const State& x);
  // The initial state, and the observer on it (parameters aside: Encoding::parameters_ok).
  z3::expr initial(const State& x);
  // One step of the model and of the observer, from `from` to `to`.
  z3::expr transition(int step, const State& from, const State& to,
                      Encoding::InvariantPlacement placement = Encoding::InvariantPlacement::PerStep);
  // Encoding::canonical_order for steps `step` and `step + 1`, and two delays in a row only
  // where the observer's state changes between them (otherwise one delay of their sum is as good).
  z3::expr path_rules(int step, const State& before, const State& middle);

  // A trigger has waited more than the bound.
  z3::expr violated(const State& x);
  // A step from here fails, or p or q cannot be evaluated here: a model error.
  z3::expr fault(int step, const State& x);
  // Back at the copied state (with `cycles`): a cycle of actions without a tick, a trigger
  // waiting all along.
  z3::expr cycle_closed(const State& x);
  // A trigger waits here, and neither a tick nor an action is possible (Encoding::some_action
  // under-approximates actions, so this may hold where some action is possible: a time stop
  // that is not there costs an `unknown`, never a verdict).
  z3::expr time_stops(int step, const State& x);
  // What holds in every reachable product state: the observer's ranges and a waiting trigger
  // has not seen q (unless it has already waited too long).
  z3::expr consistent(const State& x);
  // The terms of a state, model first (Horn arguments, distinct states).
  std::vector<z3::expr> terms(const State& x) const;
  // The same model state with a trigger waiting in both (a lasso closes).
  z3::expr same_waiting(const State& a, const State& b);

  // p (and not fault), q, in a model state.
  z3::expr trigger(const SymState& s) { return enc_.condition(*property_.a, s) && !enc_.condition(*property_.b, s); }
  z3::expr target(const SymState& s) { return enc_.condition(*property_.b, s); }

  // The bound as a term, and the largest value it can take (for decoding long delays).
  const z3::expr& bound() const { return bound_; }
  int64_t bound_top() const { return bound_top_; }

 private:
  static std::vector<bool> observed_slots(const Model& model, const Property& property);
  void find_atoms();
  // Whether the observer sees nothing change at u, given whether a trigger waits.
  z3::expr unchanged_at(const z3::expr& pending, const SymState& u);

  z3::context& ctx_;
  const Model& model_;
  const Property& property_;
  Bound kind_;
  bool cycles_;
  std::vector<bool> observed_;
  Encoding enc_;
  z3::expr bound_;
  int64_t bound_top_ = 0;
  std::vector<std::pair<int, Expr>> atoms_;  // (clock slot, bound) of the comparisons in p and q
  bool single_ticks_ = false;                // a clock read some other way: every delay one tick
};

}  // namespace interlock

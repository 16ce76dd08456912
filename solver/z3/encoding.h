// The model's transition relation in Z3, shared by the symbolic engines.
//
// A symbolic state is one integer term per slot (booleans as 0/1). A step is either a delay
// (every clock advances by a symbolic d >= 1, saturating, when no machine is urgent and every
// invariant holds after it; invariants are upper bounds on clocks, so they hold in between) or
// one action group: an internal edge, a rendezvous pair, or a broadcast whose receivers are
// chosen by per-machine selector inputs. Which group fired, the choose values, the selectors and
// the delay are inputs of the step, read back from a model to rebuild the explicit steps.
//
// Parameters without a value are free constants constrained by their ranges and every assume.
//
// Faults. Z3's integers are unbounded and its `x / 0` is an unconstrained value, so every
// partial operation is guarded: each translated expression comes with the condition under which
// the explicit semantics would fail to evaluate it (division by zero, a result beyond 64 bits, an
// index out of an array), following its short-circuit rules. A step that would fail is not a
// step here; instead `fault(s)` is true in exactly the states whose expansion fails in the
// explicit semantics (a guard, a choose range, an update or an invariant after a step or a tick),
// and `initial_fault()` where the initial state itself fails. The engines treat both, and a
// property's own fault, as bad states: a proof covers them, and a counterexample that ends in one
// is a model error. Interval arithmetic (model/intervals.h) leaves out the guards that cannot
// fire, so a model without partial operations gets no extra terms.
#pragma once

#include <z3++.h>

#include <algorithm>
#include <initializer_list>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "model/intervals.h"
#include "model/model.h"
#include "model/semantics.h"
#include "model/static_facts.h"

namespace interlock {

using SymState = std::vector<z3::expr>;

class Encoding {
 public:
  // `observed`: the slots a response monitor reads (solver/z3/response_monitor.h). An action
  // that writes one changes what the monitor sees, so it is never reordered with another or
  // moved before a delay, and two delays in a row are left to the monitor (canonical_order).
  Encoding(z3::context& ctx, const Model& model, const std::vector<bool>* observed = nullptr);

  SymState state(int step);                 // fresh constants s<step>_<slot>
  // Asserts the parameters' constraints and that state 0 is an initial state; returns state 0.
  SymState assert_start(z3::solver& solver);
  z3::expr parameters_ok();                 // ranges, fixed values, assumptions
  // Parameter values in their ranges at which an assumption cannot be evaluated (a division by
  // zero, say), the assumptions before it holding: the explicit semantics' model error there.
  z3::expr assumption_fault();
  z3::expr initial(const SymState& s);      // s is the initial state (which does not fail)
  // Parameter values (satisfying parameters_ok) at which the initial state fails: an initial
  // value cannot be evaluated or lies outside its range, or an invariant fails or is false there.
  z3::expr initial_fault();
  z3::expr in_ranges(const SymState& s);
  // What holds in every reachable state for free: each machine's state invariant.
  z3::expr invariants(const SymState& s);
  // Where the target's invariants go: inside each step's option (Spacer proves the KB window
  // three times faster so), or once for the whole step (bmc finds the KB drop twice as fast so).
  enum class InvariantPlacement { PerStep, Shared };
  z3::expr transition(int step, const SymState& from, const SymState& to,
                      InvariantPlacement placement = InvariantPlacement::PerStep);
  // Steps `step` and `step + 1` are not two delays (unless a delay is one tick: some `asap` edge's
  // clock comparisons read choose values), not two independent actions in descending
  // group order, and not a delay followed by an action that reads and resets no clock (which
  // could come before it; model/independence.h). Swapping neighbours of the last two kinds gives
  // a path of the same length and end that is smaller in that order (a delay counts as the
  // largest), and two delays are one shorter step, so a bounded search that goes depth by depth
  // still finds the fewest steps, and among the shortest paths to a bad state one obeys these
  // rules, so k-induction may use them too.
  z3::expr canonical_order(int step);
  // A step's inputs: whether it is a delay, and how many ticks the delay takes.
  z3::expr is_delay(int step) { return selector(step) == 0; }
  z3::expr delay_length(int step) { return delay(step); }
  // Whether neighbouring delays may be one (no `asap` guard reads a choose value or a clock
  // another way: otherwise every delay is a single tick).
  bool delays_merge() const { return !asap_single_ticks_; }
  // The state k ticks later (k >= 0), each clock saturating.
  SymState later(const SymState& s, const z3::expr& k);
  // Delays of up to `ticks` are decoded tick by tick (a response's bound can exceed every
  // clock's saturation value, and its counterexample must show each of its ticks).
  void decode_delays_up_to(int64_t ticks) { longest_useful_delay_ = std::max(longest_useful_delay_, ticks); }
  // Whether a tick is possible in s: no machine urgent, no `asap` edge due, every invariant true
  // one tick later (or failing to evaluate there, a fault and not a timelock).
  z3::expr tick_possible(const SymState& s, int step);
  // Some action is possible in s (or fails, a fault): an under-approximation without
  // quantifiers, trying a few values of each choose (every value of a small constant range,
  // else its bounds) and each broadcast receiver's first enabled edge.
  z3::expr some_action(const SymState& s, int step);
  // Step `step` is an action that moves only `usable` edges (by edge index; a broadcast's
  // receivers choose none of the others).
  z3::expr actions_within(int step, const std::vector<bool>& usable);

  // True exactly in the states whose expansion fails in the explicit semantics. Its inputs (the
  // choices that fail) are the step's input constants of `step`: false for every value of them
  // is what a proof needs, and a model of it names a failing choice.
  z3::expr fault(int step, const SymState& s);

  // Every choose input of `step` within the values its choose can take, whether its edge is taken
  // or not (see find_bounded_inputs).
  z3::expr input_bounds(int step);
  // A condition in a state: whether it holds (meaningful where it does not fail) and whether
  // evaluating it fails.
  struct Condition {
    z3::expr holds;
    z3::expr fault;
  };
  Condition property(const Expr& cond, const SymState& s);
  // The condition in a state; false where evaluating it would fault.
  z3::expr condition(const Expr& cond, const SymState& s);
  // All states distinct from each other (k-induction's simple paths).
  z3::expr all_distinct(const std::vector<SymState>& states);
  // What holds in every reachable state by model/static_facts.h: reachable locations, and the
  // values of variables that are assigned only constants.
  z3::expr static_facts(const SymState& s);

  // Whether some term made so far multiplies two unknowns or divides by one.
  bool nonlinear() const { return nonlinear_; }

  // The explicit steps (delays expanded into ticks) and parameter values of a model of the
  // first `steps` transitions. A delay longer than every clock's saturation value is cut to it:
  // from then on a tick changes nothing, so the run reaches the same states (the solver may pick
  // a delay of a billion ticks); one still longer than 100,000 ticks is one step of that many.
  std::vector<Step> decode_steps(const z3::model& m, int steps);
  std::vector<std::pair<std::string, int64_t>> decode_params(const z3::model& m);
  // Each parameter in its range, or at its value.
  z3::expr_vector parameter_ranges();

  // "s3_17" and so on: a letter and numbers joined by '_' (Z3 names must be unique per meaning).
  static std::string name(char prefix, std::initializer_list<long> numbers);

 private:
  struct Value {
    z3::expr value;  // Int, or Bool for conditions
    z3::expr fault;  // Bool: evaluating it fails
    Range range;     // every value it can take
  };
  struct Env {
    const SymState* s;
    const std::map<int, z3::expr>* chooses;  // scratch index -> input
    const Edge* edge;                        // whose choose values `chooses` holds, or null
  };
  struct Group {
    enum class Kind { Internal, Rendezvous, Broadcast } kind;
    std::vector<int> edges;  // Internal: {e}; Rendezvous: {emitter, receiver}; Broadcast: {emitter}
    int channel = -1;
    // Broadcast: for each other machine with receiving edges on the channel, in declaration order.
    std::vector<std::pair<int, std::vector<int>>> receivers;
  };

  Value translate(const Expr& e, const Env& env);
  Value arithmetic(const Expr& e, const Value& a, const Value& b);
  z3::expr as_int(const Value& v, ValueType type);
  z3::expr slot_value(const SymState& s, int slot);
  z3::expr enabled(int edge, const SymState& s, const std::map<int, z3::expr>& chooses, z3::expr& fault);
  // Whether trying the edge in `s` fails: a choose range that faults or is too wide (for choose
  // values chosen so far), or the guard, for some choose values in their ranges.
  z3::expr try_fault(int edge, const SymState& s, const std::map<int, z3::expr>& chooses);
  z3::expr some_choice_enabled(int edge, const SymState& s, int step);
  void apply_updates(int edge, SymState& cur, const std::map<int, z3::expr>& chooses, const z3::expr& active,
                     z3::expr& fault);
  // Whether some machine's invariant in `s` fails to evaluate.
  z3::expr invariant_fault(const SymState& s);
  SymState after_one_tick(const SymState& s);
  z3::expr no_urgent(const SymState& s);
  // Whether some `asap` edge is due in `s` (Semantics::asap_due), and whether a delay of d ticks
  // from `s` meets no instant where one is.
  z3::expr asap_due(const SymState& s, int step);
  z3::expr no_asap_during(const SymState& from, const z3::expr& d, int step);
  void find_asap_atoms();
  // One action group taken from `from`: its enabling condition (without the target's
  // invariants), the faults its guards and updates may raise, and the state it leads to.
  struct GroupStep {
    z3::expr enabled;
    z3::expr fault;
    SymState effect;
  };
  GroupStep group_step(std::size_t group, int step, const SymState& from);
  z3::expr choose_input(int step, int scratch);
  void find_bounded_inputs();
  z3::expr selector(int step) { return ctx_.int_const(name('g', {step}).c_str()); }
  z3::expr receiver_selector(int step, int group, int machine);
  z3::expr delay(int step) { return ctx_.int_const(name('d', {step}).c_str()); }

  std::map<int, z3::expr> chooses_of(int edge, int step);

  z3::context& ctx_;
  const Model& model_;
  std::vector<z3::expr> params_;
  std::vector<Group> groups_;
  // For each group, the lower-numbered groups independent of it.
  std::vector<std::vector<int>> independent_below_;
  // The groups that never follow a delay (model/independence.h, commutes_with_delay).
  std::vector<int> before_delays_;
  int64_t longest_useful_delay_ = 1;  // the largest clock saturation value (at least 1)
  // The `asap` edges, and for each the edges that can be its partner (other machines' edges on
  // its channel, the other way; none for an internal edge or a broadcast emitter).
  std::vector<std::pair<int, std::vector<int>>> asap_;
  // The clock comparisons `clock op bound` in those edges' guards: during a delay, whether an
  // `asap` edge is due can change only where one of them changes, where the clock reaches
  // `bound` or `bound + 1`. If a bound reads a choose value (or a clock appears elsewhere), those
  // instants are not known and a delay is one tick.
  std::vector<std::pair<int, Expr>> asap_atoms_;
  bool asap_single_ticks_ = false;
  bool observed_ = false;  // a monitor decides when two delays in a row may be one
  StaticFacts facts_;
  struct BoundedInput {
    int scratch;
    int64_t lo, hi;
  };
  std::vector<BoundedInput> bounded_inputs_;
  bool nonlinear_ = false;
};

}  // namespace interlock

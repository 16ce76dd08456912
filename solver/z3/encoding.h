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
// A step whose guard or update would fault (division by zero, a value out of range) is left out
// here; the engines replay every trace on the explicit semantics, which reports such faults.
#pragma once

#include <z3++.h>

#include <initializer_list>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "model/model.h"
#include "model/semantics.h"

namespace interlock {

using SymState = std::vector<z3::expr>;

class Encoding {
 public:
  Encoding(z3::context& ctx, const Model& model);

  SymState state(int step);                 // fresh constants s<step>_<slot>
  // Asserts the parameters' constraints and that state 0 is an initial state; returns state 0.
  SymState assert_start(z3::solver& solver);
  z3::expr parameters_ok();                 // ranges, fixed values, assumptions
  z3::expr initial(const SymState& s);
  z3::expr in_ranges(const SymState& s);
  // What holds in every reachable state for free: each machine's state invariant.
  z3::expr invariants(const SymState& s);
  // Where the target's invariants go: inside each step's option (Spacer proves the KB window
  // three times faster so), or once for the whole step (bmc finds the KB drop twice as fast so).
  enum class InvariantPlacement { PerStep, Shared };
  z3::expr transition(int step, const SymState& from, const SymState& to,
                      InvariantPlacement placement = InvariantPlacement::PerStep);
  // Steps `step` and `step + 1` are not two delays, not two independent actions in descending
  // group order, and not a delay followed by an action that reads and resets no clock (which
  // could come before it; model/independence.h). Swapping neighbours of the last two kinds gives
  // a path of the same length and end that is smaller in that order (a delay counts as the
  // largest), and two delays are one shorter step, so a bounded search that goes depth by depth
  // still finds the fewest steps; the states in between differ, so induction must not use it.
  z3::expr canonical_order(int step);
  // True in a state from which some step could fault (a guard, a choose range or an update
  // would divide by zero, index outside an array, or store a value out of range). An
  // over-approximation of the explicit semantics' faults, so a proof that no bad state and no
  // such state is reachable also rules out every model error.
  z3::expr may_fault(int step, const SymState& s);
  // The condition in a state; false where evaluating it would fault.
  z3::expr condition(const Expr& cond, const SymState& s);

  // The explicit steps (delays expanded into ticks) and parameter values of a model of the
  // first `steps` transitions.
  std::vector<Step> decode_steps(const z3::model& m, int steps);
  std::vector<std::pair<std::string, int64_t>> decode_params(const z3::model& m);

  // "s3_17" and so on: a letter and numbers joined by '_' (Z3 names must be unique per meaning).
  static std::string name(char prefix, std::initializer_list<long> numbers);

 private:
  struct Value {
    z3::expr value;  // Int, or Bool for conditions
    z3::expr fault;  // Bool
  };
  struct Env {
    const SymState* s;
    const std::map<int, z3::expr>* chooses;  // scratch index -> input
  };
  struct Group {
    enum class Kind { Internal, Rendezvous, Broadcast } kind;
    std::vector<int> edges;  // Internal: {e}; Rendezvous: {emitter, receiver}; Broadcast: {emitter}
    int channel = -1;
    // Broadcast: for each other machine with receiving edges on the channel, in declaration order.
    std::vector<std::pair<int, std::vector<int>>> receivers;
  };

  Value translate(const Expr& e, const Env& env);
  z3::expr as_int(const Value& v, ValueType type);
  z3::expr slot_value(const SymState& s, int slot);
  z3::expr enabled(int edge, const SymState& s, const std::map<int, z3::expr>& chooses, z3::expr& fault);
  z3::expr some_choice_enabled(int edge, const SymState& s, int step);
  void apply_updates(int edge, SymState& cur, const std::map<int, z3::expr>& chooses, const z3::expr& active,
                     z3::expr& fault);
  // One action group taken from `from`: its enabling condition (without the target's
  // invariants), the faults its guards and updates may raise, and the state it leads to.
  struct GroupStep {
    z3::expr enabled;
    z3::expr fault;
    SymState effect;
  };
  GroupStep group_step(std::size_t group, int step, const SymState& from);
  z3::expr choose_input(int step, int scratch);
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
};

}  // namespace interlock

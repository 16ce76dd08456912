// The explicit semantics of DESIGN.md: the initial state, the successor function (internal
// edges, rendezvous pairs, broadcasts with every enabled receiver, one tick of time) and the
// application of one step. Every engine's traces are replayed against this.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "model/dead_clocks.h"
#include "model/eval.h"
#include "model/function_ref.h"
#include "model/model.h"

namespace interlock {

// One step: a tick, or the edges that move together (the emitter first, then receivers in
// declaration order), with the values their `choose` took, concatenated edge by edge.
struct Step {
  bool tick = false;
  // A tick step may stand for this many ticks in a row: a wait too long to show tick by tick,
  // as a symbolic engine may find (a delay of a billion ticks). The search makes single ticks.
  int64_t ticks = 1;
  int channel = -1;
  std::vector<int> edges;
  std::vector<int64_t> choices;

  bool operator==(const Step& o) const {
    return tick == o.tick && (!tick || ticks == o.ticks) && channel == o.channel && edges == o.edges && choices == o.choices;
  }
  int64_t elapsed() const { return tick ? ticks : 0; }  // time the step takes
};

// "RSC: Idle -> Dialing  +  Backup: Due -> Running": a step's edges with their choose values,
// joined by `separator`; empty for a tick.
std::string describe_step_edges(const Model& model, const Step& step, const char* separator = "  +  ");

// An edge's `choose` may range over at most this many values; a wider range is a model error.
constexpr int64_t kMaxChooseValues = INT64_C(1) << 16;

// A step that cannot be taken because the model is wrong: a value out of range, a division by
// zero. Reported with the trace that reaches it.
struct ModelFault {
  std::string message;
  SourceLoc loc;
  Step step;
  bool in_initial = false;
};

enum class Applied : uint8_t { Taken, Disabled, Fault };

class Semantics {
 public:
  // Every parameter must have a value: throws InputError naming any that is free.
  explicit Semantics(const Model& model);

  const Model& model() const { return model_; }
  int slot_count() const { return static_cast<int>(model_.slots.size()); }

  // The initial state; false with a fault if an initial value is out of range or the initial
  // state breaks an invariant.
  bool initial(std::vector<int32_t>& out, ModelFault& fault) const;

  using Sink = FunctionRef<void(const Step&, const int32_t*)>;
  // Calls sink for every successor (actions first, then the tick if time may pass). Returns
  // false with a fault if some enabled step breaks the model.
  bool successors(const int32_t* state, Sink sink, ModelFault& fault);

  // The state one tick later; false if time may not pass (urgency, an `asap` edge that is due,
  // an invariant).
  bool tick(const int32_t* state, int32_t* next, ModelFault& fault) const;
  // The state `ticks` ticks later, in one go: invariants bound clocks only from above, so when
  // they hold (and can be evaluated) at the end of a wait they did all through it. An `asap`
  // guard may become true anywhere in the wait, so with `asap` edges it goes tick by tick (up to
  // where every clock has saturated and nothing changes any more).
  bool delay(const int32_t* state, int64_t ticks, int32_t* next, ModelFault& fault) const;

  // Whether some `asap` edge is due in `state`: its machine is at its source, its guard holds
  // for some value of its `choose`, and for a channel edge some other machine has an edge on the
  // same channel, the other way, that is enabled too (a broadcast emitter needs no partner).
  // Only guards successors() evaluates are evaluated. False with a fault if one fails.
  bool asap_due(const int32_t* state, bool& due, ModelFault& fault) const;
  bool has_asap() const { return !asap_edges_.empty(); }

  // Applies one step; Disabled if a guard, a partner or an invariant forbids it.
  Applied apply(const int32_t* state, const Step& step, int32_t* next, ModelFault& fault);

  // What an action would make of `state`: its edges' updates in order with the given choose
  // values, then the moves, with no guard or invariant checked (model/stuck_explanation.h asks
  // which invariant disables an action). False with a fault if an update fails.
  bool effect(const int32_t* state, const Step& step, int32_t* next, ModelFault& fault);

  // Holds the given clocks at 0 wherever they are dead (model/dead_clocks.h): in the states this
  // semantics produces, a dead clock reads 0. Off by default: traces and replays show real values.
  void hold_dead_clocks(DeadClocks dead);
  const DeadClocks& dead_clocks() const { return dead_; }  // empty when none are held

  // Evaluates a condition compiled against this model's parameters.
  Compiled compile(const Expr& e) const { return Compiled(e, params_); }
  bool holds(const Compiled& c, const int32_t* state, ModelFault& fault) const {
    if (c.empty()) return true;
    int64_t v = 0;
    EvalFault f = EvalFault::None;
    if (!c.run(state, scratch_.data(), v, f)) [[unlikely]] {
      fault.message = describe(f);
      return false;
    }
    return v != 0;
  }
  // Whether `c` is false in `state`: a condition that cannot be evaluated is not (the search's
  // reductions rely only on what is surely false, without the cost of describing a fault).
  bool is_false(const Compiled& c, const int32_t* state) const {
    if (c.empty()) return false;
    int64_t v = 0;
    EvalFault f = EvalFault::None;
    return c.run(state, scratch_.data(), v, f) && v == 0;
  }
  // Evaluates an integer expression; false with a fault if it cannot be evaluated.
  bool value(const Compiled& c, const int32_t* state, int64_t& out, ModelFault& fault) const;

  const std::vector<int64_t>& param_values() const { return params_; }

  // Inside a successors() sink: the slots in which the successor may differ from the state
  // (written variables and clocks, moved machines' locations; every clock for a tick).
  const std::vector<int>& last_changed() const { return changed_; }

  // "RSC: Idle -> Transmitting [d=5]  +  ..." and so on; "a tick" for a tick.
  std::string describe_step(const Step& step) const;

 private:
  struct CompiledEdge {
    Compiled guard;
    std::vector<std::pair<Compiled, Compiled>> choose_bounds;
    std::vector<int> choose_scratch;
    struct Assign {
      bool element = false;
      int slot = 0;  // Slot target, or the first slot of an Element target
      int size = 0;
      Compiled index;
      Compiled value;
      SourceLoc loc;
    };
    std::vector<Assign> updates;
  };

  template <class Body>  // defined and used in semantics.cpp only
  bool enumerate_choices(int edge, std::size_t k, const int32_t* state, Body&& body, ModelFault& fault) const;
  // The edge's guard under the current choose values; false (with the fault) if it faults.
  [[gnu::always_inline]] bool guard_allows(int edge, const int32_t* state, bool& allowed, ModelFault& fault) const;
  // Whether some choose values enable the edge; false (with the fault) if evaluating fails.
  bool some_choice_enabled(int edge, const int32_t* state, bool& enabled, ModelFault& fault) const;
  // Whether some other machine than `instance` has an enabled edge on `channel` of this kind.
  bool partner_enabled(int channel, int instance, SyncKind kind, const int32_t* state, bool& enabled,
                       ModelFault& fault) const;
  // `ticks` ticks without the `asap` check: urgency, the clocks, the invariants after.
  bool advance(const int32_t* state, int64_t ticks, int32_t* next, ModelFault& fault) const;
  [[gnu::noinline, gnu::cold]] void report_guard_fault(int edge, EvalFault f, ModelFault& fault) const;
  void set_fault_step(int edge, std::size_t known, ModelFault& fault) const;
  void start_step(int channel, int edge);  // step_ := one edge, no choices yet
  bool invariants_hold(const int32_t* state, bool& ok, ModelFault& fault) const;
  bool invariant_holds(std::size_t instance, const int32_t* state, bool& ok, ModelFault& fault) const;
  bool run_updates(int edge, const int64_t* choices, int32_t* next, ModelFault& fault);
  bool emit_action(const int32_t* state, Sink sink, ModelFault& fault);

  const Model& model_;
  std::vector<int64_t> params_;
  std::vector<CompiledEdge> edges_;
  std::vector<std::vector<Compiled>> invariants_;  // [instance][location]
  std::vector<std::vector<uint8_t>> urgent_;       // [instance][location]
  std::vector<int> clock_slots_;
  std::vector<int32_t> clock_hi_;         // saturation value of each clock in clock_slots_
  std::vector<int32_t> location_slot_;    // per instance
  std::vector<std::vector<int>> receivers_of_;  // per channel: instances with an `on c?` edge
  std::vector<std::vector<int>> emitters_of_;   // per channel: instances with an `emit c!` edge
  std::vector<int> asap_edges_;
  std::vector<uint8_t> asap_;  // per edge
  // A tick changes only clocks, so only invariants that read one can become false.
  std::vector<std::vector<uint8_t>> invariant_reads_clock_;  // [instance][location]
  // [instance][location] -> edges without a channel, emitting, receiving
  // Edges by (instance, location), each kind in one contiguous array: the successor function
  // looks these up for every machine in every state.
  struct EdgeTable {
    std::vector<uint32_t> begin;  // one more entry than there are (instance, location) keys
    std::vector<int> edges;
    std::span<const int> at(int key) const {
      return {edges.data() + begin[static_cast<std::size_t>(key)], edges.data() + begin[static_cast<std::size_t>(key) + 1]};
    }
  };
  EdgeTable internal_, emitting_, receiving_;
  std::vector<int> location_base_;  // per instance: key of its location 0
  int key(std::size_t instance, int32_t location) const { return location_base_[instance] + location; }
  std::vector<std::vector<int>> dead_at_;  // per key(instance, location): clocks held at 0 there
  DeadClocks dead_;

  // Scratch reused across calls so the hot path does not allocate. Choose values live in
  // scratch_, which asap_due (const) writes too.
  mutable std::vector<int64_t> scratch_;
  std::vector<int32_t> next_;
  Step step_;
  struct Option {
    int edge;
    std::size_t first_choice;
  };
  std::vector<std::vector<Option>> options_;  // per instance, for broadcasts
  std::vector<int64_t> option_choices_;
  std::vector<int64_t> emitter_choices_;
  // After an action only some invariants can have changed: those of the machines that moved and
  // those that read a slot the action wrote. readers_[slot] lists the latter.
  std::vector<std::vector<int>> readers_;
  std::vector<int> written_;
  std::vector<int> changed_;
  std::vector<uint32_t> checked_mark_;
  uint32_t check_generation_ = 0;
  std::vector<std::size_t> participants_, picks_;
};

}  // namespace interlock

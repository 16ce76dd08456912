// Follows one run, state by state, and says where it breaks a property that a run can break in
// finitely many steps, so that `simulate` can stop there and `explain` can ask whether a changed
// run still breaks it:
//   - an invariant: a state where it is false;
//   - deadlock_free: a state from which no action is possible, now or after any delay;
//   - a response `p leads_to q within T`: p held (and q not) more than T ticks ago, and q has not
//     held since: the deadline passed;
//   - a response, bounded or not: p held (and q not), and the run comes back to a state it was in
//     since then, time having passed on the way, with q false all along: that cycle can repeat
//     forever (a lasso, as the explicit engine reports it).
// Reachable properties and maxima are never broken by a run, and are not watched.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/model.h"
#include "model/semantics.h"

namespace interlock {

class PropertyWatch {
 public:
  struct Broken {
    int property = -1;                   // its index in the model's properties
    std::size_t state = 0;               // the state of the run where it is broken
    std::string note;                    // "violates no_drop", "violates delivered: ..."
    std::optional<std::size_t> trigger;  // a response: the state where its trigger held
    int loop_start = -1;                 // a response broken by a cycle: the state it returns to
    bool stuck = false;                  // a deadlock: nothing can happen there
  };

  // `properties` are indexes into the model's properties; those of kinds a run cannot break are
  // left out. Throws InputError for a `within` bound that cannot be evaluated.
  PropertyWatch(Semantics& semantics, const std::vector<int>& properties);

  // Every property of `model` that a run can break, in declaration order.
  static std::vector<int> breakable(const Model& model);
  static bool breakable(const Property& property);

  // Starts a run at `state` (the model's slots); true if that state breaks a property already.
  bool start(const int32_t* state);
  // The run took `step` and is now in `state`; true once a property is broken (the run should
  // end there: later steps are not watched).
  bool step(const Step& step, const int32_t* state);

  const std::optional<Broken>& broken() const { return broken_; }
  // A property that cannot be evaluated in the last state (a division by zero, say): what failed.
  const std::string& fault() const { return fault_; }
  // How many ticks may pass before a deadline passes: INT64_MAX when none is pending.
  int64_t ticks_to_deadline() const;
  // The trigger that is pending for response `property` (its state), if any.
  std::optional<std::size_t> pending_trigger(int property) const;
  // Roughly what the watch holds (the states it remembers), for --memory.
  uint64_t bytes() const;

 private:
  struct Key {
    std::vector<int32_t> slots;
    bool operator==(const Key& o) const { return slots == o.slots; }
  };
  struct KeyHash {
    std::size_t operator()(const Key& k) const;
  };
  struct Response {
    int property = -1;
    Compiled trigger, target;
    int64_t within = -1;  // -1: unbounded
    bool pending = false;
    int64_t since = 0;          // the time its trigger held
    std::size_t trigger_state = 0;
    std::unordered_map<Key, std::size_t, KeyHash> seen;  // the states since then: first index
  };

  bool check_state(const int32_t* state);
  bool deadlocked(const int32_t* state);
  bool has_action(const int32_t* state, bool& known);
  void found(int property, std::string note);
  Key key(const int32_t* state) const;

  Semantics& sem_;
  const Model& model_;
  std::vector<std::pair<int, Compiled>> invariants_;
  std::vector<Response> responses_;
  int deadlock_ = -1;  // the deadlock_free property, if watched
  // Whether a state with no action is dead (time leads to no action either); true for dead. It
  // holds for the state whatever run reaches it, so it outlives start().
  std::unordered_map<Key, bool, KeyHash> dead_;
  std::size_t index_ = 0;    // the current state's index in the run
  int64_t now_ = 0;          // ticks since the start
  std::size_t last_tick_ = 0;  // the index of the last state a tick led to (0: none yet)
  bool ticked_ = false;
  std::optional<Broken> broken_;
  std::string fault_;
  std::vector<int32_t> buffer_, later_;
};

}  // namespace interlock

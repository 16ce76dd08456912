// What each step of a trace read and wrote, for the trace formats: every assignment, whether or
// not it changed the value (`counter := 1 (unchanged)`), and every value a guard, a choose
// range, an array index or an assignment's right side read from another machine's variables or
// state or from a global variable (`read counter = 0`; clocks are left out: they are time). A lost update is two reads of 0 and a write that changes
// nothing: a diff of the states shows none of it.
//
// Computed from the step and the state before it, the way the explicit semantics takes the step
// (model/semantics.cpp: guards and choose ranges on the state before, then each edge's updates
// in order, emitter first, each reading the state as the earlier ones left it), so the traces of
// every engine get it. The result is checked against the trace's next state; a step it does not
// reproduce (or one of a spec with a parameter without a value) has no effects, and the formats
// then show what changed, as a diff of the two states.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/model.h"
#include "solver/result.h"

namespace interlock {

struct StepEffect {
  enum class Kind : uint8_t { Read, Assign };
  Kind kind = Kind::Read;
  int edge = -1;       // the edge that read or assigned
  int slot = -1;       // the variable, clock or location read; the variable or clock assigned
  int64_t value = 0;   // the value read, or the value stored (a clock's saturated)
  bool unchanged = false;  // an assignment of the value the variable held already
};

struct StepEffects {
  bool known = false;  // false: not reproduced; the formats fall back on a diff of the states
  std::vector<StepEffect> items;  // in the order the semantics evaluates them
};

// One entry per step of the trace (a tick's is known and empty).
std::vector<StepEffects> trace_effects(const Model& model, const Trace& trace);

// "read counter = 0", "counter := 1 (unchanged)", "Worker[0].seen := 0".
std::string effect_text(const Model& model, const StepEffect& effect);

// The step's effects joined by `separator`; when they are not known, what changed from `before`
// to `after` ("queued := 1, RSC.c := 0": variables, and clocks that were reset). Empty if nothing.
std::string effects_text(const Model& model, const StepEffects& effects, const std::vector<int32_t>& before,
                         const std::vector<int32_t>& after, const std::string& separator = ", ");

// The same as a list, one entry per effect.
std::vector<std::string> effects_list(const Model& model, const StepEffects& effects, const std::vector<int32_t>& before,
                                      const std::vector<int32_t>& after);

}  // namespace interlock

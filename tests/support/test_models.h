// Helpers shared by the test suites: build a model from text, check properties, count states.
#pragma once

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "model/lower.h"
#include "model/semantics.h"
#include "solver/explicit/explicit_engine.h"
#include "solver/result.h"

namespace interlock::testing {

inline Model model_from(const std::string& text, const LowerOptions& options = {}) {
  return load_model_from_text("test.sched", text, options);
}

// The rendered diagnostics for a spec that must be rejected, or "" if it was accepted.
inline std::string errors_of(const std::string& text, const LowerOptions& options = {}) {
  try {
    load_model_from_text("test.sched", text, options);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

inline std::vector<PropertyResult> check_all(const Model& model, Limits limits = {}) {
  std::vector<int> props;
  for (std::size_t i = 0; i < model.properties.size(); ++i) props.push_back(static_cast<int>(i));
  RunContext context(limits, nullptr);
  ExplicitEngine engine;
  return engine.check(model, props, context);
}

inline PropertyResult check_one(const Model& model, const std::string& name, Limits limits = {}) {
  RunContext context(limits, nullptr);
  ExplicitEngine engine;
  int index = model.find_property(name);
  if (index < 0) throw std::runtime_error("no property " + name);
  return engine.check(model, {index}, context).at(0);
}

// Writes `text` to a spec file of this test process (in a private folder under the temporary
// folder, removed when the process ends) and returns its path, for tests that run the command
// line on a spec of their own.
std::string write_temp_spec(const std::string& name, const std::string& text);

// A response `finishes` broken by a cycle once a guard shuts; without the guard's step the job
// ends after `rounds` rounds of 2 minutes (explain's tests: a target within its reach, or beyond).
std::string far_target_spec(int rounds);

// Every spec of the repository (specs/, tests/regress/, tests/data/) that loads and gives every
// parameter a value, with its path, except those `skip` names (by path).
std::vector<std::pair<std::string, Model>> repository_models(const std::function<bool(const std::string&)>& skip = {});

// Replays a trace step by step on the explicit semantics, and checks that a lasso comes back to
// the state its cycle began in; returns "" or what went wrong.
std::string replay(const Model& model, const Trace& trace);

// An independent, deliberately naive breadth-first search (a std::map of unpacked states) used
// to cross-check the engine's packed store: the number of reachable states and the fewest steps
// to a state where `bad` holds (-1 if none).
struct NaiveSearch {
  uint64_t states = 0;
  uint64_t transitions = 0;
  int steps_to_bad = -1;
};
NaiveSearch naive_bfs(const Model& model, const std::string& bad_property = "");

// The earliest time (ticks) at which a state where the property fails (an invariant) or holds
// (a reachable condition) can be reached, by a naive 0-1 breadth-first search in which a tick
// costs 1 and an action 0; -1 if never.
int64_t earliest_time(const Model& model, const std::string& property);

// The fewest steps to such a state when a run of ticks counts as one step, as in the symbolic
// engines, by a naive breadth-first search; -1 if never.
int fewest_symbolic_steps(const Model& model, const std::string& property);

}  // namespace interlock::testing

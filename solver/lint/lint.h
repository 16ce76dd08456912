// Lint: modelling traps that no verdict shows (docs/engines.md, "Lint"). It never changes a
// verdict or an exit code of `check`; `interlock lint` runs it alone.
//
// - Static, on the lowered model, edge by edge: an edge that time can disable with nothing forcing
//   it first (`Waiting -> Running when c == 120` with no invariant `c <= 120` on Waiting and no
//   `asap`), and an edge that waits on what another machine changes (`Blocked -> Busy when
//   !locked`) out of a state nothing bounds, which may wait for ever with its condition true.
// - From a search of the whole state space (the explicit engine's, when it expanded every
//   reachable state, or lint's own): states never entered and edges never taken, and properties
//   that hold vacuously (an invariant `A => B` whose A is never true, a response whose trigger
//   never holds, a maximum whose condition never does) or are answered by the initial state.
#pragma once

#include <cstdint>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "model/model.h"
#include "solver/coverage.h"
#include "solver/lint/spec_text.h"
#include "solver/result.h"
#include "solver/run_context.h"

namespace interlock {

struct LintWarning {
  enum class Kind {
    Skippable,     // time can disable the edge with nothing forcing it
    WaitsForever,  // the edge waits on another machine with nothing forcing it once it can go
    NeverEntered,  // a state no reachable state has
    NeverTaken,    // an edge no reachable state takes (its source and target are entered)
    Vacuous,       // a property whose premise, trigger or condition is never true
    AtStart,       // a reachable property that the initial state already satisfies
  };
  Kind kind = Kind::Skippable;
  SourceLoc loc;
  std::string message;  // without the "file:line:col: warning: " in front
};

const char* lint_kind_name(LintWarning::Kind kind);

struct LintReport {
  std::vector<LintWarning> warnings;  // in the order of the spec: edges, states, properties
  // The state-space part ran: a search expanded every reachable state (`states` of them).
  bool explored = false;
  uint64_t states = 0;
  // Why it did not run, for `interlock lint`: a limit, a model error, a free parameter.
  std::string not_explored;
  bool model_error = false;  // ... because the model fails in a reachable state
};

// The static part: every edge of the model (indexed machines' copies reported once).
std::vector<LintWarning> lint_edges(const Model& model, const SpecText& text);

// What a check of `properties` is asked to watch for lint (set as Limits::coverage).
std::shared_ptr<const CoverageRequest> lint_request(const Model& model, const std::vector<int>& properties);

// After `check`: the static part, and the state-space part when the results carry the coverage
// of a whole search (Stats::coverage, asked for with lint_request(model, properties)).
LintReport lint_after_check(const Model& model, const std::vector<int>& properties,
                            const std::vector<PropertyResult>& results, const SpecText& text);

// `interlock lint`: the static part, and a search of the whole state space of its own (every
// parameter needs a value), under the context's limits (--timeout, --memory, --native, --reduce).
LintReport lint_spec(const Model& model, RunContext& context, const SpecText& text);

// One line per warning: "file:line:col: warning: message".
void print_warnings(std::ostream& out, const std::string& file, const std::vector<LintWarning>& warnings);

}  // namespace interlock

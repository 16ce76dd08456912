// Verdicts, statistics and traces: what an engine answers. Errors are not verdicts; they are
// exceptions (InputError) caught once in main.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/model.h"
#include "model/semantics.h"
#include "solver/coverage.h"

namespace interlock {

enum class Verdict { Holds, Violated, Unknown, ModelError };

const char* verdict_name(Verdict v);
int exit_code(Verdict v);  // 0 holds, 1 violated, 2 model error, 3 unknown

struct Stats {
  uint64_t states = 0;
  uint64_t transitions = 0;
  int depth = 0;
  double seconds = 0;
  uint64_t store_bytes = 0;    // visited set in memory: packed states, hash table, parent links not on disk
  uint64_t peak_rss_bytes = 0; // the whole process
  std::size_t state_bytes = 0; // one packed state
  uint64_t native_states = 0;  // states expanded by native code (solver/explicit/native/)
  std::string native_note;     // why native code was wanted and not used, if it was not
  std::string parents_note;    // why the parent links were kept in memory, not in a temporary file
  std::string symmetry;        // the copies the search permuted (solver/explicit/symmetry.h), if any
  bool partial_order = false;  // the search used partial-order reduction (solver/explicit/partial_order.h)
  uint64_t reduced_states = 0; // states it expanded with only some of their actions
  uint64_t por_paused_states = 0;  // states it expanded fully without a look, where it reduced little
  std::string por_note;        // why partial-order reduction was asked for and not used, if it was not
  int threads = 1;             // threads the explicit search ran on (--threads; 1 if no level was large enough)
  // What the search covered, when Limits::coverage asked and the search expanded every reachable
  // state (solver/coverage.h); shared by the results of one search.
  std::shared_ptr<const Coverage> coverage;
};

// A run of the model: states[0] is initial, steps[i] leads from states[i] to states[i+1].
struct Trace {
  std::vector<std::vector<int32_t>> states;
  std::vector<Step> steps;
  int loop_start = -1;  // for a lasso: the state where the repeating cycle begins
  std::string final_note;  // what the last state shows, e.g. "violates no_drop"
  // Under final_note: why nothing can happen in the last state (a deadlock, a timelock), a line
  // each (model/stuck_explanation.h). `stuck` asks the engine to fill it.
  std::vector<std::string> why;
  bool stuck = false;
  std::vector<std::pair<std::size_t, std::string>> marks;  // (state index, what happens there)
  std::vector<std::pair<std::string, int64_t>> params;  // the parameter values of this run
};

struct PropertyResult {
  PropertyResult() = default;
  PropertyResult(const Property& p, std::string engine_name)
      : property(p.name), kind(p.kind), engine(std::move(engine_name)) {}

  std::string property;
  Property::Kind kind = Property::Kind::Invariant;
  Verdict verdict = Verdict::Unknown;
  std::string engine;
  std::string detail;  // why unknown, what the fault was, or what holding means here
  std::optional<Trace> trace;
  Stats stats;
  // A maximum's value: exact when the verdict is Holds, a lower bound when Unknown; `unbounded`
  // when runs can make it grow without end. A response that holds records its longest delay here.
  std::optional<int64_t> value;
  std::string value_text;  // the value as outputs show it ("2 h 31 min" with clock time); empty: the number
  bool unbounded = false;
  bool stopped_by_limit = false;  // unknown because --timeout, --memory or --depth ended the search
};

// For engines that enumerate no states: the run's time, depth and peak memory on every result.
void stamp_symbolic_stats(std::vector<PropertyResult>& results, double seconds, int depth = 0);

}  // namespace interlock

// The explicit engine's properties about runs rather than states: `response p leads_to q
// [within T]` and `maximum NAME: p leads_to q` (the longest time from p to q), decided on the
// state graph the explorer recorded.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

#include "solver/explicit/explorer.h"
#include "solver/result.h"
#include "solver/explicit/delay_analysis.h"

namespace interlock {

// A question's conditions, per state. Questions with the same condition share its values.
struct DelayQuestion {
  const std::vector<bool>* p = nullptr;
  const std::vector<bool>* q = nullptr;
  int64_t within = -1;  // a response's bound, -1 for none
};

// Analyses already made: questions with the same conditions share one without computing their
// region again, and questions whose regions turn out equal share one too.
struct DelayCache {
  struct Entry {
    const std::vector<bool>* p;
    const std::vector<bool>* q;
    std::vector<bool> region;
    std::shared_ptr<const DelayAnalysis> analysis;
  };
  std::vector<Entry> entries;
};

// Makes the analyses the questions need, several at once on a machine with several cores, and
// keeps them in `cache` for answer_delay. `fits`, if given, is asked first whether the bytes they
// will take together (delay_analysis_bytes(), summed) may be used: if not, none is made, and the
// answer is false.
bool prepare_delay_analyses(const TransitionGraph& graph, const std::vector<const DelayQuestion*>& questions,
                            DelayCache& cache, const std::function<bool(uint64_t)>& fits = {});

// At most the bytes the analysis of `region` takes while it is made (DelayAnalysis copies the
// region's part of the graph a few times over, and keeps a few words per state).
uint64_t delay_analysis_bytes(const TransitionGraph& graph, const std::vector<bool>& region);

// A `within` bound's value: constants and parameters only, so any state evaluates it. An
// InputError when it cannot be evaluated or is negative.
int64_t within_bound(const Semantics& semantics, const Expr& e);

// The starts of a question (states where the trigger holds), seen one by one in the search's
// order: the first of each kind, from which that kind of answer is shown, and the longest wait.
struct DelayStarts {
  static constexpr uint64_t kNone = UINT64_MAX;
  bool any = false;
  uint64_t unbounded = kNone;  // the first whose wait is unbounded
  uint64_t over = kNone;       // with `within`: the first whose wait is longer (unbounded ones too)
  uint64_t stops = kNone;      // the first with a finite wait from which time can stop
  uint64_t worst_at = kNone;   // the first with the longest finite wait
  int64_t worst = 0;
  // `waits`: the most ticks until the target (0 where it holds already;
  // DelayAnalysis::kUnbounded); `can_stop`: time can stop on the way. `within` is -1 for none.
  void see(uint64_t state, int64_t waits, bool can_stop, int64_t within);
};

// What the starts answer, and the start whose run the trace shows.
enum class DelayAnswer { Vacuous, Forever, TooLong, TimeStops, Bounded };
struct DelayChoice {
  DelayAnswer answer;
  uint64_t start;
};
// `over_unbounded`: the wait from starts.over is unbounded.
DelayChoice choose_delay_answer(const DelayStarts& starts, bool over_unbounded);

// The run an answer shows: the shortest way to the start (the step `start_step`), then the run
// from there the analysis found (DelayAnalysis::Run, and its `timelock`).
struct DelayTrace {
  Trace trace;
  std::size_t start_step = 0;
  bool timelock = false;
};

// Fills in the verdict, detail, value and trace of `result` for `answer` to a question with the
// bound `within` (-1 for none). `wait`: the start's longest wait (TooLong) or the longest of all
// (Bounded). A trace is needed for Forever, TooLong, TimeStops and a Bounded maximum above 0.
void write_delay_answer(const Model& model, int64_t within, DelayAnswer answer, int64_t wait,
                        std::optional<DelayTrace> trace, PropertyResult& result);

// Fills in the verdict, detail, value and trace of `result` (a response or a delay maximum).
void answer_delay(Explorer& explorer, const TransitionGraph& graph, const DelayQuestion& question,
                  PropertyResult& result, DelayCache& cache);

}  // namespace interlock

// The explicit engine's properties about runs rather than states: `response p leads_to q
// [within T]` and `maximum NAME: p leads_to q` (the longest time from p to q), decided on the
// state graph the explorer recorded.
#pragma once

#include <memory>
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
// keeps them in `cache` for answer_delay.
void prepare_delay_analyses(const TransitionGraph& graph, const std::vector<const DelayQuestion*>& questions,
                            DelayCache& cache);

// Fills in the verdict, detail, value and trace of `result` (a response or a delay maximum).
void answer_delay(Explorer& explorer, const TransitionGraph& graph, const DelayQuestion& question,
                  PropertyResult& result, DelayCache& cache);

}  // namespace interlock

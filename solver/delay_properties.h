// The explicit engine's properties about runs rather than states: `response p leads_to q
// [within T]` and `maximum NAME: p leads_to q` (the longest time from p to q), decided on the
// state graph the explorer recorded.
#pragma once

#include <memory>
#include <vector>

#include "solver/explorer.h"
#include "solver/result.h"
#include "solver/delay_analysis.h"

namespace interlock {

struct DelayQuestion {
  std::vector<bool> p;  // per state
  std::vector<bool> q;  // per state
  int64_t within = -1;  // a response's bound, -1 for none
};

// Analyses already made, by region: questions with the same target share one.
using DelayCache = std::vector<std::pair<std::vector<bool>, std::unique_ptr<DelayAnalysis>>>;

// Fills in the verdict, detail, value and trace of `result` (a response or a delay maximum).
void answer_delay(Explorer& explorer, const SuccessorIndex& index, const DelayQuestion& question,
                  PropertyResult& result, DelayCache& cache);

}  // namespace interlock

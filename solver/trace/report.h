// Prints verdicts: one line per property naming the verdict, the engine, states and time, then
// the trace for a violation or a witness, then one line of search statistics.
#pragma once

#include <ostream>
#include <vector>

#include "model/model.h"
#include "model/semantics.h"
#include "solver/result.h"

namespace interlock {

void print_results(std::ostream& out, const Model& model, const std::vector<PropertyResult>& results,
                   bool show_traces);
std::string format_stats(const Stats& stats);
Verdict worst_verdict(const std::vector<PropertyResult>& results);

}  // namespace interlock

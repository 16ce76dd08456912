// Prints verdicts: one line per property naming the verdict, the engine, states and time, then
// the trace for a violation or a witness, then one line of search statistics.
#pragma once

#include <ostream>
#include <vector>

#include "model/model.h"
#include "model/semantics.h"
#include "solver/result.h"

namespace interlock {

// How much print_results shows: the verdict lines alone (--quiet), with the explored line, or
// with the explored line and each property's trace.
enum class ResultDetail { VerdictsOnly, NoTraces, Traces };
void print_results(std::ostream& out, const Model& model, const std::vector<PropertyResult>& results,
                   ResultDetail detail);
std::string format_stats(const Stats& stats);
Verdict worst_verdict(const std::vector<PropertyResult>& results);

}  // namespace interlock

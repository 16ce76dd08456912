// Traces in the Informal Trace Format (ITF) that Apalache and Quint read and write: a JSON
// object with "#meta", "params", "vars", "states" (and "loop" for a lasso). Every slot of the
// model is a variable: machine states and enumeration values as strings, booleans as JSON
// booleans, integers and clocks as {"#bigint": "..."}. interlock adds, in each state's "#meta",
// the time and the step that led there. docs/trace-format.md is the schema.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "model/model.h"
#include "solver/result.h"

namespace interlock {

struct TraceHeader {
  std::string source;    // the spec file
  std::string property;  // what the trace shows, if anything
  std::string verdict;
};

std::string format_trace_itf(const Model& model, const Trace& trace, const TraceHeader& header);

// An ITF document read back: the states (one value per slot, in slot order), the parameter
// values it names, and the loop index (-1 for none). Throws InputError naming `file` for
// anything malformed or not matching the model.
struct ItfRun {
  std::vector<std::vector<int32_t>> states;
  std::vector<std::pair<std::string, int64_t>> params;
  int loop = -1;
};
ItfRun parse_trace_itf(const Model& model, const std::string& text, const std::string& file);

}  // namespace interlock

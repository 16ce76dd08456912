// Responses and maxima of a delay in the distributed search: the questions of
// solver/explicit/delay_properties.h, answered on the transitions every rank keeps of its own
// states (solver/distributed/delay_graph.h), with the same verdicts, values and kinds of trace
// as the one-process search.
#pragma once

#include <cstdint>
#include <functional>
#include <vector>

#include "model/layout.h"
#include "model/model.h"
#include "model/semantics.h"
#include "solver/distributed/delay_graph.h"
#include "solver/distributed/exchange.h"
#include "solver/explicit/symmetry.h"
#include "solver/result.h"
#include "solver/run_context.h"

namespace interlock {

// What the answers need of the search that found the states (all collective but `state`).
struct DelaySearchView {
  Semantics& semantics;
  const StateLayout& layout;
  const Symmetry* symmetry;
  Exchange& exchange;
  RunContext& context;
  uint64_t states;                                        // this rank's
  std::function<const uint8_t*(uint32_t)> state;          // a local state, packed
  std::function<uint64_t(uint64_t)> first_of;             // the name of the first (least depth, then name) of the ranks' local candidates
  std::function<std::vector<std::vector<uint8_t>>(uint64_t)> path_to;  // packed states from the initial state to a name
  std::function<std::vector<uint8_t>(uint64_t)> packed_of;  // a state by its name
};

struct DelayProperty {
  std::size_t result;  // where its answer goes
  const Property* property;
  int64_t within = -1;
};

// Collective, after the search. A trigger or target that cannot be evaluated in a state the
// search kept goes to `condition_fault(result, the fault as its owner saw it, the state's name)`,
// on every rank, as a property's own fault does in one process (whether or not the search was
// complete). After a complete search, `graph` holds its transitions (finished) and the other
// results are filled in (on rank 0: traces of the searched model, passed through `finish_trace`
// once written); without it, nothing else is.
void answer_delays(DelaySearchView& view, DelayGraph* graph, const std::vector<DelayProperty>& delays,
                   std::vector<PropertyResult>& results, const std::function<void(Trace&)>& finish_trace,
                   const std::function<void(std::size_t, const ModelFault&, uint64_t)>& condition_fault);

}  // namespace interlock

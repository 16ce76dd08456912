// The explicit search across processes (MPI): every rank owns the states whose hash falls in its
// share and keeps them in a visited set of its own (solver/explicit/state_store.h). The search
// goes level by level of the breadth-first order, as the one-process search does: each rank
// expands its states of the level and sends each successor, in batches, to the rank that owns
// it; the owner keeps it if it is new. A level ends when every rank has received every batch of
// it (the batches are exchanged in rounds that all ranks take together), and the search ends when
// a level brings no new state anywhere, or when every checked property is decided. So the state
// count is the one-process search's, and the first state found with a property is at the same
// depth: traces are shortest. A trace is rebuilt by asking each state's owner for its parent.
//
// With symmetry reduction (as `check`: on unless --symmetry off or --reduce off) every rank
// stores orbit representatives (solver/explicit/symmetry.h), so the counts are the one-process
// search's with symmetry, and a trace is mapped back to a real run.
//
// Decided here: invariants, reachable properties and deadlock freedom (after the search, by
// following the tick successors of the states without an action across ranks: see
// find_deadlock()), maxima of values (every rank follows its states, then reductions give the
// largest value and its first state), and responses and maxima of a delay (every rank keeps the
// edges into its states, and the delays are fixpoints computed in rounds of messages along
// them: solver/distributed/delay_graph.h).
#pragma once

#include <mpi.h>

#include <cstdint>
#include <vector>

#include "model/model.h"
#include "solver/result.h"
#include "solver/run_context.h"

namespace interlock {

struct DistributedOutcome {
  std::vector<PropertyResult> results;    // meaningful on rank 0
  std::vector<uint64_t> states_per_rank;  // on rank 0
  uint64_t bytes_sent = 0;                // successors sent to other ranks, all ranks together
  int rounds = 0;                         // exchange rounds, in all
};

// Collective: every rank of `comm` calls it with the same model and properties.
DistributedOutcome check_distributed(const Model& model, const std::vector<int>& properties, RunContext& context,
                                     MPI_Comm comm);

}  // namespace interlock

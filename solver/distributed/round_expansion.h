// One rank's expansion of a round of its states, for the distributed search
// (solver/distributed/distributed_search.h): every successor, packed (as its orbit's
// representative under symmetry), goes into the box of the rank that owns it, followed by its
// parent's name across ranks (with DelayGraph::kTickBit on a tick, when the edges are kept).
//
// On several threads (interlock-mpi --threads N) the round is cut into pieces that the threads
// take in turn, each into boxes of its own; take() joins them in piece order, so the boxes, the
// counts and the first model error are exactly those one thread gives. The round's states are
// copied out of the store first (prepare()), so that its pieces can be expanded while the
// calling thread inserts the round before into that store.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "model/layout.h"
#include "model/semantics.h"
#include "solver/distributed/state_names.h"
#include "solver/explicit/native/codegen.h"
#include "solver/explicit/state_store.h"
#include "solver/explicit/symmetry.h"

namespace interlock {

class RoundExpansion {
 public:
  struct Setup {
    const Semantics& semantics;  // copied, once per thread
    const StateLayout& layout;
    const StateStore& store;     // its hash decides a successor's owner
    const Symmetry* symmetry;
    NativeSuccessorsFn native;   // or null: the interpreter
    int rank = 0, ranks = 1;
    bool track_actions = false;  // note, per state, whether some action is possible there
    bool mark_ticks = false;     // a tick successor's parent name carries DelayGraph::kTickBit
  };
  RoundExpansion(const Setup& setup, int threads);

  // The states [from, to) of the store are the round's (copied now).
  void prepare(uint64_t from, uint64_t to);
  // Expands pieces of the round until none is left; every thread t (0..threads-1) that takes
  // part calls it, and take() may be called once all of them have returned.
  void work(int t);

  struct Result {
    std::vector<std::vector<uint8_t>> boxes;  // per rank: (packed state, parent id) records
    uint64_t transitions = 0;
    uint64_t native_states = 0;
    std::vector<uint8_t> acts;  // per state of the round, with track_actions: an action is possible
    uint64_t fault_state = kNoState;  // the first state whose successors could not be computed
    ModelFault fault;
  };
  // The round as one thread expands it: the states before the first model error (the failing
  // state's own successors are not sent, as in one process), then nothing.
  void take(Result& out);

 private:
  struct Piece {
    uint64_t from = 0, to = 0;  // states of the round, by their index in the store
    std::vector<std::vector<uint8_t>> boxes;
    uint64_t transitions = 0, native_states = 0;
    uint64_t fault_state = kNoState;
    ModelFault fault;
  };
  struct Thread {
    std::unique_ptr<Semantics> semantics;
    std::vector<int32_t> current;
    std::vector<uint8_t> packed, out, ticks, taken;
    std::vector<std::size_t> box_sizes;  // before the state being expanded
  };
  void expand(Thread& th, Piece& piece);

  Setup setup_;
  std::vector<Thread> threads_;
  std::vector<Piece> pieces_;
  std::size_t piece_count_ = 0;
  std::atomic<std::size_t> next_piece_{0};
  uint64_t from_ = 0;
  std::vector<uint8_t> parents_;  // the round's packed states, copied
  std::vector<uint8_t> acts_;
};

}  // namespace interlock

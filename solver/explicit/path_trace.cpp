#include "solver/explicit/path_trace.h"

#include <cstring>
#include <stdexcept>
#include <vector>

namespace interlock {

Trace trace_through(Semantics& semantics, const StateLayout& layout, const Symmetry* symmetry, std::size_t length,
                    FunctionRef<const uint8_t*(std::size_t)> state_at) {
  Trace trace;
  if (length == 0) return trace;
  auto unpacked = [&](std::size_t k) {
    std::vector<int32_t> s(layout.slots() + 1);
    layout.unpack(state_at(k), s.data());
    s.resize(layout.slots());
    return s;
  };
  std::vector<int32_t> real;
  if (symmetry) {
    ModelFault initial_fault;
    semantics.initial(real, initial_fault);
    real.resize(layout.slots());
  }
  trace.states.push_back(symmetry ? real : unpacked(0));
  std::vector<uint8_t> packed(layout.buffer_bytes());
  for (std::size_t k = 1; k < length; ++k) {
    const uint8_t* want = state_at(k);
    std::vector<int32_t> from = trace.states.back();
    from.resize(layout.slots() + 1);
    bool found = false;
    ModelFault fault;
    semantics.successors(from.data(), [&](const Step& step, const int32_t* next) {
      if (found && (trace.steps.back().tick || !step.tick)) return;
      layout.pack(next, packed.data());
      if (symmetry) symmetry->canonicalise(packed.data());
      if (std::memcmp(packed.data(), want, layout.bytes()) != 0) return;
      if (found) trace.steps.back() = step;
      else trace.steps.push_back(step);
      if (symmetry) real.assign(next, next + layout.slots());
      found = true;
    }, fault);
    if (!found) throw std::logic_error("internal error: a path of states has a pair with no step between them");
    trace.states.push_back(symmetry ? real : unpacked(k));
  }
  return trace;
}

Trace lasso_through(Semantics& semantics, const StateLayout& layout, const Symmetry* symmetry, std::size_t length,
                    std::size_t loop_at, FunctionRef<const uint8_t*(std::size_t)> state_at) {
  const std::size_t round = length - 1 - loop_at;
  if (!symmetry || round == 0) {
    Trace trace = trace_through(semantics, layout, symmetry, length, state_at);
    trace.loop_start = static_cast<int>(loop_at);
    return trace;
  }
  // The real run is a function of the path, step by step, so a longer path only extends it: each
  // try lifts twice as many rounds, and looks for the first round start that comes back.
  for (std::size_t rounds = 2;; rounds *= 2) {
    const std::size_t longer = loop_at + 1 + rounds * round;
    Trace trace = trace_through(semantics, layout, symmetry, longer, [&](std::size_t k) {
      return state_at(k <= loop_at ? k : loop_at + 1 + (k - loop_at - 1) % round);
    });
    for (std::size_t later = 1; later <= rounds; ++later)
      for (std::size_t earlier = 0; earlier < later; ++earlier) {
        if (trace.states[loop_at + earlier * round] != trace.states[loop_at + later * round]) continue;
        const std::size_t end = loop_at + later * round;
        trace.states.resize(end + 1);
        trace.steps.resize(end);
        trace.loop_start = static_cast<int>(loop_at + earlier * round);
        return trace;
      }
    if (longer > (std::size_t{1} << 24)) throw std::logic_error("internal error: a cycle of representatives does not close as a real run");
  }
}

}  // namespace interlock

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

}  // namespace interlock

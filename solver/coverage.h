// What an explicit search covered, for lint (solver/lint/): which edges the reachable states take,
// and which of the conditions it was asked to watch are true in some reachable state. A run asks
// for it through Limits::coverage; the explicit engine answers in Stats::coverage, and only after
// a search that expanded every reachable state (not one stopped by a limit, a model error, or
// early because every property was decided).
#pragma once

#include <cstdint>
#include <vector>

#include "model/model.h"

namespace interlock {

struct CoverageRequest {
  // Conditions over the model's slots, each evaluated in every reachable state until it is true
  // once. They must read only what the checked properties read (sub-expressions of them), so
  // that the cone of influence keeps every slot they read.
  std::vector<Expr> watch;
};

struct Coverage {
  enum class Seen : uint8_t { Never, Somewhere, Unknown };  // Unknown: it could not be evaluated
  uint64_t states = 0;                // the reachable states (of the searched, maybe reduced, model)
  bool orbits = false;                // symmetry reduction: `states` counts one state per orbit
  std::vector<uint8_t> edges_taken;   // per edge of the model: 1 if some reachable state takes it
  std::vector<Seen> watched;          // per CoverageRequest::watch
};

}  // namespace interlock

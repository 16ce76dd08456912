#include "solver/result.h"

#include "solver/run_context.h"

namespace interlock {

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::Holds: return "holds";
    case Verdict::Violated: return "violated";
    case Verdict::Unknown: return "unknown";
    case Verdict::ModelError: return "model error";
  }
  return "?";
}

void stamp_symbolic_stats(std::vector<PropertyResult>& results, double seconds, int depth) {
  Stats stats;
  stats.seconds = seconds;
  stats.depth = depth;
  stats.peak_rss_bytes = peak_rss_bytes();
  for (auto& res : results) res.stats = stats;
}

int exit_code(Verdict v) {
  switch (v) {
    case Verdict::Holds: return 0;
    case Verdict::Violated: return 1;
    case Verdict::ModelError: return 2;
    case Verdict::Unknown: return 3;
  }
  return 3;
}

}  // namespace interlock

// Parameter synthesis: for which values of one parameter do the named invariants hold, the
// other parameters keeping their values? The answer is a list of intervals covering the
// parameter's range, each decided with evidence:
//   - violated: a counterexample found by the explicit engine at one value, replayed step by
//     step at every other value of the interval (so each value has its own checked trace);
//   - holds: proven for the whole interval at once by an unbounded prover (chc), given as a
//     callback so that this file needs no solver;
//   - holds, value by value: where the prover cannot decide (a timeout), the explicit engine
//     checks the next values one at a time, and the prover tries again above them;
//   - unknown: a value the explicit engine could not decide either (a limit); the answer is then
//     an under-approximation: the property holds at least on the decided intervals.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "model/model.h"
#include "solver/result.h"
#include "solver/run_context.h"

namespace interlock {

struct ParamInterval {
  int64_t lo = 0, hi = 0;
  Verdict verdict = Verdict::Unknown;  // Holds, Violated or Unknown
  std::string evidence;                // how it was decided
};

struct SynthesisResult {
  std::string param;
  std::vector<SourceLoc> set_aside;      // the spec's assumptions about the parameter, not used
  std::vector<ParamInterval> intervals;  // in order, covering the parameter's range
  bool exact() const;                    // every interval decided
  std::string condition() const;         // "W >= 10", "W in 3..7 || W >= 12", "false"
};

// Proves `properties` (invariants) on `model`, whose parameter may be free within constraints
// added as assumptions; returns one result per property.
using Prover = std::function<std::vector<PropertyResult>(const Model&, const std::vector<int>&, RunContext&)>;

// `model` must give every parameter but `param` a value. The spec's own assumptions that mention
// `param` are set aside: they are what synthesis is asked to find. Throws InputError for a
// parameter or a property that synthesis cannot handle.
SynthesisResult synthesize(const Model& model, const std::string& param, const std::vector<int>& properties,
                           const Prover& prove, const Limits& limits);

// Two parameters: P's threshold as a line in Q. P is synthesized exactly (as above) at the lowest
// and the highest value of Q that the spec's other assumptions allow; if both answers are
// thresholds (P >= t, or P <= t) the line through them, `P >= a * Q + b`, is the candidate,
// and the prover is asked to prove it for every P and Q at once. The result is exact at the
// sampled values of Q, and an under-approximation (proven sufficient) between them.
struct RelationResult {
  std::string condition;            // "W >= TX_MAX + 1", or empty when no line fits
  bool proven = false;              // the prover proved the condition for every P and Q
  std::string why_not;              // when no condition: why
  std::vector<std::pair<int64_t, SynthesisResult>> samples;  // (Q value, exact answer for P)
};

RelationResult synthesize_relation(const Model& model, const std::string& p, const std::string& q,
                                   const std::vector<int>& properties, const Prover& prove, const Limits& limits);

}  // namespace interlock

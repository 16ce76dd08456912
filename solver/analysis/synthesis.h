// Parameter synthesis: for which values of one parameter do the named invariants hold, the
// other parameters keeping their values? The answer is a list of intervals covering the
// parameter's range, each decided with evidence:
//   - violated: a counterexample found by the explicit engine at one value, replayed step by
//     step at every other value of the interval (so each value has its own checked trace);
//   - holds: proven for the whole interval at once by an unbounded prover (chc), given as a
//     callback so that this file needs no solver;
//   - holds, value by value: where the prover cannot decide (a timeout), the explicit engine
//     checks the next values one at a time, and the prover tries again above them;
//   - model error: a value where the model fails (an update out of range, a division by zero)
//     before the properties are decided; such a value is not in the answer;
//   - unknown: a value the explicit engine could not decide either (a limit); the answer is then
//     an under-approximation: the property holds at least on the decided intervals.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "model/model.h"
#include "solver/result.h"
#include "solver/run_context.h"

namespace interlock {

struct ParamInterval {
  int64_t lo = 0, hi = 0;
  Verdict verdict = Verdict::Unknown;  // Holds, Violated, ModelError (one value) or Unknown
  std::string evidence;                // how it was decided
  std::string property;                // Violated, ModelError: the property it is about
  bool assumed = true;                 // shown(): false where the set-aside assumptions rule it out
  // Violated: the value whose trace, replayed, violates the property at each value of the interval.
  std::optional<int64_t> found_at;
};

struct SynthesisResult {
  std::string param;
  std::vector<SourceLoc> set_aside;      // the spec's assumptions about the parameter, not used
  std::vector<std::string> assumptions;  // the same, as the spec writes them
  std::vector<ParamInterval> intervals;  // in order, covering the parameter's range
  // The values those assumptions allow (every other parameter at its value), as intervals in
  // order: synthesis decides every value, and answers for these. `allowed_known` is false when
  // the range was too wide to evaluate them value by value (then every value counts as allowed).
  std::vector<std::pair<int64_t, int64_t>> allowed;
  bool allowed_known = true;
  // Values outside `allowed` where one of those assumptions cannot be evaluated (a division by
  // zero), the ones before it holding: a model error there, as `check --set` says, so shown()
  // shows them as one, not as ruled out. In order, each with why.
  struct Unevaluable {
    int64_t lo = 0, hi = 0;
    std::string why;  // "the spec's assumption at F:3:1 cannot be evaluated here: division by zero"
  };
  std::vector<Unevaluable> unevaluable;
  bool exact() const;                    // every interval decided
  // The values where the invariants hold and the assumptions allow: "W >= 10",
  // "W in 3..7 || W >= 12", "false".
  std::string condition() const;
  // The same over every value of the range, the assumptions set aside.
  std::string condition_set_aside() const;
  // The values the assumptions allow, as a condition: "DUMP_MAX >= 20 min".
  std::string allowed_condition() const;
  // The intervals as an answer shows them: split where the assumptions begin and end, the values
  // they rule out as one line each, and neighbours with the same verdict merged into one line.
  std::vector<ParamInterval> shown() const;
  // How the parameter's values are shown: "01:58", "5 h 57 min" in a spec with clock time
  // (model/time_format.h), else the number.
  TimeKind time = TimeKind::Plain;
  int64_t tick_seconds = 0;
  std::string value_text(int64_t v) const;
  // Why lo..hi is violated: the trace found at `found` replays to a violation at each value.
  std::string replay_evidence(const std::string& property, int64_t found, int64_t lo, int64_t hi) const;
  // "W in 3..7", "W = 5": with clock time also the ticks, "AT in 00:00..01:58 (0..118)".
  std::string interval_text(const ParamInterval& i) const;
};

// Fills in `assumptions`, `allowed` and `unevaluable` from the spec's assumptions that mention
// parameter `param` (the others at their values in `model`).
void apply_assumptions(const Model& model, int param, SynthesisResult& result);

// Whether `e` reads parameter `param`.
bool mentions_param(const Expr& e, int param);

// The spec's assumptions that mention `param` (or, with `mentioning` false, those that do not),
// read in order at the parameter values `values`, as a run reads them (model/semantics.h): they
// hold, one is false, or one cannot be evaluated, the ones before it holding (`why` says which
// and what fault: a model error). With `mentioning`, the others are read in their places too:
// when one of them fails first, the run stops there (a model error the run reports) and the ones
// that mention `param` count as holding.
struct AssumptionsAt {
  bool hold = true;
  std::string why;  // set when one cannot be evaluated
};
AssumptionsAt assumptions_at(const Model& model, const std::vector<int64_t>& values, int param, bool mentioning);

// Proves `properties` (invariants) on `model`, whose parameter may be free within constraints
// added as assumptions; returns one result per property.
using Prover = std::function<std::vector<PropertyResult>(const Model&, const std::vector<int>&, RunContext&)>;
// Told each finding as it is made ("at TX_MAX = 60", "W in 0..9: violated (...)"): a long
// synthesis shows where it is.
using SynthProgress = std::function<void(const std::string&)>;

// `model` must give every parameter but `param` a value. The spec's own assumptions that mention
// `param` are set aside: they are what synthesis is asked to find. Throws InputError for a
// parameter or a property that synthesis cannot handle.
SynthesisResult synthesize(const Model& model, const std::string& param, const std::vector<int>& properties,
                           const Prover& prove, const Limits& limits, const SynthProgress& progress = {});

// Several parameters: P's threshold as a linear function of the others Q1..Qk (k <= 4). P is
// synthesized exactly (as above) at each corner of the box of the others' lowest and highest
// values that the spec's other assumptions allow (2^k runs). If every answer is a threshold in
// the same direction, the slopes come from the lowest corner and its neighbours, and the constant
// is the tightest that is on the safe side at every corner: `P >= a1 * Q1 + ... + b`. The prover
// is then asked to prove it for every P and Q at once. The result is exact at the corners where
// the condition meets the threshold (`tight`), and an under-approximation (proven sufficient)
// elsewhere. With one other parameter this is a line, exact at both ends.
constexpr std::size_t kMaxRelationParams = 4;

struct RelationResult {
  struct Sample {
    std::vector<int64_t> values;  // the others' values at this corner, in the order given
    std::string where;            // "Q = 0, R = 5"
    SynthesisResult answer;       // the exact answer for P there
    bool tight = false;           // the condition is exactly that answer here
  };
  std::string condition;             // "W >= TX_MAX + 1", or empty when no linear condition fits
  std::optional<Expr> condition_expr;  // the same over the parameters (Op::Param), when there is one
  bool proven = false;               // the prover proved the condition for every P and Q
  std::string why_unproven;          // when not: its first answer that was not holds ("unknown: ...")
  std::string why_not;               // when no condition: why
  std::vector<Sample> samples;       // the corners sampled
  std::vector<std::string> outside;  // corners the spec's assumptions rule out
  // The other parameters' values where one of the spec's assumptions cannot be evaluated (a model
  // error, as `check --set` says), left out of the box: "Q = 0: the spec's assumption at ...".
  std::vector<std::string> unevaluable;
  // The spec's assumptions that mention one of the others and not P (by place in the spec): the
  // proof assumes them, so the condition is an answer where they hold (`assume Q != 2`).
  std::vector<SourceLoc> others_assumed;
};

RelationResult synthesize_relation(const Model& model, const std::string& p, const std::vector<std::string>& qs,
                                   const std::vector<int>& properties, const Prover& prove, const Limits& limits,
                                   const SynthProgress& progress = {});

}  // namespace interlock

#include "solver/analysis/synthesis.h"

#include "model/time_format.h"

#include <algorithm>

#include "solver/explicit/explicit_engine.h"
#include "solver/trace/replay.h"

namespace interlock {
namespace {

constexpr double kProofSeconds = 20;  // per attempt of the prover, unless --timeout is shorter

ParamInterval decided(int64_t lo, int64_t hi, Verdict verdict, std::string evidence, std::string property = "") {
  ParamInterval i;
  i.lo = lo;
  i.hi = hi;
  i.verdict = verdict;
  i.evidence = std::move(evidence);
  i.property = std::move(property);
  return i;
}

Expr param_expr(const Model& model, int index) {
  Expr e;
  e.op = Expr::Op::Param;
  e.type = ValueType::Int;
  e.value = index;
  e.loc = model.params[index].loc;
  return e;
}

Expr binary(Expr::Op op, Expr a, Expr b, ValueType type) {
  Expr e;
  e.op = op;
  e.type = type;
  e.kids = {std::move(a), std::move(b)};
  return e;
}

// `param >= lo && param <= hi`.
Expr in_range(const Model& model, int param, int64_t lo, int64_t hi) {
  const Expr p = param_expr(model, param);
  return binary(Expr::Op::And, binary(Expr::Op::Ge, p, Expr::constant(lo), ValueType::Bool),
                binary(Expr::Op::Le, p, Expr::constant(hi), ValueType::Bool), ValueType::Bool);
}

// The model with `param` free but assumed to lie in lo..hi.
Model restricted(const Model& model, int param, int64_t lo, int64_t hi) {
  Model out = with_free_params(model, {param});
  out.assumes.push_back(in_range(model, param, lo, hi));
  out.assume_locs.push_back(model.params[param].loc);
  return out;
}

Model at_value(const Model& model, int param, int64_t value) {
  return with_params(model, {{model.params[param].name, value}});
}

struct PointCheck {
  bool violated = false;  // some property is violated: the answer there is no
  bool fails = false;     // else: the model fails (a model error) before a verdict
  bool decided = false;
  std::string property;
  std::optional<Trace> trace;
  std::string detail;
};

// The run's limits with what is left of its time, at most `cap` seconds (0: no cap): --timeout
// bounds the whole synthesis, not each search or proof in it.
Limits left_of(const RunContext& overall, double cap = 0) {
  Limits out = overall.limits();
  double seconds = out.timeout_seconds > 0 ? std::max(0.001, out.timeout_seconds - overall.elapsed()) : 0;
  if (cap > 0 && (seconds <= 0 || seconds > cap)) seconds = cap;
  out.timeout_seconds = seconds;
  return out;
}

PointCheck check_point(const Model& model, const std::vector<int>& properties, const RunContext& overall) {
  RunContext context(left_of(overall), nullptr);
  std::vector<PropertyResult> results = ExplicitEngine().check(model, properties, context);
  PointCheck out;
  out.decided = true;
  for (const PropertyResult& r : results)
    if (r.verdict == Verdict::Violated) {
      out.violated = true;
      out.property = r.property;
      out.trace = r.trace;
      return out;
    }
  for (const PropertyResult& r : results) {
    if (r.verdict == Verdict::ModelError) {
      out.fails = true;
      out.property = r.property;
      out.detail = r.detail;
      return out;
    }
    if (r.verdict != Verdict::Holds) {
      out.decided = false;
      out.detail = r.detail;
    }
  }
  return out;
}

// Whether the steps of `trace` replay at `model`'s parameter values and end in a state that
// violates `property`.
bool replays_violation(const Model& model, const Trace& trace, const std::string& property) {
  Replayed r = replay_steps(model, trace.steps);
  if (r.outcome != Replayed::Outcome::Ok) return false;
  Semantics sem(model);
  std::vector<int32_t> last = r.trace.states.back();
  last.resize(model.slots.size() + 1);
  ModelFault fault;
  const Property& p = model.properties[model.find_property(property)];
  bool holds = sem.holds(sem.compile(*p.a), last.data(), fault);
  return fault.message.empty() && !holds;
}

// The index of the parameter `name`; a clear error naming the ones the spec has if none.
int param_index(const Model& model, const std::string& name) {
  const int index = model.find_param(name);
  if (index >= 0) return index;
  std::string known;
  for (const Param& p : model.params) known += (known.empty() ? "" : ", ") + p.name;
  throw InputError(model.file + ": error: no parameter named '" + name + "'" +
                   (known.empty() ? " (the spec declares none)" : " (the spec declares: " + known + ")") + "\n");
}

// Decides every value of the parameter `index` of `model` (see the header), into `result`.
SynthesisResult search(const Model& model, int index, const std::vector<int>& properties, const Prover& prove,
                       const RunContext& overall, const SynthProgress& progress, SynthesisResult& result) {
  const std::string& param = result.param;
  std::size_t told = 0;
  auto tell = [&] {  // the intervals found since last time
    for (; told < result.intervals.size() && progress; ++told) {
      const ParamInterval& i = result.intervals[told];
      progress(result.interval_text(i) + ": " + verdict_name(i.verdict) + " (" + i.evidence + ")");
    }
  };
  const int64_t lo = model.params[index].lo, hi = model.params[index].hi;
  // Walks the range from the bottom. A violated value's trace is replayed upward to cover the
  // values it also breaks; a value that holds starts a candidate interval that the prover must
  // confirm. When the prover refutes it, its counterexample's value bounds the interval, and the
  // values in between are bisected with the explicit engine.
  int64_t v = lo;
  int64_t sweep = 4;
  while (v <= hi) {
    tell();
    if (overall.timed_out()) {
      const bool late = overall.limits().timeout_seconds > 0 && overall.elapsed() > overall.limits().timeout_seconds;
      result.intervals.push_back(decided(v, hi, Verdict::Unknown,
                                         late ? "not decided: the time limit was reached first" : "not decided: " + overall.stop_reason()));
      break;
    }
    PointCheck here = check_point(at_value(model, index, v), properties, overall);
    if (!here.decided) {
      result.intervals.push_back(decided(v, v, Verdict::Unknown, "the explicit engine could not decide: " + here.detail));
      ++v;
      continue;
    }
    if (here.fails) {
      result.intervals.push_back(decided(v, v, Verdict::ModelError,
                                         "the model fails before '" + here.property + "' is decided: " + here.detail, here.property));
      ++v;
      continue;
    }
    if (here.violated) {
      int64_t end = v;
      if (here.trace)
        // --timeout and Ctrl-C stop the replay too: a wide range replays value by value.
        while (end < hi && !overall.timed_out() && replays_violation(at_value(model, index, end + 1), *here.trace, here.property)) ++end;
      result.intervals.push_back(decided(v, end, Verdict::Violated, result.replay_evidence(here.property, v, v, end), here.property));
      result.intervals.back().found_at = v;
      v = end + 1;
      continue;
    }
    // v holds. Try to prove the largest interval from v that the prover accepts.
    int64_t top = hi;
    for (;;) {
      RunContext context(left_of(overall, kProofSeconds), nullptr);
      std::vector<PropertyResult> proof = prove(restricted(model, index, v, top), properties, context);
      Verdict worst = Verdict::Holds;
      std::optional<int64_t> refuted_at;
      std::string why;
      for (const PropertyResult& r : proof) {
        if (r.verdict == Verdict::Holds) continue;
        if ((r.verdict == Verdict::Violated || r.verdict == Verdict::ModelError) && r.trace) {
          for (const auto& [name, value] : r.trace->params)
            if (name == param) refuted_at = value;
          worst = Verdict::Violated;
        } else if (worst == Verdict::Holds) {
          worst = Verdict::Unknown;
          why = r.detail;
        }
      }
      if (worst == Verdict::Holds) {
        const std::string engine = proof.empty() ? std::string("the prover") : proof[0].engine;
        result.intervals.push_back(decided(v, top, Verdict::Holds, "proven by " + engine + " for every value at once"));
        v = top + 1;
        break;
      }
      if (worst == Verdict::Violated && refuted_at && *refuted_at > v && *refuted_at <= top) {
        // Somewhere in v+1 .. refuted_at the property starts to fail: bisect for the first
        // failing value, then try to prove the shorter interval below it.
        int64_t good = v, bad = *refuted_at;
        while (bad - good > 1 && !overall.timed_out()) {
          int64_t mid = good + (bad - good) / 2;
          PointCheck m = check_point(at_value(model, index, mid), properties, overall);
          if (m.decided && !m.violated && !m.fails) good = mid;
          else bad = mid;
        }
        top = bad - 1;
        continue;
      }
      // The prover could not decide: the next values are decided one by one with the explicit
      // engine (exact, one search each), and the prover tries again above them; the sweep
      // doubles each time, so the prover is asked a logarithmic number of times.
      const int64_t end = std::min(top, v + sweep - 1);
      sweep *= 2;
      int64_t last_good = v;
      for (int64_t u = v + 1; u <= end; ++u) {
        PointCheck c = check_point(at_value(model, index, u), properties, overall);
        if (!c.decided || c.violated || c.fails) break;
        last_good = u;
      }
      result.intervals.push_back(decided(v, last_good, Verdict::Holds,
                                         "checked by the explicit engine at each value; the prover did not decide (" + why + ")"));
      v = last_good + 1;
      break;
    }
  }
  tell();
  return result;
}

}  // namespace

namespace {

SynthesisResult synthesize_within(const Model& model, const std::string& param, const std::vector<int>& properties,
                                  const Prover& prove, const RunContext& overall, const SynthProgress& progress) {
  const int index = param_index(model, param);
  for (const Param& p : model.params)
    if (p.name != param && !p.value)
      throw InputError(model.file + ": error: synth varies '" + param + "' and keeps every other parameter at its value; '" +
                       p.name + "' has none: give it one with --set " + p.name + "=VALUE\n");
  for (int i : properties) {
    const Property& p = model.properties[i];
    if (p.kind != Property::Kind::Invariant)
      throw InputError(model.file + ":" + std::to_string(p.loc.line) + ":" + std::to_string(p.loc.col) + ": error: '" + p.name +
                       "' is a " + property_kind_name(p.kind) +
                       " property; synth handles invariants, which the symbolic engines can prove for a whole range\n");
  }

  SynthesisResult result;
  result.param = param;
  result.time = model.params[index].time;
  result.tick_seconds = model.tick_seconds;
  Model free_model = model;
  free_model.assumes.clear();
  free_model.assume_locs.clear();
  for (std::size_t a = 0; a < model.assumes.size(); ++a) {
    if (mentions_param(model.assumes[a], index)) {
      result.set_aside.push_back(model.assume_locs[a]);
      continue;
    }
    free_model.assumes.push_back(model.assumes[a]);
    free_model.assume_locs.push_back(model.assume_locs[a]);
  }
  apply_assumptions(model, index, result);
  return search(free_model, index, properties, prove, overall, progress, result);
}

}  // namespace

SynthesisResult synthesize(const Model& model, const std::string& param, const std::vector<int>& properties,
                           const Prover& prove, const Limits& limits, const SynthProgress& progress) {
  RunContext overall(limits, nullptr);
  return synthesize_within(model, param, properties, prove, overall, progress);
}

namespace {

// The spec's assumptions that do not mention `skip`, at the model's parameter values.
AssumptionsAt other_assumptions_at(const Model& model, int skip) {
  std::vector<int64_t> values;
  for (const Param& p : model.params) values.push_back(p.value.value_or(p.lo));
  return assumptions_at(model, values, skip, false);
}

// The threshold of an exact one-parameter answer: P >= t (up) or P <= t (down), if it is one.
// An answer of every value is the threshold at the range's end, in the direction `up` holds on
// entry.
bool threshold(const SynthesisResult& r, bool& up, int64_t& t) {
  if (!r.exact() || r.intervals.empty()) return false;
  std::vector<std::pair<int64_t, int64_t>> good;
  for (const ParamInterval& i : r.intervals)
    if (i.verdict == Verdict::Holds) {
      if (!good.empty() && good.back().second + 1 == i.lo) good.back().second = i.hi;
      else good.emplace_back(i.lo, i.hi);
    }
  if (good.size() != 1) return false;
  const int64_t lo = r.intervals.front().lo, hi = r.intervals.back().hi;
  if (good[0].first == lo && good[0].second == hi) {  // every value: the threshold at the range's end
    t = up ? lo : hi;
    return true;
  }
  if (good[0].second == hi && good[0].first > lo) {
    up = true;
    t = good[0].first;
    return true;
  }
  if (good[0].first == lo && good[0].second < hi) {
    up = false;
    t = good[0].second;
    return true;
  }
  return false;
}

// "P >= 2 * Q - R + 1": the linear condition with P on the left. In a spec with clock time the
// constant reads as P's values do ("DUMP_MAX <= 30 min"), or as a duration beside other terms
// ("AT >= START + 1 h").
std::string linear_text(const Model& model, int p, bool up, const std::vector<int>& qs, const std::vector<int64_t>& a, int64_t b) {
  std::string out = model.params[p].name + (up ? " >= " : " <= ");
  bool first = true;
  for (std::size_t i = 0; i < qs.size(); ++i) {
    if (a[i] == 0) continue;
    const int64_t mag = a[i] < 0 ? -a[i] : a[i];
    const std::string& q = model.params[qs[i]].name;
    if (first) out += a[i] < 0 ? "-" : "";
    else out += a[i] < 0 ? " - " : " + ";
    out += mag == 1 ? q : std::to_string(mag) + " * " + q;
    first = false;
  }
  const TimeKind kind = model.params[p].time;
  if (first) return out + time_value(model, kind, b);
  const TimeKind amount = kind == TimeKind::Plain ? TimeKind::Plain : TimeKind::Duration;
  if (b > 0) out += " + " + time_value(model, amount, b);
  if (b < 0) out += " - " + time_value(model, amount, -b);
  return out;
}

// "Q = 20 min, R = 5": the other parameters' values at a corner, as the spec writes them.
std::string point_text(const Model& model, const std::vector<int>& qs, const std::vector<int64_t>& values) {
  std::string out;
  for (std::size_t i = 0; i < qs.size(); ++i) {
    if (i) out += ", ";
    out += model.params[qs[i]].name;
    out += " = ";
    out += time_value(model, model.params[qs[i]].time, values[i]);
  }
  return out;
}

}  // namespace

RelationResult synthesize_relation(const Model& model, const std::string& p, const std::vector<std::string>& qs,
                                   const std::vector<int>& properties, const Prover& prove, const Limits& limits,
                                   const SynthProgress& progress) {
  const int pi = param_index(model, p);
  std::vector<int> qi;
  for (const std::string& q : qs) {
    const int i = param_index(model, q);
    if (i == pi || std::find(qi.begin(), qi.end(), i) != qi.end())
      throw InputError(model.file + ": error: synth needs different parameters, but '" + q + "' is named twice\n");
    qi.push_back(i);
  }
  if (qs.empty() || qs.size() > kMaxRelationParams)
    throw InputError(model.file + ": error: synth relates one parameter to 1 to " + std::to_string(kMaxRelationParams) +
                     " others, not " + std::to_string(qs.size()) + "\n");
  RelationResult out;
  RunContext overall(limits, nullptr);  // --timeout bounds the whole synthesis
  // Each other parameter's lowest and highest value that the assumptions allow, the rest at
  // their values (P's assumptions are set aside).
  std::vector<int64_t> lo, hi;
  for (std::size_t k = 0; k < qi.size(); ++k) {
    std::vector<int64_t> allowed;
    std::vector<SynthesisResult::Unevaluable> faults;  // runs of values with the same fault
    for (int64_t v = model.params[qi[k]].lo; v <= model.params[qi[k]].hi; ++v) {
      const AssumptionsAt here = other_assumptions_at(at_value(model, qi[k], v), pi);
      if (here.hold) allowed.push_back(v);
      if (here.why.empty()) continue;
      if (!faults.empty() && faults.back().hi + 1 == v && faults.back().why == here.why) faults.back().hi = v;
      else faults.push_back({v, v, here.why});
    }
    const Param& q = model.params[qi[k]];
    for (const SynthesisResult::Unevaluable& f : faults)
      out.unevaluable.push_back(qs[k] + (f.lo == f.hi ? " = " + time_value(model, q.time, f.lo)
                                                      : " in " + time_value(model, q.time, f.lo) + ".." + time_value(model, q.time, f.hi)) +
                                ": " + f.why);
    if (allowed.empty() && !faults.empty())  // as `check --set` would say at each value
      throw InputError(model.file + ": error: no value of '" + qs[k] + "' can be sampled: at " + out.unevaluable.back() + " (a model error)\n");
    if (allowed.empty()) throw InputError(model.file + ": error: no value of '" + qs[k] + "' satisfies the spec's assumptions\n");
    lo.push_back(allowed.front());
    hi.push_back(allowed.back());
  }
  // P exactly at every corner of that box: corner m takes hi[k] where bit k of m is set.
  const std::size_t corners = std::size_t{1} << qi.size();
  std::vector<int64_t> threshold_at(corners, 0);
  std::vector<int> sample_of(corners, -1);
  std::vector<std::string> not_sampled(corners);  // why a corner was not sampled
  bool up = true, have_direction = false;
  for (std::size_t m = 0; m < corners; ++m) {
    std::vector<int64_t> values;
    bool duplicate = false;
    for (std::size_t k = 0; k < qi.size(); ++k) {
      const bool high = (m >> k) & 1;
      duplicate = duplicate || (high && lo[k] == hi[k]);
      values.push_back(high ? hi[k] : lo[k]);
    }
    if (duplicate) continue;  // the same point as a corner with that bit clear
    Model at = model;
    for (std::size_t k = 0; k < qi.size(); ++k) at = at_value(at, qi[k], values[k]);
    const AssumptionsAt here = other_assumptions_at(at, pi);
    if (!here.hold) {
      if (here.why.empty()) out.outside.push_back(point_text(model, qi, values));
      else out.unevaluable.push_back(point_text(model, qi, values) + ": " + here.why);
      not_sampled[m] = here.why.empty() ? "is outside the spec's assumptions" : "is a model error: " + here.why;
      continue;
    }
    if (progress) progress("at " + point_text(model, qi, values) + ":");
    SynthesisResult r = synthesize_within(at, p, properties, prove, overall, progress);
    sample_of[m] = static_cast<int>(out.samples.size());
    out.samples.push_back({values, point_text(model, qi, values), r, false});
    bool dir = up;  // an answer of every value takes the direction of the others
    int64_t t = 0;
    if (!threshold(r, dir, t)) {
      out.why_not = "at " + point_text(model, qi, values) + " the answer for " + p + " is not a threshold (" + r.condition_set_aside() + ")";
      return out;
    }
    if (have_direction && dir != up) {
      out.why_not = "the answers at the corners go in opposite directions";
      return out;
    }
    up = dir;
    have_direction = true;
    threshold_at[m] = t;
  }
  // The slopes from the lowest corner and its neighbours; the constant as tight as every corner
  // allows, so that the condition is on the safe side of each exact answer.
  if (sample_of[0] < 0) {
    out.why_not = "the corner " + point_text(model, qi, lo) + " " + not_sampled[0];
    return out;
  }
  std::vector<int64_t> a(qi.size(), 0);
  for (std::size_t k = 0; k < qi.size(); ++k) {
    if (lo[k] == hi[k]) continue;
    const std::size_t next = std::size_t{1} << k;
    if (sample_of[next] < 0) {
      std::vector<int64_t> neighbour = lo;
      neighbour[k] = hi[k];
      out.why_not = "the corner " + point_text(model, qi, neighbour) + " " + not_sampled[next];
      return out;
    }
    const int64_t rise = threshold_at[next] - threshold_at[0], run = hi[k] - lo[k];
    if (rise % run != 0) {
      out.why_not = "no plane with whole coefficients passes through the thresholds along " + qs[k];
      return out;
    }
    a[k] = rise / run;
  }
  auto slope_part = [&](const std::vector<int64_t>& values) {
    int64_t sum = 0;
    for (std::size_t k = 0; k < a.size(); ++k) sum += a[k] * values[k];
    return sum;
  };
  bool first = true;
  int64_t b = 0;
  for (std::size_t m = 0; m < corners; ++m) {
    if (sample_of[m] < 0) continue;
    const int64_t need = threshold_at[m] - slope_part(out.samples[sample_of[m]].values);
    if (first || (up ? need > b : need < b)) b = need;
    first = false;
  }
  for (std::size_t m = 0; m < corners; ++m)
    if (sample_of[m] >= 0) {
      RelationResult::Sample& sample = out.samples[sample_of[m]];
      sample.tight = slope_part(sample.values) + b == threshold_at[m];
    }
  out.condition = linear_text(model, pi, up, qi, a, b);
  // Prove it for every value of P and the others at once: all free, the condition assumed.
  std::vector<int> varied = qi;
  varied.push_back(pi);
  Model all_free = with_free_params(model, varied);
  all_free.assumes.clear();
  all_free.assume_locs.clear();
  // The others within the box first: outside it the assumptions rule every value out or cannot be
  // evaluated (said above), and read in order, the box keeps those from being evaluated there.
  for (std::size_t k = 0; k < qi.size(); ++k) {
    all_free.assumes.push_back(in_range(model, qi[k], lo[k], hi[k]));
    all_free.assume_locs.push_back(model.params[qi[k]].loc);
  }
  for (std::size_t k = 0; k < model.assumes.size(); ++k) {
    if (mentions_param(model.assumes[k], pi)) continue;
    all_free.assumes.push_back(model.assumes[k]);
    all_free.assume_locs.push_back(model.assume_locs[k]);
    if (std::any_of(qi.begin(), qi.end(), [&](int q) { return mentions_param(model.assumes[k], q); }))
      out.others_assumed.push_back(model.assume_locs[k]);
  }
  Expr bound = Expr::constant(b);
  for (std::size_t k = 0; k < qi.size(); ++k)
    bound = binary(Expr::Op::Add, bound, binary(Expr::Op::Mul, Expr::constant(a[k]), param_expr(model, qi[k]), ValueType::Int),
                   ValueType::Int);
  out.condition_expr = binary(up ? Expr::Op::Ge : Expr::Op::Le, param_expr(model, pi), bound, ValueType::Bool);
  all_free.assumes.push_back(*out.condition_expr);
  all_free.assume_locs.push_back(model.params[pi].loc);
  RunContext context(left_of(overall, 60), nullptr);
  if (progress) progress("proving " + out.condition + " for every value at once");
  out.proven = true;
  for (const PropertyResult& r : prove(all_free, properties, context)) {
    if (r.verdict == Verdict::Holds) continue;
    if (out.proven) out.why_unproven = std::string(verdict_name(r.verdict)) + (r.detail.empty() ? "" : ": " + r.detail);
    out.proven = false;
  }
  return out;
}

}  // namespace interlock

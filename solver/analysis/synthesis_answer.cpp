// How a synthesis answer reads: the parameter's values in the spec's terms, the values the
// spec's assumptions rule out, the condition, and the intervals merged for a person to read.
#include <algorithm>

#include "model/eval.h"
#include "model/stuck_explanation.h"
#include "model/time_format.h"
#include "solver/analysis/synthesis.h"

namespace interlock {
namespace {

// Beyond this many values the assumptions are not evaluated one value at a time.
constexpr int64_t kMaxAssumedValues = INT64_C(1) << 22;

std::string range_text(const SynthesisResult& r, int64_t lo, int64_t hi, int64_t min, int64_t max) {
  const std::string& name = r.param;
  if (lo == hi) return name + " == " + r.value_text(lo);
  if (lo == min && hi == max) return "true";
  if (lo == min) return name + " <= " + r.value_text(hi);
  if (hi == max) return name + " >= " + r.value_text(lo);
  return name + " in " + r.value_text(lo) + ".." + r.value_text(hi);
}

// "A || B" of the maximal runs of `ranges` (in order, possibly touching).
std::string condition_of(const SynthesisResult& r, std::vector<std::pair<int64_t, int64_t>> ranges) {
  if (r.intervals.empty() || ranges.empty()) return "false";
  std::vector<std::pair<int64_t, int64_t>> merged;
  for (const auto& range : ranges) {
    if (!merged.empty() && merged.back().second + 1 == range.first) merged.back().second = range.second;
    else merged.push_back(range);
  }
  std::string out;
  for (const auto& [lo, hi] : merged)
    out += (out.empty() ? "" : " || ") + range_text(r, lo, hi, r.intervals.front().lo, r.intervals.back().hi);
  return out;
}

std::vector<std::pair<int64_t, int64_t>> holding(const SynthesisResult& r) {
  std::vector<std::pair<int64_t, int64_t>> out;
  for (const ParamInterval& i : r.intervals)
    if (i.verdict == Verdict::Holds) out.emplace_back(i.lo, i.hi);
  return out;
}

// Joins neighbouring pieces of the same kind into one line (see SynthesisResult::shown).
class Merger {
 public:
  explicit Merger(const SynthesisResult& r) : r_(r) {}

  void add(const ParamInterval& p) {
    if (!run_.empty() && fits(p)) {
      run_.push_back(p);
      return;
    }
    flush();
    run_.push_back(p);
  }

  std::vector<ParamInterval> done() {
    flush();
    return std::move(out_);
  }

 private:
  bool fits(const ParamInterval& p) const {
    const ParamInterval& last = run_.back();
    if (!p.assumed || !last.assumed) return p.assumed == last.assumed;
    if (p.verdict != last.verdict) return false;
    if (p.evidence == last.evidence || p.verdict == Verdict::Violated) return true;
    return p.lo == p.hi && last.lo == last.hi;  // one-value lines of the same verdict
  }

  void flush() {
    if (run_.empty()) return;
    ParamInterval line = run_.front();
    line.hi = run_.back().hi;
    if (!line.assumed) {  // what was found there with the assumptions set aside is not said
      line.evidence = "the spec's assumptions rule these values out";
      line.property.clear();
    }
    else if (run_.size() > 1) line.evidence = evidence();
    out_.push_back(std::move(line));
    run_.clear();
  }

  std::string evidence() const {
    std::vector<std::string> distinct;
    for (const ParamInterval& p : run_)
      if (std::find(distinct.begin(), distinct.end(), p.evidence) == distinct.end()) distinct.push_back(p.evidence);
    if (distinct.size() == 1) return distinct.front();
    if (run_.front().verdict == Verdict::Violated) {
      std::vector<std::string> properties;
      for (const ParamInterval& p : run_)
        if (std::find(properties.begin(), properties.end(), p.property) == properties.end()) properties.push_back(p.property);
      std::string names;
      for (std::size_t k = 0; k < properties.size(); ++k) names += (k ? k + 1 == properties.size() ? " or '" : ", '" : "'") + properties[k] + "'";
      std::string found;
      constexpr std::size_t kListed = 5;
      bool replayed = false;
      for (std::size_t k = 0; k < run_.size(); ++k) {
        const int64_t at = run_[k].found_at.value_or(run_[k].lo);
        replayed = replayed || run_[k].hi > at;
        if (k < kListed) found += (k ? k + 1 == run_.size() ? " and " : ", " : "") + r_.value_text(at);
      }
      if (run_.size() > kListed) found += " and " + std::to_string(run_.size() - kListed) + " more";
      return names + " violated; traces found at " + r_.param + " = " + found + (replayed ? ", each replayed to the values up to the next" : "");
    }
    constexpr std::size_t kQuoted = 3;
    if (run_.front().verdict == Verdict::ModelError) {
      // Each fault with the values it is met at: the faults differ in kind, not only in a value.
      std::string out;
      std::size_t said = 0;
      for (std::size_t k = 0; k < run_.size();) {
        std::size_t last = k;
        while (last + 1 < run_.size() && run_[last + 1].evidence == run_[k].evidence) ++last;
        if (said++ == kQuoted) return out + "; ...";
        ParamInterval values = run_[k];
        values.hi = run_[last].hi;
        out += (out.empty() ? "" : "; ") + r_.interval_text(values) + ": " + run_[k].evidence;
        k = last + 1;
      }
      return out;
    }
    std::string out = "at each value: ";
    for (std::size_t k = 0; k < distinct.size() && k < kQuoted; ++k) out += (k ? "; " : "") + distinct[k];
    if (distinct.size() > kQuoted) out += "; ...";
    return out;
  }

  const SynthesisResult& r_;
  std::vector<ParamInterval> run_;
  std::vector<ParamInterval> out_;
};

}  // namespace

bool mentions_param(const Expr& e, int param) {
  if (e.op == Expr::Op::Param && e.value == param) return true;
  for (const Expr& k : e.kids)
    if (mentions_param(k, param)) return true;
  return false;
}

AssumptionsAt assumptions_at(const Model& model, const std::vector<int64_t>& values, int param, bool mentioning) {
  const std::vector<int32_t> none(model.slots.size() + 1, 0);
  for (std::size_t a = 0; a < model.assumes.size(); ++a) {
    const bool asked = mentions_param(model.assumes[a], param) == mentioning;
    if (!asked && !mentioning) continue;
    int64_t holds = 0;
    EvalFault fault = EvalFault::None;
    if (Compiled(model.assumes[a], values).run(none.data(), nullptr, holds, fault) && holds != 0) continue;
    // Another assumption fails first: a run at these values stops there, with a model error it
    // reports; the ones asked about rule nothing out.
    if (!asked) return {};
    AssumptionsAt out;
    out.hold = false;
    if (fault != EvalFault::None) {
      const SourceLoc& at = model.assume_locs[a];
      out.why = "the spec's assumption at " + model.file + ":" + std::to_string(at.line) + ":" + std::to_string(at.col) +
                " cannot be evaluated here: " + describe(fault);
    }
    return out;
  }
  return {};
}

void apply_assumptions(const Model& model, int param, SynthesisResult& result) {
  const Param& p = model.params[static_cast<std::size_t>(param)];
  std::vector<int64_t> values;
  for (const Param& q : model.params) values.push_back(q.value.value_or(q.lo));
  for (const Expr& a : model.assumes)
    if (mentions_param(a, param)) result.assumptions.push_back(expr_text(model, a));
  result.allowed.clear();
  result.unevaluable.clear();
  result.allowed_known = result.assumptions.empty() || p.hi - p.lo < kMaxAssumedValues;
  if (result.assumptions.empty() || !result.allowed_known) {
    result.allowed.emplace_back(p.lo, p.hi);
    return;
  }
  for (int64_t v = p.lo; v <= p.hi; ++v) {
    values[static_cast<std::size_t>(param)] = v;
    const AssumptionsAt here = assumptions_at(model, values, param, true);
    if (!here.why.empty()) {
      std::vector<SynthesisResult::Unevaluable>& u = result.unevaluable;
      if (!u.empty() && u.back().hi + 1 == v && u.back().why == here.why) u.back().hi = v;
      else u.push_back({v, v, here.why});
    }
    if (!here.hold) continue;
    if (!result.allowed.empty() && result.allowed.back().second + 1 == v) result.allowed.back().second = v;
    else result.allowed.emplace_back(v, v);
  }
}

bool SynthesisResult::exact() const {
  for (const ParamInterval& i : intervals)
    if (i.verdict == Verdict::Unknown) return false;
  return true;
}

std::string SynthesisResult::value_text(int64_t v) const { return time_value(time, tick_seconds, v); }

std::string SynthesisResult::replay_evidence(const std::string& property, int64_t found, int64_t lo, int64_t hi) const {
  std::string out = "'" + property + "' is violated; the trace found at " + param + " = " + value_text(found);
  if (found == lo) return hi > lo ? out + " replays to a violation at every value up to " + value_text(hi) : out;
  // A piece of the interval after values the assumptions leave out (or cannot be evaluated at):
  // said within the piece, and where the trace comes from.
  return out + ", the assumptions set aside, replays to a violation " +
         (lo == hi ? "here" : "at every value from " + value_text(lo) + " to " + value_text(hi));
}

std::string SynthesisResult::interval_text(const ParamInterval& i) const {
  const std::string plain = i.lo == i.hi ? " = " + std::to_string(i.lo) : " in " + std::to_string(i.lo) + ".." + std::to_string(i.hi);
  const std::string shown = i.lo == i.hi ? " = " + value_text(i.lo) : " in " + value_text(i.lo) + ".." + value_text(i.hi);
  if (shown == plain) return param + plain;
  return param + shown + " (" + plain.substr(plain[1] == '=' ? 3 : 4) + ")";
}

std::string SynthesisResult::condition_set_aside() const { return condition_of(*this, holding(*this)); }

std::string SynthesisResult::allowed_condition() const { return condition_of(*this, allowed); }

std::string SynthesisResult::condition() const {
  if (assumptions.empty() || !allowed_known) return condition_set_aside();
  std::vector<std::pair<int64_t, int64_t>> both;
  std::size_t a = 0;
  for (const auto& [lo, hi] : holding(*this)) {
    while (a < allowed.size() && allowed[a].second < lo) ++a;
    for (std::size_t k = a; k < allowed.size() && allowed[k].first <= hi; ++k)
      both.emplace_back(std::max(lo, allowed[k].first), std::min(hi, allowed[k].second));
  }
  return condition_of(*this, both);
}

std::vector<ParamInterval> SynthesisResult::shown() const {
  Merger merger(*this);
  const bool every = assumptions.empty() || !allowed_known;  // no assumption to apply
  std::size_t a = 0, u = 0;
  // A piece the assumptions do not allow, split where one of them cannot be evaluated: those
  // values are a model error, not ruled out.
  auto add_outside = [&](ParamInterval piece) {
    for (int64_t v = piece.lo; v <= piece.hi;) {
      while (u < unevaluable.size() && unevaluable[u].hi < v) ++u;
      const bool fault = u < unevaluable.size() && unevaluable[u].lo <= v;
      const int64_t end = fault ? std::min(piece.hi, unevaluable[u].hi)
                                : u < unevaluable.size() ? std::min(piece.hi, unevaluable[u].lo - 1) : piece.hi;
      ParamInterval part = piece;
      part.lo = v;
      part.hi = end;
      if (fault) {
        part.assumed = true;
        part.verdict = Verdict::ModelError;
        part.evidence = unevaluable[u].why;
        part.property.clear();
      }
      merger.add(part);
      if (end == piece.hi) break;
      v = end + 1;
    }
  };
  for (const ParamInterval& i : intervals) {
    for (int64_t v = i.lo; v <= i.hi;) {
      while (a < allowed.size() && allowed[a].second < v) ++a;
      const bool in = every || (a < allowed.size() && allowed[a].first <= v);
      const int64_t end = every ? i.hi : in ? std::min(i.hi, allowed[a].second)
                                            : a < allowed.size() ? std::min(i.hi, allowed[a].first - 1) : i.hi;
      ParamInterval piece = i;
      piece.lo = v;
      piece.hi = end;
      piece.assumed = in;
      if (piece.found_at && (piece.lo != i.lo || piece.hi != i.hi))
        piece.evidence = replay_evidence(piece.property, *piece.found_at, piece.lo, piece.hi);
      if (in) merger.add(piece);
      else add_outside(piece);
      if (end == i.hi) break;
      v = end + 1;
    }
  }
  return merger.done();
}

}  // namespace interlock

#include "solver/explicit/value_maximum.h"

namespace interlock {
namespace {

void clocks_read(const Model& model, const Expr& e, std::vector<int>& out) {
  if (e.op == Expr::Op::Slot && model.slots[e.value].kind == Slot::Kind::Clock) out.push_back(static_cast<int>(e.value));
  for (const Expr& k : e.kids) clocks_read(model, k, out);
}

}  // namespace

ValueMaximum::ValueMaximum(const Semantics& semantics, const Property& property, std::size_t result)
    : result_(result), value_(semantics.compile(*property.a)), cond_(property.b ? semantics.compile(*property.b) : Compiled()),
      kind_(value_kind(semantics.model(), *property.a)) {
  clocks_read(semantics.model(), *property.a, clocks_);
}

ValueMaximum::Seen ValueMaximum::see(const Semantics& semantics, const int32_t* state, ModelFault& fault) {
  if (failed_) return Seen::Nothing;
  const bool relevant = semantics.holds(cond_, state, fault);
  int64_t v = 0;
  if (fault.message.empty() && relevant) semantics.value(value_, state, v, fault);
  if (!fault.message.empty()) {
    failed_ = true;
    return Seen::Failed;
  }
  if (!relevant) return Seen::Nothing;
  const Model& model = semantics.model();
  for (int c : clocks_) saturated_ = saturated_ || state[c] >= model.slots[static_cast<std::size_t>(c)].hi;
  if (best_ && v <= *best_) return Seen::Nothing;
  best_ = v;
  return Seen::NewBest;
}

void ValueMaximum::merge(const std::optional<int64_t>& best, bool saturated) {
  best_ = best;
  saturated_ = saturated;
}

void ValueMaximum::answer(const Model& model, std::optional<Trace> trace, PropertyResult& out) const {
  // "151", or in a spec with clock time "2 h 31 min (151)", "02:30 (150)".
  auto shown = [&](int64_t v) {
    const std::string text = time_value(model, kind_, v);
    return text == std::to_string(v) ? text : text + " (" + std::to_string(v) + ")";
  };
  if (!best_) {
    out.verdict = Verdict::Holds;
    out.detail = "no reachable state satisfies the condition, so there is no value";
    return;
  }
  out.value = best_;
  if (kind_ != TimeKind::Plain) out.value_text = time_value(model, kind_, *best_);
  out.trace = std::move(trace);
  if (out.trace) out.trace->final_note = "the value is " + shown(*best_) + " here";
  if (saturated_) {
    out.verdict = Verdict::Unknown;
    out.detail = "at least " + shown(*best_) +
                 ": a clock in the expression reached the value where it saturates (one above the largest "
                 "constant it is compared with), so larger values are not told apart";
    return;
  }
  out.verdict = Verdict::Holds;
  out.detail = shown(*best_) + ", first reached by this trace";
}

}  // namespace interlock

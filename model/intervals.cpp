#include "model/intervals.h"

#include <algorithm>

namespace interlock {

IntervalEval::IntervalEval(const Model& model, const Edge* edge) : model_(model), edge_(edge) {}

Range IntervalEval::slot_range(int64_t slot) const {
  for (auto it = narrowed_.rbegin(); it != narrowed_.rend(); ++it)
    if (it->first == slot) return it->second;
  return {model_.slots[slot].lo, model_.slots[slot].hi};
}

Range IntervalEval::eval(const Expr& e) {
  using Op = Expr::Op;
  switch (e.op) {
    case Op::Const: return {e.value, e.value};
    case Op::Param: {
      const Param& p = model_.params[e.value];
      return p.value ? Range{*p.value, *p.value} : Range{p.lo, p.hi};
    }
    case Op::Slot: return slot_range(e.value);
    case Op::Element: {
      Range index = eval(e.kids[0]);
      if (index.lo < 0 || index.hi >= e.size) fault_ = true;
      Range r = slot_range(e.value);
      for (int i = 1; i < e.size; ++i) r = join(r, slot_range(e.value + i));
      return r;
    }
    case Op::Choose:
      if (edge_)
        for (const ChooseVar& c : edge_->chooses)
          if (c.scratch == e.value) return {eval(c.lo).lo, eval(c.hi).hi};
      fault_ = true;
      return {};
    case Op::Neg: {
      Range a = eval(e.kids[0]);
      return check({-a.hi, -a.lo});
    }
    case Op::Not: eval(e.kids[0]); return {0, 1};
    case Op::Add: case Op::Sub: case Op::Mul: {
      Range a = eval(e.kids[0]), b = eval(e.kids[1]);
      if (e.op == Op::Add) return check({a.lo + b.lo, a.hi + b.hi});
      if (e.op == Op::Sub) return check({a.lo - b.hi, a.hi - b.lo});
      __int128 p[4] = {a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi};
      return check({*std::min_element(p, p + 4), *std::max_element(p, p + 4)});
    }
    case Op::Div: case Op::Mod: {
      Range a = eval(e.kids[0]), b = eval(e.kids[1]);
      if (b.lo <= 0 && b.hi >= 0) fault_ = true;
      auto magnitude = [](Range r) { return std::max(r.lo < 0 ? -r.lo : r.lo, r.hi < 0 ? -r.hi : r.hi); };
      __int128 m = magnitude(a);  // |a / b| and |a % b| never exceed |a|
      if (e.op == Op::Mod) m = std::min(m, magnitude(b));  // nor |a % b| |b|
      return check({-m, m});
    }
    case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge:
    case Op::Eq: case Op::Ne: case Op::And: case Op::Or: case Op::Implies:
      eval(e.kids[0]);
      eval(e.kids[1]);
      return {0, 1};
    case Op::Ite: {
      eval(e.kids[0]);
      const std::size_t saved = narrowed_.size();
      narrow(e.kids[0], true);
      Range a = eval(e.kids[1]);
      narrowed_.resize(saved);
      narrow(e.kids[0], false);
      Range b = eval(e.kids[2]);
      narrowed_.resize(saved);
      return join(a, b);
    }
  }
  fault_ = true;
  return {};
}

Range IntervalEval::check(Range r) {
  const __int128 limit = static_cast<__int128>(INT64_MAX);
  if (r.lo < -limit || r.hi > limit) fault_ = true;
  return r;
}

// Narrows slot ranges to where `c` has the value `truth`: comparisons of a slot with a
// constant, conjunctions when true, disjunctions when false, negations.
void IntervalEval::narrow(const Expr& c, bool truth) {
  using Op = Expr::Op;
  if (c.op == Op::Not) return narrow(c.kids[0], !truth);
  if ((c.op == Op::And && truth) || (c.op == Op::Or && !truth)) {
    narrow(c.kids[0], truth);
    narrow(c.kids[1], truth);
    return;
  }
  if (c.kids.size() != 2 || c.kids[0].op != Op::Slot) return;
  Range k = eval(c.kids[1]);
  if (k.lo != k.hi) return;
  const Op op = truth ? c.op : negated_comparison(c.op);
  if (op == Op::Const) return;
  Range s = slot_range(c.kids[0].value);
  switch (op) {
    case Op::Lt: s.hi = std::min(s.hi, k.lo - 1); break;
    case Op::Le: s.hi = std::min(s.hi, k.lo); break;
    case Op::Gt: s.lo = std::max(s.lo, k.lo + 1); break;
    case Op::Ge: s.lo = std::max(s.lo, k.lo); break;
    case Op::Eq: s.lo = std::max(s.lo, k.lo); s.hi = std::min(s.hi, k.lo); break;
    case Op::Ne:
      if (s.lo == k.lo) ++s.lo;
      if (s.hi == k.lo) --s.hi;
      break;
    default: break;
  }
  if (s.lo > s.hi) s = {k.lo, k.lo};  // an impossible branch: any in-range answer will do
  narrowed_.emplace_back(c.kids[0].value, s);
}

}  // namespace interlock

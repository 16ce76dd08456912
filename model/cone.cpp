#include "model/cone.h"

#include <algorithm>

namespace interlock {
namespace {

struct Range {
  __int128 lo = 0, hi = 0;
};

// Interval arithmetic over a model's slot ranges, narrowed inside `c ? a : b` by simple
// comparisons in c. `fault` is set when the expression might fail at run time.
class IntervalEval {
 public:
  IntervalEval(const Model& model, const Edge& edge) : model_(model), edge_(edge) {
    for (const Slot& s : model.slots) slots_.push_back({s.lo, s.hi});
  }

  bool fault = false;

  Range eval(const Expr& e) {
    switch (e.op) {
      case Expr::Op::Const: return {e.value, e.value};
      case Expr::Op::Param: {
        const Param& p = model_.params[e.value];
        return p.value ? Range{*p.value, *p.value} : Range{p.lo, p.hi};
      }
      case Expr::Op::Slot: return slots_[e.value];
      case Expr::Op::Element: {
        Range index = eval(e.kids[0]);
        if (index.lo < 0 || index.hi >= e.size) fault = true;
        Range r = slots_[e.value];
        for (int i = 1; i < e.size; ++i) r = join(r, slots_[e.value + i]);
        return r;
      }
      case Expr::Op::Choose:
        for (const ChooseVar& c : edge_.chooses)
          if (c.scratch == e.value) return {eval(c.lo).lo, eval(c.hi).hi};
        fault = true;
        return {};
      case Expr::Op::Neg: {
        Range a = eval(e.kids[0]);
        return check({-a.hi, -a.lo});
      }
      case Expr::Op::Not: eval(e.kids[0]); return {0, 1};
      case Expr::Op::Add: case Expr::Op::Sub: case Expr::Op::Mul: {
        Range a = eval(e.kids[0]), b = eval(e.kids[1]);
        if (e.op == Expr::Op::Add) return check({a.lo + b.lo, a.hi + b.hi});
        if (e.op == Expr::Op::Sub) return check({a.lo - b.hi, a.hi - b.lo});
        __int128 p[4] = {a.lo * b.lo, a.lo * b.hi, a.hi * b.lo, a.hi * b.hi};
        return check({*std::min_element(p, p + 4), *std::max_element(p, p + 4)});
      }
      case Expr::Op::Div: case Expr::Op::Mod: {
        Range a = eval(e.kids[0]), b = eval(e.kids[1]);
        if (b.lo <= 0 && b.hi >= 0) fault = true;
        __int128 m = std::max({a.lo < 0 ? -a.lo : a.lo, a.hi < 0 ? -a.hi : a.hi});
        return check({-m, m});  // |a / b| and |a % b| never exceed |a|
      }
      case Expr::Op::Lt: case Expr::Op::Le: case Expr::Op::Gt: case Expr::Op::Ge:
      case Expr::Op::Eq: case Expr::Op::Ne: case Expr::Op::And: case Expr::Op::Or: case Expr::Op::Implies:
        eval(e.kids[0]);
        eval(e.kids[1]);
        return {0, 1};
      case Expr::Op::Ite: {
        eval(e.kids[0]);
        std::vector<Range> saved = slots_;
        narrow(e.kids[0], true);
        Range a = eval(e.kids[1]);
        slots_ = saved;
        narrow(e.kids[0], false);
        Range b = eval(e.kids[2]);
        slots_ = saved;
        return join(a, b);
      }
    }
    fault = true;
    return {};
  }

 private:
  static Range join(Range a, Range b) { return {std::min(a.lo, b.lo), std::max(a.hi, b.hi)}; }

  Range check(Range r) {
    const __int128 limit = static_cast<__int128>(INT64_MAX);
    if (r.lo < -limit || r.hi > limit) fault = true;
    return r;
  }

  // Narrows slot ranges to where `c` has the value `truth`: comparisons of a slot with a
  // constant, conjunctions when true, disjunctions when false, negations.
  void narrow(const Expr& c, bool truth) {
    if (c.op == Expr::Op::Not) return narrow(c.kids[0], !truth);
    if ((c.op == Expr::Op::And && truth) || (c.op == Expr::Op::Or && !truth)) {
      narrow(c.kids[0], truth);
      narrow(c.kids[1], truth);
      return;
    }
    if (c.kids.size() != 2 || c.kids[0].op != Expr::Op::Slot) return;
    Range k = eval(c.kids[1]);
    if (k.lo != k.hi) return;
    Expr::Op op = c.op;
    if (!truth) {
      switch (op) {
        case Expr::Op::Lt: op = Expr::Op::Ge; break;
        case Expr::Op::Le: op = Expr::Op::Gt; break;
        case Expr::Op::Gt: op = Expr::Op::Le; break;
        case Expr::Op::Ge: op = Expr::Op::Lt; break;
        case Expr::Op::Eq: op = Expr::Op::Ne; break;
        case Expr::Op::Ne: op = Expr::Op::Eq; break;
        default: return;
      }
    }
    Range& s = slots_[c.kids[0].value];
    switch (op) {
      case Expr::Op::Lt: s.hi = std::min(s.hi, k.lo - 1); break;
      case Expr::Op::Le: s.hi = std::min(s.hi, k.lo); break;
      case Expr::Op::Gt: s.lo = std::max(s.lo, k.lo + 1); break;
      case Expr::Op::Ge: s.lo = std::max(s.lo, k.lo); break;
      case Expr::Op::Eq: s.lo = std::max(s.lo, k.lo); s.hi = std::min(s.hi, k.lo); break;
      case Expr::Op::Ne:
        if (s.lo == k.lo) ++s.lo;
        if (s.hi == k.lo) --s.hi;
        break;
      default: break;
    }
    if (s.lo > s.hi) s = {k.lo, k.lo};  // an impossible branch: any in-range answer will do
  }

  const Model& model_;
  const Edge& edge_;
  std::vector<Range> slots_;
};

// The slots that can influence a verdict on `properties`, given the variables already known to
// need keeping.
std::vector<bool> influencing(const Model& model, const std::vector<int>& properties, std::vector<bool> keep) {
  for (std::size_t s = 0; s < model.slots.size(); ++s)
    if (model.slots[s].kind != Slot::Kind::Var) keep[s] = true;
  for (const Instance& inst : model.instances)
    for (const Location& loc : inst.locations)
      if (loc.invariant) mark_reads(*loc.invariant, keep);
  for (const Edge& edge : model.edges) {
    if (edge.guard) mark_reads(*edge.guard, keep);
    for (const ChooseVar& c : edge.chooses) {
      mark_reads(c.lo, keep);
      mark_reads(c.hi, keep);
    }
    for (const Update& u : edge.updates)
      if (u.target.op == Expr::Op::Element) {  // arrays are kept whole, with their indexes
        mark_reads(u.target, keep);
      }
  }
  for (int p : properties) {
    const Property& prop = model.properties[p];
    for (const auto* e : {&prop.a, &prop.b, &prop.within})
      if (*e) mark_reads(**e, keep);
  }
  for (bool grew = true; grew;) {
    grew = false;
    for (const Edge& edge : model.edges)
      for (const Update& u : edge.updates) {
        if (u.target.op != Expr::Op::Slot || !keep[u.target.value]) continue;
        std::vector<bool> more(keep.size());
        mark_reads(u.value, more);
        for (std::size_t s = 0; s < more.size(); ++s)
          if (more[s] && !keep[s]) keep[s] = grew = true;
      }
  }
  return keep;
}

bool constant_initial(const Model& model, int slot, int64_t& value) {
  const Expr& init = model.initial[slot];
  if (init.op == Expr::Op::Const) value = init.value;
  else if (init.op == Expr::Op::Param && model.params[init.value].value) value = *model.params[init.value].value;
  else return false;
  return value >= model.slots[slot].lo && value <= model.slots[slot].hi;
}

}  // namespace

Cone cone_of_influence(const Model& model, const std::vector<int>& properties) {
  std::vector<bool> keep(model.slots.size(), false);
  for (;;) {
    keep = influencing(model, properties, keep);
    // A variable whose updates might fail is kept: dropping it would hide the model error.
    bool grew = false;
    for (std::size_t s = 0; s < model.slots.size(); ++s) {
      int64_t init = 0;
      if (!keep[s] && !constant_initial(model, static_cast<int>(s), init)) keep[s] = grew = true;
    }
    for (const Edge& edge : model.edges)
      for (const Update& u : edge.updates) {
        if (u.target.op != Expr::Op::Slot || keep[u.target.value]) continue;
        IntervalEval eval(model, edge);
        Range r = eval.eval(u.value);
        const Slot& target = model.slots[u.target.value];
        if (eval.fault || r.lo < target.lo || r.hi > target.hi) keep[u.target.value] = grew = true;
      }
    if (!grew) break;
  }

  Cone cone{model, {}};
  for (std::size_t s = 0; s < model.slots.size(); ++s) {
    if (keep[s]) continue;
    int64_t init = 0;
    constant_initial(model, static_cast<int>(s), init);
    cone.model.slots[s].lo = cone.model.slots[s].hi = init;
    cone.dropped.push_back(model.slots[s].name);
  }
  if (cone.dropped.empty()) return cone;
  for (Edge& edge : cone.model.edges)
    edge.updates.erase(std::remove_if(edge.updates.begin(), edge.updates.end(),
                                      [&](const Update& u) { return u.target.op == Expr::Op::Slot && !keep[u.target.value]; }),
                       edge.updates.end());
  return cone;
}

}  // namespace interlock

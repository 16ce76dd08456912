#include "model/cone.h"

#include <algorithm>

#include "model/intervals.h"

namespace interlock {
namespace {

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
        IntervalEval eval(model, &edge);
        Range r = eval.eval(u.value);
        const Slot& target = model.slots[u.target.value];
        if (eval.may_fault() || r.lo < target.lo || r.hi > target.hi) keep[u.target.value] = grew = true;
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

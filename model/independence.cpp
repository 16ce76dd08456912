#include "model/independence.h"

namespace interlock {

namespace {

bool overlap(const std::vector<bool>& a, const std::vector<bool>& b) {
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] && b[i]) return true;
  return false;
}

}  // namespace

Footprint footprint_of(const Model& model, const std::vector<int>& edges) {
  Footprint f{std::vector<bool>(model.instances.size()), std::vector<bool>(model.slots.size()),
              std::vector<bool>(model.slots.size())};
  for (int e : edges) {
    const Edge& edge = model.edges[e];
    const int location = model.instances[edge.instance].location_slot;
    f.machines[edge.instance] = true;
    f.reads[location] = f.writes[location] = true;
    if (edge.guard) mark_reads(*edge.guard, f.reads);
    for (const ChooseVar& c : edge.chooses) {
      mark_reads(c.lo, f.reads);
      mark_reads(c.hi, f.reads);
    }
    for (const Update& u : edge.updates) {
      mark_reads(u.value, f.reads);
      if (u.target.op == Expr::Op::Element) {
        for (const Expr& index : u.target.kids) mark_reads(index, f.reads);
        for (int i = 0; i < u.target.size; ++i) f.writes[u.target.value + i] = true;
      } else {
        f.writes[u.target.value] = true;
      }
    }
  }
  return f;
}

std::vector<std::vector<bool>> invariant_reads(const Model& model) {
  std::vector<std::vector<bool>> out;
  for (const Instance& inst : model.instances)
    for (const Location& loc : inst.locations) {
      if (!loc.invariant) continue;
      std::vector<bool> reads(model.slots.size());
      mark_reads(*loc.invariant, reads);
      reads[inst.location_slot] = true;
      out.push_back(std::move(reads));
    }
  return out;
}

bool independent(const Footprint& a, const Footprint& b, const std::vector<std::vector<bool>>& invariant_reads) {
  if (overlap(a.machines, b.machines)) return false;
  if (overlap(a.writes, b.reads) || overlap(a.writes, b.writes) || overlap(b.writes, a.reads)) return false;
  // Taken in the other order, the state in between has only b's writes: an invariant that reads
  // neither's writes, or only one's, has the value it has before or after both.
  for (const std::vector<bool>& inv : invariant_reads)
    if (overlap(inv, a.writes) && overlap(inv, b.writes)) return false;
  return true;
}

}  // namespace interlock

#include "model/dead_clocks.h"

namespace interlock {
namespace {

void reads(const Expr& e, std::vector<bool>& out) {
  if (e.op == Expr::Op::Slot) out[e.value] = true;
  if (e.op == Expr::Op::Element)
    for (int i = 0; i < e.size; ++i) out[e.value + i] = true;
  for (const Expr& k : e.kids) reads(k, out);
}

// Every slot an edge reads: its guard, its choose bounds, its update values and array indexes.
void edge_reads(const Edge& edge, std::vector<bool>& out) {
  if (edge.guard) reads(*edge.guard, out);
  for (const ChooseVar& c : edge.chooses) {
    reads(c.lo, out);
    reads(c.hi, out);
  }
  for (const Update& u : edge.updates) {
    reads(u.value, out);
    if (u.target.op == Expr::Op::Element) reads(u.target.kids[0], out);
  }
}

}  // namespace

DeadClocks dead_clocks(const Model& model, const std::vector<int>& properties) {
  const std::size_t slots = model.slots.size();
  // Clocks read anywhere but by their own machine's edges and invariants are always live.
  std::vector<bool> read_outside(slots, false);
  for (int p : properties) {
    const Property& prop = model.properties[p];
    for (const auto* e : {&prop.a, &prop.b, &prop.within})
      if (*e) reads(**e, read_outside);
  }
  for (const Expr& a : model.assumes) reads(a, read_outside);
  for (const Expr& init : model.initial) reads(init, read_outside);
  for (std::size_t i = 0; i < model.instances.size(); ++i) {
    const Instance& inst = model.instances[i];
    std::vector<bool> r(slots, false);
    for (const Location& loc : inst.locations)
      if (loc.invariant) reads(*loc.invariant, r);
    for (int e : inst.edges) edge_reads(model.edges[e], r);
    for (std::size_t s = 0; s < slots; ++s)
      if (r[s] && model.slots[s].instance != static_cast<int>(i)) read_outside[s] = true;
  }

  DeadClocks dead(model.instances.size());
  for (std::size_t i = 0; i < model.instances.size(); ++i) {
    const Instance& inst = model.instances[i];
    const std::size_t locs = inst.locations.size();
    dead[i].resize(locs);
    for (std::size_t c = 0; c < slots; ++c) {
      const Slot& slot = model.slots[c];
      if (slot.kind != Slot::Kind::Clock || slot.instance != static_cast<int>(i) || read_outside[c]) continue;
      // live[l]: some path from l reads the clock before resetting it.
      std::vector<bool> live(locs, false);
      for (std::size_t l = 0; l < locs; ++l) {
        std::vector<bool> r(slots, false);
        if (inst.locations[l].invariant) reads(*inst.locations[l].invariant, r);
        live[l] = r[c];
      }
      for (int e : inst.edges) {
        std::vector<bool> r(slots, false);
        edge_reads(model.edges[e], r);
        if (r[c]) live[model.edges[e].src] = true;
      }
      for (bool grew = true; grew;) {
        grew = false;
        for (int e : inst.edges) {
          const Edge& edge = model.edges[e];
          bool resets = false;
          for (const Update& u : edge.updates) resets = resets || (u.target.op == Expr::Op::Slot && u.target.value == static_cast<int64_t>(c));
          if (!resets && live[edge.dst] && !live[edge.src]) live[edge.src] = grew = true;
        }
      }
      for (std::size_t l = 0; l < locs; ++l)
        if (!live[l]) dead[i][l].push_back(static_cast<int>(c));
    }
  }
  return dead;
}

bool any_dead(const DeadClocks& dead) {
  for (const auto& per_instance : dead)
    for (const auto& per_location : per_instance)
      if (!per_location.empty()) return true;
  return false;
}

}  // namespace interlock

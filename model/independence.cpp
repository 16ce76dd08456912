#include "model/independence.h"

#include "model/intervals.h"

namespace interlock {

namespace {

bool overlap(const std::vector<bool>& a, const std::vector<bool>& b) {
  for (std::size_t i = 0; i < a.size(); ++i)
    if (a[i] && b[i]) return true;
  return false;
}

bool reads_clock(const Model& model, const Expr& e) {
  std::vector<bool> reads(model.slots.size());
  mark_reads(e, reads);
  for (std::size_t i = 0; i < reads.size(); ++i)
    if (reads[i] && model.slots[i].kind == Slot::Kind::Clock) return true;
  return false;
}

bool is_clock(const Model& model, const Expr& e) {
  return e.op == Expr::Op::Slot && model.slots[e.value].kind == Slot::Kind::Clock;
}

bool monotone_in_time(const Model& model, const Expr& e) {
  if (e.op == Expr::Op::And) return monotone_in_time(model, e.kids[0]) && monotone_in_time(model, e.kids[1]);
  if (!reads_clock(model, e)) return true;
  if ((e.op == Expr::Op::Le || e.op == Expr::Op::Lt) && is_clock(model, e.kids[0])) return !reads_clock(model, e.kids[1]);
  if ((e.op == Expr::Op::Ge || e.op == Expr::Op::Gt) && is_clock(model, e.kids[1])) return !reads_clock(model, e.kids[0]);
  return false;
}

}  // namespace

bool invariants_monotone_in_time(const Model& model) {
  for (const Instance& inst : model.instances)
    for (const Location& loc : inst.locations)
      if (loc.invariant && !monotone_in_time(model, *loc.invariant)) return false;
  return true;
}

namespace {

struct Truth {
  bool may_hold = true, may_fail = true;
};

// Which values a condition can take, from the ranges of its integer parts.
Truth truth_of(IntervalEval& intervals, const Expr& e) {
  using Op = Expr::Op;
  switch (e.op) {
    case Op::Not: {
      Truth t = truth_of(intervals, e.kids[0]);
      return {t.may_fail, t.may_hold};
    }
    case Op::And: {
      Truth a = truth_of(intervals, e.kids[0]), b = truth_of(intervals, e.kids[1]);
      return {a.may_hold && b.may_hold, a.may_fail || b.may_fail};
    }
    case Op::Or: {
      Truth a = truth_of(intervals, e.kids[0]), b = truth_of(intervals, e.kids[1]);
      return {a.may_hold || b.may_hold, a.may_fail && b.may_fail};
    }
    case Op::Eq: case Op::Ne: {
      Range a = intervals.eval(e.kids[0]), b = intervals.eval(e.kids[1]);
      const bool may_equal = a.lo <= b.hi && b.lo <= a.hi;
      const bool must_equal = a.lo == a.hi && b.lo == b.hi && a.lo == b.lo;
      return e.op == Op::Eq ? Truth{may_equal, !must_equal} : Truth{!must_equal, may_equal};
    }
    default: {
      Range r = intervals.eval(e);
      return {r.hi > 0 || r.lo < 0, r.lo <= 0 && r.hi >= 0};
    }
  }
}

}  // namespace

bool may_be_due(const Model& model, const Edge& edge) {
  if (!edge.asap) return false;
  if (!edge.guard) return true;
  IntervalEval intervals(model, &edge);
  return truth_of(intervals, *edge.guard).may_hold;
}

std::vector<bool> asap_reads(const Model& model) {
  std::vector<bool> reads(model.slots.size());
  std::vector<bool> asap_channel(model.channels.size());
  std::vector<bool> due(model.edges.size());
  for (std::size_t i = 0; i < model.edges.size(); ++i) {
    const Edge& e = model.edges[i];
    due[i] = may_be_due(model, e);
    if (due[i] && e.channel >= 0) asap_channel[static_cast<std::size_t>(e.channel)] = true;
  }
  for (std::size_t i = 0; i < model.edges.size(); ++i) {
    const Edge& e = model.edges[i];
    if (!due[i] && (e.asap || e.channel < 0 || !asap_channel[static_cast<std::size_t>(e.channel)])) continue;
    reads[model.instances[e.instance].location_slot] = true;
    if (e.guard) mark_reads(*e.guard, reads);
    for (const ChooseVar& c : e.chooses) {
      mark_reads(c.lo, reads);
      mark_reads(c.hi, reads);
    }
  }
  return reads;
}

bool commutes_with_delay(const Model& model, const Footprint& action, const std::vector<int>& edges,
                         const std::vector<bool>& asap) {
  for (std::size_t i = 0; i < model.slots.size(); ++i)
    if (model.slots[i].kind == Slot::Kind::Clock && (action.reads[i] || action.writes[i])) return false;
  // Moved before the delay, the action must not make an `asap` edge due, which would stop it.
  if (overlap(action.writes, asap)) return false;
  for (int e : edges) {
    const Edge& edge = model.edges[e];
    if (model.instances[edge.instance].locations[edge.dst].urgent) return false;
  }
  return true;
}

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

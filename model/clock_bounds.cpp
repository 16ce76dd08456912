#include "model/clock_bounds.h"

#include "model/intervals.h"

namespace interlock {
namespace {

bool is_comparison(Expr::Op op) {
  using Op = Expr::Op;
  return op == Op::Lt || op == Op::Le || op == Op::Gt || op == Op::Ge || op == Op::Eq || op == Op::Ne;
}

class ClockBounds {
 public:
  explicit ClockBounds(const Model& model) : eval_(model, nullptr), largest_(model.slots.size(), 0) {}

  void visit(const Expr& e, const Edge* edge) {
    if (is_comparison(e.op) && e.kids.size() == 2) {
      const bool left = e.kids[0].type == ValueType::Clock, right = e.kids[1].type == ValueType::Clock;
      if (left != right) {
        eval_.set_edge(edge);
        note(left ? e.kids[0] : e.kids[1], eval_.eval(left ? e.kids[1] : e.kids[0]).hi);
      }
    }
    for (const Expr& k : e.kids) visit(k, edge);
  }

  const std::vector<__int128>& largest() const { return largest_; }

 private:
  void note(const Expr& clock, __int128 value) {
    const int count = clock.op == Expr::Op::Element ? clock.size : 1;
    for (int k = 0; k < count; ++k) {
      __int128& slot = largest_[static_cast<std::size_t>(clock.value + k)];
      slot = std::max(slot, value);
    }
  }

  IntervalEval eval_;
  std::vector<__int128> largest_;  // per slot
};

}  // namespace

std::vector<int> bound_clocks(Model& model) {
  ClockBounds bounds(model);
  for (const Edge& edge : model.edges) {
    if (edge.guard) bounds.visit(*edge.guard, &edge);
    for (const ChooseVar& c : edge.chooses) {
      bounds.visit(c.lo, &edge);
      bounds.visit(c.hi, &edge);
    }
    for (const Update& u : edge.updates) {
      bounds.visit(u.target, &edge);
      bounds.visit(u.value, &edge);
    }
  }
  for (const Instance& inst : model.instances)
    for (const Location& l : inst.locations)
      if (l.invariant) bounds.visit(*l.invariant, nullptr);
  for (const Property& p : model.properties)
    for (const auto* e : {&p.a, &p.b, &p.within})
      if (*e) bounds.visit(**e, nullptr);
  std::vector<int> too_large;
  for (std::size_t i = 0; i < model.slots.size(); ++i) {
    Slot& s = model.slots[i];
    if (s.kind != Slot::Kind::Clock) continue;
    const __int128 largest = std::max<__int128>(bounds.largest()[i], 0);
    s.lo = 0;
    if (largest > kMaxClockComparison) {
      too_large.push_back(static_cast<int>(i));
      s.hi = 1;
      continue;
    }
    s.hi = static_cast<int64_t>(largest) + 1;  // saturation: one above the largest value
  }
  return too_large;
}

}  // namespace interlock

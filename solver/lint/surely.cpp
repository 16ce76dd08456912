#include "solver/lint/surely.h"

namespace interlock {

Tri surely(const Expr& e, IntervalEval& eval) {
  using Op = Expr::Op;
  switch (e.op) {
    case Op::Const:
      return e.value ? Tri::True : Tri::False;
    case Op::Not:
      return tri_not(surely(e.kids[0], eval));
    case Op::And:
    case Op::Or:
    case Op::Implies:
      return tri_connective(e.op, surely(e.kids[0], eval), surely(e.kids[1], eval));
    case Op::Ite:
      return tri_choice(surely(e.kids[0], eval), surely(e.kids[1], eval), surely(e.kids[2], eval));
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge:
    case Op::Eq:
    case Op::Ne: {
      if (e.kids[0].type == ValueType::Bool) return Tri::Unknown;  // a comparison of conditions: not worth it
      const Range a = eval.eval(e.kids[0]), b = eval.eval(e.kids[1]);
      bool yes = false, no = false;  // surely true, surely false
      switch (e.op) {
        case Op::Lt: yes = a.hi < b.lo; no = a.lo >= b.hi; break;
        case Op::Le: yes = a.hi <= b.lo; no = a.lo > b.hi; break;
        case Op::Gt: yes = a.lo > b.hi; no = a.hi <= b.lo; break;
        case Op::Ge: yes = a.lo >= b.hi; no = a.hi < b.lo; break;
        case Op::Eq: yes = a.lo == a.hi && b.lo == b.hi && a.lo == b.lo; no = a.hi < b.lo || b.hi < a.lo; break;
        default: no = a.lo == a.hi && b.lo == b.hi && a.lo == b.lo; yes = a.hi < b.lo || b.hi < a.lo; break;
      }
      return yes ? Tri::True : no ? Tri::False : Tri::Unknown;
    }
    case Op::Slot:
    case Op::Element: {
      if (e.type != ValueType::Bool) return Tri::Unknown;
      const Range r = eval.eval(e);
      return r.lo > 0 ? Tri::True : r.hi <= 0 ? Tri::False : Tri::Unknown;
    }
    default:
      return Tri::Unknown;
  }
}

namespace {
// Whether the edge's guard is surely `value` in every state (a guard that may fault is neither).
bool guard_surely(const Model& model, int edge, Tri value) {
  const Edge& e = model.edges[static_cast<std::size_t>(edge)];
  if (!e.guard) return value == Tri::True;
  IntervalEval eval(model, &e);
  const Tri t = surely(*e.guard, eval);
  return t == value && !eval.may_fault();
}
bool guard_false(const Model& model, int edge) { return guard_surely(model, edge, Tri::False); }
}  // namespace

bool always_enabled(const Model& model, int edge) { return guard_surely(model, edge, Tri::True); }

bool switched_off(const Model& model, const Model& open, int edge) {
  return guard_false(model, edge) && !guard_false(open, edge);
}

bool never_enabled(const Model& model, int edge) { return guard_false(model, edge); }

}  // namespace interlock

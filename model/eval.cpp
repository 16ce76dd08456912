#include "model/eval.h"

#include <stdexcept>

#include "model/arith.h"

namespace interlock {

namespace {
constexpr int kStackSize = 512;
}

const char* describe(EvalFault fault) {
  switch (fault) {
    case EvalFault::None: return "no fault";
    case EvalFault::DivByZero: return "division by zero";
    case EvalFault::Overflow: return "integer overflow";
    case EvalFault::IndexOutOfRange: return "array index out of range";
  }
  return "fault";
}

Compiled::Compiled(const Expr& e, const std::vector<int64_t>& params) {
  emit(e, params, 1);
  if (max_depth_ >= kStackSize) throw std::runtime_error("expression too deep to evaluate");
  recognise(e, params);
}

namespace {

using Op = Expr::Op;

// A comparison's operand: a slot, or a value known now (a constant or a parameter).
bool operand(const Expr& e, const std::vector<int64_t>& params, bool& is_slot, int64_t& value) {
  if (e.op == Op::Slot) { is_slot = true; value = e.value; return true; }
  if (e.op == Op::Const) { is_slot = false; value = e.value; return true; }
  if (e.op == Op::Param) { is_slot = false; value = params.at(e.value); return true; }
  return false;
}

Instr::Code comparison_code(Op op, bool negate) {
  using C = Instr::Code;
  switch (op) {
    case Op::Lt: return negate ? C::Ge : C::Lt;
    case Op::Le: return negate ? C::Gt : C::Le;
    case Op::Gt: return negate ? C::Le : C::Gt;
    case Op::Ge: return negate ? C::Lt : C::Ge;
    case Op::Eq: return negate ? C::Ne : C::Eq;
    case Op::Ne: return negate ? C::Eq : C::Ne;
    default: return C::Const;
  }
}

}  // namespace

namespace {

// Flattens `e` (negated when `negate`) into comparisons joined by `join` (And or Or), pushing
// negations inward (De Morgan) and reading `a => b` as `!a || b`. False for any other shape.
template <class Atom>
bool flatten(const Expr& e, bool negate, Op join, const std::vector<int64_t>& params, bool chooses, std::vector<Atom>& atoms) {
  if (e.op == Op::Not) return flatten(e.kids[0], !negate, join, params, chooses, atoms);
  if (e.op == Op::And || e.op == Op::Or || e.op == Op::Implies) {
    Op effective = e.op == Op::Implies ? Op::Or : e.op;
    if (negate) effective = effective == Op::And ? Op::Or : Op::And;
    if (effective != join) return false;
    const bool negate_first = e.op == Op::Implies ? !negate : negate;
    return flatten(e.kids[0], negate_first, join, params, chooses, atoms) &&
           flatten(e.kids[1], negate, join, params, chooses, atoms);
  }
  if (e.op == Op::Slot && e.type == ValueType::Bool) {  // a bool variable: slot != 0
    atoms.push_back({negate ? Instr::Code::Eq : Instr::Code::Ne, false, static_cast<int32_t>(e.value), 0, false});
    return true;
  }
  const Instr::Code cmp = comparison_code(e.op, negate);
  if (cmp == Instr::Code::Const || e.kids.size() != 2) return false;
  const Expr& left = e.kids[0];
  if (left.op != Op::Slot && !(chooses && left.op == Op::Choose)) return false;
  bool other_slot = false;
  int64_t other = 0;
  if (!operand(e.kids[1], params, other_slot, other)) return false;
  atoms.push_back({cmp, other_slot, static_cast<int32_t>(left.value), other, left.op == Op::Choose});
  return true;
}

}  // namespace

bool Compiled::recognise(const Expr& e, const std::vector<int64_t>& params) {
  // slot + k, slot - k, k + slot
  auto slot_plus_const = [&](const Expr& x, int32_t& slot, int64_t& k) {
    if ((x.op != Op::Add && x.op != Op::Sub) || x.kids.size() != 2) return false;
    bool left_slot = false, right_slot = false;
    int64_t left = 0, right = 0;
    if (!operand(x.kids[0], params, left_slot, left) || !operand(x.kids[1], params, right_slot, right) ||
        left_slot == right_slot || (!left_slot && x.op != Op::Add))
      return false;
    k = left_slot ? right : left;
    if (k == INT64_MIN) return false;
    if (x.op == Op::Sub) k = -k;
    slot = static_cast<int32_t>(left_slot ? left : right);
    return true;
  };
  int32_t slot = 0;
  int64_t k = 0;
  if (slot_plus_const(e, slot, k)) {
    atoms_.push_back({Instr::Code::Const, false, slot, k, false});
    shape_ = Shape::SlotPlusConst;
    return true;
  }
  auto condition = [&](const Expr& c, bool chooses, bool& any) {
    std::vector<Atom> atoms;
    any = false;
    if (!flatten(c, false, Op::And, params, chooses, atoms)) {
      atoms.clear();
      any = true;
      if (!flatten(c, false, Op::Or, params, chooses, atoms)) return false;
    }
    atoms_ = std::move(atoms);
    return true;
  };
  if (e.op == Op::Ite) {
    auto branch = [&](const Expr& x, Operand& o) {
      bool is_slot = false;
      int64_t value = 0;
      if (x.op == Op::Choose) {
        o = {Operand::Kind::Choose, static_cast<int32_t>(x.value), 0};
      } else if (operand(x, params, is_slot, value)) {
        o = is_slot ? Operand{Operand::Kind::Slot, static_cast<int32_t>(value), 0} : Operand{Operand::Kind::Const, 0, value};
      } else {
        int32_t s = 0;
        int64_t add = 0;
        if (!slot_plus_const(x, s, add)) return false;
        o = {Operand::Kind::SlotPlusConst, s, add};
      }
      return true;
    };
    if (!branch(e.kids[1], then_) || !branch(e.kids[2], else_) || !condition(e.kids[0], true, select_any_)) {
      atoms_.clear();
      return false;
    }
    shape_ = Shape::Select;
    return true;
  }
  if (e.op != Op::And && e.op != Op::Or && e.op != Op::Implies && e.op != Op::Not) return false;
  bool any = false;
  if (!condition(e, false, any)) return false;
  shape_ = any ? Shape::AnyOf : Shape::AllOf;
  return true;
}

bool Compiled::run_select(const int32_t* state, const int64_t* scratch, int64_t& out, EvalFault& fault) const {
  // The condition's atoms, joined by || or &&, may read choose values.
  bool condition = !select_any_;
  for (const Atom& a : atoms_) {
    const int64_t left = a.left_is_choose ? scratch[a.slot] : state[a.slot];
    if (compare(a.cmp, left, a.other_is_slot ? state[a.other] : a.other) == select_any_) {
      condition = select_any_;
      break;
    }
  }
  const Operand& o = condition ? then_ : else_;
  switch (o.kind) {
    case Operand::Kind::Const: out = o.k; return true;
    case Operand::Kind::Slot: out = state[o.index]; return true;
    case Operand::Kind::Choose: out = scratch[o.index]; return true;
    case Operand::Kind::SlotPlusConst:
      if (__builtin_add_overflow(static_cast<int64_t>(state[o.index]), o.k, &out)) {
        fault = EvalFault::Overflow;
        return false;
      }
      return true;
  }
  return true;
}

void Compiled::emit(const Expr& e, const std::vector<int64_t>& params, int depth) {
  using Op = Expr::Op;
  using C = Instr::Code;
  if (depth > max_depth_) max_depth_ = depth;
  auto push = [&](C code, int32_t a = 0, int64_t k = 0) {
    Instr in;
    in.code = code;
    in.a = a;
    in.k = k;
    code_.push_back(in);
  };
  switch (e.op) {
    case Op::Const: push(C::Const, 0, e.value); return;
    case Op::Param: push(C::Const, 0, params.at(e.value)); return;
    case Op::Slot: push(C::Slot, static_cast<int32_t>(e.value)); return;
    case Op::Choose: push(C::Choose, static_cast<int32_t>(e.value)); return;
    case Op::Element:
      emit(e.kids[0], params, depth);
      push(C::Element, e.size, e.value);
      return;
    case Op::Not:
      // !(a < b) is a >= b, and so on: one comparison instead of two instructions.
      if (e.kids[0].kids.size() == 2) {
        const Op inverse = negated_comparison(e.kids[0].op);
        if (inverse != Op::Const) {
          Expr flipped = e.kids[0];
          flipped.op = inverse;
          emit(flipped, params, depth);
          return;
        }
      }
      [[fallthrough]];
    case Op::Neg: {
      const std::size_t start = code_.size();
      emit(e.kids[0], params, depth);
      // Fold only an operand that is one constant: a compound operand (a || b) also ends in a
      // constant, the value its short-circuit jumps to.
      // -(-2^63) is left to the run, which reports the overflow.
      if (code_.size() == start + 1 && code_.back().code == C::Const && !(e.op == Op::Neg && code_.back().k == INT64_MIN)) {
        code_.back().k = e.op == Op::Neg ? -code_.back().k : !code_.back().k;
        return;
      }
      push(e.op == Op::Neg ? C::Neg : C::Not);
      return;
    }
    case Op::And:
    case Op::Or:
    case Op::Implies: {
      // a && b: if !a -> false;  a || b: if a -> true;  a => b: if !a -> true.
      emit(e.kids[0], params, depth);
      std::size_t jump = conditional_jump(e.op == Op::Or);
      emit(e.kids[1], params, depth);
      std::size_t skip = code_.size();
      push(C::Jump);
      code_[jump].target = static_cast<int32_t>(code_.size());
      push(C::Const, 0, e.op == Op::And ? 0 : 1);
      code_[skip].target = static_cast<int32_t>(code_.size());
      jump_target_end_ = code_.size();
      return;
    }
    case Op::Ite: {
      emit(e.kids[0], params, depth);
      std::size_t jump = conditional_jump(false);
      emit(e.kids[1], params, depth);
      std::size_t skip = code_.size();
      push(C::Jump);
      code_[jump].target = static_cast<int32_t>(code_.size());
      emit(e.kids[2], params, depth);
      code_[skip].target = static_cast<int32_t>(code_.size());
      jump_target_end_ = code_.size();
      return;
    }
    default: break;
  }
  std::size_t start = code_.size();
  emit(e.kids[0], params, depth);
  std::size_t middle = code_.size();
  emit(e.kids[1], params, depth + 1);
  C code = C::Add;
  switch (e.op) {
    case Op::Add: code = C::Add; break;
    case Op::Sub: code = C::Sub; break;
    case Op::Mul: code = C::Mul; break;
    case Op::Div: code = C::Div; break;
    case Op::Mod: code = C::Mod; break;
    case Op::Lt: code = C::Lt; break;
    case Op::Le: code = C::Le; break;
    case Op::Gt: code = C::Gt; break;
    case Op::Ge: code = C::Ge; break;
    case Op::Eq: code = C::Eq; break;
    case Op::Ne: code = C::Ne; break;
    default: break;
  }
  // Fold two constants (parameters made many subexpressions constant).
  if (code_.size() == start + 2 && code_[start].code == C::Const && code_[middle].code == C::Const) {
    int64_t out = 0;
    if (apply_binary(e.op, code_[start].k, code_[middle].k, out) == ArithError::None) {
      code_.resize(start);
      push(C::Const, 0, out);
      return;
    }
  }
  const bool comparison = code >= C::Lt && code <= C::Ne;
  if (comparison && code_.size() == start + 2 && code_[start].code == C::Slot) {
    if (code_[middle].code == C::Const || code_[middle].code == C::Slot) {
      Instr fused;
      fused.code = code_[middle].code == C::Const ? C::SlotCmpConst : C::SlotCmpSlot;
      fused.cmp = code;
      fused.a = code_[start].a;
      fused.k = code_[middle].code == C::Const ? code_[middle].k : code_[middle].a;
      code_.resize(start);
      code_.push_back(fused);
      return;
    }
  }
  push(code);
}

// Emits "jump if the value just computed is false (or true)"; a fused comparison just before
// becomes the jump's own condition. Returns the jump's position, for its target to be set.
std::size_t Compiled::conditional_jump(bool when_true) {
  using C = Instr::Code;
  Instr& last = code_.back();
  // A jump that lands just after `last` (the end of an ite's branches) expects a separate jump
  // instruction there: then `last` must stay as it is.
  const bool landing = jump_target_end_ == code_.size();
  if (!landing && last.code == C::SlotCmpConst) {
    last.code = when_true ? C::SlotCmpConstJumpIfTrue : C::SlotCmpConstJumpIfFalse;
    return code_.size() - 1;
  }
  if (!landing && last.code == C::SlotCmpSlot) {
    last.code = when_true ? C::SlotCmpSlotJumpIfTrue : C::SlotCmpSlotJumpIfFalse;
    return code_.size() - 1;
  }
  Instr jump;
  jump.code = when_true ? C::JumpIfTrue : C::JumpIfFalse;
  code_.push_back(jump);
  return code_.size() - 1;
}

std::vector<int> Compiled::reads() const {
  std::vector<int> out;
  for (const Instr& in : code_) {
    switch (in.code) {
      case Instr::Code::Slot: out.push_back(in.a); break;
      case Instr::Code::SlotCmpConst: out.push_back(in.a); break;
      case Instr::Code::SlotCmpConstJumpIfFalse:
      case Instr::Code::SlotCmpConstJumpIfTrue: out.push_back(in.a); break;
      case Instr::Code::SlotCmpSlot:
      case Instr::Code::SlotCmpSlotJumpIfFalse:
      case Instr::Code::SlotCmpSlotJumpIfTrue: out.push_back(in.a); out.push_back(static_cast<int>(in.k)); break;
      case Instr::Code::Element:
        for (int i = 0; i < in.a; ++i) out.push_back(static_cast<int>(in.k) + i);
        break;
      default: break;
    }
  }
  return out;
}

bool Compiled::run_general(const int32_t* state, const int64_t* scratch, int64_t& out, EvalFault& fault) const {
  using C = Instr::Code;
  int64_t stack[kStackSize];
  int sp = 0;
  const Instr* code = code_.data();
  const int n = static_cast<int>(code_.size());
  for (int pc = 0; pc < n; ++pc) {
    const Instr& in = code[pc];
    switch (in.code) {
      case C::Const: stack[sp++] = in.k; break;
      case C::Slot: stack[sp++] = state[in.a]; break;
      case C::Choose: stack[sp++] = scratch[in.a]; break;
      case C::Element: {
        int64_t i = stack[sp - 1];
        if (i < 0 || i >= in.a) { fault = EvalFault::IndexOutOfRange; return false; }
        stack[sp - 1] = state[in.k + i];
        break;
      }
      case C::Neg:
        if (stack[sp - 1] == INT64_MIN) { fault = EvalFault::Overflow; return false; }
        stack[sp - 1] = -stack[sp - 1];
        break;
      case C::Not: stack[sp - 1] = !stack[sp - 1]; break;
      case C::JumpIfFalse:
        if (!stack[--sp]) pc = in.target - 1;
        break;
      case C::JumpIfTrue:
        if (stack[--sp]) pc = in.target - 1;
        break;
      case C::Jump: pc = in.target - 1; break;
      case C::SlotCmpConstJumpIfFalse:
        if (!compare(in.cmp, state[in.a], in.k)) pc = in.target - 1;
        break;
      case C::SlotCmpConstJumpIfTrue:
        if (compare(in.cmp, state[in.a], in.k)) pc = in.target - 1;
        break;
      case C::SlotCmpSlotJumpIfFalse:
        if (!compare(in.cmp, state[in.a], state[in.k])) pc = in.target - 1;
        break;
      case C::SlotCmpSlotJumpIfTrue:
        if (compare(in.cmp, state[in.a], state[in.k])) pc = in.target - 1;
        break;
      case C::SlotCmpConst: stack[sp++] = compare(in.cmp, state[in.a], in.k); break;
      case C::SlotCmpSlot: stack[sp++] = compare(in.cmp, state[in.a], state[in.k]); break;
      case C::Lt: --sp; stack[sp - 1] = stack[sp - 1] < stack[sp]; break;
      case C::Le: --sp; stack[sp - 1] = stack[sp - 1] <= stack[sp]; break;
      case C::Gt: --sp; stack[sp - 1] = stack[sp - 1] > stack[sp]; break;
      case C::Ge: --sp; stack[sp - 1] = stack[sp - 1] >= stack[sp]; break;
      case C::Eq: --sp; stack[sp - 1] = stack[sp - 1] == stack[sp]; break;
      case C::Ne: --sp; stack[sp - 1] = stack[sp - 1] != stack[sp]; break;
      default: {
        --sp;
        int64_t r = 0;
        Expr::Op op = in.code == C::Add ? Expr::Op::Add
                    : in.code == C::Sub ? Expr::Op::Sub
                    : in.code == C::Mul ? Expr::Op::Mul
                    : in.code == C::Div ? Expr::Op::Div
                                        : Expr::Op::Mod;
        ArithError err = apply_binary(op, stack[sp - 1], stack[sp], r);
        if (err != ArithError::None) {
          fault = err == ArithError::DivByZero ? EvalFault::DivByZero : EvalFault::Overflow;
          return false;
        }
        stack[sp - 1] = r;
      }
    }
  }
  out = stack[0];
  return true;
}

}  // namespace interlock

// Expressions compiled to a small stack bytecode for the explicit engine: parameters become
// constants, && || => short-circuit, and runtime faults (division by zero, an index out of an
// array, overflow) are reported instead of producing a value.
#pragma once

#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "model/model.h"

namespace interlock {

enum class EvalFault : uint8_t { None, DivByZero, Overflow, IndexOutOfRange };

struct Instr {
  enum class Code : uint8_t {
    Const, Slot, Element, Choose, Neg, Not,
    Add, Sub, Mul, Div, Mod, Lt, Le, Gt, Ge, Eq, Ne,
    JumpIfFalse,  // pops; jumps to a when false
    JumpIfTrue,   // pops; jumps to a when true
    Jump,
    // Fused forms of the commonest guards: push (state[a] CMP k) or (state[a] CMP state[k]);
    // `cmp` holds the comparison's Code (Lt .. Ne).
    SlotCmpConst,
    SlotCmpSlot,
    // The same comparisons as the condition of a jump (no push): && and || are mostly these.
    SlotCmpConstJumpIfFalse,
    SlotCmpConstJumpIfTrue,
    SlotCmpSlotJumpIfFalse,
    SlotCmpSlotJumpIfTrue,
  };
  Code code = Code::Const;
  Code cmp = Code::Const;
  int32_t a = 0;       // slot, scratch index, Element's length
  int32_t target = 0;  // where a jump goes
  int64_t k = 0;       // Const value; Element's first slot; the second slot of SlotCmpSlot
};

class Compiled {
 public:
  Compiled() = default;
  Compiled(const Expr& e, const std::vector<int64_t>& params);

  // Evaluates on an unpacked state and the current choose values. On a fault returns false.
  // Most guards and invariants are one constant or one comparison: those skip the interpreter.
  [[gnu::always_inline]] bool run(const int32_t* state, const int64_t* scratch, int64_t& out, EvalFault& fault) const {
    switch (shape_) {
      case Shape::AllOf:
        out = 1;
        for (const Atom& a : atoms_)
          if (!compare(a.cmp, state[a.slot], a.other_is_slot ? state[a.other] : a.other)) { out = 0; break; }
        return true;
      case Shape::AnyOf:
        out = 0;
        for (const Atom& a : atoms_)
          if (compare(a.cmp, state[a.slot], a.other_is_slot ? state[a.other] : a.other)) { out = 1; break; }
        return true;
      case Shape::SlotPlusConst:
        if (__builtin_add_overflow(static_cast<int64_t>(state[atoms_[0].slot]), atoms_[0].other, &out)) {
          fault = EvalFault::Overflow;
          return false;
        }
        return true;
      case Shape::Select: return run_select(state, scratch, out, fault);  // out of line: keeps run() small
      case Shape::Code: break;
    }
    if (code_.size() == 1) {
      const Instr& in = code_[0];
      switch (in.code) {
        case Instr::Code::Const: out = in.k; return true;
        case Instr::Code::SlotCmpConst: out = compare(in.cmp, state[in.a], in.k); return true;
        case Instr::Code::SlotCmpSlot: out = compare(in.cmp, state[in.a], state[in.k]); return true;
        default: break;
      }
    }
    return run_general(state, scratch, out, fault);
  }
  static bool compare(Instr::Code cmp, int64_t x, int64_t y) {
    switch (cmp) {
      case Instr::Code::Lt: return x < y;
      case Instr::Code::Le: return x <= y;
      case Instr::Code::Gt: return x > y;
      case Instr::Code::Ge: return x >= y;
      case Instr::Code::Eq: return x == y;
      default: return x != y;
    }
  }
  bool is_const() const { return code_.size() == 1 && code_[0].code == Instr::Code::Const; }
  int64_t const_value() const { return code_[0].k; }
  bool empty() const { return code_.empty(); }
  // The state slots this expression may read (for Element: the whole array).
  std::vector<int> reads() const;

 private:
  void emit(const Expr& e, const std::vector<int64_t>& params, int depth);
  std::size_t conditional_jump(bool when_true);
  bool run_general(const int32_t* state, const int64_t* scratch, int64_t& out, EvalFault& fault) const;
  bool run_select(const int32_t* state, const int64_t* scratch, int64_t& out, EvalFault& fault) const;
  // Shapes evaluated without the interpreter: a conjunction or disjunction of comparisons of a
  // slot with a constant or a slot (most guards and properties, implications included),
  // `slot + constant` (most updates), and `condition ? a : b` with such a condition (whose
  // comparisons may also read a choose value) and branches that are a constant, a slot, a choose
  // value or `slot + constant` (most bookkeeping updates).
  enum class Shape : uint8_t { Code, AllOf, AnyOf, SlotPlusConst, Select };
  struct Atom {
    Instr::Code cmp;
    bool other_is_slot;
    int32_t slot;
    int64_t other;
    bool left_is_choose = false;  // `slot` is a choose value's scratch index
  };
  struct Operand {
    enum class Kind : uint8_t { Const, Slot, Choose, SlotPlusConst } kind = Kind::Const;
    int32_t index = 0;
    int64_t k = 0;
  };
  bool recognise(const Expr& e, const std::vector<int64_t>& params);
  Shape shape_ = Shape::Code;
  std::vector<Atom> atoms_;
  bool select_any_ = false;  // Select: the condition's atoms are joined by || (else &&)
  Operand then_, else_;
  std::vector<Instr> code_;
  std::size_t jump_target_end_ = SIZE_MAX;  // code_.size() when some jump lands at the current end
  int max_depth_ = 0;
};

const char* describe(EvalFault fault);

}  // namespace interlock

// Expressions compiled to a small stack bytecode for the explicit engine: parameters become
// constants, && || => short-circuit, and runtime faults (division by zero, an index out of an
// array, overflow) are reported instead of producing a value.
#pragma once

#include <cstdint>
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
  };
  Code code = Code::Const;
  Code cmp = Code::Const;
  int32_t a = 0;  // slot, scratch index, jump target, Element's length
  int64_t k = 0;  // Const value; Element's first slot; the second slot of SlotCmpSlot
};

class Compiled {
 public:
  Compiled() = default;
  Compiled(const Expr& e, const std::vector<int64_t>& params);

  // Evaluates on an unpacked state and the current choose values. On a fault returns false.
  bool run(const int32_t* state, const int64_t* scratch, int64_t& out, EvalFault& fault) const;
  bool is_const() const { return code_.size() == 1 && code_[0].code == Instr::Code::Const; }
  int64_t const_value() const { return code_[0].k; }
  bool empty() const { return code_.empty(); }
  // The state slots this expression may read (for Element: the whole array).
  std::vector<int> reads() const;

 private:
  void emit(const Expr& e, const std::vector<int64_t>& params, int depth);
  std::vector<Instr> code_;
  int max_depth_ = 0;
};

const char* describe(EvalFault fault);

}  // namespace interlock

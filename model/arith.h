// Checked integer arithmetic shared by constant folding and the evaluator: division by zero and
// 64-bit overflow are reported, never wrapped.
#pragma once

#include <cstdint>

#include "model/model.h"

namespace interlock {

enum class ArithError : uint8_t { None, DivByZero, Overflow };

inline ArithError apply_binary(Expr::Op op, int64_t a, int64_t b, int64_t& out) {
  switch (op) {
    case Expr::Op::Add: return __builtin_add_overflow(a, b, &out) ? ArithError::Overflow : ArithError::None;
    case Expr::Op::Sub: return __builtin_sub_overflow(a, b, &out) ? ArithError::Overflow : ArithError::None;
    case Expr::Op::Mul: return __builtin_mul_overflow(a, b, &out) ? ArithError::Overflow : ArithError::None;
    case Expr::Op::Div:
    case Expr::Op::Mod:
      if (b == 0) return ArithError::DivByZero;
      if (a == INT64_MIN && b == -1) return ArithError::Overflow;
      out = op == Expr::Op::Div ? a / b : a % b;  // C++ semantics: truncation toward zero
      return ArithError::None;
    case Expr::Op::Lt: out = a < b; return ArithError::None;
    case Expr::Op::Le: out = a <= b; return ArithError::None;
    case Expr::Op::Gt: out = a > b; return ArithError::None;
    case Expr::Op::Ge: out = a >= b; return ArithError::None;
    case Expr::Op::Eq: out = a == b; return ArithError::None;
    case Expr::Op::Ne: out = a != b; return ArithError::None;
    case Expr::Op::And: out = a && b; return ArithError::None;
    case Expr::Op::Or: out = a || b; return ArithError::None;
    case Expr::Op::Implies: out = !a || b; return ArithError::None;
    default: out = 0; return ArithError::None;
  }
}

}  // namespace interlock

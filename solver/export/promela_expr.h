// Expressions of the lowered model written as Promela. Promela's int has 32 bits where
// interlock computes with 64, so every integer subexpression must stay within 32 bits over the
// slots' ranges (interval arithmetic); the export refuses one that may not, and then no
// exported expression can overflow either way. What interlock reports as a fault (a division
// by zero, an index outside its array) gets a separate condition, fault(), that is true exactly
// when interlock's evaluation fails: operands are evaluated as interlock does, `&&`, `||`,
// `=>` and `?:` only as far as they need. value() never divides by zero nor reads outside an
// array (its value then does not matter), so SPIN can evaluate it in any state.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "model/model.h"
#include "solver/export/promela_names.h"

namespace interlock {

struct ValueRange {
  int64_t lo = 0, hi = 0;
};

// What a choose variable stands for in the step being written: a constant, or an expression
// of the state before the step (in a guard), or a temporary set at the start of the step's body.
struct ChooseValue {
  std::string text;
  ValueRange range;
  std::optional<int64_t> constant;
};
using ChooseValues = std::map<int64_t, ChooseValue>;  // by the choose variable's scratch index

class PromelaExpr {
 public:
  // Every parameter must have a value (ExportError otherwise).
  PromelaExpr(const Model& model, const PromelaNames& names);

  // Throws ExportError if some integer subexpression may leave the 32-bit range.
  void require_32_bits(const Expr& e, const ChooseValues& chooses) const;
  std::string value(const Expr& e, const ChooseValues& chooses) const;
  // Empty when `e` can never fail to evaluate.
  std::optional<std::string> fault(const Expr& e, const ChooseValues& chooses) const;
  ValueRange range(const Expr& e, const ChooseValues& chooses) const;
  // The range of hi - lo, tighter than range() where the two share terms (x..x + 1 holds two
  // values for every x, where interval arithmetic alone would allow -2..4 for x in 0..3).
  ValueRange difference_range(const Expr& hi, const Expr& lo, const ChooseValues& chooses) const;
  // The value of an expression that reads no state, if it has one (no fault).
  std::optional<int64_t> constant(const Expr& e, const ChooseValues& chooses) const;
  int64_t param(int index) const { return params_[static_cast<std::size_t>(index)]; }

 private:
  // A sum of state slots and choose values times constants, plus a constant.
  struct Linear {
    std::map<int64_t, int64_t> terms;  // slot index, or -1 - scratch index for a choose value
    int64_t constant = 0;
  };
  std::optional<Linear> linear(const Expr& e, const ChooseValues& chooses) const;

  const Model& model_;
  const PromelaNames& names_;
  std::vector<int64_t> params_;
};

// Helpers to build the synthetic expressions the export needs (a choose value lo + k, a width
// hi - lo, a range check).
Expr binary(Expr::Op op, Expr a, Expr b);
std::string promela_int(int64_t v);

}  // namespace interlock

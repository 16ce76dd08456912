#include "solver/export/promela_expr.h"

#include <algorithm>
#include <stdexcept>

#include "model/arith.h"
#include "solver/export/export_error.h"

namespace interlock {
namespace {

using Op = Expr::Op;

constexpr int64_t kInt32Min = INT32_MIN, kInt32Max = INT32_MAX;

int64_t saturate(__int128 v) {
  if (v > INT64_MAX) return INT64_MAX;
  if (v < INT64_MIN) return INT64_MIN;
  return static_cast<int64_t>(v);
}

__int128 magnitude(const ValueRange& r) {
  return std::max(r.lo < 0 ? -static_cast<__int128>(r.lo) : r.lo, r.hi < 0 ? -static_cast<__int128>(r.hi) : r.hi);
}

// Concatenation by appending: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string&&.
template <class... Parts>
std::string cat(const Parts&... parts) {
  std::string out;
  (out += ... += parts);
  return out;
}

std::string paren(const std::string& s) { return cat("(", s, ")"); }

std::string infix(Op op) {
  switch (op) {
    case Op::Add: return " + ";
    case Op::Sub: return " - ";
    case Op::Mul: return " * ";
    case Op::Div: return " / ";
    case Op::Mod: return " % ";
    case Op::Lt: return " < ";
    case Op::Le: return " <= ";
    case Op::Gt: return " > ";
    case Op::Ge: return " >= ";
    case Op::Eq: return " == ";
    case Op::Ne: return " != ";
    case Op::And: return " && ";
    case Op::Or: return " || ";
    default: throw std::logic_error("internal error: no Promela operator for this expression");
  }
}

// a || b, where an empty side is false.
std::optional<std::string> either(const std::optional<std::string>& a, const std::optional<std::string>& b) {
  if (!a) return b;
  if (!b) return a;
  return paren(*a + " || " + *b);
}

}  // namespace

std::string promela_int(int64_t v) { return v < 0 ? paren(std::to_string(v)) : std::to_string(v); }

Expr binary(Op op, Expr a, Expr b) {
  Expr e;
  e.op = op;
  e.type = (op == Op::Add || op == Op::Sub || op == Op::Mul || op == Op::Div || op == Op::Mod) ? ValueType::Int
                                                                                               : ValueType::Bool;
  e.loc = a.loc;
  e.kids.push_back(std::move(a));
  e.kids.push_back(std::move(b));
  return e;
}

PromelaExpr::PromelaExpr(const Model& model, const PromelaNames& names) : model_(model), names_(names) {
  for (const Param& p : model.params) {
    if (!p.value)
      throw ExportError(p.loc, "parameter '" + p.name + "' has no value; the export needs one for every parameter "
                               "(give it with --set " + p.name + "=VALUE)");
    params_.push_back(*p.value);
  }
}

ValueRange PromelaExpr::range(const Expr& e, const ChooseValues& chooses) const {
  switch (e.op) {
    case Op::Const: return {e.value, e.value};
    case Op::Param: return {param(static_cast<int>(e.value)), param(static_cast<int>(e.value))};
    case Op::Slot: {
      const Slot& s = model_.slots[static_cast<std::size_t>(e.value)];
      return {s.lo, s.hi};
    }
    case Op::Element: {
      ValueRange r{INT64_MAX, INT64_MIN};
      for (int i = 0; i < e.size; ++i) {
        const Slot& s = model_.slots[static_cast<std::size_t>(e.value + i)];
        r = {std::min(r.lo, s.lo), std::max(r.hi, s.hi)};
      }
      return r;
    }
    case Op::Choose: {
      auto it = chooses.find(e.value);
      if (it == chooses.end()) throw std::logic_error("internal error: a choose variable without a value");
      return it->second.range;
    }
    case Op::Neg: {
      ValueRange a = range(e.kids[0], chooses);
      return {saturate(-static_cast<__int128>(a.hi)), saturate(-static_cast<__int128>(a.lo))};
    }
    case Op::Add:
    case Op::Sub:
    case Op::Mul: {
      ValueRange a = range(e.kids[0], chooses), b = range(e.kids[1], chooses);
      if (e.op == Op::Add) return {saturate(static_cast<__int128>(a.lo) + b.lo), saturate(static_cast<__int128>(a.hi) + b.hi)};
      if (e.op == Op::Sub) return {saturate(static_cast<__int128>(a.lo) - b.hi), saturate(static_cast<__int128>(a.hi) - b.lo)};
      __int128 p[4] = {static_cast<__int128>(a.lo) * b.lo, static_cast<__int128>(a.lo) * b.hi,
                       static_cast<__int128>(a.hi) * b.lo, static_cast<__int128>(a.hi) * b.hi};
      return {saturate(*std::min_element(p, p + 4)), saturate(*std::max_element(p, p + 4))};
    }
    case Op::Div:
    case Op::Mod: {
      // |a / b| <= |a|; |a % b| <= |a| and < |b|, with the sign of a.
      ValueRange a = range(e.kids[0], chooses), b = range(e.kids[1], chooses);
      __int128 m = magnitude(a);
      if (e.op == Op::Mod) m = std::min(m, std::max<__int128>(magnitude(b) - 1, 0));
      return {a.lo >= 0 ? 0 : saturate(-m), a.hi <= 0 ? 0 : saturate(m)};
    }
    case Op::Ite: {
      ValueRange a = range(e.kids[1], chooses), b = range(e.kids[2], chooses);
      return {std::min(a.lo, b.lo), std::max(a.hi, b.hi)};
    }
    default: return {0, 1};  // conditions
  }
}

std::optional<PromelaExpr::Linear> PromelaExpr::linear(const Expr& e, const ChooseValues& chooses) const {
  if (std::optional<int64_t> c = constant(e, chooses)) return Linear{{}, *c};
  switch (e.op) {
    case Op::Slot: return Linear{{{e.value, 1}}, 0};
    case Op::Choose: return Linear{{{-1 - e.value, 1}}, 0};
    case Op::Neg: return linear(binary(Op::Sub, Expr::constant(0), e.kids[0]), chooses);
    case Op::Add:
    case Op::Sub: {
      std::optional<Linear> a = linear(e.kids[0], chooses), b = linear(e.kids[1], chooses);
      if (!a || !b) return std::nullopt;
      const int64_t sign = e.op == Op::Add ? 1 : -1;
      if (__builtin_mul_overflow(b->constant, sign, &b->constant) ||
          __builtin_add_overflow(a->constant, b->constant, &a->constant))
        return std::nullopt;
      for (const auto& [key, k] : b->terms) {
        int64_t term = 0;
        int64_t& sum = a->terms[key];
        if (__builtin_mul_overflow(k, sign, &term) || __builtin_add_overflow(sum, term, &sum)) return std::nullopt;
        if (sum == 0) a->terms.erase(key);
      }
      return a;
    }
    case Op::Mul: {
      for (int side = 0; side < 2; ++side) {
        std::optional<int64_t> factor = constant(e.kids[static_cast<std::size_t>(side)], chooses);
        std::optional<Linear> other = linear(e.kids[static_cast<std::size_t>(1 - side)], chooses);
        if (!factor || !other) continue;
        if (__builtin_mul_overflow(other->constant, *factor, &other->constant)) return std::nullopt;
        for (auto& [key, k] : other->terms)
          if (__builtin_mul_overflow(k, *factor, &k)) return std::nullopt;
        if (*factor == 0) other->terms.clear();
        return other;
      }
      return std::nullopt;
    }
    default: return std::nullopt;
  }
}

ValueRange PromelaExpr::difference_range(const Expr& hi, const Expr& lo, const ChooseValues& chooses) const {
  const Expr difference = binary(Op::Sub, hi, lo);
  std::optional<Linear> form = linear(difference, chooses);
  if (!form) return range(difference, chooses);
  __int128 low = form->constant, high = form->constant;
  for (const auto& [key, k] : form->terms) {
    ValueRange r;
    if (key >= 0) {
      const Slot& s = model_.slots[static_cast<std::size_t>(key)];
      r = {s.lo, s.hi};
    } else {
      auto it = chooses.find(-1 - key);
      if (it == chooses.end()) throw std::logic_error("internal error: a choose variable without a value");
      r = it->second.range;
    }
    const __int128 a = static_cast<__int128>(k) * r.lo, b = static_cast<__int128>(k) * r.hi;
    low += std::min(a, b);
    high += std::max(a, b);
  }
  return {saturate(low), saturate(high)};
}

void PromelaExpr::require_32_bits(const Expr& e, const ChooseValues& chooses) const {
  for (const Expr& k : e.kids) require_32_bits(k, chooses);
  if (e.type == ValueType::Bool) return;
  ValueRange r = range(e, chooses);
  if (r.lo < kInt32Min || r.hi > kInt32Max)
    throw ExportError(e.loc, "this expression may take values from " + std::to_string(r.lo) + " to " +
                                 std::to_string(r.hi) + ", beyond the 32 bits of Promela's int; the Promela "
                                 "export needs every value within -2^31..2^31-1");
}

std::optional<int64_t> PromelaExpr::constant(const Expr& e, const ChooseValues& chooses) const {
  switch (e.op) {
    case Op::Const: return e.value;
    case Op::Param: return param(static_cast<int>(e.value));
    case Op::Slot:
    case Op::Element: return std::nullopt;
    case Op::Choose: {
      auto it = chooses.find(e.value);
      return it == chooses.end() ? std::nullopt : it->second.constant;
    }
    case Op::Neg: {
      auto a = constant(e.kids[0], chooses);
      if (!a || *a == INT64_MIN) return std::nullopt;
      return -*a;
    }
    case Op::Not: {
      auto a = constant(e.kids[0], chooses);
      if (!a) return std::nullopt;
      return *a ? 0 : 1;
    }
    case Op::Ite: {
      auto c = constant(e.kids[0], chooses);
      if (!c) return std::nullopt;
      return constant(e.kids[*c ? 1 : 2], chooses);
    }
    default: {
      auto a = constant(e.kids[0], chooses), b = constant(e.kids[1], chooses);
      if (!a || !b) return std::nullopt;
      int64_t out = 0;
      if (apply_binary(e.op, *a, *b, out) != ArithError::None) return std::nullopt;
      return out;
    }
  }
}

std::string PromelaExpr::value(const Expr& e, const ChooseValues& chooses) const {
  auto v = [&](const Expr& k) { return value(k, chooses); };
  switch (e.op) {
    case Op::Const: return promela_int(e.value);
    case Op::Param: return promela_int(param(static_cast<int>(e.value)));
    case Op::Slot: return names_.slot(static_cast<int>(e.value));
    case Op::Element: return names_.array_at(static_cast<int>(e.value)).reader + "(" + v(e.kids[0]) + ")";
    case Op::Choose: {
      auto it = chooses.find(e.value);
      if (it == chooses.end()) throw std::logic_error("internal error: a choose variable without a value");
      return it->second.text;
    }
    case Op::Neg: return paren(cat("-", v(e.kids[0])));
    case Op::Not: return paren(cat("!", v(e.kids[0])));
    case Op::Implies: return paren(cat("!", v(e.kids[0]), " || ", v(e.kids[1])));
    case Op::Ite: return paren(cat(v(e.kids[0]), " -> ", v(e.kids[1]), " : ", v(e.kids[2])));
    case Op::Div:
    case Op::Mod: {
      const std::string quotient = v(e.kids[0]) + infix(e.op) + v(e.kids[1]);
      ValueRange b = range(e.kids[1], chooses);
      if (b.lo > 0 || b.hi < 0) return paren(quotient);
      return paren(v(e.kids[1]) + " != 0 -> " + quotient + " : 0");  // the fault is reported apart
    }
    case Op::Eq:
    case Op::Ne: {
      // A machine's state by its name: state_M == S_M_Idle.
      for (int side = 0; side < 2; ++side) {
        const Expr& slot = e.kids[static_cast<std::size_t>(side)];
        const Expr& other = e.kids[static_cast<std::size_t>(1 - side)];
        if (slot.op != Op::Slot || other.op != Op::Const) continue;
        const Slot& s = model_.slots[static_cast<std::size_t>(slot.value)];
        if (s.kind != Slot::Kind::Location || other.value < 0 ||
            other.value >= static_cast<int64_t>(model_.instances[static_cast<std::size_t>(s.instance)].locations.size()))
          continue;
        return paren(names_.slot(static_cast<int>(slot.value)) + infix(e.op) +
                     names_.location(s.instance, static_cast<int>(other.value)));
      }
      return paren(v(e.kids[0]) + infix(e.op) + v(e.kids[1]));
    }
    default: return paren(v(e.kids[0]) + infix(e.op) + v(e.kids[1]));
  }
}

std::optional<std::string> PromelaExpr::fault(const Expr& e, const ChooseValues& chooses) const {
  auto f = [&](const Expr& k) { return fault(k, chooses); };
  auto v = [&](const Expr& k) { return value(k, chooses); };
  switch (e.op) {
    case Op::Const:
    case Op::Param:
    case Op::Slot:
    case Op::Choose: return std::nullopt;
    case Op::Element: {
      ValueRange i = range(e.kids[0], chooses);
      std::optional<std::string> outside;
      if (i.lo < 0 || i.hi >= e.size) {
        const std::string index = v(e.kids[0]);
        outside = paren(index + " < 0 || " + index + " >= " + std::to_string(e.size));
      }
      return either(f(e.kids[0]), outside);
    }
    case Op::Neg:
    case Op::Not: return f(e.kids[0]);  // no 64-bit overflow within 32-bit operands
    case Op::And:
    case Op::Or:
    case Op::Implies: {
      // The right side is evaluated only when the left does not decide.
      std::optional<std::string> right = f(e.kids[1]);
      if (right) right = paren(cat(e.op == Op::Or ? "!" : "", v(e.kids[0]), " && ", *right));
      return either(f(e.kids[0]), right);
    }
    case Op::Ite: {
      std::optional<std::string> then = f(e.kids[1]), otherwise = f(e.kids[2]);
      std::optional<std::string> branch;
      if (then || otherwise) branch = paren(v(e.kids[0]) + " -> " + then.value_or("0") + " : " + otherwise.value_or("0"));
      return either(f(e.kids[0]), branch);
    }
    case Op::Div:
    case Op::Mod: {
      ValueRange b = range(e.kids[1], chooses);
      std::optional<std::string> zero;
      if (b.lo <= 0 && b.hi >= 0) zero = paren(v(e.kids[1]) + " == 0");
      return either(either(f(e.kids[0]), f(e.kids[1])), zero);
    }
    default: return either(f(e.kids[0]), f(e.kids[1]));  // both operands are evaluated
  }
}

}  // namespace interlock

// The compiled evaluator against a plain recursive one, on random expressions over a few slots:
// every shape the compiler special-cases (constant folding, fused comparisons, compare-and-jump,
// conjunction lists with negations and implications pushed inward, slot + constant, and
// `condition ? a : b` with simple branches) must give the reference's value and the same faults.
#include <gtest/gtest.h>

#include <random>

#include "model/arith.h"
#include "model/eval.h"

namespace interlock {
namespace {

using Op = Expr::Op;

struct Reference {
  const std::vector<int32_t>& state;
  const std::vector<int64_t>& params;
  const std::vector<int64_t>& scratch;
  bool fault = false;

  int64_t eval(const Expr& e) {
    switch (e.op) {
      case Op::Const: return e.value;
      case Op::Param: return params[e.value];
      case Op::Slot: return state[e.value];
      case Op::Choose: return scratch[e.value];
      case Op::Element: {
        int64_t i = eval(e.kids[0]);
        if (i < 0 || i >= e.size) { fault = true; return 0; }
        return state[e.value + i];
      }
      case Op::Not: return !eval(e.kids[0]);
      case Op::Neg: {
        const int64_t v = eval(e.kids[0]);
        if (v == INT64_MIN) { fault = true; return 0; }
        return -v;
      }
      case Op::And: return eval(e.kids[0]) ? eval(e.kids[1]) != 0 : 0;
      case Op::Or: return eval(e.kids[0]) ? 1 : eval(e.kids[1]) != 0;
      case Op::Implies: return eval(e.kids[0]) ? eval(e.kids[1]) != 0 : 1;
      case Op::Ite: return eval(e.kids[0]) ? eval(e.kids[1]) : eval(e.kids[2]);
      default: {
        int64_t a = eval(e.kids[0]), b = eval(e.kids[1]), out = 0;
        if (apply_binary(e.op, a, b, out) != ArithError::None) fault = true;
        return out;
      }
    }
  }
};

std::string show(const Expr& e) {
  static const char* names[] = {"const", "param", "slot", "elem", "choose", "neg", "not", "+", "-", "*", "/", "%",
                                "<", "<=", ">", ">=", "==", "!=", "&&", "||", "=>", "ite"};
  if (e.op == Op::Const) return std::to_string(e.value);
  std::string out;
  if (e.op == Op::Param || e.op == Op::Slot || e.op == Op::Choose) {
    out += e.op == Op::Param ? 'p' : e.op == Op::Slot ? 's' : 'c';
    out += std::to_string(e.value);
    return out;
  }
  out += '(';
  out += names[static_cast<int>(e.op)];
  for (const auto& k : e.kids) {
    out += ' ';
    out += show(k);
  }
  out += ')';
  return out;
}

class RandomExpr {
 public:
  explicit RandomExpr(uint32_t seed) : rng_(seed) {}
  Expr boolean(int depth) {
    int choice = pick(0, depth > 0 ? 7 : 2);
    switch (choice) {
      case 0: return Expr::constant(pick(0, 1), ValueType::Bool);
      case 1:
      case 2: {
        static const Op cmp[] = {Op::Lt, Op::Le, Op::Gt, Op::Ge, Op::Eq, Op::Ne};
        return node(cmp[pick(0, 5)], ValueType::Bool, {integer(depth - 1), integer(depth - 1)});
      }
      case 3: return node(Op::Not, ValueType::Bool, {boolean(depth - 1)});
      case 4: return node(Op::And, ValueType::Bool, {boolean(depth - 1), boolean(depth - 1)});
      case 5: return node(Op::Or, ValueType::Bool, {boolean(depth - 1), boolean(depth - 1)});
      case 6: return node(Op::Implies, ValueType::Bool, {boolean(depth - 1), boolean(depth - 1)});
      default: return node(Op::Ite, ValueType::Bool, {boolean(depth - 1), boolean(depth - 1), boolean(depth - 1)});
    }
  }
  Expr integer(int depth) {
    int choice = pick(0, depth > 0 ? 8 : 2);
    switch (choice) {
      case 0: return Expr::constant(pick(-3, 5));
      case 1: {
        Expr p;
        p.op = Op::Param;
        p.value = pick(0, 1);
        return p;
      }
      case 2: {
        Expr s;
        s.op = Op::Slot;
        s.value = pick(0, 3);
        return s;
      }
      case 3: {
        Expr el;
        el.op = Op::Element;
        el.value = 0;
        el.size = 4;
        el.kids.push_back(integer(depth - 1));
        return el;
      }
      case 4: return node(Op::Neg, ValueType::Int, {integer(depth - 1)});
      case 5: return node(pick(0, 1) ? Op::Add : Op::Sub, ValueType::Int, {integer(depth - 1), integer(depth - 1)});
      case 6: return node(pick(0, 2) ? Op::Mul : Op::Div, ValueType::Int, {integer(depth - 1), integer(depth - 1)});
      case 7: return node(Op::Mod, ValueType::Int, {integer(depth - 1), integer(depth - 1)});
      default: return node(Op::Ite, ValueType::Int, {boolean(depth - 1), integer(depth - 1), integer(depth - 1)});
    }
  }
  // The shapes the compiler evaluates without its interpreter, built on purpose: comparisons of
  // a slot or a choose value joined by && / || / => under negations, bool slots, and selects.
  Expr shaped(int depth) {
    if (pick(0, 2) == 0) return node(Op::Ite, ValueType::Int, {condition(depth), branch(), branch()});
    return condition(depth);
  }
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

 private:
  Expr node(Op op, ValueType type, std::vector<Expr> kids) {
    Expr e;
    e.op = op;
    e.type = type;
    e.kids = std::move(kids);
    return e;
  }
  Expr leaf(Op op, int64_t value, ValueType type = ValueType::Int) {
    Expr e;
    e.op = op;
    e.type = type;
    e.value = value;
    return e;
  }
  Expr condition(int depth) {
    int choice = pick(0, depth > 0 ? 6 : 1);
    static const Op cmp[] = {Op::Lt, Op::Le, Op::Gt, Op::Ge, Op::Eq, Op::Ne};
    switch (choice) {
      case 0: {
        Expr left = pick(0, 1) ? leaf(Op::Slot, pick(0, 3)) : leaf(Op::Choose, pick(0, 1));
        Expr right = pick(0, 1) ? leaf(Op::Slot, pick(0, 3)) : pick(0, 1) ? leaf(Op::Param, pick(0, 1)) : Expr::constant(pick(-2, 4));
        return node(cmp[pick(0, 5)], ValueType::Bool, {left, right});
      }
      case 1: return leaf(Op::Slot, 4, ValueType::Bool);  // a bool variable: slot 4 holds 0 or 1
      case 2: return node(Op::Not, ValueType::Bool, {condition(depth - 1)});
      case 3: return node(Op::And, ValueType::Bool, {condition(depth - 1), condition(depth - 1)});
      case 4: return node(Op::Or, ValueType::Bool, {condition(depth - 1), condition(depth - 1)});
      default: return node(Op::Implies, ValueType::Bool, {condition(depth - 1), condition(depth - 1)});
    }
  }
  Expr branch() {
    switch (pick(0, 4)) {
      case 0: return Expr::constant(pick(-3, 5));
      case 1: return leaf(Op::Slot, pick(0, 3));
      case 2: return leaf(Op::Choose, pick(0, 1));
      case 3: return node(Op::Add, ValueType::Int, {leaf(Op::Slot, pick(0, 3)), Expr::constant(pick(-3, 3))});
      default: return node(Op::Sub, ValueType::Int, {leaf(Op::Slot, pick(0, 3)), leaf(Op::Param, pick(0, 1))});
    }
  }
  std::mt19937 rng_;
};

TEST(Eval, CompiledMatchesAReferenceEvaluator) {
  const std::vector<int64_t> params = {2, -1};
  int compared = 0;
  for (uint32_t seed = 1; seed <= 6000; ++seed) {
    RandomExpr gen(seed);
    Expr e = seed % 3 == 0 ? gen.shaped(3) : seed % 3 == 1 ? gen.boolean(4) : gen.integer(4);
    Compiled compiled(e, params);
    for (int trial = 0; trial < 8; ++trial) {
      std::vector<int32_t> state = {gen.pick(-2, 4), gen.pick(-2, 4), gen.pick(-2, 4), gen.pick(-2, 4), gen.pick(0, 1)};
      std::vector<int64_t> scratch = {gen.pick(-2, 4), gen.pick(-2, 4)};
      Reference ref{state, params, scratch};
      int64_t want = ref.eval(e);
      int64_t got = 0;
      EvalFault fault = EvalFault::None;
      bool ok = compiled.run(state.data(), scratch.data(), got, fault);
      ASSERT_EQ(ok, !ref.fault) << "seed " << seed << " trial " << trial << ": " << show(e);
      if (ok) {
        ASSERT_EQ(got, want) << "seed " << seed << " trial " << trial << ": " << show(e) << " state " << state[0] << " "
                             << state[1] << " " << state[2] << " " << state[3];
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 20000);
}

// -(-2^63) is beyond 64 bits: the run reports it, whether the operand is a constant (which the
// compiler would otherwise fold, wrapping to -2^63, as the outside tester's spec showed) or a
// parameter's value.
TEST(Eval, NegatingTheSmallestIntegerOverflows) {
  Expr of_constant;
  of_constant.op = Op::Neg;
  of_constant.kids = {Expr::constant(INT64_MIN)};
  Expr param;
  param.op = Op::Param;
  param.value = 0;
  Expr of_param;
  of_param.op = Op::Neg;
  of_param.kids = {param};
  for (const Expr* e : {&of_constant, &of_param}) {
    Compiled c(*e, {INT64_MIN});
    std::vector<int32_t> state = {0};
    int64_t out = 7;
    EvalFault fault = EvalFault::None;
    EXPECT_FALSE(c.run(state.data(), nullptr, out, fault));
    EXPECT_EQ(fault, EvalFault::Overflow);
  }
  Expr one_more = of_constant;
  one_more.kids[0].value = INT64_MIN + 1;
  Compiled small(one_more, {});
  std::vector<int32_t> state = {0};
  int64_t out = 0;
  EvalFault fault = EvalFault::None;
  ASSERT_TRUE(small.run(state.data(), nullptr, out, fault));
  EXPECT_EQ(out, INT64_MAX) << "one more is folded and fine";
}

TEST(Eval, NegatedShortCircuitIsNegatedWhole) {
  // !(a || b) once compiled to "a || !b": the fold of '!' into a trailing constant.
  Expr a;
  a.op = Op::Slot;
  a.value = 0;
  Expr cmp;
  cmp.op = Op::Gt;
  cmp.type = ValueType::Bool;
  cmp.kids = {a, Expr::constant(0)};
  Expr either;
  either.op = Op::Or;
  either.type = ValueType::Bool;
  either.kids = {cmp, Expr::constant(0, ValueType::Bool)};
  Expr negated;
  negated.op = Op::Not;
  negated.type = ValueType::Bool;
  negated.kids = {either};
  Compiled c(negated, {});
  std::vector<int32_t> zero = {0}, one = {1};
  int64_t out = 7;
  EvalFault fault = EvalFault::None;
  ASSERT_TRUE(c.run(zero.data(), nullptr, out, fault));
  EXPECT_EQ(out, 1);
  ASSERT_TRUE(c.run(one.data(), nullptr, out, fault));
  EXPECT_EQ(out, 0);
}

}  // namespace
}  // namespace interlock

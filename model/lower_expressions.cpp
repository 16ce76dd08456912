// Lowering expressions: types, names, members, indexes, quantifiers, constant folding.
#include "model/lowerer.h"

#include <cstdint>
#include <map>
#include <string>

#include "model/arith.h"

namespace interlock::lowering {

SourceLoc Lowerer::start_of(const ast::Expr& e) {
  using K = ast::Expr::Kind;
  if ((e.kind == K::Binary || e.kind == K::Ternary || e.kind == K::Index) && !e.kids.empty()) return start_of(*e.kids[0]);
  return e.loc;
}

Expr Lowerer::lower_bool(const ast::Expr& e, const Scope& scope) {
  Expr out = lower_expr(e, scope);
  if (out.type != ValueType::Bool)
    abort_at(start_of(e), std::string(scope.context) + " must be a condition (bool), not " + describe_type(out.type, out.enum_id));
  return out;
}

Expr Lowerer::lower_int(const ast::Expr& e, const Scope& scope) {
  Expr out = lower_expr(e, scope);
  if (out.type != ValueType::Int)
    abort_at(start_of(e), std::string(scope.context) + " must be an integer, not " + describe_type(out.type, out.enum_id));
  return out;
}

Expr Lowerer::make_binary(Op op, ValueType type, SourceLoc loc, Expr a, Expr b) {
  Expr e;
  e.op = op;
  e.type = type;
  e.loc = loc;
  if (a.is_const() && b.is_const()) {
    int64_t out = 0;
    ArithError err = apply_binary(op, a.value, b.value, out);
    if (err == ArithError::DivByZero) abort_at(loc, "division by zero");
    if (err == ArithError::Overflow) abort_at(loc, "integer overflow in a constant expression");
    return Expr::constant(out, type, loc);
  }
  e.kids.push_back(std::move(a));
  e.kids.push_back(std::move(b));
  return e;
}

Expr Lowerer::lower_expr(const ast::Expr& e, const Scope& scope, bool allow_clock) {
  Expr out = lower_any(e, scope);
  if (out.type == ValueType::Clock && !allow_clock)
    abort_at(start_of(e), "a clock can only be compared with a clock-free expression (t <= e) or reset (t := e)");
  return out;
}

Expr Lowerer::lower_any(const ast::Expr& e, const Scope& scope) {
  using K = ast::Expr::Kind;
  count_node(e);
  switch (e.kind) {
    case K::Int: return Expr::constant(e.value, ValueType::Int, e.loc);
    case K::Bool: return Expr::constant(e.value, ValueType::Bool, e.loc);
    case K::Name: return lower_name(e, scope);
    case K::Member: return lower_member(e, scope);
    case K::Index: return lower_index(e, scope);
    case K::Unary: {
      Expr a = lower_expr(*e.kids[0], scope);
      Expr out;
      out.loc = e.loc;
      if (e.op == "!") {
        if (a.type != ValueType::Bool) abort_at(e.loc, "'!' needs a condition (bool), not " + describe_type(a.type, a.enum_id));
        if (a.is_const()) return Expr::constant(!a.value, ValueType::Bool, e.loc);
        out.op = Op::Not;
        out.type = ValueType::Bool;
      } else {
        if (a.type != ValueType::Int) abort_at(e.loc, "'-' needs an integer, not " + describe_type(a.type, a.enum_id));
        if (a.is_const()) {
          // -(-2^63) is 2^63, beyond 64 bits: an overflow, as a product past them is.
          if (a.value == INT64_MIN) abort_at(e.loc, "integer overflow in a constant expression");
          return Expr::constant(-a.value, ValueType::Int, e.loc);
        }
        out.op = Op::Neg;
        out.type = ValueType::Int;
      }
      out.kids.push_back(std::move(a));
      return out;
    }
    case K::Binary: return lower_binary(e, scope);
    case K::Ternary: {
      Expr c = lower_expr(*e.kids[0], scope);
      if (c.type != ValueType::Bool) abort_at(e.kids[0]->loc, "the condition of '?:' must be bool");
      Expr a = lower_expr(*e.kids[1], scope);
      Expr b = lower_expr(*e.kids[2], scope);
      if (a.type != b.type || a.enum_id != b.enum_id)
        abort_at(e.loc, "the branches of '?:' differ in type: " + describe_type(a.type, a.enum_id) + " and " + describe_type(b.type, b.enum_id));
      if (c.is_const()) return c.value ? a : b;
      Expr out;
      out.op = Op::Ite;
      out.type = a.type;
      out.enum_id = a.enum_id;
      out.loc = e.loc;
      out.kids.push_back(std::move(c));
      out.kids.push_back(std::move(a));
      out.kids.push_back(std::move(b));
      return out;
    }
    case K::Quant: {
      int64_t lo = eval_const(*e.kids[0], "a quantifier's bound", &scope);
      int64_t hi = eval_const(*e.kids[1], "a quantifier's bound", &scope);
      if (hi - lo >= kMaxQuantified) abort_at(e.loc, "a quantifier ranges over at most " + std::to_string(kMaxQuantified) + " values");
      bool forall = e.op == "forall";
      std::vector<Expr> terms;
      const ast::Expr* outer = expanding_;
      if (!outer) expanding_ = &e;
      struct Restore {
        const ast::Expr*& at;
        const ast::Expr* value;
        ~Restore() { at = value; }
      } restore{expanding_, outer};
      for (int64_t i = lo; i <= hi; ++i) {
        Scope inner = scope;
        inner.bound.push_back({e.name, i});
        Expr body = lower_expr(*e.kids[2], inner);
        if (body.type != ValueType::Bool) abort_at(start_of(*e.kids[2]), "a quantified condition must be bool");
        terms.push_back(std::move(body));
      }
      if (terms.empty()) return Expr::constant(forall ? 1 : 0, ValueType::Bool, e.loc);
      // Joined as a balanced tree, so its depth grows with log(n), not n.
      while (terms.size() > 1) {
        std::vector<Expr> joined;
        for (std::size_t k = 0; k + 1 < terms.size(); k += 2)
          joined.push_back(make_binary(forall ? Op::And : Op::Or, ValueType::Bool, e.loc, std::move(terms[k]), std::move(terms[k + 1])));
        if (terms.size() % 2) joined.push_back(std::move(terms.back()));
        terms.swap(joined);
      }
      return std::move(terms[0]);
    }
  }
  abort_at(e.loc, "unsupported expression");
}

Expr Lowerer::lower_binary(const ast::Expr& e, const Scope& scope) {
  static const std::map<std::string, Op> ops = {
      {"+", Op::Add}, {"-", Op::Sub}, {"*", Op::Mul}, {"/", Op::Div}, {"%", Op::Mod},
      {"<", Op::Lt},  {"<=", Op::Le}, {">", Op::Gt},  {">=", Op::Ge}, {"==", Op::Eq},
      {"!=", Op::Ne}, {"&&", Op::And}, {"||", Op::Or}, {"=>", Op::Implies}};
  Op op = ops.at(e.op);
  bool comparison = op == Op::Lt || op == Op::Le || op == Op::Gt || op == Op::Ge || op == Op::Eq || op == Op::Ne;
  Expr a = lower_expr(*e.kids[0], scope, comparison);
  Expr b = lower_expr(*e.kids[1], scope, comparison);
  auto mismatch = [&](const char* need) {
    abort_at(e.loc, "'" + e.op + "' needs " + need + ", not " + describe_type(a.type, a.enum_id) + " and " + describe_type(b.type, b.enum_id));
  };
  switch (op) {
    case Op::Add: case Op::Sub: case Op::Mul: case Op::Div: case Op::Mod:
      if (a.type != ValueType::Int || b.type != ValueType::Int) mismatch("integers");
      return make_binary(op, ValueType::Int, e.loc, std::move(a), std::move(b));
    case Op::And: case Op::Or: case Op::Implies:
      if (a.type != ValueType::Bool || b.type != ValueType::Bool) mismatch("conditions (bool)");
      return make_binary(op, ValueType::Bool, e.loc, std::move(a), std::move(b));
    default: break;
  }
  if (a.type == ValueType::Clock || b.type == ValueType::Clock) {
    if (a.type == ValueType::Clock && b.type == ValueType::Clock)
      abort_at(e.loc, "comparing two clocks is not supported; compare each with a clock-free bound");
    const Expr& other = a.type == ValueType::Clock ? b : a;
    if (other.type != ValueType::Int) mismatch("a clock and an integer");
    return make_binary(op, ValueType::Bool, e.loc, std::move(a), std::move(b));
  }
  if (op == Op::Eq || op == Op::Ne) {
    if (a.type != b.type || a.enum_id != b.enum_id) mismatch("operands of one type");
  } else if (a.type != ValueType::Int || b.type != ValueType::Int) {
    mismatch("integers");
  }
  return make_binary(op, ValueType::Bool, e.loc, std::move(a), std::move(b));
}

Expr Lowerer::slot_expr(int slot, SourceLoc loc) {
  Expr e;
  e.op = Op::Slot;
  e.value = slot;
  e.type = model_.slots[slot].type;
  e.enum_id = model_.slots[slot].enum_id;
  e.loc = loc;
  return e;
}

void Lowerer::require_state(const Scope& scope, SourceLoc loc, const std::string& name) {
  if (!scope.state_allowed)
    abort_at(loc, std::string(scope.context) + " cannot read '" + name + "': only constants" +
                      (scope.params_allowed ? " and parameters" : "") + " are allowed here");
}

Expr Lowerer::var_expr(const VarInfo& v, const std::string& name, SourceLoc loc, const Scope& scope) {
  require_state(scope, loc, name);
  if (v.size) abort_at(loc, "'" + name + "' is an array; give an index, as in " + name + "[0]");
  return slot_expr(v.first_slot, loc);
}

Expr Lowerer::leaf(Op op, int64_t index, SourceLoc loc) {
  Expr out = Expr::constant(index, ValueType::Int, loc);
  out.op = op;
  return out;
}

Expr Lowerer::lower_name(const ast::Expr& e, const Scope& scope) {
  for (auto it = scope.bound.rbegin(); it != scope.bound.rend(); ++it)
    if (it->first == e.name) return Expr::constant(it->second, ValueType::Int, e.loc);
  if (scope.chooses) {
    for (const auto& c : *scope.chooses)
      if (c.name == e.name) return leaf(Op::Choose, c.scratch, e.loc);
  }
  if (scope.instance >= 0) {
    auto it = locals_[scope.instance].find(e.name);
    if (it != locals_[scope.instance].end()) return var_expr(it->second, e.name, e.loc, scope);
  }
  auto it = globals_.find(e.name);
  if (it == globals_.end()) {
    // Constants are evaluated before the other declarations are known: one that reads them
    // would otherwise be told the name does not exist.
    if (const char* what = declared_after_constants(e.name))
      abort_at(e.loc, std::string(scope.context) + " cannot read '" + e.name + "', a " + what + ": only constants" +
                          (scope.params_allowed ? " and parameters" : "") + " are allowed here");
    std::string hint;
    if (scope.instance < 0 && is_local_somewhere(e.name)) hint = "; a machine's variable is read as Machine." + e.name;
    // A copy's index is known only where a copy's own behaviour is lowered, not in what fixes the
    // state's shape (an outside tester wrote `var x : 0..i+1` and was told 'i' does not exist).
    // (What takes constants only fixes the state's shape: a variable's range, an array's size.)
    for (const ast::Machine& m : spec_.machines)
      if (m.index_name == e.name)
        hint = ": '" + e.name + "' is machine '" + m.name + "''s index, read only by that machine's guards, updates, invariants and initial values" +
               (scope.params_allowed ? "" : "; " + std::string(scope.context) + " is the same in every copy");
    abort_at(e.loc, "unknown name '" + e.name + "'" + hint);
  }
  const NameInfo& n = it->second;
  switch (n.kind) {
    case NameKind::Const: return Expr::constant(const_value(n.index, e.loc), ValueType::Int, e.loc);
    case NameKind::Param: {
      if (!scope.params_allowed)
        abort_at(e.loc, std::string(scope.context) + " must be a constant, but '" + e.name + "' is a parameter");
      return leaf(Op::Param, n.index, e.loc);
    }
    case NameKind::EnumValue: {
      Expr out = Expr::constant(n.index % 65536, ValueType::Enum, e.loc);
      out.enum_id = n.index / 65536;
      return out;
    }
    case NameKind::Var: return var_expr(global_vars_[n.index], e.name, e.loc, scope);
    case NameKind::EnumType: abort_at(e.loc, "'" + e.name + "' is a type, not a value");
    case NameKind::Chan: abort_at(e.loc, "'" + e.name + "' is a channel; use it with 'emit " + e.name + "!' or 'on " + e.name + "?'");
    case NameKind::Machine: abort_at(e.loc, "'" + e.name + "' is a machine; write " + e.name + ".State or " + e.name + ".variable");
  }
  abort_at(e.loc, "unknown name '" + e.name + "'");
}

const char* Lowerer::declared_after_constants(const std::string& name) const {
  for (const ast::Param& p : spec_.params)
    if (p.name == name) return "parameter";
  for (const ast::Var& v : spec_.vars)
    if (v.name == name) return "variable";
  for (const ast::Chan& c : spec_.chans)
    if (c.name == name) return "channel";
  for (const ast::Machine& m : spec_.machines)
    if (m.name == name) return "machine";
  return nullptr;
}

bool Lowerer::is_local_somewhere(const std::string& name) const {
  for (const auto& l : locals_)
    if (l.count(name)) return true;
  return false;
}

int Lowerer::resolve_instance(const ast::Expr& base, const Scope& scope) {
  const ast::Expr* name = &base;
  const ast::Expr* index = nullptr;
  if (base.kind == ast::Expr::Kind::Index) {
    name = base.kids[0].get();
    index = base.kids[1].get();
  }
  if (name->kind != ast::Expr::Kind::Name) abort_at(base.loc, "expected a machine name before '.'");
  auto it = globals_.find(name->name);
  if (it == globals_.end() && declared_after_constants(name->name))
    abort_at(name->loc, std::string(scope.context) + " cannot read machine '" + name->name + "': only constants" +
                            (scope.params_allowed ? " and parameters" : "") + " are allowed here");
  if (it == globals_.end() || it->second.kind != NameKind::Machine)
    abort_at(name->loc, "unknown machine '" + name->name + "'");
  const MachineInfo& m = machines_[it->second.index];
  if (m.instances.empty()) throw LowerAbort{};
  if (!m.indexed) {
    if (index) abort_at(index->loc, "machine '" + name->name + "' has no copies to index");
    return m.instances[0];
  }
  if (!index) abort_at(name->loc, "machine '" + name->name + "' has copies; write " + name->name + "[i]." + "...");
  int64_t k = eval_const(*index, "a machine index", &scope);
  int64_t pos = k - m.index_lo;
  if (pos < 0 || pos >= static_cast<int64_t>(m.instances.size()))
    abort_at(index->loc, "index " + std::to_string(k) + " is outside " + name->name + "'s copies " +
                             std::to_string(m.index_lo) + ".." + std::to_string(m.index_lo + static_cast<int64_t>(m.instances.size()) - 1));
  return m.instances[pos];
}

Expr Lowerer::lower_member(const ast::Expr& e, const Scope& scope) {
  int instance = resolve_instance(*e.kids[0], scope);
  const Instance& inst = model_.instances[instance];
  require_state(scope, e.loc, inst.name + "." + e.name);
  const auto state = states_[instance].find(e.name);
  if (state != states_[instance].end())
    return make_binary(Op::Eq, ValueType::Bool, e.loc, slot_expr(inst.location_slot, e.loc),
                       Expr::constant(static_cast<int64_t>(state->second)));
  auto it = locals_[instance].find(e.name);
  if (it == locals_[instance].end())
    abort_at(e.loc, "machine '" + inst.machine + "' has no state or variable named '" + e.name + "'");
  if (it->second.size) abort_at(e.loc, "'" + inst.name + "." + e.name + "' is an array; give an index");
  return slot_expr(it->second.first_slot, e.loc);
}

Expr Lowerer::lower_index(const ast::Expr& e, const Scope& scope) {
  const ast::Expr& base = *e.kids[0];
  const VarInfo* var = nullptr;
  std::string name;
  if (base.kind == ast::Expr::Kind::Name) {
    name = base.name;
    if (scope.instance >= 0) {
      auto it = locals_[scope.instance].find(base.name);
      if (it != locals_[scope.instance].end()) var = &it->second;
    }
    if (!var) {
      auto it = globals_.find(base.name);
      if (it != globals_.end() && it->second.kind == NameKind::Var) var = &global_vars_[it->second.index];
      else if (it != globals_.end() && it->second.kind == NameKind::Machine)
        abort_at(e.loc, "machine '" + base.name + "[...]' must be followed by .State or .variable");
    }
  } else if (base.kind == ast::Expr::Kind::Member) {
    int instance = resolve_instance(*base.kids[0], scope);
    auto it = locals_[instance].find(base.name);
    if (it != locals_[instance].end()) var = &it->second;
    name = model_.instances[instance].name + "." + base.name;
  }
  if (!var) abort_at(base.loc, std::string("'").append(name.empty() ? "this" : name).append("' is not an array variable"));
  if (!var->size) abort_at(e.loc, "'" + name + "' is not an array");
  require_state(scope, e.loc, name);
  Expr index = lower_expr(*e.kids[1], scope);
  if (index.type != ValueType::Int) abort_at(e.kids[1]->loc, "an array index must be an integer");
  if (index.is_const()) {
    if (index.value < 0 || index.value >= var->size)
      abort_at(e.kids[1]->loc, "index " + std::to_string(index.value) + " is outside '" + name + "' (0.." + std::to_string(var->size - 1) + ")");
    return slot_expr(var->first_slot + static_cast<int>(index.value), e.loc);
  }
  Expr out = slot_expr(var->first_slot, e.loc);
  out.op = Op::Element;
  out.size = var->size;
  out.kids.push_back(std::move(index));
  return out;
}

}  // namespace interlock::lowering

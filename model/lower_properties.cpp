// Lowering properties and what they expect.
#include "model/lowerer.h"

#include <algorithm>
#include <map>

#include "model/intervals.h"

namespace interlock::lowering {

void Lowerer::lower_properties() {
  std::map<std::string, SourceLoc> names;
  for (const auto& p : spec_.properties) {
    auto it = names.find(p.name);
    if (it != names.end()) {
      diags_.error(p.loc, "property '" + p.name + "' is already declared at line " + std::to_string(it->second.line));
      continue;
    }
    names[p.name] = p.loc;
    guarded([&] {
      Property prop;
      prop.name = p.name;
      prop.loc = p.loc;
      Scope scope;
      scope.context = "a property";
      switch (p.kind) {
        case ast::Property::Kind::Invariant:
          prop.kind = Property::Kind::Invariant;
          prop.a = lower_bool(*p.a, scope);
          break;
        case ast::Property::Kind::Reachable:
          prop.kind = Property::Kind::Reachable;
          prop.a = lower_bool(*p.a, scope);
          break;
        case ast::Property::Kind::DeadlockFree:
          prop.kind = Property::Kind::DeadlockFree;
          break;
        case ast::Property::Kind::Response: {
          prop.kind = Property::Kind::Response;
          prop.a = lower_bool(*p.a, scope);
          prop.b = lower_bool(*p.b, scope);
          if (p.within) {
            Scope bound;
            bound.state_allowed = false;
            bound.context = "a 'within' bound";
            prop.within = lower_int(*p.within, bound);
            if (prop.within->is_const() && prop.within->value < 0)
              abort_at(p.within->loc, "a 'within' bound must not be negative");
          }
          break;
        }
        case ast::Property::Kind::Maximum: {
          prop.kind = Property::Kind::Maximum;
          if (p.delay) {
            prop.delay = true;
            prop.a = lower_bool(*p.a, scope);
            prop.b = lower_bool(*p.b, scope);
            break;
          }
          Expr value = lower_expr(*p.a, scope, /*allow_clock=*/true);
          if (value.type != ValueType::Int && value.type != ValueType::Clock)
            abort_at(p.a->loc, "'maximum' needs an integer or clock expression");
          prop.a = std::move(value);
          if (p.b) prop.b = lower_bool(*p.b, scope);
          break;
        }
      }
      lower_wanted(p, prop);
      model_.properties.push_back(std::move(prop));
    });
  }
}

void Lowerer::lower_wanted(const ast::Property& p, Property& prop) {
  const bool maximum = prop.kind == Property::Kind::Maximum;
  if (p.expect.empty()) {
    prop.wanted = maximum ? Property::Wanted::Nothing : Property::Wanted::Holds;
    return;
  }
  prop.wanted_written = true;
  if (p.expect == "<=") {
    if (!maximum) abort_at(p.expect_loc, "'expect <= BOUND' belongs to a maximum; this property expects holds or violated");
    Scope bound;
    bound.state_allowed = false;
    bound.context = "an 'expect' bound";
    prop.wanted = Property::Wanted::AtMost;
    prop.wanted_bound = lower_int(*p.expect_bound, bound);
    // A delay is never negative (a value's maximum may be): such a bound could never be met. One
    // that reads parameters is checked at their values, or over their ranges where they are free.
    if (prop.delay) {
      const Range r = IntervalEval(model_, nullptr).eval(*prop.wanted_bound);
      if (r.lo < 0) {
        std::string why = "this bound can never be met";
        const std::string low = std::to_string(static_cast<int64_t>(std::max<__int128>(r.lo, INT64_MIN)));
        if (!prop.wanted_bound->is_const())
          why = r.lo == r.hi ? "this bound is " + low + " with the parameters' values"
                             : "this bound may be " + low + " for some values of the parameters it reads";
        abort_at(p.expect_bound->loc, "a delay is never negative: " + why);
      }
    }
    return;
  }
  if (maximum) abort_at(p.expect_loc, "a maximum has a value, not a verdict: write 'expect <= BOUND'");
  const bool reach_word = p.expect == "reachable" || p.expect == "unreachable";
  if (reach_word && prop.kind != Property::Kind::Reachable)
    abort_at(p.expect_loc, "'expect " + p.expect + "' belongs to a reachable property; write holds or violated");
  prop.wanted = p.expect == "holds" || p.expect == "reachable" ? Property::Wanted::Holds : Property::Wanted::Violated;
}

}  // namespace interlock::lowering

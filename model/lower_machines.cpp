// Lowering machine bodies (states, edges, assignments), assumptions, and the checks on clocks and invariants.
#include "model/lowerer.h"

#include <optional>

#include "model/clock_bounds.h"

namespace interlock::lowering {

void Lowerer::lower_machine_bodies() {
  for (const auto& info : machines_) {
    for (std::size_t c = 0; c < info.instances.size(); ++c) {
      Scope scope = machine_scope(info, c);
      Instance& inst = model_.instances[scope.instance];
      for (const auto& s : info.decl->states) {
        if (s.invariants.empty()) continue;
        // Several invariants of a state are one conjunction, each checked as written (and each
        // mistake said).
        Scope inv = scope;
        inv.context = "an invariant";
        std::optional<Expr> all;
        bool lowered = true;
        for (const ast::ExprP& written : s.invariants) {
          bool ok = false;
          guarded([&] {
            Expr next = lower_bool(*written, inv);
            const SourceLoc loc = next.loc;
            all = all ? make_binary(Expr::Op::And, ValueType::Bool, loc, std::move(*all), std::move(next)) : std::move(next);
            ok = true;
          });
          lowered = lowered && ok;
        }
        if (!lowered) continue;
        guarded([&] {
          Expr e = std::move(*all);
          check_invariant_shape(e);
          const auto at = states_[scope.instance].find(s.name);
          if (at != states_[scope.instance].end()) inst.locations[at->second].invariant = std::move(e);
        });
      }
      for (const auto& e : info.decl->edges) guarded([&] { lower_edge(e, scope); });
    }
  }
}

int Lowerer::location_index(int instance, const std::string& name, SourceLoc loc) {
  const auto at = states_[instance].find(name);
  if (at != states_[instance].end()) return at->second;
  abort_at(loc, "'" + name + "' is not a state of machine '" + model_.instances[instance].machine + "'");
}

namespace {

// The first use of `name` as a plain name in `e`, or null.
const ast::Expr* find_name(const ast::Expr& e, const std::string& name) {
  if (e.kind == ast::Expr::Kind::Name && e.name == name) return &e;
  // A quantifier binding the same name hides it in its body (its last kid), not in its range.
  const std::size_t searched = e.kind == ast::Expr::Kind::Quant && e.name == name && !e.kids.empty() ? e.kids.size() - 1 : e.kids.size();
  for (std::size_t k = 0; k < searched; ++k)
    if (const ast::Expr* found = e.kids[k] ? find_name(*e.kids[k], name) : nullptr) return found;
  return nullptr;
}

}  // namespace

void Lowerer::lower_edge(const ast::Edge& e, const Scope& machine) {
  note_work();
  Edge edge;
  edge.instance = machine.instance;
  edge.loc = e.loc;
  edge.src = location_index(machine.instance, e.src, e.src_loc);
  edge.dst = location_index(machine.instance, e.dst, e.dst_loc);
  Scope scope = machine;
  scope.chooses = &edge.chooses;
  for (const auto& c : e.chooses) {
    for (const auto& prev : edge.chooses)
      if (prev.name == c.name) abort_at(c.loc, "'" + c.name + "' is chosen twice on this edge");
    ChooseVar var;
    var.name = c.name;
    Scope bounds = scope;
    bounds.context = "a choose range";
    var.lo = lower_int(*c.range.lo, bounds);
    var.hi = lower_int(*c.range.hi, bounds);
    var.scratch = model_.scratch_count++;
    edge.chooses.push_back(std::move(var));
  }
  if (e.guard) {
    Scope g = scope;
    g.context = "a guard";
    edge.guard = lower_bool(*e.guard, g);
  }
  if (e.syncs.size() > 1) abort_at(e.syncs[1].loc, "an edge synchronises on at most one channel");
  if (!e.syncs.empty()) {
    const ast::Sync& s = e.syncs[0];
    auto it = globals_.find(s.chan);
    if (it == globals_.end() || it->second.kind != NameKind::Chan)
      abort_at(s.loc, "unknown channel '" + s.chan + "'");
    const ChanInfo& chan = chans_[it->second.index];
    int offset = 0;
    if (chan.size) {
      if (!s.index) abort_at(s.loc, "channel '" + s.chan + "' is an array; give an index, as in " + s.chan + "[0]");
      for (const auto& c : e.chooses)
        if (const ast::Expr* use = find_name(*s.index, c.name))
          abort_at(use->loc, "a channel index must be a constant or the machine's index, not '" + c.name +
                                 "', chosen on this edge: an edge has one channel (write an edge per channel)");
      int64_t i = eval_const(*s.index, "a channel index", &machine);
      if (i < 0 || i >= chan.size)
        abort_at(s.index->loc, "channel index " + std::to_string(i) + " is outside 0.." + std::to_string(chan.size - 1));
      offset = static_cast<int>(i);
    } else if (s.index) {
      abort_at(s.index->loc, "channel '" + s.chan + "' is not an array");
    }
    edge.channel = chan.first + offset;
    edge.sync = s.emit ? SyncKind::Emit : SyncKind::Receive;
    if (e.asap && !s.emit && model_.channels[static_cast<std::size_t>(edge.channel)].broadcast)
      abort_at(e.asap_loc, "'asap' cannot go on a broadcast receiver: a machine that can receive a broadcast "
                           "always takes part; put 'asap' on the edge that emits '" + s.chan + "!'");
  }
  edge.asap = e.asap;
  for (const auto& u : e.updates) {
    Scope us = scope;
    us.context = "an assignment";
    Update up;
    up.loc = u.loc;
    up.target = lower_target(*u.target, us);
    up.value = lower_expr(*u.value, us);
    const Slot& first = model_.slots[up.target.op == Op::Slot ? up.target.value : up.target.value];
    if (first.kind == Slot::Kind::Clock) {
      if (up.value.type != ValueType::Int) abort_at(u.value->loc, "a clock is reset to an integer");
    } else {
      check_assignable(first.type, first.enum_id, up.value, u.value->loc, "'" + first.name + "'");
      if (up.target.op == Op::Slot && up.value.is_const()) check_in_range(static_cast<int>(up.target.value), up.value.value, u.value->loc);
    }
    edge.updates.push_back(std::move(up));
  }
  int id = static_cast<int>(model_.edges.size());
  model_.edges.push_back(std::move(edge));
  model_.instances[machine.instance].edges.push_back(id);
}

Expr Lowerer::lower_target(const ast::Expr& e, const Scope& scope) {
  Expr t = lower_expr(e, scope, /*allow_clock=*/true);
  if (t.op != Op::Slot && t.op != Op::Element)
    abort_at(e.loc, "only a variable or a clock can be assigned");
  const Slot& s = model_.slots[t.value];
  if (s.kind == Slot::Kind::Location) abort_at(e.loc, "a machine's state changes only through its edges");
  if (s.kind == Slot::Kind::Clock && t.op == Op::Slot && s.instance != scope.instance)
    abort_at(e.loc, "a machine may reset only its own clocks");
  return t;
}

void Lowerer::check_assignable(ValueType type, int enum_id, const Expr& value, SourceLoc loc, const std::string& what) {
  if (value.type == ValueType::Clock) abort_at(loc, "a clock's value cannot be stored in a variable");
  if (value.type != type || (type == ValueType::Enum && value.enum_id != enum_id))
    abort_at(loc, std::string("type mismatch: ") + what + " is " + describe_type(type, enum_id) +
                      " but the value is " + describe_type(value.type, value.enum_id));
}

std::string Lowerer::describe_type(ValueType t, int enum_id) const {
  if (t == ValueType::Enum && enum_id >= 0) return "of type " + model_.enums[enum_id].name;
  return std::string(type_name(t));
}

void Lowerer::lower_assumes() {
  for (const auto& a : spec_.assumes) {
    guarded([&] {
      Scope scope;
      scope.state_allowed = false;
      scope.context = "an assumption";
      model_.assumes.push_back(lower_bool(*a.cond, scope));
      model_.assume_locs.push_back(a.loc);
    });
  }
}

void Lowerer::finish_clocks() {
  for (int slot : bound_clocks(model_))
    diags_.error(model_.slots[slot].loc, "clock '" + model_.slots[slot].name + "' is compared with values beyond 2^31");
}

void Lowerer::check_invariant_shape(const Expr& e) {
  if (e.op == Op::And) {
    for (const auto& k : e.kids) check_invariant_shape(k);
    return;
  }
  if (!mentions_clock(e)) return;
  bool clock_left = e.kids.size() == 2 && e.kids[0].type == ValueType::Clock;
  bool clock_right = e.kids.size() == 2 && e.kids[1].type == ValueType::Clock;
  if ((clock_left && (e.op == Op::Le || e.op == Op::Lt)) || (clock_right && (e.op == Op::Ge || e.op == Op::Gt)))
    return;
  abort_at(e.loc, "an invariant may bound clocks only from above (t <= e or t < e), joined with &&");
}

bool Lowerer::mentions_clock(const Expr& e) {
  if (e.type == ValueType::Clock) return true;
  for (const auto& k : e.kids)
    if (mentions_clock(k)) return true;
  return false;
}

}  // namespace interlock::lowering

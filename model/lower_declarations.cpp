// Lowering the declarations: constants, enumerations, parameters, channels, variables, machine copies and their initial values.
#include "model/lowerer.h"

#include <algorithm>
#include <map>
#include <unordered_map>

namespace interlock::lowering {

void Lowerer::declare_globals() {
  for (std::size_t i = 0; i < spec_.consts.size(); ++i) {
    consts_.push_back({&spec_.consts[i]});
    declare_name(spec_.consts[i].name, NameKind::Const, static_cast<int>(i), spec_.consts[i].loc);
  }
  // Evaluated lazily (a constant may use one declared after it), but every one is evaluated,
  // so an error in an unused constant is still reported.
  for (std::size_t i = 0; i < consts_.size(); ++i)
    guarded([&] { const_value(static_cast<int>(i), spec_.consts[i].loc); });
}

int64_t Lowerer::const_value(int index, SourceLoc use) {
  ConstState& c = consts_[index];
  if (c.state == 2) return c.value;
  if (c.state == 3) throw LowerAbort{};
  if (c.state == 1) abort_at(use, "constant '" + c.decl->name + "' is defined in terms of itself");
  if (consts_in_progress_ >= 256) abort_at(use, "constants refer forward to each other too deeply (256 levels)");
  c.state = 1;
  ++consts_in_progress_;
  try {
    c.value = eval_const(*c.decl->value, "a constant");
    c.state = 2;
  } catch (const LowerAbort&) {
    c.state = 3;
    --consts_in_progress_;
    throw;
  }
  --consts_in_progress_;
  return c.value;
}

int64_t Lowerer::eval_const(const ast::Expr& e, const char* context, const Scope* outer) {
  Scope scope;
  if (outer) scope.bound = outer->bound;
  scope.state_allowed = false;
  scope.params_allowed = false;
  scope.context = context;
  Expr lowered = lower_expr(e, scope);
  if (lowered.type != ValueType::Int) abort_at(e.loc, std::string(context) + " must be an integer");
  if (!lowered.is_const()) abort_at(e.loc, std::string(context) + " must be a constant expression");
  return lowered.value;
}

Interval Lowerer::const_range(const ast::Range& r, const char* context, const Scope* outer) {
  Interval out;
  out.lo = eval_const(*r.lo, context, outer);
  out.hi = eval_const(*r.hi, context, outer);
  if (out.lo < -kMaxValue || out.hi >= kMaxValue)
    abort_at(r.lo->loc, std::string(context) + " must lie within -2^31..2^31-1");
  if (out.hi < out.lo)
    abort_at(r.lo->loc, "empty range " + std::to_string(out.lo) + ".." + std::to_string(out.hi));
  return out;
}

void Lowerer::check_timer_delays() {
  const int64_t period = spec_.timer_period;
  for (const ast::Spec::TimerDelay& d : spec_.timer_delays) {
    auto it = globals_.find(d.name);
    if (it == globals_.end()) continue;  // the timer's machine reports the unknown name
    const std::string setting = "RandomizedDelaySec=" + d.name;
    int64_t lo = 0, hi = 0;
    std::string what;  // how the largest value came about
    if (it->second.kind == NameKind::Const) {
      bool known = false;  // a constant that cannot be evaluated has its own error
      guarded([&] {
        lo = hi = const_value(it->second.index, d.loc);
        known = true;
      });
      if (!known) continue;
      what = "'" + d.name + "' is " + std::to_string(hi);
    } else if (it->second.kind == NameKind::Param) {
      const Param& p = model_.params[static_cast<std::size_t>(it->second.index)];
      lo = p.lo;
      hi = p.hi;
      what = "'" + d.name + "' may be " + std::to_string(hi) + " (the top of its range)";
    } else {
      diags_.error(d.loc, setting + ": a timer's delay reads a parameter or a constant, and '" + d.name + "' is neither");
      continue;
    }
    if (lo < 0) {
      diags_.error(d.loc, setting + ": '" + d.name + "' " + (lo == hi ? "is " : "may be ") + std::to_string(lo) +
                              ", and a delay cannot be negative");
    } else if (hi + d.extra >= period) {
      diags_.error(d.loc, "timer '" + d.timer + "' may fire a whole period (" + std::to_string(period) + " " +
                              model_.time_unit + ") late or more: " + what +
                              (d.extra > 0 ? ", plus " + std::to_string(d.extra) + " for AccuracySec=" : std::string()) +
                              "; interlock needs the delay shorter than the period");
    }
  }
}

void Lowerer::declare_enums() {
  for (const auto& e : spec_.enums) {
    int id = static_cast<int>(model_.enums.size());
    declare_name(e.name, NameKind::EnumType, id, e.loc);
    EnumInfo info;
    info.name = e.name;
    for (std::size_t v = 0; v < e.values.size(); ++v) {
      declare_name(e.values[v].first, NameKind::EnumValue, id * 65536 + static_cast<int>(v),
                   e.values[v].second);
      info.values.push_back(e.values[v].first);
    }
    model_.enums.push_back(std::move(info));
  }
}

TimeKind Lowerer::written_as(const ast::Expr& e, int depth) const {
  if (depth > 16) return TimeKind::Plain;
  switch (e.kind) {
    case ast::Expr::Kind::Int:
      return e.time;
    case ast::Expr::Kind::Name:
      for (const auto& c : spec_.consts)
        if (c.name == e.name && c.value) return written_as(*c.value, depth + 1);
      return TimeKind::Plain;
    case ast::Expr::Kind::Binary: {
      if (e.op != "+" && e.op != "-") return TimeKind::Plain;
      const TimeKind a = written_as(*e.kids[0], depth + 1), b = written_as(*e.kids[1], depth + 1);
      auto is_time = [](TimeKind k) { return k == TimeKind::TimeOfDay || k == TimeKind::WeekTime; };
      if (is_time(a) && is_time(b)) return e.op == "-" ? TimeKind::Duration : TimeKind::Plain;
      if (a == TimeKind::Plain || a == b) return b;
      if (b == TimeKind::Plain || b == TimeKind::Duration) return a;
      return e.op == "+" ? b : TimeKind::Plain;  // a duration plus a time is a time
    }
    default:
      return TimeKind::Plain;
  }
}

void Lowerer::declare_params() {
  // A parameter whose range was refused has been reported once: --set is not checked against it.
  std::vector<bool> range_read;
  for (const auto& p : spec_.params) {
    Param param;
    param.name = p.name;
    param.loc = p.loc;
    for (const ast::Expr* e : {p.default_value.get(), p.range.lo.get(), p.range.hi.get()})
      if (e && param.time == TimeKind::Plain) param.time = written_as(*e, 0);
    int index = static_cast<int>(model_.params.size());
    range_read.push_back(false);
    guarded([&] {
      Interval r = const_range(p.range, "a parameter's range");
      param.lo = r.lo;
      param.hi = r.hi;
      range_read.back() = true;
      if (p.default_value) {
        int64_t v = eval_const(*p.default_value, "a parameter's default");
        if (v < r.lo || v > r.hi)
          abort_at(p.default_value->loc, "default " + std::to_string(v) + " is outside " +
                                             p.name + "'s range " + std::to_string(r.lo) + ".." +
                                             std::to_string(r.hi));
        param.value = v;
      }
    });
    declare_name(p.name, NameKind::Param, index, p.loc);
    model_.params.push_back(param);
  }
  for (const auto& name : options_.free) {
    if (name == "all") {
      for (auto& p : model_.params) p.value.reset();
      continue;
    }
    int index = model_.find_param(name);
    if (index < 0) diags_.error({}, "--free " + name + ": the spec has no parameter named '" + name + "'");
    else model_.params[index].value.reset();
  }
  ParamOverrides set = options_.set;
  for (const auto& [name, text] : options_.set_times) {
    const TimeText t = parse_time_text(text);
    const int64_t tick_seconds = seconds_per_tick(spec_.time_unit);
    const std::string what = "--set " + name + "=" + text + ": ";
    if (!t.ok) diags_.error({}, what + t.error);
    else if (tick_seconds == 0) diags_.error({}, what + "the spec counts time in " + model_.time_unit + ", not in seconds, minutes or hours");
    else if (t.kind == TimeKind::WeekTime && spec_.calendar != Calendar::Week) diags_.error({}, what + "the spec's days are not a week");
    else if (t.seconds % tick_seconds != 0) diags_.error({}, what + "not a whole number of " + model_.time_unit);
    else set.emplace_back(name, t.seconds / tick_seconds);
  }
  for (const auto& [name, value] : set) {
    int index = model_.find_param(name);
    if (index < 0) {
      diags_.error({}, "--set " + name + ": the spec has no parameter named '" + name + "'");
      continue;
    }
    Param& p = model_.params[index];
    if (!range_read[index]) continue;
    if (value < p.lo || value > p.hi) {
      diags_.error({}, "--set " + name + "=" + std::to_string(value) + ": outside its range " +
                           std::to_string(p.lo) + ".." + std::to_string(p.hi));
      continue;
    }
    p.value = value;
  }
}

void Lowerer::declare_channels() {
  for (const auto& c : spec_.chans) {
    ChanInfo info{static_cast<int>(model_.channels.size()), 0};
    guarded([&] {
      if (c.size) {
        int64_t n = eval_const(*c.size, "a channel array's size");
        if (n < 1 || n > kMaxArray) abort_at(c.size->loc, "a channel array's size must be 1.." + std::to_string(kMaxArray));
        info.size = static_cast<int>(n);
      }
    });
    int count = std::max(info.size, 1);
    for (int i = 0; i < count; ++i)
      model_.channels.push_back({info.size ? c.name + "[" + std::to_string(i) + "]" : c.name, c.broadcast});
    declare_name(c.name, NameKind::Chan, static_cast<int>(chans_.size()), c.loc);
    chans_.push_back(info);
  }
}

void Lowerer::resolve_type(const ast::TypeRef& t, ValueType& type, int& enum_id, Interval& range) {
  switch (t.kind) {
    case ast::TypeRef::Kind::Bool:
      type = ValueType::Bool;
      range = {0, 1};
      return;
    case ast::TypeRef::Kind::Range:
      type = ValueType::Int;
      range = const_range(t.range, "a variable's range");
      return;
    case ast::TypeRef::Kind::Named: {
      auto it = globals_.find(t.name);
      if (it == globals_.end() || it->second.kind != NameKind::EnumType)
        abort_at(t.loc, "unknown type '" + t.name + "'; expected bool, an enumeration or lo..hi");
      type = ValueType::Enum;
      enum_id = it->second.index;
      range = {0, static_cast<int64_t>(model_.enums[enum_id].values.size()) - 1};
      return;
    }
  }
}

Lowerer::VarInfo Lowerer::add_var_slots(const ast::Var& v, const std::string& prefix, int instance) {
  VarInfo info{static_cast<int>(model_.slots.size()), 0, ValueType::Int, -1};
  Interval range;
  resolve_type(v.type, info.type, info.enum_id, range);
  if (v.size) {
    int64_t n = eval_const(*v.size, "an array's size");
    if (n < 1 || n > kMaxArray) abort_at(v.size->loc, "an array's size must be 1.." + std::to_string(kMaxArray));
    info.size = static_cast<int>(n);
  }
  int count = std::max(info.size, 1);
  reserve_slots(static_cast<std::size_t>(count), v.loc);
  for (int i = 0; i < count; ++i) {
    note_work();
    Slot s;
    s.kind = Slot::Kind::Var;
    s.name = prefix;
    s.name += v.name;
    if (info.size) {
      s.name += '[';
      s.name += std::to_string(i);
      s.name += ']';
    }
    s.lo = range.lo;
    s.hi = range.hi;
    s.type = info.type;
    s.enum_id = info.enum_id;
    s.instance = instance;
    s.loc = v.loc;
    model_.slots.push_back(s);
    model_.initial.push_back(Expr::constant(range.lo <= 0 && 0 <= range.hi ? 0 : range.lo, info.type));
  }
  return info;
}

void Lowerer::declare_global_vars() {
  for (const auto& v : spec_.vars) {
    guarded([&] {
      VarInfo info = add_var_slots(v, "", -1);
      declare_name(v.name, NameKind::Var, static_cast<int>(global_vars_.size()), v.loc);
      global_vars_.push_back(info);
    });
  }
}

void Lowerer::declare_machines() {
  for (const auto& m : spec_.machines) {
    MachineInfo info;
    info.decl = &m;
    declare_name(m.name, NameKind::Machine, static_cast<int>(machines_.size()), m.loc);
    if (!m.index_name.empty()) refuse_index_clashes(m);
    guarded([&] {
      Interval copies{0, 0};
      if (!m.index_name.empty()) {
        copies = const_range(m.index_range, "an index range");
        if (copies.hi - copies.lo + 1 > kMaxCopies)
          abort_at(m.index_range.lo->loc, "at most " + std::to_string(kMaxCopies) + " copies of a machine");
        info.indexed = true;
        info.index_lo = copies.lo;
      }
      for (int64_t i = copies.lo; i <= copies.hi; ++i) {
        note_work();
        const std::size_t before = model_.slots.size();
        std::string name = info.indexed ? m.name + "[" + std::to_string(i) + "]" : m.name;
        info.instances.push_back(declare_instance(m, name));
        // Every copy has the slots the first one has: refuse too many copies before making them.
        const std::size_t per_copy = model_.slots.size() - before;
        if (info.indexed && i == copies.lo)
          reserve_slots(static_cast<std::size_t>(copies.hi - copies.lo) * per_copy, m.index_range.lo->loc);
      }
    });
    machines_.push_back(std::move(info));
  }
}

void Lowerer::refuse_index_clashes(const ast::Machine& m) {
  const std::string& index = m.index_name;
  const std::string line = std::to_string(m.index_loc.line);
  auto clash = [&](const std::string& name, SourceLoc loc, const char* what) {
    if (name == index)
      diags_.error(loc, std::string(what) + " '" + name + "' has the name of machine '" + m.name + "''s index (line " + line +
                            "), which its edges read: rename one");
  };
  for (const auto& [name, loc] : m.clocks) clash(name, loc, "clock");
  for (const ast::Var& v : m.vars) clash(v.name, v.loc, "variable");
  for (const ast::State& s : m.states) clash(s.name, s.loc, "state");
  auto global = globals_.find(index);
  if (global != globals_.end())
    diags_.error(m.index_loc, "machine '" + m.name + "''s index '" + index + "' has the name of a declaration at line " +
                                  std::to_string(global->second.loc.line) + ", which it would hide inside the machine: rename one");
}

int Lowerer::declare_instance(const ast::Machine& m, const std::string& name) {
  int id = static_cast<int>(model_.instances.size());
  Instance inst;
  inst.name = name;
  inst.machine = m.name;
  inst.location_slot = static_cast<int>(model_.slots.size());
  std::map<std::string, SourceLoc> seen;
  auto claim = [&](const std::string& n, SourceLoc loc, const char* what) {
    auto it = seen.find(n);
    if (it != seen.end()) {
      diags_.error(loc, std::string(what) + " '" + n + "' clashes with a name declared at line " +
                            std::to_string(it->second.line) + " in machine '" + m.name + "'");
      return false;
    }
    seen[n] = loc;
    return true;
  };
  std::unordered_map<std::string, int> states;
  for (const auto& s : m.states) {
    if (!claim(s.name, s.loc, "state")) continue;
    states.emplace(s.name, static_cast<int>(inst.locations.size()));
    Location loc;
    loc.name = s.name;
    loc.loc = s.loc;
    loc.urgent = s.urgent;
    inst.locations.push_back(loc);
  }
  if (inst.locations.empty()) abort_at(m.loc, "machine '" + m.name + "' has no states");
  if (!m.has_init) {
    abort_at(m.loc, "machine '" + m.name + "' has no 'init' state");
  }
  const auto init = states.find(m.init);
  inst.initial = init == states.end() ? -1 : init->second;
  if (inst.initial < 0) abort_at(m.init_loc, "'" + m.init + "' is not a state of machine '" + m.name + "'");

  reserve_slots(1 + m.clocks.size(), m.loc);
  Slot loc_slot;
  loc_slot.kind = Slot::Kind::Location;
  loc_slot.name = name;
  loc_slot.lo = 0;
  loc_slot.hi = static_cast<int64_t>(inst.locations.size()) - 1;
  loc_slot.instance = id;
  loc_slot.loc = m.loc;
  model_.slots.push_back(loc_slot);
  model_.initial.push_back(Expr::constant(inst.initial));
  model_.instances.push_back(std::move(inst));
  locals_.emplace_back();
  states_.push_back(std::move(states));

  for (const auto& [clock, loc] : m.clocks) {
    if (!claim(clock, loc, "clock")) continue;
    Slot s;
    s.kind = Slot::Kind::Clock;
    s.name = name + "." + clock;
    s.type = ValueType::Clock;
    s.instance = id;
    s.loc = loc;
    locals_[id][clock] = {static_cast<int>(model_.slots.size()), 0, ValueType::Clock, -1};
    model_.slots.push_back(s);
    model_.initial.push_back(Expr::constant(0, ValueType::Clock));
  }
  for (const auto& v : m.vars) {
    if (!claim(v.name, v.loc, "variable")) continue;
    guarded([&] { locals_[id][v.name] = add_var_slots(v, name + ".", id); });
  }
  return id;
}

Scope Lowerer::machine_scope(const MachineInfo& info, std::size_t copy) {
  Scope scope;
  scope.instance = info.instances[copy];
  scope.machine = info.decl;
  if (info.indexed) scope.bound.push_back({info.decl->index_name, info.index_lo + static_cast<int64_t>(copy)});
  return scope;
}

void Lowerer::lower_var_init(const ast::Var& v, const VarInfo& info, const Scope& base) {
  Scope scope = base;
  scope.state_allowed = false;
  scope.context = "an initial value";
  int count = std::max(info.size, 1);
  if (v.has_init_list) {
    if (!info.size) abort_at(v.loc, "'{...}' initialises an array, but '" + v.name + "' is not one");
    if (static_cast<int>(v.init_list.size()) != info.size)
      abort_at(v.init_list.empty() ? v.loc : v.init_list[0]->loc,
               "'" + v.name + "' has " + std::to_string(info.size) + " elements but " +
                   std::to_string(v.init_list.size()) + " initial values");
  }
  for (int i = 0; i < count; ++i) {
    const ast::Expr* src = v.has_init_list ? v.init_list[i].get() : v.init.get();
    if (!src) continue;
    Expr value = lower_expr(*src, scope);
    check_assignable(info.type, info.enum_id, value, src->loc, "'" + v.name + "'");
    int slot = info.first_slot + i;
    if (value.is_const()) check_in_range(slot, value.value, src->loc);
    model_.initial[slot] = std::move(value);
  }
}

void Lowerer::check_in_range(int slot, int64_t v, SourceLoc loc) {
  const Slot& s = model_.slots[slot];
  if (s.type == ValueType::Int && (v < s.lo || v > s.hi))
    abort_at(loc, "value " + std::to_string(v) + " is outside " + s.name + "'s range " +
                      std::to_string(s.lo) + ".." + std::to_string(s.hi));
}

void Lowerer::lower_initial_values() {
  Scope global;
  for (std::size_t i = 0; i < spec_.vars.size(); ++i) {
    auto it = globals_.find(spec_.vars[i].name);
    if (it == globals_.end() || it->second.kind != NameKind::Var) continue;
    if (it->second.loc.line != spec_.vars[i].loc.line || it->second.loc.col != spec_.vars[i].loc.col) continue;
    guarded([&] { lower_var_init(spec_.vars[i], global_vars_[it->second.index], global); });
  }
  for (const auto& info : machines_) {
    for (std::size_t c = 0; c < info.instances.size(); ++c) {
      Scope scope = machine_scope(info, c);
      for (const auto& v : info.decl->vars) {
        auto it = locals_[scope.instance].find(v.name);
        if (it == locals_[scope.instance].end()) continue;
        guarded([&] { lower_var_init(v, it->second, scope); });
      }
    }
  }
}

}  // namespace interlock::lowering

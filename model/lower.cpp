#include "model/lower.h"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <functional>
#include <map>
#include <unordered_map>
#include <sstream>

#include "model/arith.h"
#include "model/clock_bounds.h"
#include "model/input_file.h"
#include "model/parser.h"
#include "model/stop.h"
#include "model/utf8.h"

namespace interlock {
namespace {

using Op = Expr::Op;
constexpr int64_t kMaxValue = INT64_C(1) << 31;  // slot values fit in 32 bits
constexpr int64_t kMaxArray = 1 << 16;
constexpr int64_t kMaxCopies = 1 << 12;
constexpr int64_t kMaxQuantified = 1 << 12;
// What quantifiers and machine copies may multiply a spec into (docs/language.md): values in the
// state (a slot each), and operators and operands in its expressions.
constexpr std::size_t kMaxSlots = std::size_t{1} << 20;
constexpr std::size_t kMaxNodes = std::size_t{1} << 21;
constexpr std::size_t kStopCheckEvery = 4096;  // nodes lowered between two looks at the limits

struct TooLarge {};  // the spec expands beyond kMaxSlots or kMaxNodes: one error, then stop

struct LowerAbort {};  // an error that makes the rest of one declaration meaningless

const char* type_name(ValueType t) {
  switch (t) {
    case ValueType::Int: return "int";
    case ValueType::Bool: return "bool";
    case ValueType::Enum: return "enum";
    case ValueType::Clock: return "clock";
  }
  return "?";
}

struct Interval {
  int64_t lo = 0, hi = 0;
};

// What names mean where an expression is lowered.
struct Scope {
  int instance = -1;
  const ast::Machine* machine = nullptr;
  std::vector<std::pair<std::string, int64_t>> bound;  // machine index, quantified names
  const std::vector<ChooseVar>* chooses = nullptr;
  bool state_allowed = true;  // variables, clocks and machine states
  bool params_allowed = true;
  const char* context = "an expression";
};

class Lowerer {
 public:
  Lowerer(const ast::Spec& spec, Diagnostics& diags, const LowerOptions& options)
      : spec_(spec), diags_(diags), options_(options) {}

  Model run() {
    try {
      lower_all();
    } catch (const TooLarge&) {
    }
    return std::move(model_);
  }

 private:
  void lower_all() {
    model_.system = spec_.system_name;
    if (!spec_.time_unit.empty()) model_.time_unit = spec_.time_unit;
    const int64_t tick_seconds = seconds_per_tick(spec_.time_unit);
    const bool clock = spec_.clock_literals || spec_.calendar != Calendar::None;
    if (tick_seconds > 0 && (clock || spec_.duration_literals)) model_.tick_seconds = tick_seconds;
    if (tick_seconds > 0 && clock) model_.calendar = spec_.calendar == Calendar::None ? Calendar::Day : spec_.calendar;
    model_.timers = spec_.timer_names;
    model_.timer_period = spec_.timer_period;
    model_.file = diags_.file().path();
    declare_globals();
    declare_enums();
    declare_params();
    declare_channels();
    declare_global_vars();
    declare_machines();
    lower_initial_values();
    lower_machine_bodies();
    lower_assumes();
    lower_properties();
    finish_clocks();
  }

  const ast::Spec& spec_;
  Diagnostics& diags_;
  const LowerOptions& options_;
  Model model_;

  enum class NameKind { Const, Param, EnumType, EnumValue, Var, Chan, Machine };
  struct NameInfo {
    NameKind kind;
    int index;
    SourceLoc loc;
  };
  std::map<std::string, NameInfo> globals_;

  struct ConstState {
    const ast::Const* decl;
    int state = 0;  // 0 unevaluated, 1 in progress, 2 done, 3 failed
    int64_t value = 0;
  };
  std::vector<ConstState> consts_;
  int consts_in_progress_ = 0;

  struct VarInfo {
    int first_slot;
    int size;  // 0 for a scalar
    ValueType type;
    int enum_id;
  };
  std::vector<VarInfo> global_vars_;

  struct MachineInfo {
    const ast::Machine* decl;
    std::vector<int> instances;  // one, or one per index value
    int64_t index_lo = 0;
    bool indexed = false;
  };
  std::vector<MachineInfo> machines_;
  // Per instance: local variables and clocks by name, and states by name (a machine may have
  // many: looking one up must not cost a pass over them all).
  std::vector<std::map<std::string, VarInfo>> locals_;
  std::vector<std::unordered_map<std::string, int>> states_;

  std::size_t nodes_ = 0;                 // operators and operands lowered so far
  std::size_t work_ = 0;                  // steps of lowering, to look at the limits now and then
  const ast::Expr* expanding_ = nullptr;  // the outermost quantifier being expanded, if any

  struct ChanInfo {
    int first;
    int size;  // 0 for a scalar channel
  };
  std::vector<ChanInfo> chans_;


  // ---- helpers ----
  // Stops loading when the run must stop (Ctrl-C, --timeout, --memory): LowerOptions::stop_reason.
  void check_stop() const {
    std::string why = options_.stop_reason ? options_.stop_reason() : stop_requested() ? describe_stop_request() : "";
    if (!why.empty()) throw LoadStopped(diags_.file().path() + ": " + why + " while loading the spec");
  }
  [[noreturn]] void too_large(SourceLoc loc, const std::string& message) {
    diags_.error(loc, message);
    throw TooLarge{};
  }
  void note_work() {
    if (++work_ % kStopCheckEvery == 0) check_stop();
  }
  void count_node(const ast::Expr& e) {
    note_work();
    ++nodes_;
    if (nodes_ > kMaxNodes)
      too_large(expanding_ ? expanding_->loc : e.loc, "the spec is too large once quantifiers and machine copies are expanded: more than " +
                                                          std::to_string(kMaxNodes) + " operators and operands");
  }
  void reserve_slots(std::size_t more, SourceLoc loc) {
    if (model_.slots.size() + more > kMaxSlots)
      too_large(loc, "the state would hold more than " + std::to_string(kMaxSlots) +
                         " values (variables, array elements, clocks and machine states, in every machine copy)");
  }

  [[noreturn]] void abort_at(SourceLoc loc, const std::string& message) {
    diags_.error(loc, message);
    throw LowerAbort{};
  }
  template <class F>
  void guarded(F&& body) {
    try {
      body();
    } catch (const LowerAbort&) {
    }
  }

  void declare_name(const std::string& name, NameKind kind, int index, SourceLoc loc) {
    auto it = globals_.find(name);
    if (it != globals_.end()) {
      diags_.error(loc, "'" + name + "' is already declared at line " +
                            std::to_string(it->second.loc.line));
      return;
    }
    globals_[name] = {kind, index, loc};
  }

  void declare_globals() {
    for (std::size_t i = 0; i < spec_.consts.size(); ++i) {
      consts_.push_back({&spec_.consts[i]});
      declare_name(spec_.consts[i].name, NameKind::Const, static_cast<int>(i), spec_.consts[i].loc);
    }
    // Evaluated lazily (a constant may use one declared after it), but every one is evaluated,
    // so an error in an unused constant is still reported.
    for (std::size_t i = 0; i < consts_.size(); ++i)
      guarded([&] { const_value(static_cast<int>(i), spec_.consts[i].loc); });
  }

  int64_t const_value(int index, SourceLoc use) {
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

  int64_t eval_const(const ast::Expr& e, const char* context, const Scope* outer = nullptr) {
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

  Interval const_range(const ast::Range& r, const char* context, const Scope* outer = nullptr) {
    Interval out;
    out.lo = eval_const(*r.lo, context, outer);
    out.hi = eval_const(*r.hi, context, outer);
    if (out.lo < -kMaxValue || out.hi >= kMaxValue)
      abort_at(r.lo->loc, std::string(context) + " must lie within -2^31..2^31-1");
    if (out.hi < out.lo)
      abort_at(r.lo->loc, "empty range " + std::to_string(out.lo) + ".." + std::to_string(out.hi));
    return out;
  }

  void declare_enums() {
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

  // What an expression of constants was written as: a time literal, a constant defined by one,
  // or a sum of them (a time of day plus a duration is a time of day); Plain for anything else.
  TimeKind written_as(const ast::Expr& e, int depth) const {
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

  void declare_params() {
    for (const auto& p : spec_.params) {
      Param param;
      param.name = p.name;
      param.loc = p.loc;
      for (const ast::Expr* e : {p.default_value.get(), p.range.lo.get(), p.range.hi.get()})
        if (e && param.time == TimeKind::Plain) param.time = written_as(*e, 0);
      int index = static_cast<int>(model_.params.size());
      guarded([&] {
        Interval r = const_range(p.range, "a parameter's range");
        param.lo = r.lo;
        param.hi = r.hi;
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
      if (value < p.lo || value > p.hi) {
        diags_.error({}, "--set " + name + "=" + std::to_string(value) + ": outside its range " +
                             std::to_string(p.lo) + ".." + std::to_string(p.hi));
        continue;
      }
      p.value = value;
    }
  }

  void declare_channels() {
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

  // Resolves a variable's declared type to (ValueType, enum id, lo, hi).
  void resolve_type(const ast::TypeRef& t, ValueType& type, int& enum_id, Interval& range) {
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

  VarInfo add_var_slots(const ast::Var& v, const std::string& prefix, int instance) {
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

  void declare_global_vars() {
    for (const auto& v : spec_.vars) {
      guarded([&] {
        VarInfo info = add_var_slots(v, "", -1);
        declare_name(v.name, NameKind::Var, static_cast<int>(global_vars_.size()), v.loc);
        global_vars_.push_back(info);
      });
    }
  }

  void declare_machines() {
    for (const auto& m : spec_.machines) {
      MachineInfo info;
      info.decl = &m;
      declare_name(m.name, NameKind::Machine, static_cast<int>(machines_.size()), m.loc);
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

  int declare_instance(const ast::Machine& m, const std::string& name) {
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

  Scope machine_scope(const MachineInfo& info, std::size_t copy) {
    Scope scope;
    scope.instance = info.instances[copy];
    scope.machine = info.decl;
    if (info.indexed) scope.bound.push_back({info.decl->index_name, info.index_lo + static_cast<int64_t>(copy)});
    return scope;
  }

  void lower_var_init(const ast::Var& v, const VarInfo& info, const Scope& base) {
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

  void check_in_range(int slot, int64_t v, SourceLoc loc) {
    const Slot& s = model_.slots[slot];
    if (s.type == ValueType::Int && (v < s.lo || v > s.hi))
      abort_at(loc, "value " + std::to_string(v) + " is outside " + s.name + "'s range " +
                        std::to_string(s.lo) + ".." + std::to_string(s.hi));
  }

  void lower_initial_values() {
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

  void lower_machine_bodies() {
    for (const auto& info : machines_) {
      for (std::size_t c = 0; c < info.instances.size(); ++c) {
        Scope scope = machine_scope(info, c);
        Instance& inst = model_.instances[scope.instance];
        for (const auto& s : info.decl->states) {
          if (!s.invariant) continue;
          guarded([&] {
            Scope inv = scope;
            inv.context = "an invariant";
            Expr e = lower_bool(*s.invariant, inv);
            check_invariant_shape(e);
            const auto at = states_[scope.instance].find(s.name);
            if (at != states_[scope.instance].end()) inst.locations[at->second].invariant = std::move(e);
          });
        }
        for (const auto& e : info.decl->edges) guarded([&] { lower_edge(e, scope); });
      }
    }
  }

  int location_index(int instance, const std::string& name, SourceLoc loc) {
    const auto at = states_[instance].find(name);
    if (at != states_[instance].end()) return at->second;
    abort_at(loc, "'" + name + "' is not a state of machine '" + model_.instances[instance].machine + "'");
  }

  void lower_edge(const ast::Edge& e, const Scope& machine) {
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

  Expr lower_target(const ast::Expr& e, const Scope& scope) {
    Expr t = lower_expr(e, scope, /*allow_clock=*/true);
    if (t.op != Op::Slot && t.op != Op::Element)
      abort_at(e.loc, "only a variable or a clock can be assigned");
    const Slot& s = model_.slots[t.value];
    if (s.kind == Slot::Kind::Location) abort_at(e.loc, "a machine's state changes only through its edges");
    if (s.kind == Slot::Kind::Clock && t.op == Op::Slot && s.instance != scope.instance)
      abort_at(e.loc, "a machine may reset only its own clocks");
    return t;
  }

  void check_assignable(ValueType type, int enum_id, const Expr& value, SourceLoc loc, const std::string& what) {
    if (value.type == ValueType::Clock) abort_at(loc, "a clock's value cannot be stored in a variable");
    if (value.type != type || (type == ValueType::Enum && value.enum_id != enum_id))
      abort_at(loc, std::string("type mismatch: ") + what + " is " + describe_type(type, enum_id) +
                        " but the value is " + describe_type(value.type, value.enum_id));
  }

  std::string describe_type(ValueType t, int enum_id) const {
    if (t == ValueType::Enum && enum_id >= 0) return "of type " + model_.enums[enum_id].name;
    return std::string(type_name(t));
  }

  void lower_assumes() {
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

  void lower_properties() {
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

  // `expect`: which answer is good. `reachable`/`unreachable` only on reachable properties (where
  // they read better than holds/violated), `<= BOUND` only on a maximum.
  void lower_wanted(const ast::Property& p, Property& prop) {
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
      return;
    }
    if (maximum) abort_at(p.expect_loc, "a maximum has a value, not a verdict: write 'expect <= BOUND'");
    const bool reach_word = p.expect == "reachable" || p.expect == "unreachable";
    if (reach_word && prop.kind != Property::Kind::Reachable)
      abort_at(p.expect_loc, "'expect " + p.expect + "' belongs to a reachable property; write holds or violated");
    prop.wanted = p.expect == "holds" || p.expect == "reachable" ? Property::Wanted::Holds : Property::Wanted::Violated;
  }

  void finish_clocks() {
    for (int slot : bound_clocks(model_))
      diags_.error(model_.slots[slot].loc, "clock '" + model_.slots[slot].name + "' is compared with values beyond 2^31");
  }

  // Invariants are conjunctions of clock upper bounds (t <= e, t < e) and clock-free conditions,
  // so that a condition true before and after a delay is true throughout it.
  void check_invariant_shape(const Expr& e) {
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

  static bool mentions_clock(const Expr& e) {
    if (e.type == ValueType::Clock) return true;
    for (const auto& k : e.kids)
      if (mentions_clock(k)) return true;
    return false;
  }

  // ---- expressions ----
  // Where an expression starts: its leftmost operand (a binary node is located at its operator).
  static SourceLoc start_of(const ast::Expr& e) {
    using K = ast::Expr::Kind;
    if ((e.kind == K::Binary || e.kind == K::Ternary || e.kind == K::Index) && !e.kids.empty()) return start_of(*e.kids[0]);
    return e.loc;
  }
  Expr lower_bool(const ast::Expr& e, const Scope& scope) {
    Expr out = lower_expr(e, scope);
    if (out.type != ValueType::Bool)
      abort_at(start_of(e), std::string(scope.context) + " must be a condition (bool), not " + describe_type(out.type, out.enum_id));
    return out;
  }
  Expr lower_int(const ast::Expr& e, const Scope& scope) {
    Expr out = lower_expr(e, scope);
    if (out.type != ValueType::Int)
      abort_at(start_of(e), std::string(scope.context) + " must be an integer, not " + describe_type(out.type, out.enum_id));
    return out;
  }

  Expr make_binary(Op op, ValueType type, SourceLoc loc, Expr a, Expr b) {
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

  Expr lower_expr(const ast::Expr& e, const Scope& scope, bool allow_clock = false) {
    Expr out = lower_any(e, scope);
    if (out.type == ValueType::Clock && !allow_clock)
      abort_at(start_of(e), "a clock can only be compared with a clock-free expression (t <= e) or reset (t := e)");
    return out;
  }

  Expr lower_any(const ast::Expr& e, const Scope& scope) {
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
          if (a.is_const()) return Expr::constant(-a.value, ValueType::Int, e.loc);
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

  Expr lower_binary(const ast::Expr& e, const Scope& scope) {
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

  Expr slot_expr(int slot, SourceLoc loc) {
    Expr e;
    e.op = Op::Slot;
    e.value = slot;
    e.type = model_.slots[slot].type;
    e.enum_id = model_.slots[slot].enum_id;
    e.loc = loc;
    return e;
  }

  void require_state(const Scope& scope, SourceLoc loc, const std::string& name) {
    if (!scope.state_allowed)
      abort_at(loc, std::string(scope.context) + " cannot read '" + name + "': only constants" +
                        (scope.params_allowed ? " and parameters" : "") + " are allowed here");
  }

  Expr var_expr(const VarInfo& v, const std::string& name, SourceLoc loc, const Scope& scope) {
    require_state(scope, loc, name);
    if (v.size) abort_at(loc, "'" + name + "' is an array; give an index, as in " + name + "[0]");
    return slot_expr(v.first_slot, loc);
  }

  // An integer-valued leaf that refers to something by index: a choose input or a parameter.
  static Expr leaf(Op op, int64_t index, SourceLoc loc) {
    Expr out = Expr::constant(index, ValueType::Int, loc);
    out.op = op;
    return out;
  }

  Expr lower_name(const ast::Expr& e, const Scope& scope) {
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
      std::string hint;
      if (scope.instance < 0 && is_local_somewhere(e.name)) hint = "; a machine's variable is read as Machine." + e.name;
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

  bool is_local_somewhere(const std::string& name) const {
    for (const auto& l : locals_)
      if (l.count(name)) return true;
    return false;
  }

  // The instance that `base` names: `M` for a single machine or `M[k]` for a copy.
  int resolve_instance(const ast::Expr& base, const Scope& scope) {
    const ast::Expr* name = &base;
    const ast::Expr* index = nullptr;
    if (base.kind == ast::Expr::Kind::Index) {
      name = base.kids[0].get();
      index = base.kids[1].get();
    }
    if (name->kind != ast::Expr::Kind::Name) abort_at(base.loc, "expected a machine name before '.'");
    auto it = globals_.find(name->name);
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

  Expr lower_member(const ast::Expr& e, const Scope& scope) {
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

  Expr lower_index(const ast::Expr& e, const Scope& scope) {
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
    if (!var) abort_at(base.loc, "'" + (name.empty() ? std::string("this") : name) + "' is not an array variable");
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
};

}  // namespace

Model lower(const ast::Spec& spec, Diagnostics& diags, const LowerOptions& options) {
  Lowerer lowerer(spec, diags, options);
  return lowerer.run();
}

namespace {

// A spec is UTF-8 text (non-ASCII is fine in comments); anything else is refused up front with
// one message instead of a screenful of lexer errors.
void check_is_text(const SourceFile& file) {
  const std::string& text = file.text();
  if (text.find('\0') != std::string::npos)
    throw InputError(file.path() + ": error: this is not a text file (it contains NUL bytes); a spec is UTF-8 text\n");
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) {
      char byte[8];
      std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(text[i]));
      throw InputError(render_diagnostic(file, {file.location_of(i), std::string("invalid UTF-8 (byte ") + byte +
                                                                         "); a spec is UTF-8 text"}));
    }
    i += length;
  }
}

}  // namespace

Model load_model_from_text(const std::string& path, const std::string& text, const LowerOptions& options) {
  SourceFile file(path, text);
  check_is_text(file);
  Diagnostics diags(file);
  Model model;
  try {
    ast::Spec spec = parse(file, diags);
    if (!diags.has_errors()) model = lower(spec, diags, options);  // no cascades from a broken parse
  } catch (const TooManyErrors&) {
  }
  if (diags.has_errors()) throw InputError(diags.render());
  return model;
}

Model load_model(const std::string& path, const LowerOptions& options) {
  constexpr std::size_t kMaxSpecBytes = 8u << 20;
  return load_model_from_text(path, read_input_file(path, "spec file", kMaxSpecBytes), options);
}

}  // namespace interlock

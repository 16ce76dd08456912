// The lowered model: names resolved, types checked, indexed machines expanded, every piece of
// state given a slot with a finite range. The explicit engine and the symbolic engines both read
// this, so they share one meaning of the spec.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/diagnostics.h"
#include "model/time_literals.h"

namespace interlock {

enum class ValueType : uint8_t { Int, Bool, Enum, Clock };

// A typed, resolved expression. Params stay symbolic (Op::Param) so that the Z3 engines can
// leave them free; the explicit engine substitutes their values when it compiles the expression.
struct Expr {
  enum class Op : uint8_t {
    Const, Param, Slot, Element, Choose,
    Neg, Not, Add, Sub, Mul, Div, Mod,
    Lt, Le, Gt, Ge, Eq, Ne, And, Or, Implies, Ite,
  };
  Op op = Op::Const;
  ValueType type = ValueType::Int;
  int enum_id = -1;   // for ValueType::Enum
  int64_t value = 0;  // Const: the value; Param: param index; Slot: slot index;
                      // Element: first slot of the array; Choose: scratch index
  int size = 0;       // Element: array length
  SourceLoc loc;
  std::vector<Expr> kids;  // Element: the index expression; operators: operands

  static Expr constant(int64_t v, ValueType t = ValueType::Int, SourceLoc loc = {}) {
    Expr e;
    e.op = Op::Const;
    e.type = t;
    e.value = v;
    e.loc = loc;
    return e;
  }
  bool is_const() const { return op == Op::Const; }
};

// The comparison that is true exactly when `op` is false (Lt -> Ge, Eq -> Ne, ...); Op::Const
// when `op` is not a comparison.
Expr::Op negated_comparison(Expr::Op op);

// Whether two expressions are the same tree (their places in the source aside).
bool same_expr(const Expr& a, const Expr& b);

struct Slot {
  enum class Kind : uint8_t { Location, Var, Clock };
  Kind kind = Kind::Var;
  std::string name;  // as a user writes it: "queued", "RSC.tx", "Link[2].count", "seen[3]"
  int64_t lo = 0, hi = 0;  // a Clock's hi is its saturation value: one above its largest constant
  ValueType type = ValueType::Int;
  int enum_id = -1;
  int instance = -1;  // owning machine instance, -1 for globals
  SourceLoc loc;
};

struct Location {
  std::string name;
  SourceLoc loc;
  bool urgent = false;
  std::optional<Expr> invariant;
};

struct Instance {
  std::string name;  // "RSC" or "Link[2]"
  std::string machine;  // the declared machine's name: "Link"
  int location_slot = 0;
  int initial = 0;
  std::vector<Location> locations;
  std::vector<int> edges;  // indexes into Model::edges, in declaration order
};

struct Channel {
  std::string name;
  bool broadcast = false;
};

struct ChooseVar {
  std::string name;
  Expr lo, hi;
  int scratch = 0;
};

struct Update {
  Expr target;  // Op::Slot or Op::Element of a Var or Clock slot
  Expr value;
  SourceLoc loc;
};

enum class SyncKind : uint8_t { None, Emit, Receive };

struct Edge {
  int instance = 0;
  int src = 0, dst = 0;
  std::optional<Expr> guard;
  SyncKind sync = SyncKind::None;
  int channel = -1;
  std::vector<ChooseVar> chooses;
  std::vector<Update> updates;
  SourceLoc loc;
  bool asap = false;  // no tick while it is due (Semantics::asap_due)
};

struct Param {
  std::string name;
  int64_t lo = 0, hi = 0;
  std::optional<int64_t> value;  // the default, or what --set gave; empty means free
  SourceLoc loc;
  TimeKind time = TimeKind::Plain;  // what its default (or range) was written as: how values show
};

struct Property {
  enum class Kind { Invariant, Reachable, DeadlockFree, Response, Maximum };
  Kind kind = Kind::Invariant;
  std::string name;
  SourceLoc loc;
  std::optional<Expr> a, b, within;
  bool delay = false;  // a Maximum of the time from a state where a holds until b holds
  // The answer a correct system gives (`expect ...`, docs/language.md "Properties"). Default: the
  // verdict holds is wanted for every kind but maximum, which has no wanted value unless AtMost.
  enum class Wanted { Holds, Violated, AtMost, Nothing };
  Wanted wanted = Wanted::Holds;
  bool wanted_written = false;        // the spec wrote `expect`
  std::optional<Expr> wanted_bound;   // AtMost: the largest good value (constants and parameters)
};

struct EnumInfo {
  std::string name;
  std::vector<std::string> values;
};

struct Model {
  std::string system;
  std::string time_unit = "ticks";  // plural, as written after `in`: one tick is one of these
  // Clock time (docs/language.md, "Time literals"). tick_seconds > 0 when the unit is seconds,
  // minutes or hours and the spec writes a time literal or names its calendar: durations then
  // show as "1 h 5 min". calendar != None when, besides, time 0 is midnight (a time of day is
  // written, or the calendar is named): times then show as "02:30", "day 2 01:50", "Tue 01:50".
  int64_t tick_seconds = 0;
  Calendar calendar = Calendar::None;
  // The spec's timers (model/timers.h), compiled into machines on one wall clock, `Wall`, whose
  // period is timer_period ticks (a day or a week); empty and 0 without timers.
  std::vector<std::string> timers;
  int64_t timer_period = 0;
  std::string file;  // the spec's path as it is shown: terminal-safe (model/utf8.h); the file is opened by the path given
  std::vector<Slot> slots;
  std::vector<Expr> initial;  // one per slot
  std::vector<Instance> instances;
  std::vector<Edge> edges;
  std::vector<Channel> channels;
  std::vector<Param> params;
  std::vector<Expr> assumes;
  std::vector<SourceLoc> assume_locs;
  std::vector<Property> properties;
  std::vector<EnumInfo> enums;
  int scratch_count = 0;  // choose variables, numbered across all edges

  int find_property(const std::string& name) const {
    for (std::size_t i = 0; i < properties.size(); ++i)
      if (properties[i].name == name) return static_cast<int>(i);
    return -1;
  }
  // A parameter without a value (--free, or no default and no --set): the symbolic engines only.
  bool has_free_params() const {
    for (const Param& p : params)
      if (!p.value) return true;
    return false;
  }
  int find_param(const std::string& name) const {
    for (std::size_t i = 0; i < params.size(); ++i)
      if (params[i].name == name) return static_cast<int>(i);
    return -1;
  }
};

// The model with these parameters at these values (the others keep theirs), or with these
// parameters free (over their ranges): each clock's saturation value follows the parameters it
// is compared with (model/clock_bounds.h), so change parameters only through these. Throws
// InputError for an unknown name, a value out of its range, or a clock bound beyond 2^31.
Model with_params(const Model& model, const std::vector<std::pair<std::string, int64_t>>& values);
Model with_free_params(const Model& model, const std::vector<int>& params);

// Marks every slot `e` reads (an array access: every element of the array).
void mark_reads(const Expr& e, std::vector<bool>& out);
// Per slot, the instances (in order, once each) whose states' invariants read it.
std::vector<std::vector<int>> invariant_readers(const Model& model);
// Whether `e` reads a `choose` value (one picked by the step being taken, not in the state).
bool reads_choose(const Expr& e);

// Formats a slot's value as the user wrote it: true/false, enum names, state names, numbers.
std::string format_value(const Model& model, int slot, int64_t value);

const char* property_kind_name(Property::Kind kind);

// "1 minute", "47 minutes": a number of ticks in the model's unit of time.
std::string time_amount(const Model& model, int64_t ticks);

// "RSC: Idle -> Transmitting [d=5]": an edge with the values its choose clauses took. `known`
// values are given; the others (a step that failed before choosing them) show as "?".
std::string describe_edge(const Model& model, int edge, const int64_t* choices, std::size_t known);
// The name of the array whose first element's slot is named `first_element`: "seen[0]" -> "seen",
// "Link[1].buf[0]" -> "Link[1].buf".
std::string array_name(const std::string& first_element);

}  // namespace interlock

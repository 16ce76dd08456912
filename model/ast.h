// The parse tree of a .sched file: what was written, before names and types are resolved.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model/diagnostics.h"
#include "model/time_literals.h"

namespace interlock::ast {

struct Expr;
using ExprP = std::unique_ptr<Expr>;

// How an integer literal was written (TimeKind) and the period the spec's clock times are read in
// (Calendar): model/time_literals.h.
using interlock::Calendar;
using interlock::TimeKind;

struct Expr {
  enum class Kind { Int, Bool, Name, Member, Index, Unary, Binary, Ternary, Quant };
  Kind kind = Kind::Int;
  TimeKind time = TimeKind::Plain;  // Int: how it was written
  SourceLoc loc;
  int64_t value = 0;  // Int, Bool (0/1)
  std::string name;   // Name: the identifier; Member: the field after '.'; Quant: bound name
  std::string op;     // Unary/Binary: operator text; Quant: "forall" or "exists"
  std::vector<ExprP> kids;  // Member: base; Index: base, index; Quant: lo, hi, body
};

struct Range {
  ExprP lo, hi;
};

struct TypeRef {
  enum class Kind { Bool, Range, Named } kind = Kind::Bool;
  Range range;
  std::string name;
  SourceLoc loc;
};

struct Const { std::string name; SourceLoc loc; ExprP value; };
struct Param { std::string name; SourceLoc loc; Range range; ExprP default_value; };
struct Assume { SourceLoc loc; ExprP cond; };
struct EnumType { std::string name; SourceLoc loc; std::vector<std::pair<std::string, SourceLoc>> values; };

struct Var {
  std::string name;
  SourceLoc loc;
  ExprP size;  // array length, or null for a scalar
  TypeRef type;
  ExprP init;                   // one value (for an array: every element)
  std::vector<ExprP> init_list; // `= { a, b, c }` for arrays
  bool has_init_list = false;
};

struct Chan { std::string name; SourceLoc loc; bool broadcast = false; ExprP size; };

struct State { std::string name; SourceLoc loc; bool urgent = false; std::vector<ExprP> invariants; };  // invariants: each as written, all must hold

struct Assignment { SourceLoc loc; ExprP target; ExprP value; };
struct Choose { std::string name; SourceLoc loc; Range range; };
struct Sync { bool emit = false; std::string chan; SourceLoc loc; ExprP index; };

struct Edge {
  SourceLoc loc;
  std::string src, dst;
  SourceLoc src_loc, dst_loc;
  ExprP guard;
  std::vector<Sync> syncs;
  std::vector<Choose> chooses;
  std::vector<Assignment> updates;
  bool asap = false;  // `asap`: time may not pass while the edge can be taken
  SourceLoc asap_loc;
};

struct Machine {
  std::string name;
  SourceLoc loc;
  std::string index_name;  // empty unless `machine Name[i : lo..hi]`
  SourceLoc index_loc;
  Range index_range;
  std::vector<std::pair<std::string, SourceLoc>> clocks;
  std::vector<Var> vars;
  std::vector<State> states;
  std::string init;
  SourceLoc init_loc;
  bool has_init = false;
  std::vector<Edge> edges;
};

struct Property {
  enum class Kind { Invariant, Reachable, DeadlockFree, Response, Maximum } kind = Kind::Invariant;
  std::string name;
  SourceLoc loc;
  ExprP a;       // invariant/reachable condition; response trigger; maximum expression
  ExprP b;       // response target; maximum condition (may be null: always)
  ExprP within;  // response bound, or null
  bool delay = false;  // maximum of the time from a to b (`maximum NAME: a leads_to b`)
  // `expect holds|violated|reachable|unreachable|<= BOUND`: the answer a correct system gives
  std::string expect;  // empty: none written; else the word, or "<=" with expect_bound
  ExprP expect_bound;
  SourceLoc expect_loc;
};

// `timer NAME = cron "30 2 * * *" [when G] emit c!;` or `timer NAME = systemd "OnCalendar=daily",
// "RandomizedDelaySec=1h" ... emit c!;`. model/timers.h compiles each into an ordinary machine.
struct TimerSetting {
  std::string text;  // between the quotes
  SourceLoc loc;     // of the first character inside the quotes (a string is one line of ASCII)
};

struct Timer {
  enum class Kind { Cron, Systemd } kind = Kind::Cron;
  std::string name;
  SourceLoc loc;
  std::vector<TimerSetting> settings;  // cron: one schedule; systemd: "Key=Value" settings
  ExprP gate;                          // `when G`: the timer elapses only while G holds; null: always
  Sync emit;
};

struct Spec {
  std::string system_name;
  std::string time_unit;  // `system NAME in minutes;`: what one tick is; empty for "ticks"
  Calendar calendar = Calendar::None;  // `, daily` or `, weekly` after the unit; None if not said
  bool clock_literals = false;         // a time of day or of the week is written somewhere
  bool duration_literals = false;      // a duration literal is written somewhere
  SourceLoc system_loc;
  std::vector<Const> consts;
  std::vector<Param> params;
  std::vector<Assume> assumes;
  std::vector<EnumType> enums;
  std::vector<Var> vars;
  std::vector<Chan> chans;
  std::vector<Machine> machines;
  std::vector<Property> properties;
  std::vector<Timer> timers;  // compiled into `machines` by expand_timers (model/timers.h) when parsed
  // `Tue 02:30` written in a spec that did not say `, weekly`: an error unless a timer makes the
  // period a week (known only once every timer is read).
  std::vector<std::pair<SourceLoc, std::string>> weekday_literals;
  // Once the timers are compiled: their names, and the wall clock's period in ticks (0: no timer).
  std::vector<std::string> timer_names;
  int64_t timer_period = 0;
  // A timer's `RandomizedDelaySec=NAME`: checked once the names are known (lowering), as a delay
  // written as a number is when the timer is compiled: not negative, and with the rest of the
  // lateness (`extra` ticks: AccuracySec=) shorter than the period.
  struct TimerDelay {
    std::string timer, name;
    SourceLoc loc;
    int64_t extra = 0;
  };
  std::vector<TimerDelay> timer_delays;
};

}  // namespace interlock::ast

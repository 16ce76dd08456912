// Internal to model/: the Lowerer that turns a parsed spec (model/ast.h) into the Model, split
// by what it lowers: lower.cpp (the order of the passes, limits, entry points),
// lower_declarations.cpp (constants, parameters, types, variables, channels, machine copies),
// lower_machines.cpp (states, edges, assumptions, invariants), lower_properties.cpp and
// lower_expressions.cpp. Nothing outside model/ includes it; model/lower.h is the interface.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/ast.h"
#include "model/diagnostics.h"
#include "model/lower.h"
#include "model/model.h"

namespace interlock::lowering {

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

inline const char* type_name(ValueType t) {
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
  void lower_all();

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
  void check_stop() const;
  [[noreturn]] void too_large(SourceLoc loc, const std::string& message);
  void note_work();
  void count_node(const ast::Expr& e);
  void reserve_slots(std::size_t more, SourceLoc loc);

  [[noreturn]] void abort_at(SourceLoc loc, const std::string& message);
  template <class F>
  void guarded(F&& body) {
    try {
      body();
    } catch (const LowerAbort&) {
    }
  }

  void declare_name(const std::string& name, NameKind kind, int index, SourceLoc loc);

  void declare_globals();

  int64_t const_value(int index, SourceLoc use);

  int64_t eval_const(const ast::Expr& e, const char* context, const Scope* outer = nullptr);

  Interval const_range(const ast::Range& r, const char* context, const Scope* outer = nullptr);

  void declare_enums();

  // What an expression of constants was written as: a time literal, a constant defined by one,
  // or a sum of them (a time of day plus a duration is a time of day); Plain for anything else.
  TimeKind written_as(const ast::Expr& e, int depth) const;

  void declare_params();

  // What a global name not declared yet is (a parameter, variable, channel or machine), or null:
  // for the error of a constant that reads one.
  const char* declared_after_constants(const std::string& name) const;

  // RandomizedDelaySec=NAME of each timer (ast::Spec::timer_delays): a parameter or a constant,
  // never negative, shorter than the period with AccuracySec= (its whole range, for a parameter).
  void check_timer_delays();

  void declare_channels();

  // Resolves a variable's declared type to (ValueType, enum id, lo, hi).
  void resolve_type(const ast::TypeRef& t, ValueType& type, int& enum_id, Interval& range);

  VarInfo add_var_slots(const ast::Var& v, const std::string& prefix, int instance);

  void declare_global_vars();

  void declare_machines();

  int declare_instance(const ast::Machine& m, const std::string& name);

  // A machine's index `i` is a name inside it: a clock, variable or state of the machine, or a
  // global it would hide, of the same name is an error (an edge would read one where the other
  // was meant).
  void refuse_index_clashes(const ast::Machine& m);

  Scope machine_scope(const MachineInfo& info, std::size_t copy);

  void lower_var_init(const ast::Var& v, const VarInfo& info, const Scope& base);

  void check_in_range(int slot, int64_t v, SourceLoc loc);

  void lower_initial_values();

  void lower_machine_bodies();

  int location_index(int instance, const std::string& name, SourceLoc loc);

  void lower_edge(const ast::Edge& e, const Scope& machine);

  Expr lower_target(const ast::Expr& e, const Scope& scope);

  void check_assignable(ValueType type, int enum_id, const Expr& value, SourceLoc loc, const std::string& what);

  std::string describe_type(ValueType t, int enum_id) const;

  void lower_assumes();

  void lower_properties();

  // `expect`: which answer is good. `reachable`/`unreachable` only on reachable properties (where
  // they read better than holds/violated), `<= BOUND` only on a maximum.
  void lower_wanted(const ast::Property& p, Property& prop);

  void finish_clocks();

  // Invariants are conjunctions of clock upper bounds (t <= e, t < e) and clock-free conditions,
  // so that a condition true before and after a delay is true throughout it.
  void check_invariant_shape(const Expr& e);

  static bool mentions_clock(const Expr& e);

  // ---- expressions ----
  // Where an expression starts: its leftmost operand (a binary node is located at its operator).
  static SourceLoc start_of(const ast::Expr& e);
  Expr lower_bool(const ast::Expr& e, const Scope& scope);
  Expr lower_int(const ast::Expr& e, const Scope& scope);

  Expr make_binary(Op op, ValueType type, SourceLoc loc, Expr a, Expr b);

  Expr lower_expr(const ast::Expr& e, const Scope& scope, bool allow_clock = false);

  Expr lower_any(const ast::Expr& e, const Scope& scope);

  Expr lower_binary(const ast::Expr& e, const Scope& scope);

  Expr slot_expr(int slot, SourceLoc loc);

  void require_state(const Scope& scope, SourceLoc loc, const std::string& name);

  Expr var_expr(const VarInfo& v, const std::string& name, SourceLoc loc, const Scope& scope);

  // An integer-valued leaf that refers to something by index: a choose input or a parameter.
  static Expr leaf(Op op, int64_t index, SourceLoc loc);

  Expr lower_name(const ast::Expr& e, const Scope& scope);

  bool is_local_somewhere(const std::string& name) const;

  // The instance that `base` names: `M` for a single machine or `M[k]` for a copy.
  int resolve_instance(const ast::Expr& base, const Scope& scope);

  Expr lower_member(const ast::Expr& e, const Scope& scope);

  Expr lower_index(const ast::Expr& e, const Scope& scope);
};

}  // namespace interlock::lowering

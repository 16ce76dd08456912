// interlock's steps as the options of one Promela loop, each a d_step, so that one SPIN
// transition is one interlock step: an internal edge, a rendezvous pair, a broadcast with one
// choice of receivers, for each value of every `choose`, and the tick. A choose is unrolled into
// one option per value, counted from its lower bound (the bounds are read in the state before
// the step), up to `choose_limit` values; a wider range at run time fails the assertion
// within_export_limits. An action whose result breaks a state invariant is undone inside its
// d_step (a step back to the same state, which SPIN does not count as a new one). Wherever
// interlock reports a model error, the option fails the assertion no_model_error.
#pragma once

#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include "model/model.h"
#include "solver/export/promela_expr.h"
#include "solver/export/promela_names.h"

namespace interlock {

class PromelaSteps {
 public:
  PromelaSteps(const Model& model, PromelaNames& names, const PromelaExpr& expr, int choose_limit);

  // The `#define`s the options use (invariants_hold, invariants_fault, time_stopped, ...).
  const std::string& macros() const { return macros_; }
  // The options of the loop: the model errors of guards and choose ranges, the actions, the tick.
  const std::string& options() const { return options_; }
  // The temporaries the options use: ints, each 0 between steps, so no state differs by them.
  const std::vector<std::string>& temporaries() const { return temporaries_; }

  static constexpr int kMaxOptions = 20000;  // more d_steps than SPIN's C compile handles quickly

 private:
  // One edge with every choose fixed: the condition under which it can be taken (in the state
  // before the step) and the choose values.
  struct EdgeOption {
    int edge = 0;
    std::string enabled;
    ChooseValues values;
  };
  struct EdgeInfo {
    std::vector<EdgeOption> options;
    std::vector<std::string> fault_clauses;  // each true when evaluating the edge fails
    std::vector<std::string> limit_clauses;  // each true when a choose range exceeds the limit
  };
  void unroll(int edge, std::size_t k, ChooseValues& values, std::vector<std::string>& conditions, EdgeInfo& info);
  void write_invariant_macros(std::ostream& out);
  void write_edge_faults(std::ostream& out);
  void write_internal_actions(std::ostream& out);
  void write_rendezvous(std::ostream& out, int emitter);
  void write_broadcasts(std::ostream& out, int emitter);
  void write_action(std::ostream& out, const std::vector<const EdgeOption*>& edges, const std::string& guard);
  void write_update(std::ostream& out, const Update& u, const ChooseValues& values, const std::string& step,
                    const std::string& undo);
  void write_fault_check(std::ostream& out, const std::string& condition, const std::string& message,
                         const std::string& undo);
  void write_tick(std::ostream& out);
  std::string at_source(int edge) const;
  std::string describe(int edge) const;
  std::string temporary(std::size_t n);
  void count_option(SourceLoc loc);
  [[noreturn]] void too_many(SourceLoc loc) const;

  const Model& model_;
  PromelaNames& names_;
  const PromelaExpr& expr_;
  int choose_limit_;
  std::vector<EdgeInfo> edges_;
  std::string macros_, options_;
  std::vector<std::string> temporaries_;
  bool has_invariants_ = false;
  bool invariants_may_fault_ = false;
  int labels_ = 0;
  int option_count_ = 0;
  bool step_may_fail_ = false;  // while writing one action: some check in it may undo it
};

}  // namespace interlock

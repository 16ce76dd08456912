#include "solver/z3/prover_hint.h"

#include <functional>
#include <vector>

#include "solver/z3/bmc_engine.h"

namespace interlock {

namespace {

constexpr std::size_t kSharedClockBounds = 3;  // a clock compared with this many bounds is shared
constexpr std::size_t kNamesShown = 4;

// The clock compared with the most different bounds in guards and invariants, and how many.
std::pair<int, std::size_t> most_compared_clock(const Model& model) {
  std::vector<std::vector<const Expr*>> bounds(model.slots.size());
  std::function<void(const Expr&)> walk = [&](const Expr& e) {
    using Op = Expr::Op;
    const bool comparison = e.op == Op::Lt || e.op == Op::Le || e.op == Op::Gt || e.op == Op::Ge || e.op == Op::Eq || e.op == Op::Ne;
    for (int side = 0; comparison && side < 2; ++side) {
      const Expr& clock = e.kids[side];
      if (clock.op != Op::Slot || model.slots[clock.value].kind != Slot::Kind::Clock) continue;
      std::vector<const Expr*>& seen = bounds[clock.value];
      bool known = false;
      for (const Expr* b : seen) known = known || same_expr(*b, e.kids[1 - side]);
      if (!known) seen.push_back(&e.kids[1 - side]);
    }
    for (const Expr& k : e.kids) walk(k);
  };
  for (const Edge& edge : model.edges)
    if (edge.guard) walk(*edge.guard);
  for (const Instance& inst : model.instances)
    for (const Location& l : inst.locations)
      if (l.invariant) walk(*l.invariant);
  std::pair<int, std::size_t> best{-1, 0};
  for (std::size_t s = 0; s < bounds.size(); ++s)
    if (bounds[s].size() > best.second) best = {static_cast<int>(s), bounds[s].size()};
  return best;
}

std::string free_parameters(const Model& model, std::size_t& count) {
  std::string names;
  count = 0;
  for (const Param& p : model.params) {
    if (p.value) continue;
    if (++count <= kNamesShown) names += (names.empty() ? "" : ", ") + p.name;
  }
  if (count > kNamesShown) names += ", ...";
  return names;
}

}  // namespace

std::string prover_hint(const Model& model, const Property& property, const std::string& engine, ProverStop stop, int depth) {
  std::vector<std::string> tries;
  const bool liveness = property.kind == Property::Kind::Response && !property.within;
  const bool kind_fits = property.kind == Property::Kind::Invariant || (property.kind == Property::Kind::Response && !liveness);
  std::size_t free_count = 0;
  const std::string free_names = free_parameters(model, free_count);

  if (stop == ProverStop::Division) tries.push_back("values for the divisor's parameters (--set P=V)");
  if (stop == ProverStop::Nonlinear) tries.push_back("values (--set P=V) for the parameters that multiply each other");
  if (stop == ProverStop::NotInductive)
    tries.push_back("a larger --depth (k-induction went to k = " + std::to_string(depth) + ")");
  const bool out_of_room = stop == ProverStop::Timeout || stop == ProverStop::Memory;
  if (free_count >= 2 && (out_of_room || stop == ProverStop::NotInductive))
    tries.push_back("fewer free parameters: " + std::to_string(free_count) + " are free (" + free_names +
                    "); --free P for only those the question is about keeps the others at their values");
  if (engine == "chc" && out_of_room) {
    const auto [clock, count] = most_compared_clock(model);
    if (clock >= 0 && count >= kSharedClockBounds)
      tries.push_back("a clock of its own for each timer or deadline: Spacer finds invariants more easily than when " +
                      std::to_string(count) + " different bounds are compared with one clock, as " + model.slots[clock].name +
                      " is here");
  }
  if (engine == "chc" && kind_fits) tries.push_back("--engine kind");
  if (engine == "kind") tries.push_back("--engine chc");
  const std::string depth_text = "--engine bmc --depth " + std::to_string(2 * BmcEngine::kDefaultDepth);
  if (property.kind == Property::Kind::Reachable) tries.push_back(depth_text + " to look for a witness");
  else if (liveness) tries.push_back(depth_text + " to look for a run where time passes forever without the target");
  else tries.push_back(depth_text + " to look for a violation");
  if (stop == ProverStop::Timeout) tries.push_back("a longer --timeout");
  if (stop == ProverStop::Memory) tries.push_back("a larger --memory");

  std::string out = "try ";
  for (std::size_t i = 0; i < tries.size(); ++i) out += (i == 0 ? "" : "; or ") + tries[i];
  return out;
}

std::string with_prover_hint(const std::string& detail, const Model& model, const Property& property,
                             const std::string& engine, ProverStop stop, int depth) {
  if (stop == ProverStop::Interrupted) return detail;
  return detail + " (" + prover_hint(model, property, engine, stop, depth) + ")";
}

std::string engines_for_kind(Property::Kind kind) {
  const char* engines = kind == Property::Kind::Reachable ? "bmc or the explicit engine" : "the explicit engine";
  return std::string("use ") + engines + " for " + property_kind_name(kind) + " properties";
}

}  // namespace interlock

// The state-space part of lint (lint.h): what a search of every reachable state never saw.
#include <algorithm>
#include <map>
#include <optional>
#include <tuple>

#include "model/cone.h"
#include "model/dead_clocks.h"
#include "model/utf8.h"
#include "solver/explicit/explorer.h"
#include "solver/lint/lint.h"
#include "solver/lint/lint_names.h"
#include "solver/lint/surely.h"

namespace interlock {
namespace {

using Op = Expr::Op;

// What lint watches for each property: the conditions that must be true somewhere for the
// property to say anything (an invariant's premises, a response's trigger, a maximum's condition).
struct Premises {
  enum class Kind { None, Premise, Trigger, Condition, Start } kind = Kind::None;
  std::size_t watch = 0;   // index into Plan::watch: true where some premise is
  std::size_t count = 1;   // how many premises (an invariant's conjunction of implications)
  const Expr* first = nullptr;  // the first of them, to name
};

struct Plan {
  std::vector<Expr> watch;
  std::vector<Premises> premises;  // parallel to the properties

  std::size_t add(const Expr& e) {
    for (std::size_t k = 0; k < watch.size(); ++k)
      if (same_expr(watch[k], e)) return k;
    watch.push_back(e);
    return watch.size() - 1;
  }
};

// An invariant that is a conjunction of implications (`forall i : A(i) => B(i)` too): their
// premises; empty when it has another shape.
bool implication_premises(const Expr& e, std::vector<const Expr*>& out) {
  if (e.op == Op::And) return implication_premises(e.kids[0], out) && implication_premises(e.kids[1], out);
  if (e.op == Op::Implies) {
    out.push_back(&e.kids[0]);
    return true;
  }
  return e.is_const() && e.value != 0;  // a term folded to true says nothing either way
}

Plan make_plan(const Model& model, const std::vector<int>& properties) {
  Plan plan;
  for (int index : properties) {
    const Property& p = model.properties[static_cast<std::size_t>(index)];
    Premises premises;
    switch (p.kind) {
      case Property::Kind::Invariant: {
        std::vector<const Expr*> found;
        if (p.a && implication_premises(*p.a, found) && !found.empty()) {
          premises.kind = Premises::Kind::Premise;
          premises.count = found.size();
          premises.first = found[0];
          // One condition, true where any premise is, as a balanced tree: evaluated once per
          // state (until it is true), however many premises a quantifier made.
          std::vector<Expr> terms;
          for (const Expr* e : found) terms.push_back(*e);
          while (terms.size() > 1) {
            std::vector<Expr> joined;
            for (std::size_t k = 0; k + 1 < terms.size(); k += 2) {
              Expr either;
              either.op = Op::Or;
              either.type = ValueType::Bool;
              either.loc = terms[k].loc;
              either.kids.push_back(std::move(terms[k]));
              either.kids.push_back(std::move(terms[k + 1]));
              joined.push_back(std::move(either));
            }
            if (terms.size() % 2) joined.push_back(std::move(terms.back()));
            terms.swap(joined);
          }
          premises.watch = plan.add(terms[0]);
        }
        break;
      }
      case Property::Kind::Response:
        premises.kind = Premises::Kind::Trigger;
        premises.watch = plan.add(*p.a);
        premises.first = &*p.a;
        break;
      case Property::Kind::Maximum:
        if (p.delay) {
          premises.kind = Premises::Kind::Start;
          premises.watch = plan.add(*p.a);
          premises.first = &*p.a;
        } else if (p.b) {
          premises.kind = Premises::Kind::Condition;
          premises.watch = plan.add(*p.b);
          premises.first = &*p.b;
        }
        break;
      default:
        break;
    }
    plan.premises.push_back(std::move(premises));
  }
  return plan;
}

// Three-valued: what `e` is known to be while instance `inst` is in location `loc`, knowing
// nothing else (a location test of that instance is decided; everything else is unknown).

Tri when_in(const Model& model, const Expr& e, int inst, int loc) {
  switch (e.op) {
    case Op::Const:
      return e.type == ValueType::Bool ? (e.value ? Tri::True : Tri::False) : Tri::Unknown;
    case Op::Not:
      return tri_not(when_in(model, e.kids[0], inst, loc));
    case Op::And:
    case Op::Or:
    case Op::Implies:
      return tri_connective(e.op, when_in(model, e.kids[0], inst, loc), when_in(model, e.kids[1], inst, loc));
    case Op::Ite:
      return tri_choice(when_in(model, e.kids[0], inst, loc), when_in(model, e.kids[1], inst, loc), when_in(model, e.kids[2], inst, loc));
    case Op::Eq:
    case Op::Ne: {
      const Expr& s = e.kids[0];
      const Expr& v = e.kids[1];
      if (s.op != Op::Slot || !v.is_const()) return Tri::Unknown;
      const Slot& slot = model.slots[static_cast<std::size_t>(s.value)];
      if (slot.kind != Slot::Kind::Location || slot.instance != inst) return Tri::Unknown;
      const bool equal = v.value == loc;
      return (equal == (e.op == Op::Eq)) ? Tri::True : Tri::False;
    }
    default:
      return Tri::Unknown;
  }
}

// The warnings of a search that expanded every reachable state. `holds[k]`: properties[k] is an
// invariant known to hold; `at_start[k]`: properties[k] is a reachable property the initial state
// satisfies.
std::vector<LintWarning> lint_space(const Model& model, const std::vector<int>& properties, const Plan& plan,
                                    const Coverage& coverage, const std::vector<bool>& holds, const SpecText& text) {
  std::vector<LintWarning> out;
  const LintNames names(model);
  // Edges the parameters' values switch off (an option left off) are not reported, nor are
  // states only they lead to.
  std::vector<int> every_param;
  for (std::size_t p = 0; p < model.params.size(); ++p) every_param.push_back(static_cast<int>(p));
  std::vector<bool> off(model.edges.size(), false);
  try {
    const Model open = with_free_params(model, every_param);
    for (std::size_t e = 0; e < model.edges.size(); ++e) off[e] = switched_off(model, open, static_cast<int>(e));
  } catch (const InputError&) {
    // A parameter's range too wide for a clock's bound: nothing is known to be switched off.
  }
  const std::string where = " in the " + std::to_string(coverage.states) + " reachable states" +
                            (coverage.orbits ? " (counted up to symmetry)" : "");
  // Entered: the initial state, and the target of every edge taken.
  std::vector<std::vector<bool>> entered(model.instances.size());
  for (std::size_t i = 0; i < model.instances.size(); ++i) {
    entered[i].assign(model.instances[i].locations.size(), false);
    entered[i][static_cast<std::size_t>(model.instances[i].initial)] = true;
  }
  for (std::size_t e = 0; e < model.edges.size(); ++e)
    if (e < coverage.edges_taken.size() && coverage.edges_taken[e])
      entered[static_cast<std::size_t>(model.edges[e].instance)][static_cast<std::size_t>(model.edges[e].dst)] = true;

  // A state no copy enters, unless every copy is kept out of it by an invariant that holds: then
  // its absence is what a checked property says, not a surprise.
  auto forbidden = [&](int inst, int loc) {
    for (std::size_t k = 0; k < properties.size(); ++k) {
      const Property& p = model.properties[static_cast<std::size_t>(properties[k])];
      if (holds[k] && p.kind == Property::Kind::Invariant && p.a && when_in(model, *p.a, inst, loc) == Tri::False) return true;
    }
    return false;
  };
  // Machines in declaration order; a machine with copies once, for all of them.
  std::map<std::string, std::vector<int>> copies;
  std::vector<std::string> order;
  for (std::size_t i = 0; i < model.instances.size(); ++i) {
    const std::string name = names.machine(static_cast<int>(i));
    if (copies[name].empty()) order.push_back(name);
    copies[name].push_back(static_cast<int>(i));
  }
  for (const std::string& name : order) {
    const std::vector<int>& group = copies[name];
    const Instance& first = model.instances[static_cast<std::size_t>(group[0])];
    // The machines a timer compiles into are the compilation's: whether a timer fires shows in
    // the machines that receive its channel.
    const bool generated = (model.timer_period > 0 && first.machine == "Wall") ||
                           std::find(model.timers.begin(), model.timers.end(), first.machine) != model.timers.end();
    if (generated) continue;
    const bool several = group.size() > 1;
    auto any_entered = [&](int loc) {
      for (int i : group)
        if (entered[static_cast<std::size_t>(i)][static_cast<std::size_t>(loc)]) return true;
      return false;
    };
    // Some edge leads into the state, and every one, in every copy, is switched off by the parameters.
    auto only_switched_off = [&](int loc) {
      bool some = false;
      for (int i : group) {
        if (model.instances[static_cast<std::size_t>(i)].initial == loc) return false;
        for (int e : model.instances[static_cast<std::size_t>(i)].edges) {
          if (model.edges[static_cast<std::size_t>(e)].dst != loc) continue;
          if (!off[static_cast<std::size_t>(e)]) return false;
          some = true;
        }
      }
      return some;
    };
    for (std::size_t l = 0; l < first.locations.size(); ++l) {
      if (any_entered(static_cast<int>(l)) || only_switched_off(static_cast<int>(l))) continue;
      bool explained = true;
      for (int i : group) explained = explained && forbidden(i, static_cast<int>(l));
      if (explained) continue;
      LintWarning w;
      w.kind = LintWarning::Kind::NeverEntered;
      w.loc = first.locations[l].loc;
      w.message = name + ": state " + first.locations[l].name + " is never entered" + (several ? " by any copy" : "") + where;
      if (!text.suppressed(w.loc)) out.push_back(std::move(w));
    }
    // Edges, by their place in the spec (the copies of one edge share it).
    std::map<std::tuple<int, int>, std::size_t> edge_at;
    struct Item {
      int edge;  // the first copy's
      bool taken = false;
      bool off = true;  // every copy is switched off by the parameters
    };
    std::vector<Item> items;
    for (int i : group)
      for (int e : model.instances[static_cast<std::size_t>(i)].edges) {
        const Edge& edge = model.edges[static_cast<std::size_t>(e)];
        auto [it, fresh] = edge_at.try_emplace({edge.loc.line, edge.loc.col}, items.size());
        if (fresh) items.push_back({e});
        items[it->second].taken = items[it->second].taken || coverage.edges_taken[static_cast<std::size_t>(e)];
        items[it->second].off = items[it->second].off && off[static_cast<std::size_t>(e)];
      }
    for (const Item& item : items) {
      const Edge& edge = model.edges[static_cast<std::size_t>(item.edge)];
      // An edge out of a state never entered, or into one, says nothing more than the state does.
      if (item.taken || item.off || !any_entered(edge.src) || !any_entered(edge.dst)) continue;
      LintWarning w;
      w.kind = LintWarning::Kind::NeverTaken;
      w.loc = edge.loc;
      w.message = names.edge(item.edge) + " is never taken" + (several ? " by any copy" : "") + where;
      if (!text.suppressed(w.loc)) out.push_back(std::move(w));
    }
  }

  for (std::size_t k = 0; k < properties.size(); ++k) {
    const Premises& premises = plan.premises[k];
    if (premises.kind == Premises::Kind::None) continue;
    if (coverage.watched[premises.watch] != Coverage::Seen::Never) continue;
    const Property& p = model.properties[static_cast<std::size_t>(properties[k])];
    const std::string first = text.expr(model, *premises.first);
    LintWarning w;
    w.kind = LintWarning::Kind::Vacuous;
    w.loc = p.loc;
    switch (premises.kind) {
      case Premises::Kind::Premise:
        w.message = "invariant '" + p.name + "' holds vacuously: " +
                    (premises.count == 1 ? "its premise " + first + " is never true"
                                         : "none of its " + std::to_string(premises.count) +
                                                      " premises is ever true (the first is " + first + ")") + where;
        break;
      case Premises::Kind::Trigger:
        w.message = "response '" + p.name + "' holds vacuously: its trigger " + first + " is never true" + where;
        break;
      case Premises::Kind::Condition:
        w.message = "maximum '" + p.name + "' has no value: its condition " + first + " is never true" + where;
        break;
      case Premises::Kind::Start:
        w.message = "maximum '" + p.name + "' measures nothing: its start " + first + " is never true" + where;
        break;
      case Premises::Kind::None:
        break;
    }
    if (!text.suppressed(w.loc)) out.push_back(std::move(w));
  }
  return out;
}

LintWarning at_start_warning(const Property& p) {
  LintWarning w;
  w.kind = LintWarning::Kind::AtStart;
  w.loc = p.loc;
  w.message = "reachable '" + p.name + "' holds in the initial state: its witness has no steps, so it says nothing "
              "about what the system does";
  return w;
}

bool has_free_param(const Model& model, std::string& names) {
  for (const Param& p : model.params)
    if (!p.value) names += (names.empty() ? "" : ", ") + p.name;
  return !names.empty();
}

}  // namespace

const char* lint_kind_name(LintWarning::Kind kind) {
  switch (kind) {
    case LintWarning::Kind::Skippable: return "skippable";
    case LintWarning::Kind::WaitsForever: return "waits-for-ever";
    case LintWarning::Kind::NeverEntered: return "never-entered";
    case LintWarning::Kind::NeverTaken: return "never-taken";
    case LintWarning::Kind::Vacuous: return "vacuous";
    case LintWarning::Kind::AtStart: return "at-start";
  }
  return "?";
}

std::shared_ptr<const CoverageRequest> lint_request(const Model& model, const std::vector<int>& properties) {
  auto request = std::make_shared<CoverageRequest>();
  request->watch = make_plan(model, properties).watch;
  return request;
}

LintReport lint_after_check(const Model& model, const std::vector<int>& properties,
                            const std::vector<PropertyResult>& results, const SpecText& text) {
  LintReport report;
  report.warnings = lint_edges(model, text);
  const Coverage* coverage = nullptr;
  for (const PropertyResult& r : results)
    if (r.stats.coverage) coverage = r.stats.coverage.get();
  const Plan plan = make_plan(model, properties);
  if (coverage && coverage->watched.size() == plan.watch.size() && coverage->edges_taken.size() == model.edges.size() &&
      results.size() == properties.size()) {
    report.explored = true;
    report.states = coverage->states;
    std::vector<bool> holds(properties.size());
    for (std::size_t k = 0; k < properties.size(); ++k) holds[k] = results[k].verdict == Verdict::Holds;
    for (LintWarning& w : lint_space(model, properties, plan, *coverage, holds, text)) report.warnings.push_back(std::move(w));
  }
  for (std::size_t k = 0; k < results.size() && k < properties.size(); ++k) {
    const PropertyResult& r = results[k];
    const Property& p = model.properties[static_cast<std::size_t>(properties[k])];
    if (r.kind == Property::Kind::Reachable && r.verdict == Verdict::Holds && r.trace && r.trace->steps.empty() &&
        !text.suppressed(p.loc))
      report.warnings.push_back(at_start_warning(p));
  }
  return report;
}

LintReport lint_spec(const Model& model, RunContext& context, const SpecText& text) {
  LintReport report;
  report.warnings = lint_edges(model, text);
  std::string free;
  if (has_free_param(model, free)) {
    report.not_explored = "the state space is not searched: parameters without a value (" + free + "); give them one with --set";
    return report;
  }
  std::vector<int> all;
  for (std::size_t p = 0; p < model.properties.size(); ++p) all.push_back(static_cast<int>(p));
  Plan plan = make_plan(model, all);
  // Besides the premises: each invariant's violation (an unreached state it forbids is expected
  // only if it holds), and each reachable property's condition in the initial state.
  std::vector<std::optional<std::size_t>> violation(all.size());
  for (std::size_t k = 0; k < all.size(); ++k) {
    const Property& p = model.properties[k];
    if (p.kind != Property::Kind::Invariant || !p.a) continue;
    Expr negated;
    negated.op = Op::Not;
    negated.type = ValueType::Bool;
    negated.loc = p.a->loc;
    negated.kids.push_back(*p.a);
    violation[k] = plan.add(negated);
  }
  // The explicit engine's reductions for every property: they keep which states are entered
  // and which edges are taken (docs/engines.md, "Lint"), and every slot a property reads.
  Model searched = model;
  DeadClocks dead;
  if (context.limits().reduce) {
    searched = cone_of_influence(model, all).model;
    dead = dead_clocks(searched, all);
  }
  Semantics semantics(searched);
  semantics.hold_dead_clocks(std::move(dead));
  std::vector<Compiled> code;
  for (const Expr& e : plan.watch) code.push_back(semantics.compile(e));
  std::vector<Coverage::Seen> seen(code.size(), Coverage::Seen::Never);
  std::vector<bool> at_start(all.size(), false);
  Explorer explorer(semantics, context);
  std::unique_ptr<Symmetry> symmetry;  // what is seen in one copy is seen in every copy (closed below)
  if (context.limits().reduce && context.limits().symmetry)
    symmetry = Symmetry::detect(searched, all, semantics.dead_clocks(), &plan.watch);
  if (symmetry) explorer.use_symmetry(symmetry.get());
  const Explorer::Outcome outcome = explorer.run([&](uint32_t index, const int32_t* state) {
    for (std::size_t w = 0; w < code.size(); ++w) {
      if (seen[w] != Coverage::Seen::Never) continue;
      ModelFault fault;
      const bool value = semantics.holds(code[w], state, fault);
      if (!fault.message.empty()) seen[w] = Coverage::Seen::Unknown;
      else if (value) seen[w] = Coverage::Seen::Somewhere;
    }
    if (index == 0)
      for (std::size_t k = 0; k < all.size(); ++k) {
        const Property& p = model.properties[k];
        if (p.kind != Property::Kind::Reachable || !p.a) continue;
        ModelFault fault;
        at_start[k] = semantics.holds(semantics.compile(*p.a), state, fault) && fault.message.empty();
      }
    return false;
  });
  for (std::size_t k = 0; k < all.size(); ++k)
    if (at_start[k] && !text.suppressed(model.properties[k].loc)) report.warnings.push_back(at_start_warning(model.properties[k]));
  if (outcome != Explorer::Outcome::Complete) {
    if (outcome == Explorer::Outcome::Fault) {
      report.model_error = true;
      const ModelFault& f = explorer.fault();
      std::string at = f.loc.line > 0 ? " at " + model.file + ":" + std::to_string(f.loc.line) + ":" + std::to_string(f.loc.col) : "";
      report.not_explored = "the search stopped at a model error (" + f.message + at + "); 'interlock check' shows the trace to it";
    } else {
      report.not_explored = "the search stopped before it had explored every reachable state (" +
                            (explorer.limit_reason().empty() ? std::string("stopped") : explorer.limit_reason()) + ")";
    }
    return report;
  }
  Coverage coverage;
  coverage.states = explorer.store().size();
  coverage.orbits = symmetry != nullptr;
  coverage.edges_taken = explorer.edges_taken();
  coverage.edges_taken.resize(model.edges.size());
  if (symmetry) symmetry->close_watched(seen);
  coverage.watched = seen;
  std::vector<bool> holds(all.size(), false);
  for (std::size_t k = 0; k < all.size(); ++k)
    holds[k] = violation[k] && seen[*violation[k]] == Coverage::Seen::Never;
  report.explored = true;
  report.states = coverage.states;
  std::vector<LintWarning> space = lint_space(model, all, plan, coverage, holds, text);
  // The reachable properties answered at the start go last, after the other property warnings.
  std::vector<LintWarning> start;
  for (LintWarning& w : report.warnings)
    if (w.kind == LintWarning::Kind::AtStart) start.push_back(std::move(w));
  report.warnings.erase(std::remove_if(report.warnings.begin(), report.warnings.end(),
                                       [](const LintWarning& w) { return w.kind == LintWarning::Kind::AtStart; }),
                        report.warnings.end());
  for (LintWarning& w : space) report.warnings.push_back(std::move(w));
  for (LintWarning& w : start) report.warnings.push_back(std::move(w));
  return report;
}

void print_warnings(std::ostream& out, const std::string& file, const std::vector<LintWarning>& warnings) {
  for (const LintWarning& w : warnings) {
    out << terminal_safe(file);
    if (w.loc.line > 0) out << ":" << w.loc.line << ":" << w.loc.col;
    out << ": warning: " << w.message << "\n";
  }
}

}  // namespace interlock

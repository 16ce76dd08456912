#include "solver/export/promela.h"

#include <sstream>

#include "solver/export/promela_expr.h"
#include "solver/export/promela_names.h"
#include "solver/export/promela_steps.h"

namespace interlock {
namespace {

std::string promela_type(const Slot& s) {
  if (s.type == ValueType::Bool) return "bool";
  if (s.lo >= 0 && s.hi <= 255) return "byte";
  if (s.lo >= INT16_MIN && s.hi <= INT16_MAX) return "short";
  if (s.lo >= INT32_MIN && s.hi <= INT32_MAX) return "int";
  throw ExportError(s.loc, "the range of " + s.name + " goes beyond the 32 bits of Promela's int");
}

std::vector<int> exported_properties(const Model& model, const PromelaOptions& options) {
  std::vector<int> out;
  if (options.properties.empty()) {
    for (std::size_t p = 0; p < model.properties.size(); ++p) {
      const Property::Kind kind = model.properties[p].kind;
      if (kind == Property::Kind::Invariant || kind == Property::Kind::Reachable) out.push_back(static_cast<int>(p));
    }
    return out;
  }
  for (int p : options.properties) {
    const Property& prop = model.properties[static_cast<std::size_t>(p)];
    if (prop.kind != Property::Kind::Invariant && prop.kind != Property::Kind::Reachable)
      throw ExportError(prop.loc, "'" + prop.name + "' is a " + property_kind_name(prop.kind) +
                                      " property; the Promela export carries invariant and reachable properties");
    out.push_back(p);
  }
  return out;
}

// The initial value of every slot (they read only constants and parameters).
std::vector<int64_t> initial_values(const Model& model, const PromelaExpr& expr) {
  std::vector<int64_t> out;
  for (std::size_t s = 0; s < model.slots.size(); ++s) {
    const Slot& slot = model.slots[s];
    std::optional<int64_t> v = expr.constant(model.initial[s], {});
    if (!v) throw ExportError(slot.loc, "the initial value of " + slot.name + " cannot be evaluated (a model error)");
    if (*v < slot.lo || *v > slot.hi)
      throw ExportError(slot.loc, "the initial value " + std::to_string(*v) + " of " + slot.name + " is outside its range " +
                                      std::to_string(slot.lo) + ".." + std::to_string(slot.hi) + " (a model error)");
    out.push_back(*v);
  }
  for (std::size_t a = 0; a < model.assumes.size(); ++a) {
    const std::optional<int64_t> holds = expr.constant(model.assumes[a], {});
    if (!holds) throw ExportError(model.assume_locs[a], "this assumption cannot be evaluated with the parameter values (a model error)");
    if (*holds != 1) throw ExportError(model.assume_locs[a], "the parameter values break this assumption");
  }
  return out;
}

// `renamed`: the labels that do not spell their property's name (cut when long, or numbered),
// each with its property.
void write_header(std::ostream& out, const Model& model, const std::vector<int>& properties,
                  const std::vector<std::pair<std::string, std::string>>& renamed) {
  std::string params;
  for (const Param& p : model.params) params += (params.empty() ? "" : ", ") + p.name + "=" + std::to_string(*p.value);
  std::string skipped;
  for (const Property& p : model.properties)
    if (p.kind != Property::Kind::Invariant && p.kind != Property::Kind::Reachable)
      skipped += (skipped.empty() ? "" : ", ") + p.name;
  std::string file = model.file;  // inside a comment: no "*/" of its own
  for (std::size_t at = file.find("*/"); at != std::string::npos; at = file.find("*/", at)) file.replace(at, 2, "* /");
  out << "/* The interlock model of system " << model.system << " (" << file << ") in Promela,\n"
      << "   written by interlock export --promela" << (params.empty() ? "" : "; parameters " + params) << ".\n"
      << "\n"
      << "   One process; each of its transitions is one interlock step: an internal edge, a rendezvous\n"
      << "   pair, or a broadcast with one choice of receivers, with one value of every choose; or a\n"
      << "   tick. So SPIN's breadth-first search stores the states that `interlock check --reduce off`\n"
      << "   counts, and its depths are interlock's trace lengths (ticks and actions are steps):\n"
      << "\n"
      << "     spin -o1 -o2 -a MODEL.pml && gcc -O2 -DBFS -DSAFETY -DNOREDUCE -o pan pan.c && ./pan -E -c0 -m10000000\n"
      << "\n"
      << "   (-o1 -o2: SPIN keeps the variables that are only written, as interlock does with --reduce off.)\n"
      << "\n"
      << "   Each line \"assertion violated LABEL (at depth D)\" is a finding D steps from the initial\n"
      << "   state; the first line with a label has the least depth:\n"
      << "     invariant_P            the invariant P is violated\n"
      << "     unreachable_P          the reachable property P holds (a witness)\n"
      << "     evaluable_P            P cannot be evaluated in a reachable state (a model error)\n"
      << "     no_model_error         a step fails where interlock reports a model error\n"
      << "     valid_initial_state    the initial state breaks a state invariant (a model error)\n"
      << "     within_export_limits   a choose range holds more values than this export unrolled\n"
      << "   An invariant with no line holds; a reachable property with no line is violated. `spin -t -p`\n"
      << "   replays a trail; its printf lines say what failed. Without -c0 SPIN stops at the first line.\n"
      << "   The variables bk_* (backups) and il_* (temporaries) are 0 between steps.\n";
  out << "   Properties: ";
  if (properties.empty()) out << "none";
  for (std::size_t p = 0; p < properties.size(); ++p)
    out << (p ? ", " : "") << model.properties[static_cast<std::size_t>(properties[p])].name;
  out << "." << (skipped.empty() ? "" : " Not exported (SPIN's assertions cannot state them): " + skipped + ".") << "\n";
  for (const auto& [label, property] : renamed) out << "   " << label << " is the label of " << property << ".\n";
  out << "*/\n\n";
}

void write_definitions(std::ostream& out, const Model& model, const PromelaNames& names) {
  for (std::size_t i = 0; i < model.instances.size(); ++i)
    for (std::size_t l = 0; l < model.instances[i].locations.size(); ++l)
      out << "#define " << names.location(static_cast<int>(i), static_cast<int>(l)) << " " << l << "\n";
  for (const PromelaArray& a : names.arrays()) {
    // Element i at a run-time index; an index outside the array is a model error reported apart.
    out << "#define " << a.reader << "(i) ";
    std::string text = names.slot(a.first + a.size - 1);
    for (int k = a.size - 2; k >= 0; --k)
      text = "((i) == " + std::to_string(k) + " -> " + names.slot(a.first + k) + " : " + text + ")";
    out << text << "\n";
  }
}

void write_declarations(std::ostream& out, const Model& model, const PromelaNames& names,
                        const std::vector<int64_t>& initial, const std::vector<std::string>& labels,
                        const std::vector<std::string>& temporaries) {
  out << "/* Assertion labels: never set, so an assertion of one fails wherever it is reached. */\n";
  for (const std::string& label : labels) out << "bit " << label << ";\n";
  out << "\n/* The state: machines' states, variables, clocks. */\n";
  for (std::size_t s = 0; s < model.slots.size(); ++s)
    out << promela_type(model.slots[s]) << " " << names.slot(static_cast<int>(s)) << " = " << promela_int(initial[s])
        << ";\n";
  out << "\n/* Backups, to undo an action whose result breaks a state invariant; and temporaries. */\n";
  for (std::size_t s = 0; s < model.slots.size(); ++s)
    out << promela_type(model.slots[s]) << " " << names.backup(static_cast<int>(s)) << ";\n";
  for (const std::string& t : temporaries) out << "int " << t << ";\n";
}

}  // namespace

std::string export_promela(const Model& model, const PromelaOptions& options) {
  PromelaNames names(model);
  PromelaExpr expr(model, names);
  const std::vector<int64_t> initial = initial_values(model, expr);
  const std::vector<int> properties = exported_properties(model, options);
  PromelaSteps steps(model, names, expr, options.choose_limit);

  std::vector<std::string> labels{"no_model_error", "within_export_limits"};
  std::vector<std::pair<std::string, std::string>> renamed;
  std::ostringstream checks;
  bool has_invariants = false;
  for (const Instance& inst : model.instances)
    for (const Location& loc : inst.locations) has_invariants = has_invariants || loc.invariant.has_value();
  if (has_invariants) {
    labels.push_back("valid_initial_state");
    // Every step keeps the invariants, so only the initial state can break them.
    checks << "  :: d_step { invariants_fault || !invariants_hold ->\n"
           << "       printf(\"interlock model error: the initial state breaks a state invariant\\n\");\n"
           << "       assert(valid_initial_state) }\n";
  }
  for (int p : properties) {
    const Property& prop = model.properties[static_cast<std::size_t>(p)];
    expr.require_32_bits(*prop.a, {});
    const bool invariant = prop.kind == Property::Kind::Invariant;
    const std::string prefix = invariant ? "invariant_" : "unreachable_";
    const std::string label = names.fresh(prefix, prop.name);
    if (label != prefix + prop.name) renamed.emplace_back(label, prop.name);
    labels.push_back(label);
    std::optional<std::string> fault = expr.fault(*prop.a, {});
    const std::string value = expr.value(*prop.a, {});
    checks << "  :: d_step { " << (fault ? "!" + *fault + " && " : "") << (invariant ? "!" : "") << value << " -> assert("
           << label << ") }\n";
    if (fault) {
      const std::string evaluable = names.fresh("evaluable_", prop.name);
      if (evaluable != "evaluable_" + prop.name) renamed.emplace_back(evaluable, prop.name);
      labels.push_back(evaluable);
      checks << "  :: d_step { " << *fault << " ->\n"
             << "       printf(\"interlock model error: property " << promela_printable(prop.name) << " cannot be evaluated\\n\");\n"
             << "       assert(" << evaluable << ") }\n";
    }
  }

  std::ostringstream out;
  write_header(out, model, properties, renamed);
  write_definitions(out, model, names);
  out << steps.macros() << "\n";
  write_declarations(out, model, names, initial, labels, steps.temporaries());
  out << "\nactive proctype interlock() {\n"
      << "  do\n"
      << "  /* model errors of guards and choose ranges; actions; the tick */\n"
      << steps.options()
      << "  /* the initial state's invariants and the properties, checked in every state */\n"
      << checks.str()
      << "  od\n"
      << "}\n";
  return out.str();
}

}  // namespace interlock

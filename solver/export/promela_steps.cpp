#include "solver/export/promela_steps.h"

#include <algorithm>
#include <set>

#include "solver/export/export_error.h"

namespace interlock {
namespace {

using Op = Expr::Op;

constexpr int64_t kMaxChooseValues = 1 << 16;  // interlock's limit: a wider range is a model error

std::string paren(const std::string& s) { return "(" + s + ")"; }

std::string joined(const std::vector<std::string>& parts, const char* op, const char* empty) {
  if (parts.empty()) return empty;
  if (parts.size() == 1) return parts[0];
  std::string out;
  for (const std::string& p : parts) out += (out.empty() ? "" : op) + p;
  return paren(out);
}
std::string all_of(const std::vector<std::string>& parts) { return joined(parts, " && ", "1"); }
std::string any_of(const std::vector<std::string>& parts) { return joined(parts, " || ", "0"); }

std::vector<std::string> plus(std::vector<std::string> parts, const std::string& more) {
  parts.push_back(more);
  return parts;
}

}  // namespace

PromelaSteps::PromelaSteps(const Model& model, PromelaNames& names, const PromelaExpr& expr, int choose_limit)
    : model_(model), names_(names), expr_(expr), choose_limit_(choose_limit) {
  for (const Instance& inst : model.instances)
    for (const Location& loc : inst.locations) has_invariants_ = has_invariants_ || loc.invariant.has_value();
  temporaries_ = {"il_value", "il_index"};
  edges_.resize(model.edges.size());
  for (std::size_t e = 0; e < model.edges.size(); ++e) {
    ChooseValues values;
    std::vector<std::string> conditions;
    unroll(static_cast<int>(e), 0, values, conditions, edges_[e]);
  }
  std::ostringstream macros, options;
  write_invariant_macros(macros);
  macros_ = macros.str();
  write_edge_faults(options);
  write_internal_actions(options);
  for (std::size_t e = 0; e < model.edges.size(); ++e) {
    const Edge& edge = model.edges[e];
    if (edge.sync != SyncKind::Emit) continue;
    if (model.channels[static_cast<std::size_t>(edge.channel)].broadcast) write_broadcasts(options, static_cast<int>(e));
    else write_rendezvous(options, static_cast<int>(e));
  }
  write_tick(options);
  options_ = options.str();
}

void PromelaSteps::too_many(SourceLoc loc) const {
  throw ExportError(loc, "the Promela model would need more than " + std::to_string(kMaxOptions) +
                             " d_steps (one per step with each choose value and each choice of broadcast "
                             "receivers); this part of the spec makes too many");
}

void PromelaSteps::count_option(SourceLoc loc) {
  if (++option_count_ > kMaxOptions) too_many(loc);
}

std::string PromelaSteps::temporary(std::size_t n) {
  std::string name = "il_choice_" + std::to_string(n);
  if (std::find(temporaries_.begin(), temporaries_.end(), name) == temporaries_.end()) temporaries_.push_back(name);
  return name;
}

std::string PromelaSteps::at_source(int edge) const {
  const Edge& e = model_.edges[static_cast<std::size_t>(edge)];
  const Instance& inst = model_.instances[static_cast<std::size_t>(e.instance)];
  return paren(names_.slot(inst.location_slot) + " == " + names_.location(e.instance, e.src));
}

std::string PromelaSteps::describe(int edge) const {
  const Edge& e = model_.edges[static_cast<std::size_t>(edge)];
  const Instance& inst = model_.instances[static_cast<std::size_t>(e.instance)];
  return promela_printable(inst.name + ": " + inst.locations[static_cast<std::size_t>(e.src)].name + " -> " +
                           inst.locations[static_cast<std::size_t>(e.dst)].name + " (line " + std::to_string(e.loc.line) + ")");
}

// Fixes choose k of `edge` to each value its range can hold, as an offset from the lower bound
// (the bounds are read in the state before the step), and then the next one; `conditions` says
// that the values so far lie within their ranges.
void PromelaSteps::unroll(int edge, std::size_t k, ChooseValues& values, std::vector<std::string>& conditions,
                          EdgeInfo& info) {
  const Edge& e = model_.edges[static_cast<std::size_t>(edge)];
  if (k == e.chooses.size()) {
    std::vector<std::string> enabled{at_source(edge)};
    enabled.insert(enabled.end(), conditions.begin(), conditions.end());
    if (e.guard) {
      expr_.require_32_bits(*e.guard, values);
      if (std::optional<std::string> fault = expr_.fault(*e.guard, values)) {
        info.fault_clauses.push_back(all_of(plus(conditions, *fault)));
        enabled.push_back("!" + *fault);
      }
      enabled.push_back(expr_.value(*e.guard, values));
    }
    info.options.push_back({edge, all_of(enabled), values});
    if (info.options.size() > static_cast<std::size_t>(kMaxOptions)) too_many(e.loc);
    return;
  }
  const ChooseVar& c = e.chooses[k];
  expr_.require_32_bits(c.lo, values);
  expr_.require_32_bits(c.hi, values);
  const Expr width = binary(Op::Sub, c.hi, c.lo);
  expr_.require_32_bits(width, values);
  const ValueRange lo = expr_.range(c.lo, values), hi = expr_.range(c.hi, values);
  const ValueRange w = expr_.difference_range(c.hi, c.lo, values);  // the number of values less one
  const std::optional<int64_t> lo_value = expr_.constant(c.lo, values), hi_value = expr_.constant(c.hi, values);
  // A range that cannot be evaluated, or of more than 65536 values, is a model error.
  std::vector<std::string> broken;
  if (auto f = expr_.fault(c.lo, values)) broken.push_back(*f);
  if (auto f = expr_.fault(c.hi, values)) broken.push_back(*f);
  if (w.hi >= kMaxChooseValues) broken.push_back(paren(expr_.value(width, values) + " >= " + std::to_string(kMaxChooseValues)));
  const std::size_t kept = conditions.size();
  if (!broken.empty()) {
    info.fault_clauses.push_back(all_of(plus(conditions, any_of(broken))));
    conditions.push_back("!" + any_of(broken));
  }
  int64_t last = std::min<int64_t>(w.hi, kMaxChooseValues - 1);
  if (last >= choose_limit_) {
    info.limit_clauses.push_back(
        all_of(plus(conditions, paren(expr_.value(width, values) + " >= " + std::to_string(choose_limit_)))));
    last = choose_limit_ - 1;
  }
  for (int64_t offset = 0; offset <= last; ++offset) {
    ChooseValue v;
    std::vector<std::string> within = conditions;
    if (lo_value) {
      v.constant = *lo_value + offset;
      if (hi_value && *v.constant > *hi_value) break;
      v.text = promela_int(*v.constant);
      v.range = {*v.constant, *v.constant};
      if (!hi_value && offset > w.lo) within.push_back(paren(v.text + " <= " + expr_.value(c.hi, values)));
    } else {
      const Expr at = binary(Op::Add, c.lo, Expr::constant(offset));
      expr_.require_32_bits(at, values);
      v.text = expr_.value(at, values);
      v.range = {lo.lo + offset, std::min(lo.hi + offset, hi.hi)};
      if (v.range.lo > v.range.hi) continue;  // never within the range
      if (offset > w.lo) within.push_back(expr_.value(binary(Op::Le, at, c.hi), values));
    }
    values[c.scratch] = v;
    unroll(edge, k + 1, values, within, info);
  }
  values.erase(c.scratch);
  conditions.resize(kept);
}

void PromelaSteps::write_invariant_macros(std::ostream& out) {
  std::vector<std::string> hold, fault, urgent;
  const ChooseValues none;
  for (std::size_t i = 0; i < model_.instances.size(); ++i) {
    const Instance& inst = model_.instances[i];
    for (std::size_t l = 0; l < inst.locations.size(); ++l) {
      const Location& loc = inst.locations[l];
      const std::string here = names_.slot(inst.location_slot) + " == " + names_.location(static_cast<int>(i), static_cast<int>(l));
      if (loc.urgent) urgent.push_back(paren(here));
      if (!loc.invariant) continue;
      expr_.require_32_bits(*loc.invariant, none);
      hold.push_back(paren(names_.slot(inst.location_slot) + " != " + names_.location(static_cast<int>(i), static_cast<int>(l)) +
                           " || " + expr_.value(*loc.invariant, none)));
      if (auto f = expr_.fault(*loc.invariant, none)) fault.push_back(paren(here + " && " + *f));
    }
  }
  invariants_may_fault_ = !fault.empty();
  auto define = [&](const char* name, const char* meaning, const std::vector<std::string>& parts, const char* op,
                    const char* empty) {
    out << "/* " << meaning << " */\n#define " << name << " ";
    if (parts.empty()) {
      out << empty << "\n";
      return;
    }
    out << "( \\\n";
    for (std::size_t p = 0; p < parts.size(); ++p) out << "    " << (p ? op : "   ") << parts[p] << " \\\n";
    out << "  )\n";
  };
  define("invariants_hold", "every machine's state invariant holds", hold, "&& ", "1");
  define("invariants_fault", "some machine's state invariant cannot be evaluated (a model error)", fault, "|| ", "0");
  // An `asap` edge that can be taken (its guard, and for a channel edge a partner's) stops time
  // as an urgent state does.
  for (std::size_t e = 0; e < model_.edges.size(); ++e) {
    const Edge& edge = model_.edges[e];
    if (!edge.asap) continue;
    const bool alone = edge.sync == SyncKind::None ||
                       (edge.sync == SyncKind::Emit && model_.channels[static_cast<std::size_t>(edge.channel)].broadcast);
    std::vector<std::string> partners;
    if (!alone) {
      const SyncKind other = edge.sync == SyncKind::Emit ? SyncKind::Receive : SyncKind::Emit;
      for (std::size_t p = 0; p < model_.edges.size(); ++p) {
        const Edge& q = model_.edges[p];
        if (q.sync != other || q.channel != edge.channel || q.instance == edge.instance) continue;
        for (const EdgeOption& o : edges_[p].options) partners.push_back(o.enabled);
      }
      if (partners.empty()) continue;
    }
    for (const EdgeOption& o : edges_[e].options) {
      std::string due = alone ? o.enabled : all_of({o.enabled, any_of(partners)});
      // One option per choose value: when nothing reads the value, they all read the same.
      if (std::find(urgent.begin(), urgent.end(), due) == urgent.end()) urgent.push_back(std::move(due));
    }
  }
  define("time_stopped", "some machine is in an urgent state, or an asap edge can be taken: no tick", urgent, "|| ", "0");
}

void PromelaSteps::write_edge_faults(std::ostream& out) {
  // The guards and choose ranges that interlock evaluates in a state, whether or not the edge can
  // then be taken: internal and emitting edges wherever their machine is in their source state;
  // receiving edges only when another machine could emit on the channel.
  std::vector<std::vector<std::string>> could_emit(model_.channels.size() * model_.instances.size());
  for (std::size_t e = 0; e < model_.edges.size(); ++e) {
    const Edge& edge = model_.edges[e];
    if (edge.sync != SyncKind::Emit) continue;
    for (std::size_t j = 0; j < model_.instances.size(); ++j) {
      if (static_cast<int>(j) == edge.instance) continue;
      auto& list = could_emit[static_cast<std::size_t>(edge.channel) * model_.instances.size() + j];
      for (const EdgeOption& o : edges_[e].options) list.push_back(o.enabled);
    }
  }
  for (std::size_t e = 0; e < model_.edges.size(); ++e) {
    const Edge& edge = model_.edges[e];
    const EdgeInfo& info = edges_[e];
    if (info.fault_clauses.empty() && info.limit_clauses.empty()) continue;
    std::vector<std::string> when{at_source(static_cast<int>(e))};
    if (edge.sync == SyncKind::Receive) {
      const auto& emitters = could_emit[static_cast<std::size_t>(edge.channel) * model_.instances.size() +
                                        static_cast<std::size_t>(edge.instance)];
      if (emitters.empty()) continue;  // nothing ever sends: interlock never evaluates this edge
      const std::string name = names_.fresh("can_send_", model_.channels[static_cast<std::size_t>(edge.channel)].name +
                                                             "_to_" + model_.instances[static_cast<std::size_t>(edge.instance)].name);
      macros_ += "#define " + name + " " + any_of(emitters) + "\n";
      when.insert(when.begin(), name);
    }
    if (!info.fault_clauses.empty()) {
      count_option(edge.loc);
      out << "  :: d_step { " << all_of(plus(when, any_of(info.fault_clauses))) << " ->\n"
          << "       printf(\"interlock model error: a guard or a choose range of " << describe(static_cast<int>(e))
          << " cannot be evaluated, or the range holds more than 65536 values\\n\");\n"
          << "       assert(no_model_error) }\n";
    }
    if (!info.limit_clauses.empty()) {
      count_option(edge.loc);
      out << "  :: d_step { " << all_of(plus(when, any_of(info.limit_clauses))) << " ->\n"
          << "       printf(\"export limit: a choose range of " << describe(static_cast<int>(e)) << " holds more than "
          << choose_limit_ << " values\\n\");\n"
          << "       assert(within_export_limits) }\n";
    }
  }
}

void PromelaSteps::write_internal_actions(std::ostream& out) {
  for (std::size_t e = 0; e < model_.edges.size(); ++e) {
    if (model_.edges[e].sync != SyncKind::None) continue;
    for (const EdgeOption& o : edges_[e].options) write_action(out, {&o}, o.enabled);
  }
}

void PromelaSteps::write_rendezvous(std::ostream& out, int emitter) {
  const Edge& send = model_.edges[static_cast<std::size_t>(emitter)];
  for (const EdgeOption& s : edges_[static_cast<std::size_t>(emitter)].options)
    for (std::size_t j = 0; j < model_.instances.size(); ++j) {
      if (static_cast<int>(j) == send.instance) continue;
      for (int r : model_.instances[j].edges) {
        const Edge& receive = model_.edges[static_cast<std::size_t>(r)];
        if (receive.sync != SyncKind::Receive || receive.channel != send.channel) continue;
        for (const EdgeOption& o : edges_[static_cast<std::size_t>(r)].options)
          write_action(out, {&s, &o}, all_of({s.enabled, o.enabled}));
      }
    }
}

void PromelaSteps::write_broadcasts(std::ostream& out, int emitter) {
  const Edge& send = model_.edges[static_cast<std::size_t>(emitter)];
  // Every other machine with an enabled receiving edge takes part, with one of them (and one
  // value of each of its chooses); one option per choice, each machine in declaration order.
  struct Receiver {
    std::vector<const EdgeOption*> options;
    std::string can_receive;  // the macro: some option of this machine is enabled
  };
  std::vector<Receiver> receivers;
  uint64_t combinations = 1;
  for (std::size_t j = 0; j < model_.instances.size(); ++j) {
    if (static_cast<int>(j) == send.instance) continue;
    Receiver rc;
    std::vector<std::string> enabled;
    for (int r : model_.instances[j].edges) {
      const Edge& receive = model_.edges[static_cast<std::size_t>(r)];
      if (receive.sync != SyncKind::Receive || receive.channel != send.channel) continue;
      for (const EdgeOption& o : edges_[static_cast<std::size_t>(r)].options) {
        rc.options.push_back(&o);
        enabled.push_back(o.enabled);
      }
    }
    if (rc.options.empty()) continue;
    rc.can_receive = names_.fresh("can_receive_", model_.channels[static_cast<std::size_t>(send.channel)].name + "_" +
                                                      model_.instances[j].name);
    macros_ += "#define " + rc.can_receive + " " + any_of(enabled) + "\n";
    combinations *= rc.options.size() + 1;
    if (combinations * edges_[static_cast<std::size_t>(emitter)].options.size() > static_cast<uint64_t>(kMaxOptions))
      too_many(send.loc);
    receivers.push_back(std::move(rc));
  }
  for (const EdgeOption& s : edges_[static_cast<std::size_t>(emitter)].options) {
    std::vector<int> pick(receivers.size(), -1);  // -1: the machine cannot receive and stays
    for (;;) {
      std::vector<const EdgeOption*> step{&s};
      std::vector<std::string> guard{s.enabled};
      for (std::size_t p = 0; p < receivers.size(); ++p) {
        if (pick[p] < 0) {
          guard.push_back("!" + receivers[p].can_receive);
          continue;
        }
        const EdgeOption* o = receivers[p].options[static_cast<std::size_t>(pick[p])];
        step.push_back(o);
        guard.push_back(o->enabled);
      }
      write_action(out, step, all_of(guard));
      std::size_t p = 0;
      while (p < pick.size() && ++pick[p] == static_cast<int>(receivers[p].options.size())) pick[p++] = -1;
      if (p == pick.size()) break;
    }
  }
}

void PromelaSteps::write_fault_check(std::ostream& out, const std::string& condition, const std::string& message,
                                     const std::string& undo) {
  step_may_fail_ = true;
  out << "       if\n"
      << "       :: " << condition << " -> " << message << "; assert(no_model_error); goto " << undo << "\n"
      << "       :: else -> skip\n"
      << "       fi;\n";
}

void PromelaSteps::write_update(std::ostream& out, const Update& u, const ChooseValues& values, const std::string& step,
                                const std::string& undo) {
  const std::string where = " in an assignment at line " + std::to_string(u.loc.line) + " (" + step + ")";
  const bool element = u.target.op == Op::Element;
  const int first = static_cast<int>(u.target.value);
  const Slot& slot = model_.slots[static_cast<std::size_t>(first)];
  if (element) {
    const Expr& index = u.target.kids[0];
    expr_.require_32_bits(index, values);
    if (auto f = expr_.fault(index, values))
      write_fault_check(out, *f, "printf(\"interlock model error: division by zero or an index outside its array" + where + "\\n\")", undo);
    out << "       il_index = " << expr_.value(index, values) << ";\n";
    const ValueRange r = expr_.range(index, values);
    if (r.lo < 0 || r.hi >= u.target.size)
      write_fault_check(out, "(il_index < 0 || il_index >= " + std::to_string(u.target.size) + ")",
                        "printf(\"interlock model error: index %d is outside the array " + promela_printable(array_name(slot.name)) + where +
                            "\\n\", il_index)",
                        undo);
  }
  expr_.require_32_bits(u.value, values);
  if (auto f = expr_.fault(u.value, values))
    write_fault_check(out, *f, "printf(\"interlock model error: division by zero or an index outside its array" + where + "\\n\")", undo);
  out << "       il_value = " << expr_.value(u.value, values) << ";\n";
  const ValueRange r = expr_.range(u.value, values);
  std::string stored = "il_value";
  if (slot.kind == Slot::Kind::Clock) {
    if (r.lo < 0)
      write_fault_check(out, "(il_value < 0)",
                        "printf(\"interlock model error: clock " + promela_printable(slot.name) + " reset to a negative value %d" +
                            where + "\\n\", il_value)",
                        undo);
    // Beyond every constant it is compared with a clock saturates (one above the largest).
    if (r.hi > slot.hi) stored = "(il_value < " + std::to_string(slot.hi) + " -> il_value : " + std::to_string(slot.hi) + ")";
  } else if (r.lo < slot.lo || r.hi > slot.hi) {
    write_fault_check(out, "(il_value < " + promela_int(slot.lo) + " || il_value > " + promela_int(slot.hi) + ")",
                      "printf(\"interlock model error: assignment " + promela_printable(slot.name) + " := %d is outside its range " +
                          std::to_string(slot.lo) + ".." + std::to_string(slot.hi) + where + "\\n\", il_value)",
                      undo);
  }
  if (!element) {
    out << "       " << names_.slot(first) << " = " << stored << ";\n";
    return;
  }
  out << "       if\n";
  for (int i = 0; i < u.target.size; ++i)
    out << "       :: il_index == " << i << " -> " << names_.slot(first + i) << " = " << stored << "\n";
  out << "       fi;\n";
}

void PromelaSteps::write_action(std::ostream& out, const std::vector<const EdgeOption*>& edges, const std::string& guard) {
  count_option(model_.edges[static_cast<std::size_t>(edges[0]->edge)].loc);
  const std::string label = std::to_string(++labels_);
  const std::string undo = "undo_" + label, done = "done_" + label;
  std::string step;
  for (const EdgeOption* o : edges) step += (step.empty() ? "" : " + ") + describe(o->edge);
  // Choose values that depend on the state are fixed before any update changes it.
  std::ostringstream start, body;
  ChooseValues values;
  std::vector<std::string> used;
  for (const EdgeOption* o : edges)
    for (const auto& [scratch, v] : o->values) {
      if (v.constant) {
        values[scratch] = v;
        continue;
      }
      const std::string t = temporary(used.size());
      used.push_back(t);
      start << "       " << t << " = " << v.text << ";\n";
      values[scratch] = {t, v.range, std::nullopt};
    }
  // Updates in order, the emitter's first; then every moving machine enters its target state.
  step_may_fail_ = has_invariants_;
  std::set<int> written;
  bool uses_temporaries = false;
  for (const EdgeOption* o : edges) {
    const Edge& e = model_.edges[static_cast<std::size_t>(o->edge)];
    for (const Update& u : e.updates) {
      write_update(body, u, values, step, undo);
      uses_temporaries = true;
      const int first = static_cast<int>(u.target.value);
      const int size = u.target.op == Op::Element ? u.target.size : 1;
      for (int s = first; s < first + size; ++s) written.insert(s);
    }
  }
  for (const EdgeOption* o : edges) {
    const Edge& e = model_.edges[static_cast<std::size_t>(o->edge)];
    const Instance& inst = model_.instances[static_cast<std::size_t>(e.instance)];
    body << "       " << names_.slot(inst.location_slot) << " = " << names_.location(e.instance, e.dst) << ";\n";
    written.insert(inst.location_slot);
  }
  // Every state invariant must hold in the result, or the action is not possible; one that
  // cannot be evaluated is a model error.
  if (invariants_may_fault_)
    write_fault_check(body, "invariants_fault",
                      "printf(\"interlock model error: a state invariant cannot be evaluated after " + step + "\\n\")", undo);
  if (has_invariants_) {
    body << "       if\n       :: !invariants_hold -> goto " << undo << "\n       :: else -> skip\n       fi;\n";
  }
  out << "  :: d_step { " << guard << " ->\n" << start.str();
  if (step_may_fail_)
    for (int s : written) out << "       " << names_.backup(s) << " = " << names_.slot(s) << ";\n";
  out << body.str();
  std::vector<std::string> clear = used;
  if (uses_temporaries) clear.insert(clear.end(), {"il_value", "il_index"});
  if (step_may_fail_) {
    out << "       goto " << done << ";\n     " << undo << ":\n";
    for (int s : written) out << "       " << names_.slot(s) << " = " << names_.backup(s) << ";\n";
    out << "     " << done << ":\n";
    for (int s : written) clear.push_back(names_.backup(s));
  }
  if (clear.empty()) clear.push_back("");
  for (std::size_t c = 0; c < clear.size(); ++c) {
    out << "       " << (clear[c].empty() ? "skip" : clear[c] + " = 0") << (c + 1 == clear.size() ? "\n" : ";\n");
  }
  out << "     }\n";
}

void PromelaSteps::write_tick(std::ostream& out) {
  count_option({});
  std::vector<int> clocks;
  for (std::size_t s = 0; s < model_.slots.size(); ++s)
    if (model_.slots[s].kind == Slot::Kind::Clock) clocks.push_back(static_cast<int>(s));
  out << "  /* a tick: every clock advances by one, up to where it saturates */\n"
      << "  :: d_step { !time_stopped ->\n";
  if (clocks.empty()) {
    out << "       skip\n     }\n";
    return;
  }
  for (int c : clocks) out << "       " << names_.backup(c) << " = " << names_.slot(c) << ";\n";
  for (int c : clocks) {
    const std::string& v = names_.slot(c);
    const std::string hi = std::to_string(model_.slots[static_cast<std::size_t>(c)].hi);
    out << "       " << v << " = (" << v << " < " << hi << " -> " << v << " + 1 : " << hi << ");\n";
  }
  if (has_invariants_) {
    if (invariants_may_fault_)
      out << "       if\n"
          << "       :: invariants_fault -> printf(\"interlock model error: a state invariant cannot be evaluated after "
             "a tick\\n\"); assert(no_model_error); goto undo_tick\n"
          << "       :: else -> skip\n"
          << "       fi;\n";
    out << "       if\n       :: !invariants_hold -> goto undo_tick\n       :: else -> skip\n       fi;\n"
        << "       goto done_tick;\n"
        << "     undo_tick:\n";
    for (int c : clocks) out << "       " << names_.slot(c) << " = " << names_.backup(c) << ";\n";
    out << "     done_tick:\n";
  }
  for (std::size_t k = 0; k < clocks.size(); ++k)
    out << "       " << names_.backup(clocks[k]) << " = 0" << (k + 1 == clocks.size() ? "\n" : ";\n");
  out << "     }\n";
}

}  // namespace interlock

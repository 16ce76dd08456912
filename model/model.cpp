#include "model/model.h"

#include "model/clock_bounds.h"

namespace interlock {

namespace {

void rebound_clocks(Model& model) {
  const std::vector<int> too_large = bound_clocks(model);
  if (too_large.empty()) return;
  const Slot& clock = model.slots[static_cast<std::size_t>(too_large[0])];
  throw InputError(model.file + ":" + std::to_string(clock.loc.line) + ":" + std::to_string(clock.loc.col) + ": error: clock '" +
                   clock.name + "' is compared with values beyond 2^31 at these parameter values\n");
}

}  // namespace

Model with_params(const Model& model, const std::vector<std::pair<std::string, int64_t>>& values) {
  Model out = model;
  for (const auto& [name, value] : values) {
    const int i = out.find_param(name);
    if (i < 0) throw InputError(model.file + ": error: no parameter named '" + name + "'\n");
    Param& p = out.params[static_cast<std::size_t>(i)];
    if (value < p.lo || value > p.hi)
      throw InputError(model.file + ":" + std::to_string(p.loc.line) + ":" + std::to_string(p.loc.col) + ": error: " + name + " = " +
                       std::to_string(value) + " is outside its range " + std::to_string(p.lo) + ".." + std::to_string(p.hi) + "\n");
    p.value = value;
  }
  rebound_clocks(out);
  return out;
}

Model with_free_params(const Model& model, const std::vector<int>& params) {
  Model out = model;
  for (int i : params) out.params[static_cast<std::size_t>(i)].value.reset();
  rebound_clocks(out);
  return out;
}

bool reads_choose(const Expr& e) {
  if (e.op == Expr::Op::Choose) return true;
  for (const Expr& k : e.kids)
    if (reads_choose(k)) return true;
  return false;
}

void mark_reads(const Expr& e, std::vector<bool>& out) {
  if (e.op == Expr::Op::Slot) out[e.value] = true;
  if (e.op == Expr::Op::Element)
    for (int i = 0; i < e.size; ++i) out[e.value + i] = true;
  for (const Expr& k : e.kids) mark_reads(k, out);
}

std::vector<std::vector<int>> invariant_readers(const Model& model) {
  std::vector<std::vector<int>> readers(model.slots.size());
  for (std::size_t i = 0; i < model.instances.size(); ++i) {
    std::vector<bool> reads(model.slots.size(), false);
    for (const Location& l : model.instances[i].locations)
      if (l.invariant) mark_reads(*l.invariant, reads);
    for (std::size_t s = 0; s < reads.size(); ++s)
      if (reads[s]) readers[s].push_back(static_cast<int>(i));
  }
  return readers;
}

Expr::Op negated_comparison(Expr::Op op) {
  using Op = Expr::Op;
  switch (op) {
    case Op::Lt: return Op::Ge;
    case Op::Le: return Op::Gt;
    case Op::Gt: return Op::Le;
    case Op::Ge: return Op::Lt;
    case Op::Eq: return Op::Ne;
    case Op::Ne: return Op::Eq;
    default: return Op::Const;
  }
}

bool same_expr(const Expr& a, const Expr& b) {
  if (a.op != b.op || a.type != b.type || a.enum_id != b.enum_id || a.value != b.value || a.size != b.size ||
      a.kids.size() != b.kids.size())
    return false;
  for (std::size_t k = 0; k < a.kids.size(); ++k)
    if (!same_expr(a.kids[k], b.kids[k])) return false;
  return true;
}

std::string format_value(const Model& model, int slot, int64_t value) {
  const Slot& s = model.slots[slot];
  if (s.kind == Slot::Kind::Location) {
    const auto& locs = model.instances[s.instance].locations;
    if (value >= 0 && value < static_cast<int64_t>(locs.size())) return locs[value].name;
  }
  if (s.type == ValueType::Bool) return value ? "true" : "false";
  if (s.type == ValueType::Enum && s.enum_id >= 0) {
    const auto& names = model.enums[s.enum_id].values;
    if (value >= 0 && value < static_cast<int64_t>(names.size())) return names[value];
  }
  if (s.kind == Slot::Kind::Clock && value >= s.hi) return ">=" + std::to_string(s.hi);
  return std::to_string(value);
}

std::string describe_edge(const Model& model, int edge, const int64_t* choices, std::size_t known) {
  const Edge& e = model.edges[edge];
  const Instance& inst = model.instances[e.instance];
  std::string out = inst.name + ": " + inst.locations[e.src].name + " -> " + inst.locations[e.dst].name;
  for (std::size_t k = 0; k < e.chooses.size(); ++k)
    out += (k == 0 ? " [" : ", ") + e.chooses[k].name + "=" + (k < known ? std::to_string(choices[k]) : "?") +
           (k + 1 == e.chooses.size() ? "]" : "");
  return out;
}

std::string array_name(const std::string& first_element) {
  const std::string suffix = "[0]";
  return first_element.ends_with(suffix) ? first_element.substr(0, first_element.size() - suffix.size()) : first_element;
}

std::string time_amount(const Model& model, int64_t ticks) {
  std::string unit = model.time_unit;
  if (ticks == 1 && unit.size() > 1 && unit.back() == 's') unit.pop_back();
  std::string out = std::to_string(ticks);
  out += " ";
  return out + unit;
}

const char* property_kind_name(Property::Kind kind) {
  switch (kind) {
    case Property::Kind::Invariant: return "invariant";
    case Property::Kind::Reachable: return "reachable";
    case Property::Kind::DeadlockFree: return "deadlock_free";
    case Property::Kind::Response: return "response";
    case Property::Kind::Maximum: return "maximum";
  }
  return "property";
}

}  // namespace interlock

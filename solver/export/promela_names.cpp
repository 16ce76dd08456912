#include "solver/export/promela_names.h"

#include <cctype>
#include <stdexcept>

namespace interlock {
namespace {

std::string identifier_text(const std::string& text) {
  std::string out;
  for (char ch : text) {
    const bool keep = std::isalnum(static_cast<unsigned char>(ch)) || ch == '_';
    if (keep) out += ch;
    else if (out.empty() || out.back() != '_') out += '_';
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  return out;
}

void collect_arrays(const Expr& e, std::map<int, int>& sizes) {
  if (e.op == Expr::Op::Element) sizes[static_cast<int>(e.value)] = e.size;
  for (const Expr& k : e.kids) collect_arrays(k, sizes);
}

}  // namespace

std::string promela_printable(const std::string& text) {
  constexpr std::size_t kMostCharacters = 160;
  std::string out;
  for (char ch : text) out += (ch == '"' || ch == '\\' || ch == '%') ? '_' : ch;
  if (out.size() > kMostCharacters) out = out.substr(0, kMostCharacters) + "...";
  return out;
}

std::string PromelaNames::fresh(const std::string& prefix, const std::string& wanted) {
  // SPIN reads a name into a fixed buffer (a 514-character one crashed spin 6.5.2, found by an
  // outside tester): a long name is cut, and the number below keeps it distinct.
  constexpr std::size_t kMostCharacters = 64;
  std::string base = prefix + identifier_text(wanted);
  if (base.size() > kMostCharacters) base.resize(kMostCharacters);
  std::string name = base;
  for (int n = 2; used_.count(name); ++n) name = base + "_" + std::to_string(n);
  used_.insert(name);
  return name;
}

PromelaNames::PromelaNames(const Model& model) {
  // The fixed names of the export come first, so no user-derived name can take them.
  for (const char* fixed : {"interlock", "no_model_error", "valid_initial_state", "within_export_limits",
                            "invariants_fault", "invariants_hold", "time_stopped", "il_value", "il_index"})
    used_.insert(fixed);
  for (const Slot& s : model.slots) {
    slots_.push_back(fresh(s.kind == Slot::Kind::Location ? "state_" : "v_", s.name));
    backups_.push_back(fresh("bk_", s.name));
  }
  for (std::size_t i = 0; i < model.instances.size(); ++i) {
    locations_.emplace_back();
    for (const Location& loc : model.instances[i].locations)
      locations_.back().push_back(fresh("S_", model.instances[i].name + "_" + loc.name));
  }
  std::map<int, int> sizes;
  for_each_model_expr(model, [&](const Expr& e) { collect_arrays(e, sizes); });
  for (const auto& [first, size] : sizes) {
    array_by_first_[first] = arrays_.size();
    arrays_.push_back({first, size, fresh("v_", array_name(model.slots[static_cast<std::size_t>(first)].name) + "_at")});
  }
}

const PromelaArray& PromelaNames::array_at(int first) const {
  auto it = array_by_first_.find(first);
  if (it == array_by_first_.end()) throw std::logic_error("internal error: no array starts at slot " + std::to_string(first));
  return arrays_[it->second];
}

}  // namespace interlock

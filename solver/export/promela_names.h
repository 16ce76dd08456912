// Promela names for what a model holds: a global variable per slot (an array's elements are
// separate variables, so that each keeps its own initial value; a macro reads one at a run-time
// index), a constant per machine state, and the labels of the exported assertions. Every name is
// a valid Promela and C identifier, distinct from the others; the user's names get a prefix
// (v_, state_, S_), so none is a keyword of either language.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "model/model.h"

namespace interlock {

// An array of the spec: `size` slots from `first`, read with a run-time index through `reader`.
struct PromelaArray {
  int first = 0;
  int size = 0;
  std::string reader;  // the macro: reader(i) is element i
};

// Text for a Promela printf: no quotes, backslashes or conversions of its own, and short (SPIN
// reads a string into a fixed buffer): a long name is cut and marked "...".
std::string promela_printable(const std::string& text);

class PromelaNames {
 public:
  explicit PromelaNames(const Model& model);

  // A new identifier: `prefix` and `wanted` with every other character than a letter, a digit
  // or '_' turned into '_', cut to 64 characters, and a number added if the name is taken.
  std::string fresh(const std::string& prefix, const std::string& wanted);

  const std::string& slot(int s) const { return slots_[static_cast<std::size_t>(s)]; }
  const std::string& backup(int s) const { return backups_[static_cast<std::size_t>(s)]; }
  const std::string& location(int instance, int location) const {
    return locations_[static_cast<std::size_t>(instance)][static_cast<std::size_t>(location)];
  }
  const std::vector<PromelaArray>& arrays() const { return arrays_; }
  // The array whose first slot is `first` (an Element expression names its array this way).
  const PromelaArray& array_at(int first) const;

 private:
  std::set<std::string> used_;
  std::vector<std::string> slots_, backups_;
  std::vector<std::vector<std::string>> locations_;
  std::vector<PromelaArray> arrays_;
  std::map<int, std::size_t> array_by_first_;
};

// Calls `visit` on every expression of the model: initial values, assumptions, guards, choose
// bounds, update targets and values, state invariants, properties.
template <class Visit>
void for_each_model_expr(const Model& model, Visit&& visit) {
  for (const Expr& e : model.initial) visit(e);
  for (const Expr& e : model.assumes) visit(e);
  for (const Edge& edge : model.edges) {
    if (edge.guard) visit(*edge.guard);
    for (const ChooseVar& c : edge.chooses) {
      visit(c.lo);
      visit(c.hi);
    }
    for (const Update& u : edge.updates) {
      visit(u.target);
      visit(u.value);
    }
  }
  for (const Instance& inst : model.instances)
    for (const Location& loc : inst.locations)
      if (loc.invariant) visit(*loc.invariant);
  for (const Property& p : model.properties) {
    if (p.a) visit(*p.a);
    if (p.b) visit(*p.b);
    if (p.within) visit(*p.within);
  }
}

}  // namespace interlock

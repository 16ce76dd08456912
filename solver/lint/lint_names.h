// How lint names machines, states and edges: a machine with copies (`machine Link[i : 0..3]`) is
// named once, `Link`, for all of them, since its copies share their states, edges and places in
// the spec; a machine without copies by its instance's name.
#pragma once

#include <map>
#include <string>

#include "model/model.h"

namespace interlock {

class LintNames {
 public:
  explicit LintNames(const Model& model) : model_(model) {
    for (const Instance& i : model.instances) ++copies_[i.machine];
  }

  // How many copies the instance's machine has (1 without an index).
  int copies(int instance) const { return copies_.at(model_.instances[static_cast<std::size_t>(instance)].machine); }
  bool has_copies(int instance) const { return copies(instance) > 1; }
  std::string machine(int instance) const {
    const Instance& i = model_.instances[static_cast<std::size_t>(instance)];
    return has_copies(instance) ? i.machine : i.name;
  }
  // "Dump: Waiting -> Running"
  std::string edge(int e) const { return edge_of(e, false); }
  // "P[2]: Wait -> Crit": the edge of one copy, for what holds of that copy alone.
  std::string copy_edge(int e) const { return edge_of(e, true); }

 private:
  std::string edge_of(int e, bool copy) const {
    const Edge& edge = model_.edges[static_cast<std::size_t>(e)];
    const Instance& i = model_.instances[static_cast<std::size_t>(edge.instance)];
    return (copy ? i.name : machine(edge.instance)) + ": " + i.locations[static_cast<std::size_t>(edge.src)].name + " -> " +
           i.locations[static_cast<std::size_t>(edge.dst)].name;
  }

  const Model& model_;
  std::map<std::string, int> copies_;  // per declared machine
};

}  // namespace interlock

#include "model/static_facts.h"

#include <algorithm>

namespace interlock {
namespace {

// A value known without a state: a constant, or a parameter that has one.
std::optional<int64_t> known_value(const Model& model, const Expr& e) {
  if (e.op == Expr::Op::Const) return e.value;
  if (e.op == Expr::Op::Param && model.params[static_cast<std::size_t>(e.value)].value)
    return *model.params[static_cast<std::size_t>(e.value)].value;
  return std::nullopt;
}

}  // namespace

StaticFacts static_facts(const Model& model) {
  StaticFacts facts;
  for (const Instance& inst : model.instances) {
    std::vector<bool> seen(inst.locations.size(), false);
    std::vector<int> stack = {inst.initial};
    seen[static_cast<std::size_t>(inst.initial)] = true;
    while (!stack.empty()) {
      const int at = stack.back();
      stack.pop_back();
      for (int e : inst.edges) {
        const Edge& edge = model.edges[static_cast<std::size_t>(e)];
        if (edge.src != at || seen[static_cast<std::size_t>(edge.dst)]) continue;
        seen[static_cast<std::size_t>(edge.dst)] = true;
        stack.push_back(edge.dst);
      }
    }
    std::vector<int> reachable;
    for (std::size_t l = 0; l < seen.size(); ++l)
      if (seen[l]) reachable.push_back(static_cast<int>(l));
    facts.locations.push_back(std::move(reachable));
  }
  // Variables: the initial value, then every value an update can store; unknown as soon as one
  // update stores something other than a known value.
  facts.values.resize(model.slots.size());
  std::vector<bool> unknown(model.slots.size(), false);
  for (std::size_t s = 0; s < model.slots.size(); ++s) {
    if (model.slots[s].kind != Slot::Kind::Var) {
      unknown[s] = true;
      continue;
    }
    std::optional<int64_t> init = known_value(model, model.initial[s]);
    if (init) facts.values[s] = std::vector<int64_t>{*init};
    else unknown[s] = true;
  }
  for (const Edge& edge : model.edges)
    for (const Update& u : edge.updates) {
      const int first = static_cast<int>(u.target.value);
      const int count = u.target.op == Expr::Op::Element ? u.target.size : 1;
      const std::optional<int64_t> v = known_value(model, u.value);
      for (int s = first; s < first + count; ++s) {
        if (unknown[static_cast<std::size_t>(s)]) continue;
        if (!v) {
          unknown[static_cast<std::size_t>(s)] = true;
          continue;
        }
        facts.values[static_cast<std::size_t>(s)]->push_back(*v);
      }
    }
  for (std::size_t s = 0; s < model.slots.size(); ++s) {
    if (unknown[s]) {
      facts.values[s].reset();
      continue;
    }
    std::vector<int64_t>& v = *facts.values[s];
    std::sort(v.begin(), v.end());
    v.erase(std::unique(v.begin(), v.end()), v.end());
  }
  return facts;
}

}  // namespace interlock

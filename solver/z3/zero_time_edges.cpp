#include "solver/z3/zero_time_edges.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <utility>

#include "model/intervals.h"

namespace interlock {

namespace {

constexpr std::size_t kMostClocksSplit = 4;  // 2^4 ways to choose what each clock's walks avoid

// Strongly connected components of a graph on `n` nodes (Tarjan's algorithm, iterative).
std::vector<int> components(int n, const std::vector<std::pair<int, int>>& arcs) {
  std::vector<std::vector<int>> out(static_cast<std::size_t>(n));
  for (const auto& [a, b] : arcs) out[static_cast<std::size_t>(a)].push_back(b);
  std::vector<int> index(n, -1), low(n, 0), comp(n, -1), stack;
  std::vector<bool> on_stack(n, false);
  int next = 0, count = 0;
  for (int root = 0; root < n; ++root) {
    if (index[root] >= 0) continue;
    std::vector<std::pair<int, std::size_t>> work = {{root, 0}};  // node, next arc to follow
    index[root] = low[root] = next++;
    stack.push_back(root);
    on_stack[root] = true;
    while (!work.empty()) {
      auto& [v, arc] = work.back();
      const std::vector<int>& succ = out[static_cast<std::size_t>(v)];
      if (arc < succ.size()) {
        const int w = succ[arc++];
        if (index[w] < 0) {
          index[w] = low[w] = next++;
          stack.push_back(w);
          on_stack[w] = true;
          work.emplace_back(w, 0);
        } else if (on_stack[w]) {
          low[v] = std::min(low[v], index[w]);
        }
        continue;
      }
      if (low[v] == index[v]) {
        int w = -1;
        do {
          w = stack.back();
          stack.pop_back();
          on_stack[w] = false;
          comp[w] = count;
        } while (w != v);
        ++count;
      }
      const int done = v;
      work.pop_back();
      if (!work.empty()) low[work.back().first] = std::min(low[work.back().first], low[done]);
    }
  }
  return comp;
}

// The least value a conjunct of `guard` makes `clock` have (x == e, x >= e, x > e, either way
// round), over every state and choice; none if no top-level conjunct bounds it from below.
std::optional<__int128> least_from_guard(const Model& model, const Edge& edge, const Expr& guard, int clock) {
  using Op = Expr::Op;
  if (guard.op == Op::And) {
    std::optional<__int128> a = least_from_guard(model, edge, guard.kids[0], clock);
    std::optional<__int128> b = least_from_guard(model, edge, guard.kids[1], clock);
    if (a && b) return std::max(*a, *b);
    return a ? a : b;
  }
  auto is_clock = [&](const Expr& x) { return x.op == Op::Slot && x.value == clock; };
  Op op = guard.op;
  const Expr* other = nullptr;
  if (guard.kids.size() == 2 && is_clock(guard.kids[0])) {
    other = &guard.kids[1];
  } else if (guard.kids.size() == 2 && is_clock(guard.kids[1])) {
    other = &guard.kids[0];
    // e <= x is x >= e, and so on.
    if (op == Op::Le) op = Op::Ge;
    else if (op == Op::Lt) op = Op::Gt;
    else if (op == Op::Ge) op = Op::Le;
    else if (op == Op::Gt) op = Op::Lt;
  }
  if (!other || (op != Op::Eq && op != Op::Ge && op != Op::Gt)) return std::nullopt;
  IntervalEval intervals(model, &edge);
  const Range r = intervals.eval(*other);
  return op == Op::Gt ? r.lo + 1 : r.lo;
}

// Per clock slot: the largest value an update gives it, when only its own machine updates it
// (a clock that is never reset cannot make a walk wait).
std::vector<std::optional<__int128>> highest_resets(const Model& model) {
  std::vector<std::optional<__int128>> highest(model.slots.size());
  std::vector<bool> elsewhere(model.slots.size(), false);
  for (const Edge& edge : model.edges)
    for (const Update& u : edge.updates) {
      if (u.target.op == Expr::Op::Element) {  // clocks are not array elements; if one were, no bound on it
        for (int k = 0; k < u.target.size; ++k) elsewhere[static_cast<std::size_t>(u.target.value + k)] = true;
        continue;
      }
      if (u.target.op != Expr::Op::Slot) continue;
      const std::size_t slot = static_cast<std::size_t>(u.target.value);
      if (model.slots[slot].kind != Slot::Kind::Clock) continue;
      if (model.slots[slot].instance != edge.instance) elsewhere[slot] = true;
      const __int128 hi = IntervalEval(model, &edge).eval(u.value).hi;
      highest[slot] = highest[slot] ? std::max(*highest[slot], hi) : hi;
    }
  for (std::size_t slot = 0; slot < highest.size(); ++slot)
    if (elsewhere[slot]) highest[slot].reset();
  return highest;
}

// The edges of `instance` among `usable` that lie on some closed walk which, for every clock of
// the machine, avoids its resets or its edges that need time.
std::vector<int> on_timeless_walks(const Model& model, int instance, const std::vector<bool>& usable,
                                   const std::vector<std::optional<__int128>>& highest) {
  const Instance& inst = model.instances[static_cast<std::size_t>(instance)];
  std::vector<int> edges;
  for (int e : inst.edges)
    if (usable[static_cast<std::size_t>(e)]) edges.push_back(e);
  // For each clock of this machine: its resets and its edges that need time after one.
  std::vector<std::pair<std::vector<bool>, std::vector<bool>>> splits;  // (resets, waits), per edge position
  for (std::size_t slot = 0; slot < model.slots.size(); ++slot) {
    if (model.slots[slot].kind != Slot::Kind::Clock || model.slots[slot].instance != instance || !highest[slot]) continue;
    std::vector<bool> resets(edges.size(), false), waits(edges.size(), false);
    bool some_wait = false;
    for (std::size_t k = 0; k < edges.size(); ++k) {
      const Edge& edge = model.edges[static_cast<std::size_t>(edges[k])];
      for (const Update& u : edge.updates) resets[k] = resets[k] || (u.target.op == Expr::Op::Slot && static_cast<std::size_t>(u.target.value) == slot);
      if (!edge.guard) continue;
      std::optional<__int128> least = least_from_guard(model, edge, *edge.guard, static_cast<int>(slot));
      waits[k] = least && *least > *highest[slot];
      some_wait = some_wait || waits[k];
    }
    if (some_wait) splits.emplace_back(std::move(resets), std::move(waits));
  }
  if (splits.size() > kMostClocksSplit) splits.resize(kMostClocksSplit);  // fewer splits: more edges kept, still sound
  std::vector<bool> on_walk(edges.size(), false);
  const int locations = static_cast<int>(inst.locations.size());
  for (uint32_t choice = 0; choice < (1u << splits.size()); ++choice) {
    std::vector<bool> kept(edges.size(), true);
    for (std::size_t c = 0; c < splits.size(); ++c) {
      const std::vector<bool>& avoided = (choice >> c) & 1u ? splits[c].second : splits[c].first;
      for (std::size_t k = 0; k < edges.size(); ++k) kept[k] = kept[k] && !avoided[k];
    }
    std::vector<std::pair<int, int>> arcs;
    for (std::size_t k = 0; k < edges.size(); ++k)
      if (kept[k]) arcs.emplace_back(model.edges[static_cast<std::size_t>(edges[k])].src, model.edges[static_cast<std::size_t>(edges[k])].dst);
    const std::vector<int> comp = components(locations, arcs);
    for (std::size_t k = 0; k < edges.size(); ++k) {
      const Edge& edge = model.edges[static_cast<std::size_t>(edges[k])];
      if (kept[k] && comp[static_cast<std::size_t>(edge.src)] == comp[static_cast<std::size_t>(edge.dst)]) on_walk[k] = true;
    }
  }
  std::vector<int> out;
  for (std::size_t k = 0; k < edges.size(); ++k)
    if (on_walk[k]) out.push_back(edges[k]);
  return out;
}

}  // namespace

std::vector<bool> zero_time_edges(const Model& model) {
  const std::vector<std::optional<__int128>> highest = highest_resets(model);
  std::vector<bool> usable(model.edges.size(), true);
  for (bool changed = true; changed;) {
    std::vector<bool> next(model.edges.size(), false);
    for (std::size_t i = 0; i < model.instances.size(); ++i)
      for (int e : on_timeless_walks(model, static_cast<int>(i), usable, highest)) next[static_cast<std::size_t>(e)] = true;
    // A synchronised edge needs a partner in another machine that may be on such a cycle too (a
    // broadcast emitter needs none): per channel and direction, the machines that have one.
    std::vector<std::vector<int>> emitters(model.channels.size()), receivers(model.channels.size());
    for (std::size_t e = 0; e < model.edges.size(); ++e) {
      const Edge& edge = model.edges[e];
      if (!next[e] || edge.sync == SyncKind::None) continue;
      std::vector<int>& machines = (edge.sync == SyncKind::Emit ? emitters : receivers)[static_cast<std::size_t>(edge.channel)];
      if (machines.size() < 2 && std::find(machines.begin(), machines.end(), edge.instance) == machines.end())
        machines.push_back(edge.instance);
    }
    std::vector<bool> partnered = next;
    for (std::size_t e = 0; e < model.edges.size(); ++e) {
      const Edge& edge = model.edges[e];
      if (!next[e] || edge.sync == SyncKind::None) continue;
      if (edge.sync == SyncKind::Emit && model.channels[static_cast<std::size_t>(edge.channel)].broadcast) continue;
      const std::vector<int>& others = (edge.sync == SyncKind::Emit ? receivers : emitters)[static_cast<std::size_t>(edge.channel)];
      partnered[e] = others.size() > 1 || (others.size() == 1 && others[0] != edge.instance);
    }
    changed = partnered != usable;
    usable = std::move(partnered);
  }
  return usable;
}

}  // namespace interlock

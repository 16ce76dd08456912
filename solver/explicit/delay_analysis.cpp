#include "solver/explicit/delay_analysis.h"

#include <algorithm>
#include <deque>
#include <span>
#include <stdexcept>

#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/strong_components.hpp>

namespace interlock {
namespace {

using Csr = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                               boost::no_property, uint32_t, uint64_t>;

constexpr uint32_t kNone = UINT32_MAX;

}  // namespace

std::vector<bool> reachable_within(const TransitionGraph& graph, const std::vector<uint32_t>& starts,
                                   const std::vector<bool>& allowed) {
  std::vector<bool> seen(allowed.size(), false);
  std::vector<uint32_t> stack;
  for (uint32_t s : starts)
    if (allowed[s] && !seen[s]) {
      seen[s] = true;
      stack.push_back(s);
    }
  while (!stack.empty()) {
    const uint32_t u = stack.back();
    stack.pop_back();
    for (uint32_t v : graph.successors(u)) {
      if (seen[v] || !allowed[v]) continue;
      seen[v] = true;
      stack.push_back(v);
    }
  }
  return seen;
}

struct DelayAnalysis::Impl {
  const TransitionGraph& graph;
  std::vector<bool> region;
  std::vector<uint32_t> comp;          // per state in the region: its component
  uint32_t cyclic_count = 0;           // components numbered by Tarjan's algorithm: 0 .. this - 1
  std::vector<uint32_t> singles;       // the other components' one state each, in their order
  std::vector<int64_t> dist;           // per component: the most ticks until q
  std::vector<uint8_t> fair;           // per component: has a tick inside (time can pass forever)
  std::vector<uint8_t> zero_time;      // per component: a cycle without a tick, and no tick inside
  std::vector<uint8_t> stop_reachable; // per component: reaches a timelock or a zero-time cycle
  mutable std::vector<uint32_t> parent;  // scratch for searches, kNone when unvisited

  Impl(const TransitionGraph& transitions, std::vector<bool> in_region)
      : graph(transitions), region(std::move(in_region)) {
    comp.assign(graph.states(), kNone);
    analyse(components_of_region());
  }

  // The region's components, numbered so that every component a state can reach has a smaller
  // number. The region's own graph is built with its states numbered densely. States that no
  // cycle leads to are peeled off first, in topological order (Kahn's algorithm, forward): each
  // is a component of its own, and what no cycle leads to is often most of a region (time moves
  // on). Tarjan's algorithm (Boost's strong_components) numbers the rest, which nothing peeled
  // is reachable from; the peeled states then follow in reverse order.
  uint32_t components_of_region() {
    std::vector<uint32_t> local(comp.size(), kNone), global;
    for (uint32_t v = 0; v < comp.size(); ++v)
      if (region[v]) {
        local[v] = static_cast<uint32_t>(global.size());
        global.push_back(v);
      }
    const uint32_t n = static_cast<uint32_t>(global.size());
    std::vector<uint64_t> first(n + 1, 0);
    std::vector<uint32_t> targets;
    for (uint32_t i = 0; i < n; ++i) {
      for (uint32_t v : graph.successors(global[i]))
        if (local[v] != kNone) targets.push_back(local[v]);
      first[i + 1] = targets.size();
    }
    local = {};

    // Ready states are taken last in, first out: a state's successors are then peeled soon after
    // it, and analyse(), walking the other way, finds them still in the cache.
    std::vector<uint32_t> waiting(n, 0);  // per state: edges into it from states not yet peeled
    for (uint32_t t : targets) ++waiting[t];
    std::vector<uint32_t> peeled, ready;
    peeled.reserve(n);
    for (uint32_t i = n; i-- > 0;)
      if (waiting[i] == 0) ready.push_back(i);
    while (!ready.empty()) {
      const uint32_t u = ready.back();
      ready.pop_back();
      peeled.push_back(u);
      for (uint64_t e = first[u]; e < first[u + 1]; ++e)
        if (--waiting[targets[e]] == 0) ready.push_back(targets[e]);
    }

    cyclic_count = peeled.size() < n ? components_of_rest(global, first, targets, waiting) : 0;
    uint32_t count = cyclic_count;
    singles.reserve(peeled.size());
    for (auto it = peeled.rbegin(); it != peeled.rend(); ++it) {
      comp[global[*it]] = count++;
      singles.push_back(global[*it]);
    }
    return count;
  }

  // Tarjan's algorithm on the states of the region graph (global, first, targets) that a cycle
  // leads to (waiting > 0); their successors are all such states too.
  uint32_t components_of_rest(const std::vector<uint32_t>& global, const std::vector<uint64_t>& first,
                              const std::vector<uint32_t>& targets, const std::vector<uint32_t>& waiting) {
    std::vector<uint32_t> rest(global.size(), kNone), members;
    for (uint32_t i = 0; i < global.size(); ++i)
      if (waiting[i] > 0) {
        rest[i] = static_cast<uint32_t>(members.size());
        members.push_back(i);
      }
    std::vector<uint32_t> sources, ends;
    for (uint32_t j = 0; j < members.size(); ++j)
      for (uint64_t e = first[members[j]]; e < first[members[j] + 1]; ++e) {
        sources.push_back(j);
        ends.push_back(rest[targets[e]]);
      }
    Csr inside(boost::construct_inplace_from_sources_and_targets, sources, ends, static_cast<uint32_t>(members.size()));
    std::vector<uint32_t> inside_comp(members.size());
    const uint32_t count = static_cast<uint32_t>(boost::strong_components(
        inside, boost::make_iterator_property_map(inside_comp.begin(), boost::get(boost::vertex_index, inside))));
    for (uint32_t j = 0; j < members.size(); ++j) comp[global[members[j]]] = inside_comp[j];
    return count;
  }

  int64_t tick_weight(uint32_t from, uint32_t to) const { return graph.is_tick(from, to) ? 1 : 0; }

  // Components are numbered by Tarjan's algorithm as they complete, so every component a state
  // can reach has a smaller number: one pass in increasing order sees successors first.
  // The members of the components Tarjan's algorithm found are sorted out by component here;
  // each peeled component has its one member in `singles`.
  void analyse(uint32_t count) {
    std::vector<uint64_t> start(cyclic_count + 1, 0);
    for (uint32_t v = 0; v < comp.size(); ++v)
      if (comp[v] < cyclic_count) ++start[comp[v] + 1];
    for (uint32_t c = 0; c < cyclic_count; ++c) start[c + 1] += start[c];
    std::vector<uint32_t> members(start[cyclic_count]);
    std::vector<uint64_t> fill(start.begin(), start.end() - 1);
    for (uint32_t v = 0; v < comp.size(); ++v)
      if (comp[v] < cyclic_count) members[fill[comp[v]]++] = v;
    auto members_of = [&](uint32_t c) -> std::span<const uint32_t> {
      if (c >= cyclic_count) return {&singles[c - cyclic_count], 1};
      return {members.data() + start[c], members.data() + start[c + 1]};
    };

    dist.assign(count, 0);
    fair.assign(count, 0);
    zero_time.assign(count, 0);
    stop_reachable.assign(count, 0);
    for (uint32_t c = 0; c < count; ++c) {
      int64_t best = 0;
      const std::span<const uint32_t> inside = members_of(c);
      bool unbounded = false, cycle = inside.size() > 1, stops = false;
      for (const uint32_t u : inside) {
        if (graph.successors(u).empty()) stops = true;  // a timelock
        for (uint32_t v : graph.successors(u)) {
          const int64_t w = tick_weight(u, v);
          if (!region[v]) {
            best = std::max(best, w);
          } else if (comp[v] == c) {
            if (w) fair[c] = 1;
            if (v == u) cycle = true;
          } else {
            if (comp[v] > c) throw std::logic_error("internal error: components out of topological order");
            if (dist[comp[v]] == kUnbounded) unbounded = true;
            else best = std::max(best, w + dist[comp[v]]);
            if (stop_reachable[comp[v]]) stops = true;
          }
        }
      }
      dist[c] = fair[c] || unbounded ? kUnbounded : best;
      zero_time[c] = cycle && !fair[c];
      stop_reachable[c] = stops || zero_time[c];
    }
  }

  // A shortest path from `from` to a state satisfying `goal`, moving only through states that
  // satisfy `allowed` (from included). Empty if there is none.
  template <class Allowed, class Goal>
  std::vector<uint32_t> search(uint32_t from, Allowed allowed, Goal goal) const {
    parent.resize(comp.size(), kNone);
    std::vector<uint32_t> touched{from};
    std::deque<uint32_t> queue{from};
    parent[from] = from;
    uint32_t found = kNone;
    while (!queue.empty() && found == kNone) {
      uint32_t u = queue.front();
      queue.pop_front();
      if (goal(u)) { found = u; break; }
      for (uint32_t v : graph.successors(u)) {
        if (parent[v] != kNone || !allowed(v)) continue;
        parent[v] = u;
        touched.push_back(v);
        queue.push_back(v);
      }
    }
    std::vector<uint32_t> path;
    for (uint32_t v = found; v != kNone; v = v == from ? kNone : parent[v]) path.push_back(v);
    std::reverse(path.begin(), path.end());
    for (uint32_t v : touched) parent[v] = kNone;
    return path;
  }

  // Appends `more` to `run`, whose last state is more's first.
  static void extend(std::vector<uint32_t>& run, const std::vector<uint32_t>& more) {
    if (more.empty()) throw std::logic_error("internal error: a delay run is broken");
    run.insert(run.end(), more.begin() + 1, more.end());
  }

  // From `entry`, around a cycle inside entry's component that passes `from -> to` and back.
  void close_cycle(Run& run, uint32_t entry, uint32_t from, uint32_t to) const {
    const uint32_t c = comp[entry];
    auto in_comp = [&](uint32_t v) { return region[v] && comp[v] == c; };
    run.loop_start = static_cast<int>(run.states.size()) - 1;
    extend(run.states, search(entry, in_comp, [&](uint32_t v) { return v == from; }));
    run.states.push_back(to);
    extend(run.states, search(to, in_comp, [&](uint32_t v) { return v == entry; }));
  }

  // An edge inside component c that satisfies `want`, as (from, to).
  template <class Want>
  std::pair<uint32_t, uint32_t> edge_inside(uint32_t near, Want want) const {
    const uint32_t c = comp[near];
    std::vector<uint32_t> reach = search(near, [&](uint32_t v) { return region[v] && comp[v] == c; }, [&](uint32_t u) {
      for (uint32_t v : graph.successors(u)) {
        if (region[v] && comp[v] == c && want(u, v)) return true;
      }
      return false;
    });
    if (reach.empty()) throw std::logic_error("internal error: no cycle edge in a component");
    const uint32_t u = reach.back();
    for (uint32_t v : graph.successors(u)) {
      if (region[v] && comp[v] == c && want(u, v)) return {u, v};
    }
    throw std::logic_error("internal error: a cycle edge disappeared");
  }
};

DelayAnalysis::DelayAnalysis(const TransitionGraph& graph, std::vector<bool> in_region)
    : impl_(std::make_unique<Impl>(graph, std::move(in_region))) {}

DelayAnalysis::~DelayAnalysis() = default;

int64_t DelayAnalysis::worst(uint32_t state) const { return impl_->dist.at(impl_->comp.at(state)); }

bool DelayAnalysis::time_can_stop(uint32_t state) const { return impl_->stop_reachable.at(impl_->comp.at(state)); }

DelayAnalysis::Run DelayAnalysis::forever(uint32_t state) const {
  const Impl& a = *impl_;
  Run run;
  run.states = a.search(state, [&](uint32_t v) { return a.region[v]; }, [&](uint32_t v) { return a.fair[a.comp[v]] != 0; });
  if (run.states.empty()) throw std::logic_error("internal error: no cycle where time passes forever");
  const uint32_t entry = run.states.back();
  auto [from, to] = a.edge_inside(entry, [&](uint32_t u, uint32_t v) { return a.graph.is_tick(u, v); });
  a.close_cycle(run, entry, from, to);
  return run;
}

DelayAnalysis::Run DelayAnalysis::longest(uint32_t state, int64_t max_ticks) const {
  const Impl& a = *impl_;
  Run run;
  run.states.push_back(state);
  int64_t ticks = 0;
  uint32_t x = state;
  while (ticks <= max_ticks) {
    const uint32_t c = a.comp[x];
    const int64_t need = a.dist[c];
    if (need == kUnbounded) throw std::logic_error("internal error: longest run asked of an unbounded delay");
    // Inside a component without ticks every state has the same delay: walk to an exit that keeps it.
    auto keeps = [&](uint32_t u, uint32_t v) {
      int64_t w = a.tick_weight(u, v);
      if (!a.region[v]) return w == need;
      return a.comp[v] != c && w + a.dist[a.comp[v]] == need;
    };
    std::vector<uint32_t> walk = a.search(x, [&](uint32_t v) { return a.region[v] && a.comp[v] == c; }, [&](uint32_t u) {
      for (uint32_t v : a.graph.successors(u))
        if (keeps(u, v)) return true;
      return false;
    });
    if (walk.empty()) {  // nothing leaves this component: the run ends in a timelock
      run.timelock = true;
      break;
    }
    Impl::extend(run.states, walk);
    const uint32_t u = walk.back();
    uint32_t next = kNone;
    for (uint32_t v : a.graph.successors(u)) {
      if (keeps(u, v)) { next = v; break; }
    }
    if (next == kNone) throw std::logic_error("internal error: an exit of a component disappeared");
    ticks += a.tick_weight(u, next);
    run.states.push_back(next);
    if (!a.region[next]) break;
    x = next;
  }
  return run;
}

DelayAnalysis::Run DelayAnalysis::to_time_stop(uint32_t state) const {
  const Impl& a = *impl_;
  Run run;
  run.states = a.search(state, [&](uint32_t v) { return a.region[v]; }, [&](uint32_t v) {
    return a.graph.successors(v).empty() || a.zero_time[a.comp[v]] != 0;
  });
  if (run.states.empty()) throw std::logic_error("internal error: no timelock or zero-time cycle");
  const uint32_t end = run.states.back();
  if (a.graph.successors(end).empty()) {
    run.timelock = true;
    return run;
  }
  auto [from, to] = a.edge_inside(end, [](uint32_t, uint32_t) { return true; });
  a.close_cycle(run, end, from, to);
  return run;
}

}  // namespace interlock

#include "solver/delay_analysis.h"

#include <algorithm>
#include <deque>
#include <stdexcept>

#include <boost/graph/compressed_sparse_row_graph.hpp>
#include <boost/graph/strong_components.hpp>
#include <boost/range/iterator_range.hpp>

namespace interlock {
namespace {

using Csr = boost::compressed_sparse_row_graph<boost::directedS, boost::no_property, boost::no_property,
                                               boost::no_property, uint32_t, uint64_t>;

constexpr uint32_t kNone = UINT32_MAX;

}  // namespace

struct SuccessorIndex::Graph {
  Csr csr;
};

SuccessorIndex::SuccessorIndex(TransitionGraph& graph)
    : transitions_(graph),
      graph_(new Graph{Csr(boost::construct_inplace_from_sources_and_targets, graph.sources, graph.targets,
                           static_cast<uint32_t>(graph.tick.size()))}) {
  graph.sources = {};
  graph.targets = {};
}

SuccessorIndex::~SuccessorIndex() = default;

std::vector<bool> SuccessorIndex::reachable_within(const std::vector<uint32_t>& starts, const std::vector<bool>& allowed) const {
  std::vector<bool> seen(allowed.size(), false);
  std::vector<uint32_t> stack;
  for (uint32_t s : starts)
    if (allowed[s] && !seen[s]) {
      seen[s] = true;
      stack.push_back(s);
    }
  const Csr& g = graph_->csr;
  while (!stack.empty()) {
    const uint32_t u = stack.back();
    stack.pop_back();
    for (auto e : boost::make_iterator_range(boost::out_edges(u, g))) {
      const uint32_t v = static_cast<uint32_t>(boost::target(e, g));
      if (seen[v] || !allowed[v]) continue;
      seen[v] = true;
      stack.push_back(v);
    }
  }
  return seen;
}

struct DelayAnalysis::Impl {
  const TransitionGraph& transitions;
  std::vector<bool> region;
  const Csr& graph;
  std::vector<uint32_t> comp;          // per state in the region: its component
  std::vector<int64_t> dist;           // per component: the most ticks until q
  std::vector<uint8_t> fair;           // per component: has a tick inside (time can pass forever)
  std::vector<uint8_t> zero_time;      // per component: a cycle without a tick, and no tick inside
  std::vector<uint8_t> stop_reachable; // per component: reaches a timelock or a zero-time cycle
  mutable std::vector<uint32_t> parent;  // scratch for searches, kNone when unvisited

  Impl(const SuccessorIndex& index, const Csr& csr, std::vector<bool> in_region)
      : transitions(index.transitions()), region(std::move(in_region)), graph(csr) {
    comp.assign(transitions.tick.size(), kNone);
    analyse(components_of_region());
  }

  // Tarjan's algorithm (Boost's strong_components) on the region's own graph, its states
  // numbered densely: a filtered view of the whole graph tests every state and edge instead.
  uint32_t components_of_region() {
    std::vector<uint32_t> local(comp.size(), kNone), global;
    for (uint32_t v = 0; v < comp.size(); ++v)
      if (region[v]) {
        local[v] = static_cast<uint32_t>(global.size());
        global.push_back(v);
      }
    std::vector<uint32_t> sources, targets;
    for (uint32_t i = 0; i < global.size(); ++i)
      for (auto e : boost::make_iterator_range(boost::out_edges(global[i], graph))) {
        const uint32_t v = static_cast<uint32_t>(boost::target(e, graph));
        if (local[v] == kNone) continue;
        sources.push_back(i);
        targets.push_back(local[v]);
      }
    local = {};
    Csr inside(boost::construct_inplace_from_sources_and_targets, sources, targets, static_cast<uint32_t>(global.size()));
    std::vector<uint32_t> inside_comp(global.size());
    const uint32_t count = static_cast<uint32_t>(boost::strong_components(
        inside, boost::make_iterator_property_map(inside_comp.begin(), boost::get(boost::vertex_index, inside))));
    for (uint32_t i = 0; i < global.size(); ++i) comp[global[i]] = inside_comp[i];
    return count;
  }

  int64_t tick_weight(uint32_t from, uint32_t to) const { return transitions.is_tick(from, to) ? 1 : 0; }

  // Components are numbered by Tarjan's algorithm as they complete, so every component a state
  // can reach has a smaller number: one pass in increasing order sees successors first.
  void analyse(uint32_t count) {
    std::vector<uint64_t> start(count + 1, 0);
    for (uint32_t v = 0; v < comp.size(); ++v)
      if (comp[v] != kNone) ++start[comp[v] + 1];
    for (uint32_t c = 0; c < count; ++c) start[c + 1] += start[c];
    std::vector<uint32_t> members(start[count]);
    std::vector<uint64_t> fill(start.begin(), start.end() - 1);
    for (uint32_t v = 0; v < comp.size(); ++v)
      if (comp[v] != kNone) members[fill[comp[v]]++] = v;

    dist.assign(count, 0);
    fair.assign(count, 0);
    zero_time.assign(count, 0);
    stop_reachable.assign(count, 0);
    for (uint32_t c = 0; c < count; ++c) {
      int64_t best = 0;
      bool unbounded = false, cycle = start[c + 1] - start[c] > 1, stops = false;
      for (uint64_t m = start[c]; m < start[c + 1]; ++m) {
        const uint32_t u = members[m];
        if (boost::out_degree(u, graph) == 0) stops = true;  // a timelock
        for (auto e : boost::make_iterator_range(boost::out_edges(u, graph))) {
          const uint32_t v = static_cast<uint32_t>(boost::target(e, graph));
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
      for (auto e : boost::make_iterator_range(boost::out_edges(u, graph))) {
        const uint32_t v = static_cast<uint32_t>(boost::target(e, graph));
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
      for (auto e : boost::make_iterator_range(boost::out_edges(u, graph))) {
        uint32_t v = static_cast<uint32_t>(boost::target(e, graph));
        if (region[v] && comp[v] == c && want(u, v)) return true;
      }
      return false;
    });
    if (reach.empty()) throw std::logic_error("internal error: no cycle edge in a component");
    const uint32_t u = reach.back();
    for (auto e : boost::make_iterator_range(boost::out_edges(u, graph))) {
      uint32_t v = static_cast<uint32_t>(boost::target(e, graph));
      if (region[v] && comp[v] == c && want(u, v)) return {u, v};
    }
    throw std::logic_error("internal error: a cycle edge disappeared");
  }
};

DelayAnalysis::DelayAnalysis(const SuccessorIndex& index, std::vector<bool> in_region)
    : impl_(std::make_unique<Impl>(index, index.graph_->csr, std::move(in_region))) {}

DelayAnalysis::~DelayAnalysis() = default;

int64_t DelayAnalysis::worst(uint32_t state) const { return impl_->dist.at(impl_->comp.at(state)); }

bool DelayAnalysis::time_can_stop(uint32_t state) const { return impl_->stop_reachable.at(impl_->comp.at(state)); }

DelayAnalysis::Run DelayAnalysis::forever(uint32_t state) const {
  const Impl& a = *impl_;
  Run run;
  run.states = a.search(state, [&](uint32_t v) { return a.region[v]; }, [&](uint32_t v) { return a.fair[a.comp[v]] != 0; });
  if (run.states.empty()) throw std::logic_error("internal error: no cycle where time passes forever");
  const uint32_t entry = run.states.back();
  auto [from, to] = a.edge_inside(entry, [&](uint32_t u, uint32_t v) { return a.transitions.is_tick(u, v); });
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
      for (auto e : boost::make_iterator_range(boost::out_edges(u, a.graph)))
        if (keeps(u, static_cast<uint32_t>(boost::target(e, a.graph)))) return true;
      return false;
    });
    if (walk.empty()) {  // nothing leaves this component: the run ends in a timelock
      run.timelock = true;
      break;
    }
    Impl::extend(run.states, walk);
    const uint32_t u = walk.back();
    uint32_t next = kNone;
    for (auto e : boost::make_iterator_range(boost::out_edges(u, a.graph))) {
      uint32_t v = static_cast<uint32_t>(boost::target(e, a.graph));
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
    return boost::out_degree(v, a.graph) == 0 || a.zero_time[a.comp[v]] != 0;
  });
  if (run.states.empty()) throw std::logic_error("internal error: no timelock or zero-time cycle");
  const uint32_t end = run.states.back();
  if (boost::out_degree(end, a.graph) == 0) {
    run.timelock = true;
    return run;
  }
  auto [from, to] = a.edge_inside(end, [](uint32_t, uint32_t) { return true; });
  a.close_cycle(run, end, from, to);
  return run;
}

}  // namespace interlock

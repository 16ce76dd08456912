// Static independence of actions (model/independence.h), which lets bmc search one order of
// neighbouring independent actions: by hand on a small model, and on random specs by taking
// every pair of independent actions in both orders from every reachable state.
#include <gtest/gtest.h>

#include <deque>
#include <map>

#include "model/independence.h"
#include "support/random_spec.h"
#include "support/test_models.h"

namespace interlock {
namespace {

int edge_of(const Model& m, const std::string& machine, const std::string& from, const std::string& to) {
  for (std::size_t e = 0; e < m.edges.size(); ++e)
    if (describe_edge(m, static_cast<int>(e), nullptr).find(machine + ": " + from + " -> " + to) == 0) return static_cast<int>(e);
  throw std::runtime_error("no edge " + machine + ": " + from + " -> " + to);
}

TEST(Independence, HandModel) {
  Model m = testing::model_from(R"(
    system ind;
    var x : 0..5 = 0;
    var y : 0..5 = 0;
    machine A { state A0; state A1; init A0; A0 -> A1 do x := 1; }
    machine B { state B0; state B1; init B0; B0 -> B1 when y == 0; }
    machine C { state C0; state C1; init C0; C0 -> C1 when x == 0; }
    machine D { clock u; state D0 { invariant u <= 3; } state D1; init D0; D0 -> D1 do u := 0; }
    machine E { clock v; state E0; state E1 { invariant v <= x + 2; } init E0; E0 -> E1 do v := 0; }
    invariant ok: x <= 5;
  )");
  auto fp = [&](const char* machine, const char* from, const char* to) {
    return footprint_of(m, {edge_of(m, machine, from, to)});
  };
  const auto invariants = invariant_reads(m);
  Footprint a = fp("A", "A0", "A1"), b = fp("B", "B0", "B1"), c = fp("C", "C0", "C1"), d = fp("D", "D0", "D1"),
            e = fp("E", "E0", "E1");
  EXPECT_TRUE(independent(a, b, invariants));   // x against y
  EXPECT_FALSE(independent(a, c, invariants));  // A writes the x that C's guard reads
  EXPECT_FALSE(independent(c, a, invariants));
  EXPECT_TRUE(independent(b, d, invariants));   // D's invariant reads only D's own clock
  // E's invariant reads x (written by A) and E's own state (entered by E's edge): in between,
  // the two could break it, so they are not independent.
  EXPECT_FALSE(independent(a, e, invariants));
  EXPECT_TRUE(independent(b, e, invariants));
  EXPECT_FALSE(independent(a, a, invariants));  // the same machine
}

// The footprint of a step as the encoding forms its groups: a broadcast with every edge that
// could receive it.
Footprint step_footprint(const Model& m, const Step& step) {
  std::vector<int> edges = step.edges;
  if (step.channel >= 0 && m.channels[step.channel].broadcast) {
    edges.resize(1);
    for (std::size_t e = 0; e < m.edges.size(); ++e)
      if (m.edges[e].sync == SyncKind::Receive && m.edges[e].channel == step.channel && m.edges[e].instance != m.edges[edges[0]].instance)
        edges.push_back(static_cast<int>(e));
  }
  return footprint_of(m, edges);
}

TEST(Independence, IndependentActionsCommuteOnRandomSpecs) {
  int pairs = 0;
  for (uint32_t seed = 1; seed <= 80; ++seed) {
    Model m = testing::model_from(testing::random_spec(seed));
    Semantics sem(m);
    const auto invariants = invariant_reads(m);
    const std::size_t n = m.slots.size();
    std::map<std::vector<int32_t>, bool> seen;
    std::deque<std::vector<int32_t>> queue;
    std::vector<int32_t> init;
    ModelFault fault;
    ASSERT_TRUE(sem.initial(init, fault));
    seen[init] = true;
    queue.push_back(init);
    while (!queue.empty() && seen.size() < 3000) {
      std::vector<int32_t> s = queue.front();
      queue.pop_front();
      s.resize(n + 1);
      std::vector<std::pair<Step, std::vector<int32_t>>> actions;
      sem.successors(s.data(), [&](const Step& step, const int32_t* next) {
        std::vector<int32_t> key(next, next + n);
        if (seen.emplace(key, true).second) queue.push_back(key);
        if (!step.tick) actions.emplace_back(step, key);
      }, fault);
      for (std::size_t i = 0; i < actions.size(); ++i)
        for (std::size_t j = i + 1; j < actions.size(); ++j) {
          const auto& [first, after_first] = actions[i];
          const auto& [second, after_second] = actions[j];
          if (!independent(step_footprint(m, first), step_footprint(m, second), invariants)) continue;
          ++pairs;
          std::vector<int32_t> from_first = after_first, from_second = after_second, one(n + 1), other(n + 1);
          from_first.resize(n + 1);
          from_second.resize(n + 1);
          ASSERT_EQ(sem.apply(from_first.data(), second, one.data(), fault), Applied::Taken) << "seed " << seed;
          ASSERT_EQ(sem.apply(from_second.data(), first, other.data(), fault), Applied::Taken) << "seed " << seed;
          EXPECT_TRUE(std::equal(one.begin(), one.begin() + n, other.begin())) << "seed " << seed;
        }
    }
  }
  EXPECT_GT(pairs, 1000);  // the check must have had something to check
}

}  // namespace
}  // namespace interlock

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
    if (describe_edge(m, static_cast<int>(e), nullptr, 0).find(machine + ": " + from + " -> " + to) == 0) return static_cast<int>(e);
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

// Calls visit(state) for up to 3000 reachable states of `m`, breadth first;
// the state has a spare slot at its end, as Semantics wants.
template <class Visit>
void for_each_reachable(const Model& m, Semantics& sem, Visit visit) {
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
    sem.successors(s.data(), [&](const Step&, const int32_t* next) {
      std::vector<int32_t> key(next, next + n);
      if (seen.emplace(key, true).second) queue.push_back(key);
    }, fault);
    visit(s);
  }
}

TEST(Independence, IndependentActionsCommuteOnRandomSpecs) {
  int pairs = 0;
  for (uint32_t seed = 1; seed <= 80; ++seed) {
    Model m = testing::model_from(testing::random_spec(seed));
    Semantics sem(m);
    const auto invariants = invariant_reads(m);
    const std::size_t n = m.slots.size();
    ModelFault fault;
    for_each_reachable(m, sem, [&](const std::vector<int32_t>& s) {
      std::vector<std::pair<Step, std::vector<int32_t>>> actions;
      sem.successors(s.data(), [&](const Step& step, const int32_t* next) {
        if (!step.tick) actions.emplace_back(step, std::vector<int32_t>(next, next + n));
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
    });
  }
  EXPECT_GT(pairs, 1000);  // the check must have had something to check
}

TEST(Independence, HandModelDelays) {
  Model m = testing::model_from(R"(
    system delays;
    var q : 0..3 = 0;
    machine U { state W; init W; W -> W when q < 3 do q := q + 1; }
    machine R { clock t; state I; state S { invariant t <= q; } init I; I -> S when t >= 1 do t := 0; S -> I when q > 0; }
    machine G { state A; urgent state B; init A; A -> B; B -> A; }
  )");
  ASSERT_TRUE(invariants_monotone_in_time(m));
  auto commutes = [&](const char* machine, const char* from, const char* to) {
    int e = edge_of(m, machine, from, to);
    return commutes_with_delay(m, footprint_of(m, {e}), {e}, asap_reads(m));
  };
  EXPECT_TRUE(commutes("U", "W", "W"));    // reads and writes only q
  EXPECT_FALSE(commutes("R", "I", "S"));   // reads and resets the clock
  EXPECT_TRUE(commutes("R", "S", "I"));    // leaves the bounded state without reading the clock
  EXPECT_FALSE(commutes("G", "A", "B"));   // enters an urgent state: no delay may follow
  // The language accepts only monotone invariants; a lower bound made by hand is not one.
  Model lower_bound = m;
  Location& s = lower_bound.instances[1].locations[1];
  ASSERT_TRUE(s.invariant);
  Expr negated;
  negated.op = Expr::Op::Not;
  negated.type = ValueType::Bool;
  negated.kids.push_back(*s.invariant);
  s.invariant = negated;
  EXPECT_FALSE(invariants_monotone_in_time(lower_bound));
}

// An action that commutes with delays, possible one tick after a state, was possible before it,
// and one tick after it ends where the action after the tick does.
TEST(Independence, ClockFreeActionsCommuteWithTicksOnRandomSpecs) {
  int checked = 0;
  for (uint32_t seed = 1; seed <= 80; ++seed) {
    Model m = testing::model_from(testing::random_spec(seed));
    if (!invariants_monotone_in_time(m)) continue;
    Semantics sem(m);
    const std::size_t n = m.slots.size();
    ModelFault fault;
    for_each_reachable(m, sem, [&](const std::vector<int32_t>& s) {
      std::vector<int32_t> ticked(n + 1);
      if (!sem.tick(s.data(), ticked.data(), fault)) return;
      std::vector<std::pair<Step, std::vector<int32_t>>> after_tick;
      sem.successors(ticked.data(), [&](const Step& step, const int32_t* next) {
        if (!step.tick) after_tick.emplace_back(step, std::vector<int32_t>(next, next + n + 1));
      }, fault);
      for (const auto& [action, tick_then_action] : after_tick) {
        std::vector<int> edges = action.edges;
        Footprint f = step_footprint(m, action);
        if (action.channel >= 0 && m.channels[action.channel].broadcast)
          for (std::size_t e = 0; e < m.edges.size(); ++e)
            if (f.machines[m.edges[e].instance] && m.edges[e].channel == action.channel) edges.push_back(static_cast<int>(e));
        if (!commutes_with_delay(m, f, edges, asap_reads(m))) continue;
        ++checked;
        std::vector<int32_t> acted(n + 1), action_then_tick(n + 1);
        ASSERT_EQ(sem.apply(s.data(), action, acted.data(), fault), Applied::Taken) << "seed " << seed;
        ASSERT_TRUE(sem.tick(acted.data(), action_then_tick.data(), fault)) << "seed " << seed;
        EXPECT_TRUE(std::equal(action_then_tick.begin(), action_then_tick.begin() + n, tick_then_action.begin())) << "seed " << seed;
      }
    });
  }
  EXPECT_GT(checked, 500);
}

}  // namespace
}  // namespace interlock

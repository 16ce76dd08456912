// Responses (`p leads_to q [within T]`) and maxima on the explicit engine: hand-computed answers
// on small models, and a naive value iteration on random specs that must give the same worst
// delays, the same unbounded cases and the same runs that stop time.
#include <gtest/gtest.h>

#include <map>

#include "support/delay_specs.h"
#include "support/random_spec.h"
#include "support/test_models.h"

namespace interlock {
namespace {

using testing::check_one;
using testing::model_from;

int64_t ticks_of(const Trace& t) {
  int64_t n = 0;
  for (const Step& s : t.steps) n += s.tick;
  return n;
}

const char* const kTwoStates = testing::kTwoStatesDelays;

TEST(Response, HoldsAndRecordsTheLongestWait) {
  Model m = model_from(kTwoStates);
  PropertyResult r = check_one(m, "ab");
  EXPECT_EQ(r.verdict, Verdict::Holds) << r.detail;
  ASSERT_TRUE(r.value);
  EXPECT_EQ(*r.value, 3);  // A's invariant forces the move by c == 3
  EXPECT_EQ(check_one(m, "ab3").verdict, Verdict::Holds);
}

TEST(Response, WithinTooShortIsViolatedByTheLongestWait) {
  Model m = model_from(kTwoStates);
  PropertyResult r = check_one(m, "ab2");
  ASSERT_EQ(r.verdict, Verdict::Violated) << r.detail;
  ASSERT_TRUE(r.trace);
  EXPECT_EQ(r.trace->loop_start, -1);
  EXPECT_EQ(ticks_of(*r.trace), 3);  // the trace ends after the third tick without B
  EXPECT_EQ(testing::replay(m, *r.trace), "");
  const std::vector<int32_t>& last = r.trace->states.back();
  EXPECT_EQ(last[m.instances[0].location_slot], 0) << "still in A";
}

TEST(Maximum, DelaysAndValuesAreExact) {
  Model m = model_from(kTwoStates);
  PropertyResult a = check_one(m, "wait_a");
  ASSERT_EQ(a.verdict, Verdict::Holds) << a.detail;
  EXPECT_EQ(*a.value, 3);
  ASSERT_TRUE(a.trace);
  EXPECT_EQ(testing::replay(m, *a.trace), "");
  PropertyResult b = check_one(m, "wait_b");
  EXPECT_EQ(*b.value, 5);
  PropertyResult c = check_one(m, "c_in_b");
  ASSERT_EQ(c.verdict, Verdict::Holds) << c.detail;
  EXPECT_EQ(*c.value, 5);
  ASSERT_TRUE(c.trace);
  EXPECT_EQ(c.trace->states.back()[m.instances[0].location_slot], 1);
  PropertyResult none = check_one(m, "never");
  EXPECT_EQ(none.verdict, Verdict::Holds);
  EXPECT_FALSE(none.value);
}

TEST(Maximum, ASaturatedClockGivesOnlyALowerBound) {
  Model m = model_from(R"(
    system sat;
    machine M { clock c; state A; init A; A -> A when c == 2 do c := 0; }
    maximum c_max: M.c;
  )");
  // c is compared with 2 only, so it saturates at 3: in fact it grows without bound.
  PropertyResult r = check_one(m, "c_max");
  EXPECT_EQ(r.verdict, Verdict::Unknown) << r.detail;
  EXPECT_EQ(*r.value, 3);
  EXPECT_NE(r.detail.find("at least 3"), std::string::npos) << r.detail;
}

TEST(Response, TimePassingForeverWithoutTheTargetIsALasso) {
  Model m = model_from(R"(
    system d2;
    machine M { clock c; state A; state B; init A; A -> B when c >= 2; }
    response r: M.A leads_to M.B;
    response r10: M.A leads_to M.B within 10;
    maximum w: M.A leads_to M.B;
  )");
  for (const char* name : {"r", "r10", "w"}) {
    SCOPED_TRACE(name);
    PropertyResult r = check_one(m, name);
    EXPECT_EQ(r.verdict, std::string(name) == "w" ? Verdict::Holds : Verdict::Violated) << r.detail;
    EXPECT_TRUE(r.unbounded);
    ASSERT_TRUE(r.trace);
    const Trace& t = *r.trace;
    ASSERT_GE(t.loop_start, 0);
    EXPECT_EQ(t.states.back(), t.states[t.loop_start]) << "the cycle returns to where it began";
    bool tick_in_cycle = false;
    for (std::size_t i = t.loop_start; i < t.steps.size(); ++i) tick_in_cycle = tick_in_cycle || t.steps[i].tick;
    EXPECT_TRUE(tick_in_cycle) << "time passes around the cycle";
    EXPECT_EQ(testing::replay(m, t), "");
  }
}

// In B the clock is dead (reset before it is read again), so the search holds it at 0 there and
// finds a one-tick cycle in B. On the spec as written the clock goes on to its saturation value
// (3): the trace takes the cycle again until the clock stops moving, and only then loops.
TEST(Response, ALassoWhereADeadClockMovesComesBackToARealState) {
  Model m = model_from(R"(
    system d3;
    machine M {
      clock c;
      state A { invariant c <= 2; }
      state B;
      init A;
      A -> B when c >= 2;
      B -> A when false do c := 0;
    }
    response r: M.B leads_to M.A;
  )");
  PropertyResult r = check_one(m, "r");
  EXPECT_EQ(r.verdict, Verdict::Violated) << r.detail;
  ASSERT_TRUE(r.trace);
  const Trace& t = *r.trace;
  ASSERT_GE(t.loop_start, 0);
  EXPECT_EQ(testing::replay(m, t), "");
  std::size_t clock = 0;
  while (clock < m.slots.size() && m.slots[clock].name != "M.c") ++clock;
  ASSERT_LT(clock, m.slots.size());
  EXPECT_EQ(t.states[static_cast<std::size_t>(t.loop_start)][clock], 3) << "the loop begins once the clock has saturated";
  EXPECT_EQ(t.steps.size(), static_cast<std::size_t>(t.loop_start) + 1) << "the cycle is one tick";
}

TEST(Response, AZeroTimeCycleIsNotAnAnswer) {
  Model m = model_from(R"(
    system zeno;
    machine M { urgent state A; urgent state A2; state B; init A; A -> A2; A2 -> A; A -> B; }
    response r: M.A leads_to M.B;
  )");
  PropertyResult r = check_one(m, "r");
  EXPECT_EQ(r.verdict, Verdict::Unknown) << r.detail;
  EXPECT_NE(r.detail.find("stop time"), std::string::npos) << r.detail;
  ASSERT_TRUE(r.trace);
  ASSERT_GE(r.trace->loop_start, 0);
  for (std::size_t i = r.trace->loop_start; i < r.trace->steps.size(); ++i) EXPECT_FALSE(r.trace->steps[i].tick);
}

TEST(Response, ATimelockIsNotAnAnswer) {
  Model m = model_from(R"(
    system lock;
    machine M { clock c; state A { invariant c <= 2; } state B; init A; A -> B when c == 5; }
    response r: M.A leads_to M.B;
  )");
  PropertyResult r = check_one(m, "r");
  EXPECT_EQ(r.verdict, Verdict::Unknown) << r.detail;
  ASSERT_TRUE(r.trace);
  EXPECT_EQ(r.trace->loop_start, -1);
  EXPECT_EQ(ticks_of(*r.trace), 2);
  EXPECT_NE(r.trace->final_note.find("timelock"), std::string::npos);
  // And why (model/stuck_explanation.h): the invariant stops time at c = 2, before the guard.
  EXPECT_EQ(r.trace->why, (std::vector<std::string>{"time cannot pass: M.A's invariant c <= 2 stops it (c = 2)",
                                                    "M: A -> B is disabled: its guard c == 5 is false (c = 2)"}));
}

TEST(Response, AnUnreachableTriggerHoldsVacuously) {
  Model m = model_from(R"(
    system vac;
    machine M { state A; state B; init A; }
    response r: M.B leads_to M.A within 3;
  )");
  PropertyResult r = check_one(m, "r");
  EXPECT_EQ(r.verdict, Verdict::Holds);
  EXPECT_NE(r.detail.find("vacuously"), std::string::npos);
}

// A naive answer: the state graph in a std::map, then value iteration for the most ticks from
// each state to q (a longest path exists only if no cycle with a tick is reachable: then the
// values settle within as many rounds as there are states).
struct NaiveDelay {
  bool unbounded = false;
  bool time_stops = false;
  int64_t worst = 0;
};

NaiveDelay naive_delay(const Model& model, const Expr& p_expr, const Expr& q_expr) {
  Semantics sem(model);
  Compiled p = sem.compile(p_expr), q = sem.compile(q_expr);
  std::map<std::vector<int32_t>, int> index;
  std::vector<std::vector<int32_t>> states;
  std::vector<std::vector<std::pair<int, int>>> succ;  // (target, ticks)
  std::vector<int32_t> init;
  ModelFault fault;
  if (!sem.initial(init, fault)) throw std::runtime_error("initial fault");
  index[init] = 0;
  states.push_back(init);
  for (std::size_t i = 0; i < states.size(); ++i) {
    std::vector<int32_t> s = states[i];
    s.resize(s.size() + 1);
    succ.emplace_back();
    sem.successors(s.data(), [&](const Step& step, const int32_t* next) {
      std::vector<int32_t> n(next, next + model.slots.size());
      auto [it, added] = index.emplace(n, static_cast<int>(states.size()));
      if (added) states.push_back(n);
      succ[i].emplace_back(it->second, step.tick ? 1 : 0);
    }, fault);
  }
  const std::size_t n = states.size();
  std::vector<bool> in_q(n), in_p(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<int32_t> s = states[i];
    s.resize(s.size() + 1);
    in_p[i] = sem.holds(p, s.data(), fault);
    in_q[i] = sem.holds(q, s.data(), fault);
  }
  std::vector<int64_t> dist(n, 0);
  bool changed = true;
  for (std::size_t round = 0; round <= n + 1 && changed; ++round) {
    changed = false;
    for (std::size_t u = 0; u < n; ++u) {
      if (in_q[u]) continue;
      int64_t best = 0;
      for (auto [v, w] : succ[u]) best = std::max(best, w + (in_q[v] ? 0 : dist[v]));
      if (best > dist[u]) dist[u] = best, changed = true;
    }
  }
  NaiveDelay out;
  // Values still growing after n + 1 rounds: some start can reach a cycle with a tick.
  std::vector<int64_t> settled = dist;
  for (std::size_t u = 0; u < n; ++u)
    if (!in_q[u])
      for (auto [v, w] : succ[u])
        if (w + (in_q[v] ? 0 : dist[v]) > dist[u]) settled[u] = -1;
  // -1 spreads backwards to every state that can reach a growing one.
  for (bool spread = true; spread;) {
    spread = false;
    for (std::size_t u = 0; u < n; ++u)
      if (!in_q[u] && settled[u] >= 0)
        for (auto [v, w] : succ[u])
          if (!in_q[v] && settled[v] < 0) settled[u] = -1, spread = true;
  }
  // Where time can stop: a state with no step, or a cycle of zero-time steps outside q.
  std::vector<bool> stops(n, false);
  for (std::size_t u = 0; u < n; ++u) {
    if (in_q[u]) continue;
    if (succ[u].empty()) stops[u] = true;
    std::vector<bool> seen(n, false);
    std::vector<int> stack;
    for (auto [v, w] : succ[u])
      if (!w && !in_q[v]) stack.push_back(v);
    while (!stack.empty() && !stops[u]) {
      int v = stack.back();
      stack.pop_back();
      if (v == static_cast<int>(u)) stops[u] = true;
      if (seen[v]) continue;
      seen[v] = true;
      for (auto [x, w] : succ[v])
        if (!w && !in_q[x]) stack.push_back(x);
    }
  }
  for (bool spread = true; spread;) {
    spread = false;
    for (std::size_t u = 0; u < n; ++u)
      if (!in_q[u] && !stops[u])
        for (auto [v, w] : succ[u])
          if (!in_q[v] && stops[v]) stops[u] = true, spread = true;
  }
  for (std::size_t u = 0; u < n; ++u) {
    if (!in_p[u] || in_q[u]) continue;
    if (settled[u] < 0) out.unbounded = true;
    else out.worst = std::max(out.worst, settled[u]);
    if (settled[u] >= 0 && stops[u]) out.time_stops = true;
  }
  return out;
}

// The first two conditions of a random spec's own properties, the ends of the delay questions
// the random tests ask; false if the spec has fewer.
bool two_conditions(const Model& model, Expr& p, Expr& q) {
  std::vector<const Expr*> conditions;
  for (const Property& prop : model.properties)
    if (prop.a && prop.a->type == ValueType::Bool) conditions.push_back(&*prop.a);
  if (conditions.size() < 2) return false;
  p = *conditions[0];
  q = *conditions[1];
  return true;
}

// Adds `from leads_to to` as a response, or as a delay maximum.
void add_delay(Model& model, const char* name, Property::Kind kind, const Expr& from, const Expr& to) {
  Property d;
  d.kind = kind;
  d.delay = kind == Property::Kind::Maximum;
  d.name = name;
  d.a = from;
  d.b = to;
  model.properties.push_back(d);
}

TEST(Maximum, DelaysAgreeWithNaiveValueIterationOnRandomSpecs) {
  int unbounded = 0, bounded = 0, stops = 0;
  for (uint32_t seed = 1; seed <= 150; ++seed) {
    std::string text = testing::random_spec(seed);
    Model model = model_from(text);
    // A delay question from the spec's own conditions: from the first to the second.
    Expr p, q;
    if (!two_conditions(model, p, q)) continue;
    add_delay(model, "delay", Property::Kind::Maximum, p, q);
    NaiveDelay naive = naive_delay(model, p, q);
    PropertyResult r = check_one(model, "delay");
    SCOPED_TRACE("seed " + std::to_string(seed) + "\n" + text);
    if (naive.unbounded) {
      ++unbounded;
      EXPECT_TRUE(r.unbounded) << r.detail;
      EXPECT_EQ(r.verdict, Verdict::Holds);
    } else if (naive.time_stops) {
      ++stops;
      EXPECT_EQ(r.verdict, Verdict::Unknown) << r.detail;
    } else {
      ++bounded;
      ASSERT_EQ(r.verdict, Verdict::Holds) << r.detail;
      EXPECT_FALSE(r.unbounded);
      EXPECT_EQ(r.value.value_or(0), naive.worst) << r.detail;
    }
    if (r.trace) {
      EXPECT_EQ(testing::replay(model, *r.trace), "");
    }
  }
  // Each kind of answer must occur, or the comparison would prove little.
  EXPECT_GE(unbounded, 5);
  EXPECT_GE(bounded, 5);
  std::printf("random delays: %d bounded, %d unbounded, %d where time can stop\n", bounded, unbounded, stops);
}

// Questions checked together share their conditions' values and, for equal conditions or equal
// regions, one analysis: each must still get the answer it gets alone.
void expect_same_answers_together_and_alone(const Model& model) {
  // Without partial-order reduction: an invariant alone would get it (and a trace that need not
  // be the shortest), and with a delay question beside it not.
  Limits limits;
  limits.partial_order = false;
  std::vector<PropertyResult> together = testing::check_all(model, limits);
  ASSERT_EQ(together.size(), model.properties.size());
  for (std::size_t k = 0; k < together.size(); ++k) {
    PropertyResult alone = check_one(model, model.properties[k].name, limits);
    SCOPED_TRACE(model.properties[k].name);
    EXPECT_EQ(together[k].verdict, alone.verdict);
    EXPECT_EQ(together[k].value, alone.value);
    EXPECT_EQ(together[k].unbounded, alone.unbounded);
    EXPECT_EQ(together[k].detail, alone.detail);
  }
}

// kTwoStates with one more question: wait_a and wait_a_left ask about the same region (B is
// exactly "not A") with different targets, and wait_b about another in between.
const std::string kSharedRegions = std::string(kTwoStates) + "response wait_a_left: M.A leads_to !M.A within 2;\n";

TEST(Delay, QuestionsCheckedTogetherGetTheirAnswersAlone) {
  expect_same_answers_together_and_alone(model_from(kTwoStates));
  expect_same_answers_together_and_alone(model_from(kSharedRegions));
  int checked = 0;
  for (uint32_t seed = 1; seed <= 60; ++seed) {
    std::string text = testing::random_spec(seed);
    Model model = model_from(text);
    Expr p, q;
    if (!two_conditions(model, p, q)) continue;
    add_delay(model, "delay_pq", Property::Kind::Maximum, p, q);  // the same conditions as the next one
    add_delay(model, "respond_pq", Property::Kind::Response, p, q);
    add_delay(model, "delay_qp", Property::Kind::Maximum, q, p);
    add_delay(model, "delay_pp", Property::Kind::Maximum, p, p);
    SCOPED_TRACE("seed " + std::to_string(seed) + "\n" + text);
    expect_same_answers_together_and_alone(model);
    ++checked;
  }
  EXPECT_GE(checked, 20);
}

}  // namespace
}  // namespace interlock

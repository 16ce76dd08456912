// The explicit search on several threads (solver/explicit/parallel_level.h) against the search on
// one: the same states under the same indexes, the same parents, the same calls of on_new in the
// same order, the same counts, faults and limits (threaded_check_test.cpp: and so the same output
// of `check`). Every level goes through the parallel path here (Limits::parallel_min_level = 1),
// on 2 threads and on 3 (an odd split of chunks). Without the command line, so that a
// ThreadSanitizer build (scripts/tsan.sh) needs only the explicit engine.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <thread>

#include "model/lower.h"
#include "solver/explicit/explorer.h"
#include "solver/explicit/parallel_level.h"
#include "solver/explicit/partial_order.h"
#include "support/random_indexed_spec.h"
#include "support/random_oracle_spec.h"
#include "support/random_spec.h"
#include "support/test_effort.h"
#include "support/test_models.h"

namespace interlock {
namespace {

using testing::model_from;

// ---- The search itself ----

struct Search {
  int threads = 1;
  uint64_t stop_at = UINT64_MAX;  // on_new asks to stop at this index
  bool graph = false;             // record the transition graph
  bool quiet = false;             // record the tick successors of the states without an action
  uint64_t memory_mb = 0;
  int depth = 0;
  NativeMode native = NativeMode::Off;
  uint64_t min_level = 1;
  bool por = false;  // partial-order reduction
  std::vector<int> visible;  // with por: the properties whose reads it must not reorder
};

// Everything a search leaves behind that anyone can read.
struct Snapshot {
  Explorer::Outcome outcome = Explorer::Outcome::Complete;
  std::vector<uint32_t> order;  // on_new's indexes, in call order
  std::vector<std::vector<int32_t>> seen;  // the states on_new was given
  std::vector<std::vector<uint8_t>> states;  // packed, by index
  std::vector<uint32_t> parents;
  std::vector<bool> has_action;
  std::vector<bool> fully_expanded;
  std::vector<uint8_t> edges_taken;
  uint64_t transitions = 0;
  int depth = 0;
  uint64_t store_bytes = 0;
  int threads = 0;
  uint64_t reduced_states = 0, paused_states = 0;  // partial-order reduction
  std::string limit, fault;
  uint32_t fault_state = 0;
  std::vector<uint64_t> graph_first;
  std::vector<uint32_t> graph_targets, graph_tick;
  std::vector<uint32_t> quiet_ticks;  // per state without an action, after a complete search
};

Snapshot explore(const Model& model, const Search& run) {
  Snapshot s;
  Semantics semantics(model);
  Limits limits;
  limits.threads = run.threads;
  limits.parallel_min_level = run.min_level;
  limits.memory_mb = run.memory_mb;
  limits.depth = run.depth;
  limits.native = run.native;
  RunContext context(limits, nullptr);
  Explorer explorer(semantics, context);
  TransitionGraph graph;
  if (run.graph) explorer.record_transitions(&graph);
  if (run.quiet) explorer.record_quiet_ticks();
  std::unique_ptr<PartialOrder> por;
  if (run.por && (por = PartialOrder::build(semantics, run.visible))) explorer.use_partial_order(por.get());
  const std::size_t slots = model.slots.size();
  s.outcome = explorer.run([&](uint32_t index, const int32_t* state) {
    s.order.push_back(index);
    s.seen.emplace_back(state, state + slots);
    return index == run.stop_at;
  });
  const StateStore& store = explorer.store();
  for (uint32_t i = 0; i < store.size(); ++i) {
    s.states.emplace_back(store.state(i), store.state(i) + store.state_bytes());
    s.parents.push_back(store.parent(i));
    s.has_action.push_back(explorer.has_action(i));
    s.fully_expanded.push_back(explorer.fully_expanded(i));
  }
  if (s.outcome == Explorer::Outcome::Complete) s.edges_taken = explorer.edges_taken();  // exact only then
  const Stats stats = explorer.stats();
  s.transitions = stats.transitions;
  s.depth = stats.depth;
  s.store_bytes = stats.store_bytes;
  s.threads = stats.threads;
  s.reduced_states = stats.reduced_states;
  s.paused_states = stats.por_paused_states;
  s.limit = explorer.limit_reason();
  if (s.outcome == Explorer::Outcome::Fault) {
    s.fault = explorer.fault().message + " @" + std::to_string(explorer.fault().loc.line) + ":" +
              std::to_string(explorer.fault().loc.col) + " " + semantics.describe_step(explorer.fault().step);
    s.fault_state = explorer.fault_state();
  }
  if (run.quiet && s.outcome == Explorer::Outcome::Complete) {
    // Each against the tick successor computed again (as the deadlock search once did).
    const StateLayout& layout = explorer.layout();
    std::vector<int32_t> state(layout.slots() + 1), later(layout.slots() + 1);
    std::vector<uint8_t> packed(layout.buffer_bytes() + StateStore::kTailPadding);
    for (uint32_t i = 0; i < store.size(); ++i) {
      if (explorer.has_action(i)) continue;
      const uint32_t noted = explorer.quiet_tick(i);
      s.quiet_ticks.push_back(noted);
      layout.unpack(store.state(i), state.data());
      ModelFault fault;
      uint32_t expected = TransitionGraph::kNoTick;
      if (semantics.tick(state.data(), later.data(), fault)) {
        layout.pack(later.data(), packed.data());
        expected = store.find(packed.data());
      }
      if (noted != expected) {
        ADD_FAILURE() << "state " << i << ": the tick successor noted is " << noted << ", computed " << expected;
        break;
      }
    }
  }
  if (run.graph && s.outcome == Explorer::Outcome::Complete) {
    s.graph_first.assign(graph.first.data(), graph.first.data() + graph.first.size());
    s.graph_targets.assign(graph.targets.data(), graph.targets.data() + graph.targets.size());
    s.graph_tick.assign(graph.tick.data(), graph.tick.data() + graph.tick.size());
  }
  // The store answers lookups for every state it holds, and for none it dropped.
  for (uint32_t i = 0; i < store.size(); ++i) {
    std::vector<uint8_t> packed(s.states[i]);
    packed.resize(packed.size() + StateStore::kTailPadding);
    if (store.find(packed.data()) != i) {
      ADD_FAILURE() << "state " << i << " is not found under its index";
      break;
    }
  }
  return s;
}

const char* outcome_name(Explorer::Outcome o) {
  switch (o) {
    case Explorer::Outcome::Complete: return "complete";
    case Explorer::Outcome::Stopped: return "stopped";
    case Explorer::Outcome::Limit: return "limit";
    case Explorer::Outcome::Fault: return "fault";
  }
  return "?";
}

// The first difference between two searches, or "".
std::string difference(const Snapshot& a, const Snapshot& b) {
  if (a.outcome != b.outcome) return std::string("outcome ") + outcome_name(a.outcome) + " / " + outcome_name(b.outcome);
  if (a.states.size() != b.states.size())
    return "states " + std::to_string(a.states.size()) + " / " + std::to_string(b.states.size());
  for (std::size_t i = 0; i < a.states.size(); ++i) {
    if (a.states[i] != b.states[i]) return "state " + std::to_string(i) + " differs";
    if (a.parents[i] != b.parents[i]) return "parent of " + std::to_string(i) + " differs";
    if (a.has_action[i] != b.has_action[i]) return "has_action of " + std::to_string(i) + " differs";
    if (a.fully_expanded[i] != b.fully_expanded[i]) return "fully_expanded of " + std::to_string(i) + " differs";
  }
  if (a.order != b.order) return "on_new order differs";
  if (a.seen != b.seen) return "states given to on_new differ";
  if (a.transitions != b.transitions)
    return "transitions " + std::to_string(a.transitions) + " / " + std::to_string(b.transitions);
  if (a.reduced_states != b.reduced_states)
    return "reduced states " + std::to_string(a.reduced_states) + " / " + std::to_string(b.reduced_states);
  if (a.paused_states != b.paused_states)
    return "states not analysed " + std::to_string(a.paused_states) + " / " + std::to_string(b.paused_states);
  if (a.depth != b.depth) return "depth " + std::to_string(a.depth) + " / " + std::to_string(b.depth);
  if (a.store_bytes != b.store_bytes) return "visited set bytes differ";
  if (a.edges_taken != b.edges_taken) return "edges taken differ";
  if (a.limit != b.limit) return "limit '" + a.limit + "' / '" + b.limit + "'";
  if (a.fault != b.fault) return "fault '" + a.fault + "' / '" + b.fault + "'";
  if (a.fault_state != b.fault_state) return "fault state differs";
  if (a.graph_first != b.graph_first) return "graph: where edges begin differs";
  if (a.graph_targets != b.graph_targets) return "graph: targets differ";
  if (a.graph_tick != b.graph_tick) return "graph: tick successors differ";
  if (a.quiet_ticks != b.quiet_ticks) return "quiet ticks differ";
  return "";
}

// Runs `run` on 1, 2 and 3 threads and expects the same search; returns the one-thread search.
Snapshot expect_same(const Model& model, Search run, const std::string& what) {
  run.threads = 1;
  const Snapshot one = explore(model, run);
  EXPECT_EQ(one.threads, 1);
  for (int threads : {2, 3}) {
    run.threads = threads;
    const Snapshot more = explore(model, run);
    if (!more.order.empty() && run.stop_at != 0) {  // some level ran on them
      EXPECT_EQ(more.threads, threads) << what;
    }
    const std::string diff = difference(one, more);
    EXPECT_EQ(diff, "") << what << ", " << threads << " threads";
  }
  return one;
}

// A model each test may build: three machines that each take one step, in any order.
constexpr const char* kThreeSteps = R"(
  system three;
  machine A { state S0, S1; init S0; S0 -> S1; }
  machine B { state S0, S1; init S0; S0 -> S1; }
  machine C { state S0, S1; init S0; S0 -> S1; }
  reachable all_moved: A.S1 && B.S1 && C.S1;
)";

TEST(ThreadedSearch, ParallelLevelGivesTheHandComputedSearch) {
  // Breadth-first, actions in declaration order then the tick (a self-loop: no clocks):
  //   level 0: 0 = 000
  //   level 1: from 0: A -> 1 = 100, B -> 2 = 010, C -> 3 = 001, tick -> 0
  //   level 2: from 1: B -> 4 = 110, C -> 5 = 101, tick; from 2: A -> 110 (4 again), C -> 6 = 011,
  //            tick; from 3: A -> 101 (5), B -> 011 (6), tick
  //   level 3: from 4: C -> 7 = 111, tick; from 5: B -> 111; from 6: A -> 111; each a tick
  //   level 4: from 7: the tick
  // 4 + 3 * 3 + 3 * 2 + 1 = 20 transitions, depth 3.
  const Model model = model_from(kThreeSteps);
  const std::vector<std::vector<int32_t>> expected = {{0, 0, 0}, {1, 0, 0}, {0, 1, 0}, {0, 0, 1},
                                                      {1, 1, 0}, {1, 0, 1}, {0, 1, 1}, {1, 1, 1}};
  const std::vector<uint32_t> parents = {StateStore::kNoParent, 0, 0, 0, 1, 1, 2, 4};
  for (int threads : {2, 3}) {
    Search run;
    run.threads = threads;
    run.graph = true;
    const Snapshot s = explore(model, run);
    EXPECT_EQ(s.outcome, Explorer::Outcome::Complete);
    EXPECT_EQ(s.threads, threads);
    ASSERT_EQ(s.seen.size(), expected.size());
    for (std::size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(s.order[i], i);
      // The model's slots are the three machines' locations, in declaration order.
      EXPECT_EQ(s.seen[i], expected[i]) << "state " << i;
      EXPECT_EQ(s.parents[i], parents[i]) << "state " << i;
      EXPECT_EQ(s.has_action[i], i != 7) << "state " << i;
    }
    EXPECT_EQ(s.transitions, 20u);
    EXPECT_EQ(s.depth, 3);
    // The graph: each state's successors in order, the tick last.
    const std::vector<uint32_t> targets = {1, 2, 3, 0, 4, 5, 1, 4, 6, 2, 5, 6, 3, 7, 4, 7, 5, 7, 6, 7};
    const std::vector<uint64_t> first = {0, 4, 7, 10, 13, 15, 17, 19, 20};
    EXPECT_EQ(s.graph_targets, targets);
    EXPECT_EQ(s.graph_first, first);
    EXPECT_EQ(s.graph_tick, std::vector<uint32_t>({0, 1, 2, 3, 4, 5, 6, 7}));
  }
}

TEST(ThreadedSearch, ParallelLevelStopsWhereOneThreadStops) {
  // Stopped at state 5 (found from 1 in level 2): the one-thread search had expanded the whole
  // batch (all of level 1) and inserted up to 5; 6 was never inserted.
  const Model model = model_from(kThreeSteps);
  Search run;
  run.stop_at = 5;
  const Snapshot s = expect_same(model, run, "stop at 5");
  EXPECT_EQ(s.outcome, Explorer::Outcome::Stopped);
  EXPECT_EQ(s.states.size(), 6u);
  EXPECT_EQ(s.transitions, 4u + 9u);
}

TEST(ThreadedSearch, ManyIndependentStepsGiveTheSameSearch) {
  // Twelve machines of one step each: 4096 states, levels of up to 924 states, so several
  // chunks per level; each state's parent differs from it in one machine.
  std::string text = "system many;\n";
  for (int i = 0; i < 12; ++i) text += "machine M" + std::to_string(i) + " { state S0, S1; init S0; S0 -> S1; }\n";
  text += "reachable all_moved: M0.S1 && M11.S1;\n";
  const Model model = model_from(text);
  Search run;
  run.graph = true;
  const Snapshot s = expect_same(model, run, "12 steps");
  ASSERT_EQ(s.states.size(), 4096u);
  EXPECT_EQ(s.transitions, 12u * 2048u + 4096u);
  EXPECT_EQ(s.depth, 12);
  for (std::size_t i = 1; i < s.seen.size(); ++i) {
    const std::vector<int32_t>& parent = s.seen[s.parents[i]];
    int moved = 0;
    for (std::size_t k = 0; k < parent.size(); ++k) moved += s.seen[i][k] != parent[k];
    EXPECT_EQ(moved, 1) << "state " << i;
  }
  for (uint64_t stop : {0u, 13u, 64u, 65u, 300u, 1000u, 2047u, 4095u}) {
    run.stop_at = stop;
    run.graph = false;
    expect_same(model, run, "12 steps, stop at " + std::to_string(stop));
  }
}

TEST(ThreadedSearch, RandomSpecsGiveTheSameSearch) {
  int searched = 0;
  const uint32_t specs = testing::specs_to_try(300);
  for (uint32_t seed = 1; seed <= specs; ++seed) {
    const std::string text = testing::random_spec(seed);
    Model model;
    try {
      model = model_from(text);
    } catch (const InputError&) {
      continue;
    }
    ++searched;
    Search run;
    run.graph = seed % 2 == 0;
    run.quiet = seed % 4 != 0;  // with the graph, or alone
    const Snapshot full = expect_same(model, run, "random spec " + std::to_string(seed));
    // Stopped by on_new at a few places, one in each part of the search.
    const uint64_t n = full.states.size();
    for (uint64_t stop : {n / 5, n / 2, n - 1}) {
      run.stop_at = stop;
      expect_same(model, run, "random spec " + std::to_string(seed) + ", stop at " + std::to_string(stop));
    }
    if (::testing::Test::HasFailure()) {
      ADD_FAILURE() << text;
      break;
    }
  }
  EXPECT_GT(searched, static_cast<int>(specs * 5 / 6));
}

constexpr uint32_t kOracleSpecs = testing::specs_to_try(200);

// Random specs of which about a third fail somewhere, searched as `base` says; returns how many
// failed.
int expect_the_one_thread_faults(const Search& base) {
  int faults = 0;
  for (uint32_t seed = 1; seed <= kOracleSpecs; ++seed) {
    const std::string text = testing::random_oracle_spec(seed);
    Model model;
    try {
      model = model_from(text);
      Semantics probe(model);  // every parameter needs a value
    } catch (const InputError&) {
      continue;
    }
    Search run = base;
    run.graph = !base.por && seed % 3 == 0;  // the reduced search records no graph
    run.quiet = seed % 2 == 0;
    const Snapshot full = expect_same(model, run, "oracle spec " + std::to_string(seed));
    if (full.outcome != Explorer::Outcome::Fault) continue;
    ++faults;
    const uint64_t n = full.states.size();
    for (uint64_t stop : {n / 2, n > 2 ? n - 2 : 0, n - 1}) {
      run.stop_at = stop;
      expect_same(model, run, "oracle spec " + std::to_string(seed) + ", stop at " + std::to_string(stop));
    }
    if (::testing::Test::HasFailure()) {
      ADD_FAILURE() << text;
      break;
    }
  }
  return faults;
}

TEST(ThreadedSearch, FaultsAreTheOneThreadSearchFaults) {
  // The first failing state in index order is reported, its batch's earlier successors are
  // inserted, and a stop in that batch is the fault.
  EXPECT_GT(expect_the_one_thread_faults(Search{}), static_cast<int>(kOracleSpecs / 10));
}

// The benchmark on its "idle" schedule (BACKUP_AT=60), the one the counts below are of.
Model bench_model(int n) {
  return with_params(load_model(std::string(INTERLOCK_SOURCE_DIR) + "/specs/bench/links_" + std::to_string(n) + ".sched"),
                     {{"BACKUP_AT", 60}});
}

TEST(ThreadedSearch, LargeLevelsInWindowsGiveTheSameSearch) {
  // links_4 (without the engine's reductions): 1,138,963 states, levels of more than
  // ParallelLevel::kWindowStates states.
  const Model model = bench_model(4);
  Search run;
  run.quiet = true;
  if (testing::kSanitized) {
    // Its first 300,000 states, in windows of 2,048 (16 times the level the threads start at).
    run.min_level = 128;
    run.stop_at = 300000;
    expect_same(model, run, "links_4, stop at 300000");
    return;
  }
  run.min_level = 2048;  // as the command line has it
  const Snapshot s = expect_same(model, run, "links_4");
  EXPECT_GT(s.quiet_ticks.size(), 1000u);
  EXPECT_EQ(s.states.size(), 1138963u);
  run.stop_at = 500000;
  run.min_level = 1;
  expect_same(model, run, "links_4, stop at 500000");
}

TEST(ThreadedSearch, AWindowOverItsQuotaOfNewStatesIsSearchedAgain) {
  // The table may be at most 7/8 full after a window; one that makes more new states is expanded
  // again after the table grows. Here the first state has 5,000 successors, where the table of
  // 1,024 slots takes 895 new states (and the next size, 3,456 slots, about 3,000): twice over.
  // Then 3 more per state, a quarter of which fail in the third level. Its entries in the table
  // the first time must not remain: the states, their parents and order are the one-thread search's.
  const Model model = model_from(R"(
    system burst;
    var x : 0..4999 = 0;
    var y : 0..3 = 0;
    machine M {
      state A, B, C, D;
      init A;
      A -> B choose v in 0..4999 do x := v;
      B -> C choose w in 1..3 do y := w;
      C -> D do y := y / (x % 4);
    }
    reachable last: M.C && x == 4999 && y == 3;
  )");
  for (bool graph : {false, true}) {
    Search run;
    run.graph = graph;
    run.quiet = !graph;
    const Snapshot s = expect_same(model, run, graph ? "graph" : "quiet ticks");
    EXPECT_EQ(s.outcome, Explorer::Outcome::Fault);  // x = 0: a division by zero in the third level
    EXPECT_GE(s.states.size(), 1u + 5000u + 3u);
  }
  Search whole;  // the same without the failing step: every level
  const Model no_fault = model_from(R"(
    system burst;
    var x : 0..4999 = 0;
    var y : 0..3 = 0;
    machine M {
      state A, B, C;
      init A;
      A -> B choose v in 0..4999 do x := v;
      B -> C choose w in 1..3 do y := w;
    }
    reachable last: M.C && x == 4999 && y == 3;
  )");
  whole.quiet = true;
  const Snapshot s = expect_same(no_fault, whole, "no fault");
  EXPECT_EQ(s.outcome, Explorer::Outcome::Complete);
  EXPECT_EQ(s.states.size(), 1u + 5000u + 15000u);
}

TEST(ThreadedSearch, NativeCodeGivesTheSameSearch) {
  for (int n : {2, 3}) {
    Search run;
    run.native = NativeMode::On;
    run.graph = n == 3;
    run.quiet = true;
    expect_same(bench_model(n), run, "links_" + std::to_string(n) + " native");
  }
}

TEST(ThreadedSearch, DepthAndMemoryLimitsStopWhereOneThreadStops) {
  const Model model = bench_model(3);  // 49,345 states, about 1.1 MB of visited set
  for (int depth : {1, 2, 5, 40}) {
    Search run;
    run.depth = depth;
    const Snapshot s = expect_same(model, run, "depth " + std::to_string(depth));
    EXPECT_EQ(s.outcome, Explorer::Outcome::Limit);
  }
  for (bool graph : {false, true}) {
    Search run;
    run.memory_mb = 1;
    run.graph = graph;
    const Snapshot s = expect_same(model, run, graph ? "memory, graph" : "memory");
    EXPECT_EQ(s.outcome, Explorer::Outcome::Limit);
    EXPECT_EQ(s.limit, "memory limit of 1 MB reached");
  }
}

// ---- Partial-order reduction ----
// Which states the reduction analyses depends only on their indexes and on the levels before
// (ReductionPacing), and the cycle proviso only on the states of those levels: so a reduced
// search is the same on any number of threads, down to which states were reduced.

TEST(ThreadedSearch, ParallelLevelReducesAsTheHandComputedSearch) {
  // Three independent machines, nothing looked at: in each state the first machine that can
  // act acts alone (its set keeps one action; the tick is never kept). 000 -A-> 100 -B-> 110
  // -C-> 111, whose only successor is its tick (itself): 4 transitions, 3 states reduced.
  const Model model = model_from(kThreeSteps);
  Search run;
  run.por = true;
  const Snapshot s = expect_same(model, run, "three steps, reduced");
  const std::vector<std::vector<int32_t>> expected = {{0, 0, 0}, {1, 0, 0}, {1, 1, 0}, {1, 1, 1}};
  EXPECT_EQ(s.seen, expected);
  EXPECT_EQ(s.parents, std::vector<uint32_t>({StateStore::kNoParent, 0, 1, 2}));
  EXPECT_EQ(s.transitions, 4u);
  EXPECT_EQ(s.reduced_states, 3u);
  EXPECT_EQ(s.depth, 3);
}

TEST(ThreadedSearch, PartialOrderReductionGivesTheSameSearchOnRandomSpecs) {
  int searched = 0, reduced = 0;
  const uint32_t specs = testing::specs_to_try(200);
  for (uint32_t seed = 1; seed <= specs; ++seed) {
    const bool indexed = seed % 2 == 0;  // copies of a machine: more to reduce
    const std::string text = indexed ? testing::random_indexed_spec(seed) : testing::random_spec(seed);
    Model model;
    try {
      model = model_from(text);
      Semantics probe(model);
    } catch (const InputError&) {
      continue;
    }
    ++searched;
    Search run;
    run.por = true;
    run.quiet = seed % 3 != 0;
    const std::string what = (indexed ? "indexed spec " : "random spec ") + std::to_string(seed);
    const Snapshot full = expect_same(model, run, what);
    reduced += full.reduced_states > 0;
    const uint64_t n = full.states.size();
    for (uint64_t stop : {n / 5, n / 2, n - 1}) {
      run.stop_at = stop;
      expect_same(model, run, what + ", stop at " + std::to_string(stop));
    }
    if (::testing::Test::HasFailure()) {
      ADD_FAILURE() << text;
      break;
    }
  }
  EXPECT_GT(searched, static_cast<int>(specs * 3 / 4));
  EXPECT_GT(reduced, static_cast<int>(specs * 35 / 200)) << "of " << searched;
}

TEST(ThreadedSearch, PartialOrderReductionMeetsTheOneThreadSearchFaults) {
  Search reduced;
  reduced.por = true;
  EXPECT_GT(expect_the_one_thread_faults(reduced), static_cast<int>(kOracleSpecs / 10));
}

TEST(ThreadedSearch, PartialOrderReductionInWindowsAndWithNativeCodeGivesTheSameSearch) {
  // links_4: levels of many windows, and states the pacing does not look at.
  Search run;
  run.por = true;
  run.quiet = true;
  run.min_level = testing::kSanitized ? 128 : 2048;  // under the sanitizers: 300,000 states in windows of 2,048
  if (testing::kSanitized) run.stop_at = 300000;
  const Snapshot s = expect_same(bench_model(4), run, "links_4, reduced");
  EXPECT_GT(s.reduced_states, s.states.size() / 10);
  if (!testing::kSanitized) {
    run.min_level = 1;
    run.stop_at = s.states.size() / 2;
    expect_same(bench_model(4), run, "links_4, reduced, stopped halfway");
  }
  for (int n : {2, 3}) {
    Search native;
    native.por = true;
    native.native = NativeMode::On;
    native.quiet = n == 3;
    const Snapshot a = expect_same(bench_model(n), native, "links_" + std::to_string(n) + " native, reduced");
    native.native = NativeMode::Off;
    const Snapshot b = explore(bench_model(n), native);
    EXPECT_EQ(difference(a, b), "") << "links_" << n << ": native code against the interpreter";
  }
}

TEST(ThreadedSearch, PartialOrderReductionLooksAtTheSameStatesOnAnyNumberOfThreads) {
  // Four counters, each step writing a variable the property reads: every action is visible,
  // nothing is reduced, and after the first levels the search analyses probes only
  // (ReductionPacing), in levels of up to about 1,000 states.
  const Model model = model_from(R"(
    system paced;
    var last : 0..7 = 0;
    machine Count[i : 0..3] {
      var n : 0..7;
      state S;
      init S;
      S -> S when n < 7 do n := n + 1, last := n;
    }
    reachable full: Count[0].n == 7 && Count[1].n == 7 && Count[2].n == 7 && Count[3].n == 7 && last == 6;
  )");
  Search run;
  run.por = true;
  run.visible = {0};
  const Snapshot s = expect_same(model, run, "dependent counters, reduced");
  EXPECT_EQ(s.reduced_states, 0u);
  EXPECT_GT(s.paused_states, s.states.size() / 2) << "of " << s.states.size();
}

TEST(ThreadedSearch, CancelledSearchEndsAsALimit) {
  // A stop request (Ctrl-C, or another engine that answered first) is not deterministic in
  // where it lands; it ends the search as a limit, with a store that is a prefix of the search.
  const Model model = bench_model(3);
  Search full;
  const Snapshot whole = explore(model, full);
  for (int threads : {1, 2, 3}) {
    Semantics semantics(model);
    Limits limits;
    limits.threads = threads;
    limits.parallel_min_level = 1;
    std::atomic<bool> cancel{false};
    RunContext context(limits, nullptr);
    context.cancel_with(&cancel);
    Explorer explorer(semantics, context);
    const Explorer::Outcome o = explorer.run([&](uint32_t index, const int32_t*) {
      if (index == 20000) cancel = true;
      return false;
    });
    EXPECT_EQ(o, Explorer::Outcome::Limit) << threads << " threads";
    EXPECT_FALSE(explorer.limit_reason().empty());
    ASSERT_LT(explorer.store().size(), whole.states.size());
    for (uint32_t i = 0; i < explorer.store().size(); ++i) {
      ASSERT_EQ(explorer.store().parent(i), whole.parents[i]) << threads << " threads, state " << i;
      ASSERT_TRUE(std::equal(whole.states[i].begin(), whole.states[i].end(), explorer.store().state(i)));
    }
  }
}

TEST(ThreadedSearch, WorkerPoolRunsEveryThreadAndPassesExceptions) {
  WorkerPool pool(3);
  std::vector<int> ran(3, 0);
  for (int round = 0; round < 100; ++round) pool.run([&](int t) { ++ran[static_cast<std::size_t>(t)]; });
  EXPECT_EQ(ran, std::vector<int>({100, 100, 100}));
  EXPECT_THROW(pool.run([&](int t) {
    if (t == 2) throw std::runtime_error("from a worker");
  }), std::runtime_error);
  pool.run([&](int t) { ++ran[static_cast<std::size_t>(t)]; });  // still works
  EXPECT_EQ(ran, std::vector<int>({101, 101, 101}));
}

TEST(ThreadedSearch, WorkerPoolHandsOverEveryJobWhetherItsThreadsAreAwakeOrAsleep) {
  // Jobs in quick succession, after a pause (the workers are asleep, and run() must wake them),
  // and with a slow worker (the caller sleeps, and the worker must wake it); each job's writes
  // are seen after run(). A lost wake-up hangs: the watchdog fails the test instead.
  std::mutex m;
  std::condition_variable done_cv;
  bool done = false;
  std::thread watchdog([&] {
    std::unique_lock lock(m);
    if (!done_cv.wait_for(lock, std::chrono::seconds(120), [&] { return done; })) {
      std::fprintf(stderr, "WorkerPool: a job was never handed over or never reported done\n");
      std::abort();
    }
  });
  for (int threads : {2, 3}) {
    WorkerPool pool(threads);
    std::vector<uint64_t> wrote(static_cast<std::size_t>(threads), 0);
    uint64_t expected = 0;
    for (int round = 1; round <= 300; ++round) {
      if (round % 50 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(8));
      pool.run([&](int t) {
        if (round % 40 == 0 && t == threads - 1) std::this_thread::sleep_for(std::chrono::milliseconds(8));
        wrote[static_cast<std::size_t>(t)] += static_cast<uint64_t>(round);
      });
      expected += static_cast<uint64_t>(round);
      for (int t = 0; t < threads; ++t)
        ASSERT_EQ(wrote[static_cast<std::size_t>(t)], expected) << threads << " threads, round " << round;
    }
  }
  {
    std::lock_guard lock(m);
    done = true;
  }
  done_cv.notify_one();
  watchdog.join();
}

}  // namespace
}  // namespace interlock

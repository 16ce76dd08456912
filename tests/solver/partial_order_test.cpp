// Partial-order reduction (solver/explicit/partial_order.h, --por on): hand-counted searches, the
// conditions that must stop it (a visible action, time that may pass, a machine that could
// interfere), and against the plain search on random specs and on every spec of the repository:
// the same verdicts, traces that replay, never more states.
#include <gtest/gtest.h>

#include <filesystem>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "model/lower.h"
#include "solver/explicit/reduction_pacing.h"
#include "support/random_indexed_spec.h"
#include "support/random_oracle_spec.h"
#include "support/random_por_spec.h"
#include "support/random_spec.h"
#include "support/test_models.h"
#include "support/test_effort.h"

namespace interlock {
namespace {

namespace fs = std::filesystem;

using testing::kSanitized;  // fewer random specs, no KB specs

Limits por(bool on, bool symmetry = false) {
  Limits l;
  l.partial_order = on;
  l.symmetry = symmetry;
  l.threads = 1;
  return l;
}

std::vector<int> every_property(const Model& model) {
  std::vector<int> all;
  for (std::size_t p = 0; p < model.properties.size(); ++p) all.push_back(static_cast<int>(p));
  return all;
}

std::vector<PropertyResult> check(const Model& model, const std::vector<int>& props, const Limits& limits) {
  RunContext context(limits, nullptr);
  return ExplicitEngine().check(model, props, context);
}

// The states of a whole search (with one more invariant, always true, so that the search does not
// stop once the spec's own properties are decided).
Stats whole_search(Model model, const Limits& limits) {
  Property always;
  always.name = "always";
  always.a = Expr::constant(1, ValueType::Bool);
  model.properties.push_back(always);
  return check(model, every_property(model), limits).back().stats;
}

// Three machines with a step each and nothing in common. Every order of the three steps is a path
// of the plain search: the 2^3 = 8 subsets of the steps taken. Reduced, one order: 4 states.
const char* kThreeSteps = R"(
  system three;
  var z : 0..1;
  machine P[i : 0..2] {
    var n : 0..1;
    state A, B;
    init A;
    A -> B do n := 1;
  }
  invariant small: z == 0;
)";

TEST(PartialOrder, IndependentStepsAreTakenInOneOrder) {
  Model model = testing::model_from(kThreeSteps);
  EXPECT_EQ(whole_search(model, por(false)).states, 8u);
  const Stats reduced = whole_search(model, por(true));
  EXPECT_EQ(reduced.states, 4u);
  EXPECT_TRUE(reduced.partial_order);
  EXPECT_EQ(reduced.reduced_states, 3u);  // (A,A,A), (B,A,A), (B,B,A); (B,B,B) has nothing to act
  const PropertyResult r = testing::check_one(model, "small", por(true));
  EXPECT_EQ(r.verdict, Verdict::Holds);
}

TEST(PartialOrder, AnActionAPropertySeesIsNeverPostponed) {
  // `n` of every copy is visible: no step may be set aside, so the search is the plain one.
  Model visible = testing::model_from(std::string(kThreeSteps) + "reachable two: P[0].n + P[1].n == 2 && P[2].A;\n");
  EXPECT_EQ(whole_search(visible, por(true)).states, 8u);
  const PropertyResult two = testing::check_one(visible, "two", por(true));
  EXPECT_EQ(two.verdict, Verdict::Holds);
  // A test of a location sees only the steps that enter or leave it: P[2]'s step is invisible to
  // `first` and goes first, alone; then P[0]'s and P[1]'s are both visible and taken in both
  // orders, so the bad order (P[0] before P[1]) is found. 5 states: AAA, AAB, BAB, ABB, BBB.
  Model location = testing::model_from(std::string(kThreeSteps) + "invariant first: !(P[0].B && P[1].A);\n");
  EXPECT_EQ(whole_search(location, por(true)).states, 5u);
  const PropertyResult first = testing::check_one(location, "first", por(true));
  ASSERT_EQ(first.verdict, Verdict::Violated);
  ASSERT_TRUE(first.trace);
  EXPECT_EQ(testing::replay(location, *first.trace), "");
}

TEST(PartialOrder, AStepThatReadsAClockWaitsForTimeToStandStill) {
  // Each copy steps when its clock reads 2, where time stands still (its invariant is at its
  // bound): the steps read a clock, yet no tick can come between them, so one order is enough.
  Model timed = testing::model_from(R"(
    system timed;
    var z : 0..1;
    machine P[i : 0..2] {
      clock c;
      state A { invariant c <= 2; }
      state B;
      init A;
      A -> B when c >= 2;
    }
    invariant fine: z == 0;
  )");
  // Plain: A,A,A at 0 and 1, then the 8 subsets of steps taken at 2. Reduced: one order at 2.
  EXPECT_EQ(whole_search(timed, por(false)).states, 2u + 8u);
  EXPECT_EQ(whole_search(timed, por(true)).states, 2u + 4u);
  EXPECT_EQ(testing::check_one(timed, "fine", por(true)).verdict, Verdict::Holds);
}

TEST(PartialOrder, MachinesThatShareAVariableAreReducedTogetherOrNotAtAll) {
  // Every step reads and writes the shared counter: each depends on every other, so no order is
  // left out (only the tick, which changes nothing here, is).
  Model shared = testing::model_from(R"(
    system shared;
    var z : 0..1;
    var count : 0..3;
    machine P[i : 0..2] {
      state A, B;
      init A;
      A -> B when count < 3 do count := count + 1;
    }
    invariant fine: z == 0;
  )");
  EXPECT_EQ(whole_search(shared, por(false)).states, 8u);
  EXPECT_EQ(whole_search(shared, por(true)).states, 8u);
}

TEST(PartialOrder, AViolationBehindPostponedStepsIsFound) {
  // The bad state needs P[2]'s step after P[0]'s and P[1]'s; the reduced search reaches it in its
  // one order, with a trace that replays.
  Model model = testing::model_from(R"(
    system late;
    var seen : 0..1;
    machine P[i : 0..1] {
      var n : 0..1;
      state A, B;
      init A;
      A -> B do n := 1;
    }
    machine Q {
      state A, B;
      init A;
      A -> B when P[0].n == 1 && P[1].n == 1 do seen := 1;
    }
    invariant never: seen == 0;
  )");
  const PropertyResult r = testing::check_one(model, "never", por(true));
  ASSERT_EQ(r.verdict, Verdict::Violated);
  ASSERT_TRUE(r.trace);
  EXPECT_EQ(testing::replay(model, *r.trace), "");
  EXPECT_EQ(r.trace->steps.size(), 3u);
  // Orders were left out, so the trace is not claimed to be a shortest one.
  EXPECT_EQ(r.detail, "a counterexample");
  EXPECT_EQ(testing::check_one(model, "never", por(false)).detail, "a shortest counterexample");
}

// What a broadcast does depends on every machine that could receive it: a step that lets a
// receiver take part (its guard, its location) does not commute with the broadcast, which must
// then be explored both before and after it. (Found by an outside tester, all of one class.)
TEST(PartialOrder, ABroadcastIsOneActionWithEveryPossibleReceiver) {
  const char* guard = R"(
    system guard;
    broadcast chan b;
    var y : 0..1 = 0;
    machine M { state S0, S1; init S0; S0 -> S1 do y := 1; }
    machine R { state A, B; init A; A -> B on b? when y == 1; }
    machine E { state P, Q; init P; P -> Q emit b!; }
    reachable e_without_r: E.Q && R.A;
  )";
  const char* location = R"(
    system location;
    broadcast chan b;
    machine R { state L0, L1, L2; init L0; L0 -> L1; L1 -> L2 on b?; }
    machine E { state P, Q; init P; P -> Q emit b!; }
    reachable missed: E.Q && !R.L2;
  )";
  const char* same_minute = R"(
    system coincide in minutes;
    var ran : bool = false;
    broadcast chan slot;
    machine Calendar { clock t; state Night { invariant t <= 5; } state Day; init Night; Night -> Day when t == 5 emit slot!; }
    machine Host { clock r; state Down { invariant r <= 5; } state Up; init Down; Down -> Up when r == 5; }
    machine Job { state Waiting, Ran; init Waiting; Waiting -> Ran on slot? when Host.Up do ran := true; }
    reachable missed: Calendar.Day && !ran;
  )";
  for (const char* text : {guard, location, same_minute}) {
    Model model = testing::model_from(text);
    const PropertyResult plain = testing::check_one(model, model.properties[0].name, por(false));
    const PropertyResult reduced = testing::check_one(model, model.properties[0].name, por(true));
    EXPECT_EQ(plain.verdict, Verdict::Holds) << text;
    EXPECT_EQ(reduced.verdict, Verdict::Holds) << text;
  }
}

// Same verdicts as the plain search, traces that replay, no more states. A search that meets a
// fault ends there, and which failure each search meets first depends on its order, so where a
// side reports a model error only the verdicts of complete searches are compared.
std::string compare(const Model& model, bool symmetry, int& reduced) {
  std::ostringstream problems;
  const std::vector<int> all = every_property(model);
  auto on = check(model, all, por(true, symmetry));
  auto off = check(model, all, por(false, symmetry));
  bool faults = false;
  for (std::size_t k = 0; k < on.size(); ++k)
    faults = faults || on[k].verdict == Verdict::ModelError || off[k].verdict == Verdict::ModelError;
  for (std::size_t k = 0; k < on.size(); ++k) {
    const bool comparable = !faults || (on[k].verdict != Verdict::ModelError && off[k].verdict != Verdict::ModelError &&
                                        !on[k].trace && !off[k].trace);
    if (comparable && on[k].verdict != off[k].verdict)
      problems << on[k].property << ": " << verdict_name(on[k].verdict) << " reduced, " << verdict_name(off[k].verdict) << " plain\n";
    if (!faults && on[k].value != off[k].value) problems << on[k].property << ": another value\n";
    if (on[k].trace) {
      const std::string replayed = testing::replay(model, *on[k].trace);
      if (!replayed.empty()) problems << on[k].property << ": the trace does not replay: " << replayed << "\n";
    }
  }
  if (!faults) {
    const Stats whole_on = whole_search(model, por(true, symmetry));
    const Stats whole_off = whole_search(model, por(false, symmetry));
    if (whole_on.states > whole_off.states)
      problems << "states: " << whole_on.states << " reduced, " << whole_off.states << " plain\n";
    if (whole_on.states < whole_off.states) ++reduced;
  }
  return problems.str();
}

TEST(PartialOrder, RandomSpecsKeepTheirVerdicts) {
  int reduced = 0;
  constexpr uint32_t kSpecs = 200;
  for (uint32_t seed = 1; seed <= kSpecs; ++seed) {
    const std::string text = testing::random_spec(seed);
    EXPECT_EQ(compare(testing::model_from(text), false, reduced), "") << "seed " << seed << "\n" << text;
  }
  std::cout << "partial-order reduction shrank " << reduced << " of " << kSpecs << " random specs\n";
  EXPECT_GE(reduced, 2);  // their properties see most of what they do: the indexed specs below shrink more often
}

TEST(PartialOrder, RandomIndexedSpecsKeepTheirVerdictsWithAndWithoutSymmetry) {
  int reduced = 0, reduced_with_symmetry = 0;
  const uint32_t kSpecs = kSanitized ? 16 : 80;
  for (uint32_t seed = 1; seed <= kSpecs; ++seed) {
    const std::string text = testing::random_indexed_spec(seed);
    const Model model = testing::model_from(text);
    EXPECT_EQ(compare(model, false, reduced), "") << "seed " << seed << "\n" << text;
    EXPECT_EQ(compare(model, true, reduced_with_symmetry), "") << "seed " << seed << " (with symmetry)\n" << text;
  }
  std::cout << "partial-order reduction shrank " << reduced << " of " << kSpecs << " random indexed specs, "
            << reduced_with_symmetry << " with symmetry\n";
  EXPECT_GE(reduced, kSanitized ? 2 : 10);
}

// Specs made for the reduction to have something to remove (random_por_spec.h): it must shrink
// most of them, and keep every verdict, maximum and replayable trace of the plain search, on one
// thread and, for some, on two with every level searched in parallel.
TEST(PartialOrder, RandomSpecsMadeForItKeepTheirVerdicts) {
  int reduced = 0, engaged = 0, violated = 0;
  const uint32_t kSpecs = kSanitized ? 40 : 300;
  for (uint32_t seed = 1; seed <= kSpecs; ++seed) {
    const std::string text = testing::random_por_spec(seed);
    const Model model = testing::model_from(text);
    EXPECT_EQ(compare(model, false, reduced), "") << "seed " << seed << "\n" << text;
    engaged += whole_search(model, por(true)).reduced_states > 0;
    for (const PropertyResult& r : check(model, every_property(model), por(true))) violated += r.verdict == Verdict::Violated;
    if (seed % 10 == 0) {
      Limits threads = por(true);
      threads.threads = 2;
      threads.parallel_min_level = 1;
      const std::vector<PropertyResult> one = check(model, every_property(model), por(true));
      const std::vector<PropertyResult> two = check(model, every_property(model), threads);
      for (std::size_t k = 0; k < one.size(); ++k) {
        EXPECT_EQ(one[k].verdict, two[k].verdict) << "seed " << seed << ", " << one[k].property << ", 2 threads";
        EXPECT_EQ(one[k].stats.states, two[k].stats.states) << "seed " << seed << ", " << one[k].property << ", 2 threads";
      }
    }
  }
  std::cout << "partial-order reduction left steps out in " << engaged << " of " << kSpecs << " specs made for it, and "
            << "fewer states in " << reduced << "; " << violated << " violations\n";
  // Independent machines that cycle reach every mix of their states in any order: the reduction
  // often leaves out transitions, not states.
  EXPECT_GE(engaged, static_cast<int>(kSpecs) / 2);
  EXPECT_GE(reduced, static_cast<int>(kSpecs) / 5);
  EXPECT_GE(violated, static_cast<int>(kSpecs) / 4);
}

TEST(PartialOrder, RandomSpecsThatFailKeepTheirVerdicts) {
  int reduced = 0;
  for (uint32_t seed = 1; seed <= 120; ++seed) {
    const std::string text = testing::random_oracle_spec(seed);
    Model model;
    try {
      model = testing::model_from(text);
    } catch (const InputError&) {
      continue;
    }
    EXPECT_EQ(compare(model, false, reduced), "") << "seed " << seed << "\n" << text;
  }
}

TEST(PartialOrder, EverySpecOfTheRepositoryKeepsItsVerdicts) {
  int specs = 0, reduced = 0;
  const auto skip = [](const std::string& path) {
    const std::string name = fs::path(path).filename().string();
    return (name.rfind("links_", 0) == 0 && name > "links_3.sched") ||  // minutes each (bench/)
           name == "big_counter.sched" ||                                // a deep search of its own (tests/data)
           (kSanitized && path.find("msmail") != std::string::npos);     // millions of states each
  };
  for (const auto& [path, model] : testing::repository_models(skip)) {
    ++specs;
    EXPECT_EQ(compare(model, true, reduced), "") << path;
  }
  std::cout << "partial-order reduction shrank " << reduced << " of " << specs << " specs\n";
  EXPECT_GE(specs, 30);
}

// Native code lists each action's edges as the interpreter's steps do, so the same sets are
// chosen: the same search, state for state, with native code and without.
TEST(PartialOrder, NativeCodeReducesAsTheInterpreterDoes) {
  std::vector<std::pair<std::string, Model>> models;
  for (uint32_t seed = 1; seed <= (kSanitized ? 3u : 8u); ++seed)
    models.emplace_back("random indexed spec " + std::to_string(seed), testing::model_from(testing::random_indexed_spec(seed)));
  for (const char* name : {"links_2.sched", "links_3.sched"}) {
    const std::string file = std::string(INTERLOCK_SOURCE_DIR) + "/specs/bench/" + name;
    models.emplace_back(file, load_model(file));
  }
  int reduced_somewhere = 0;
  for (const auto& [name, model] : models) {
    for (bool symmetry : {false, true}) {
      Limits interpreted = por(true, symmetry), native = por(true, symmetry);
      interpreted.native = NativeMode::Off;
      native.native = NativeMode::On;
      const Stats a = whole_search(model, interpreted);
      const Stats b = whole_search(model, native);
      EXPECT_EQ(a.states, b.states) << name << (symmetry ? ", symmetry" : "");
      EXPECT_EQ(a.transitions, b.transitions) << name << (symmetry ? ", symmetry" : "");
      EXPECT_EQ(a.reduced_states, b.reduced_states) << name << (symmetry ? ", symmetry" : "");
      EXPECT_EQ(a.por_paused_states, b.por_paused_states) << name << (symmetry ? ", symmetry" : "");
      EXPECT_EQ(a.native_states, 0u) << name;
      EXPECT_GT(b.native_states, b.states / 2) << name << ": native code was not used";
      reduced_somewhere += b.reduced_states > 0;
    }
  }
  EXPECT_GE(reduced_somewhere, 4);
}

// Every state is analysed until a level (or levels, together) with at least 256 analyses
// reduced fewer than 1 in 3 of them; then the first 256 of every 4096 indexes, the period
// doubling after each such level up to 32768; a level whose probes reduced enough brings back
// analyses of every state. Whether an index is analysed depends on nothing else.
TEST(PartialOrder, ThePacingPausesWhereLittleIsReducedAndLooksAgain) {
  ReductionPacing pacing;
  auto analysed_of = [&](uint64_t from, uint64_t to) {  // indexes the current level would analyse
    uint64_t n = 0;
    for (uint64_t j = from; j < to; ++j) n += pacing.analyses(j);
    return n;
  };
  EXPECT_EQ(analysed_of(0, 100000), 100000u);
  pacing.add(200, 0);  // too few to judge, however little they reduced
  pacing.end_level();
  EXPECT_EQ(pacing.period(), 0u);
  pacing.add(100, 99);  // with the level before: 300 analyses, 99 reduced (under 1 in 3)
  EXPECT_EQ(pacing.after_level().period(), ReductionPacing::kFirstPeriod);
  EXPECT_EQ(pacing.period(), 0u) << "after_level() leaves the pacing as it is";
  pacing.end_level();
  EXPECT_EQ(pacing.period(), 4096u);
  EXPECT_EQ(analysed_of(0, 8192), 512u);
  EXPECT_TRUE(pacing.analyses(4096 + 255));
  EXPECT_FALSE(pacing.analyses(4096 + 256));
  for (uint64_t period : {8192u, 16384u, 32768u, 32768u}) {  // doubling to the cap
    pacing.add(256, 85);
    pacing.end_level();
    EXPECT_EQ(pacing.period(), period);
  }
  EXPECT_EQ(analysed_of(0, 65536), 512u);
  pacing.add(256, 86);  // over 1 in 3: enough
  pacing.end_level();
  EXPECT_EQ(pacing.period(), 0u);
  EXPECT_EQ(analysed_of(0, 65536), 65536u);
  pacing.add(1000, 0);
  pacing.end_level();
  EXPECT_EQ(pacing.period(), 4096u) << "the pause starts short again";
}

// The KB case's machines touch the queue and the server's state at almost every step: nearly
// nothing can be left out, and with the pauses the reduced search costs about what the plain one
// does (docs/performance.md), with the same states.
TEST(PartialOrder, ASpecWhereLittleIsReducedIsMostlyNotLookedAt) {
  Model model = load_model(std::string(INTERLOCK_SOURCE_DIR) + "/specs/msmail/original.sched");
  std::vector<int> article;
  for (const char* name : {"no_drop", "conflict", "deadlock_free", "server_back"})
    for (std::size_t p = 0; p < model.properties.size(); ++p)
      if (model.properties[p].name == name) article.push_back(static_cast<int>(p));
  ASSERT_EQ(article.size(), 4u);
  const auto plain = check(model, article, por(false));
  const auto reduced = check(model, article, por(true));
  for (std::size_t k = 0; k < article.size(); ++k) EXPECT_EQ(reduced[k].verdict, plain[k].verdict) << plain[k].property;
  const Stats& s = reduced.back().stats;
  EXPECT_EQ(s.states, plain.back().stats.states);
  EXPECT_GT(s.por_paused_states, s.states * 9 / 10) << "paused for " << s.por_paused_states << " of " << s.states;
}

TEST(PartialOrder, TheCommandLineTurnsItOnAndSaysWhatItDid) {
  const std::string spec = std::string(INTERLOCK_SOURCE_DIR) + "/specs/bench/links_2.sched";
  auto run = [](const std::vector<std::string>& args) {
    std::ostringstream out, err;
    const int code = run_command_line(args, out, err);
    return std::make_pair(code, out.str() + err.str());
  };
  auto [code_on, on] = run({"check", spec, "--prop", "no_drop", "--lint", "off", "--por", "on"});
  EXPECT_EQ(code_on, 0) << on;
  EXPECT_NE(on.find("; partial-order reduction: "), std::string::npos) << on;
  auto [code_default, by_default] = run({"check", spec, "--prop", "no_drop", "--lint", "off"});
  EXPECT_EQ(code_default, 0) << by_default;
  EXPECT_NE(by_default.find("; partial-order reduction: "), std::string::npos) << "on by default: " << by_default;
  auto [code_off, off] = run({"check", spec, "--prop", "no_drop", "--lint", "off", "--por", "off"});
  EXPECT_EQ(code_off, 0) << off;
  EXPECT_EQ(off.find("partial-order reduction"), std::string::npos) << off;
  // Lint needs every state: with lint on, the search is the plain one, and says why when the
  // reduction was asked for (by default, nothing is said).
  auto [code_lint, linted] = run({"check", spec, "--prop", "no_drop", "--por", "on"});
  EXPECT_EQ(code_lint, 0) << linted;
  EXPECT_EQ(linted.find("states expanded in part"), std::string::npos) << linted;
  EXPECT_NE(linted.find("; partial-order reduction not used: lint is on"), std::string::npos) << linted;
  auto [code_lint_default, linted_by_default] = run({"check", spec, "--prop", "no_drop"});
  EXPECT_EQ(code_lint_default, 0) << linted_by_default;
  EXPECT_EQ(linted_by_default.find("partial-order reduction"), std::string::npos) << linted_by_default;
  // So do --reduce off and a response (its transition graph needs every edge).
  auto [code_raw, raw] = run({"check", spec, "--prop", "no_drop", "--lint", "off", "--por", "on", "--reduce", "off"});
  EXPECT_EQ(code_raw, 0) << raw;
  EXPECT_NE(raw.find("; partial-order reduction not used: --reduce off"), std::string::npos) << raw;
  auto [code_response, response] = run({"check", spec, "--prop", "backup_completes", "--lint", "off", "--por", "on"});
  EXPECT_EQ(code_response, 0) << response;
  EXPECT_NE(response.find("; partial-order reduction not used: a response or delay property"), std::string::npos) << response;
  auto [code_json, json] = run({"check", spec, "--prop", "no_drop", "--lint", "off", "--por", "on", "--format", "json"});
  EXPECT_EQ(code_json, 0) << json;
  EXPECT_NE(json.find("\"reduced_states\""), std::string::npos) << json;
  EXPECT_EQ(json.find("\"partial_order_not_used\""), std::string::npos) << json;
  // The JSON report says why too.
  auto [code_json_lint, json_lint] = run({"check", spec, "--prop", "no_drop", "--por", "on", "--format", "json"});
  EXPECT_EQ(code_json_lint, 0) << json_lint;
  EXPECT_NE(json_lint.find("\"partial_order_not_used\": \"lint is on"), std::string::npos) << json_lint;
  EXPECT_EQ(json_lint.find("\"reduced_states\""), std::string::npos) << json_lint;
  EXPECT_EQ(run({"check", spec, "--por", "maybe"}).first, 2);
}

}  // namespace
}  // namespace interlock

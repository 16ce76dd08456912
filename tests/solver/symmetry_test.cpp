// Symmetry reduction (solver/explicit/symmetry.h): interchangeable copies of an indexed machine
// are searched once per orbit. A hand-counted case; specs that single a copy out are not reduced;
// random specs with indexed machines and every spec of the repository get the same verdicts,
// equally short traces that replay, and the same lint warnings with and without it.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <random>
#include <regex>
#include <sstream>

#include "cli/commands.h"
#include "model/cone.h"
#include "model/layout.h"
#include "solver/explicit/symmetry.h"
#include "solver/lint/lint.h"
#include "support/random_indexed_spec.h"
#include "support/test_effort.h"
#include "support/test_models.h"

namespace interlock {
namespace {

namespace fs = std::filesystem;

// Three copies, each Idle (not done) -> Busy -> Idle (done), counting the busy ones in a shared
// variable. A copy has 3 states of its own and `count` follows from them: 3^3 = 27 states. Up to
// a permutation of the copies a state is a multiset of 3 of the 3 local states: C(5, 2) = 10.
const char* kCounter = R"(
  system counter;
  const N = 3;
  var count : 0..3 = 0;
  machine P[i : 0..N-1] {
    var done : bool;
    state Idle, Busy;
    init Idle;
    Idle -> Busy when !done do count := count + 1;
    Busy -> Idle do { count := count - 1; done := true; };
  }
  invariant bounded: count <= 2;
  reachable all_done: forall i in 0..N-1 : P[i].Idle && P[i].done;
  reachable two_busy: exists i in 0..N-1 : exists j in 0..N-1 : i != j && P[i].Busy && P[j].Busy && !P[j].done;
  deadlock_free;
  reachable first_busy: P[0].Busy;
)";

Limits symmetry(bool on) {
  Limits l;
  l.symmetry = on;
  l.partial_order = false;  // symmetry alone: the counts are by hand, and traces the shortest
  return l;
}

std::vector<PropertyResult> check(const Model& model, const std::vector<int>& props, bool on) {
  RunContext context(symmetry(on), nullptr);
  return ExplicitEngine().check(model, props, context);
}

std::vector<int> every_property(const Model& model) {
  std::vector<int> all;
  for (std::size_t p = 0; p < model.properties.size(); ++p) all.push_back(static_cast<int>(p));
  return all;
}

std::vector<int> all_but(const Model& model, const std::string& name) {
  std::vector<int> out;
  for (int p : every_property(model))
    if (model.properties[static_cast<std::size_t>(p)].name != name) out.push_back(p);
  return out;
}

TEST(Symmetry, ThreeCopiesWithASharedCounterHandCounted) {
  Model m = testing::model_from(kCounter);
  const std::vector<int> props = all_but(m, "first_busy");
  auto on = check(m, props, true);
  auto off = check(m, props, false);
  ASSERT_EQ(on.size(), 4u);
  EXPECT_EQ(off[0].stats.states, 27u);
  EXPECT_EQ(on[0].stats.states, 10u);
  EXPECT_EQ(on[0].stats.symmetry, "P[0..2] (3 blocks)");
  EXPECT_EQ(off[0].stats.symmetry, "");
  for (std::size_t k = 0; k < on.size(); ++k) {
    EXPECT_EQ(on[k].verdict, off[k].verdict) << on[k].property;
    ASSERT_EQ(on[k].trace.has_value(), off[k].trace.has_value()) << on[k].property;
    if (!on[k].trace) continue;
    EXPECT_EQ(on[k].trace->steps.size(), off[k].trace->steps.size()) << on[k].property;
    EXPECT_EQ(testing::replay(m, *on[k].trace), "") << on[k].property;
  }
  EXPECT_EQ(on[0].verdict, Verdict::Violated);  // three busy at once
  EXPECT_EQ(on[1].verdict, Verdict::Holds);
  EXPECT_EQ(on[2].verdict, Verdict::Holds);
  EXPECT_EQ(on[3].verdict, Verdict::Violated);  // all done: nothing more can happen
}

TEST(Symmetry, APropertyOnOneCopyTurnsItOff) {
  Model m = testing::model_from(kCounter);
  auto all = check(m, every_property(m), true);
  EXPECT_EQ(all[0].stats.states, 27u);
  EXPECT_EQ(all[0].stats.symmetry, "");
  std::vector<std::string> notes;
  EXPECT_EQ(Symmetry::detect(m, every_property(m), {}, nullptr, &notes), nullptr);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("property 'first_busy' is not symmetric"), std::string::npos) << notes[0];
}

TEST(Symmetry, AGuardOnOneCopyTurnsItOff) {
  const std::string guarded = std::string(kCounter).replace(std::string(kCounter).find("when !done"), 10, "when !done && (i != 0 || count == 0)");
  Model m = testing::model_from(guarded);
  auto r = check(m, all_but(m, "first_busy"), true);
  EXPECT_EQ(r[0].stats.symmetry, "");
  EXPECT_EQ(r[0].stats.states, check(m, all_but(m, "first_busy"), false)[0].stats.states);
  // A global holding an index: the turn of the mutual exclusion.
  Model turn = load_model(std::string(INTERLOCK_SOURCE_DIR) + "/tests/regress/kind_mutual_exclusion.sched");
  EXPECT_EQ(Symmetry::detect(turn, every_property(turn), {}), nullptr);
}

TEST(Symmetry, BroadcastReceiversWhoseOrderMattersAreNotPermuted) {
  // Every copy receiving `go` writes `last`: the last receiver in index order wins, so swapping
  // two copies changes where a broadcast leads. A counter moved by one in each copy is fine.
  const char* spec = R"(
    system order;
    var last : 0..2 = 0;
    var n : 0..3 = 0;
    broadcast chan go;
    machine C { state A; init A; A -> A emit go! when n == 0; }
    machine R[i : 0..1] {
      var mine : 0..2;
      state W, D;
      init W;
      W -> D on go? do { n := n + 1; LAST };
      W -> W do mine := (mine + 1) % 3;
    }
    invariant small: n <= 2;
    reachable set: last == 2;
  )";
  std::string with_last = spec;
  with_last.replace(with_last.find("LAST"), 4, "last := mine;");
  std::string without = spec;
  without.replace(without.find("LAST"), 4, "");
  std::vector<std::string> notes;
  Model bad = testing::model_from(with_last);
  EXPECT_EQ(Symmetry::detect(bad, every_property(bad), {}, nullptr, &notes), nullptr);
  ASSERT_FALSE(notes.empty());
  EXPECT_NE(notes[0].find("broadcast go"), std::string::npos) << notes[0];
  Model good = testing::model_from(without);
  auto sym = Symmetry::detect(good, every_property(good), {});
  ASSERT_NE(sym, nullptr);
  EXPECT_EQ(sym->describe(), "R[0..1] (2 blocks)");
  for (const std::string& text : {with_last, without}) {
    Model m = testing::model_from(text);
    auto on = check(m, every_property(m), true);
    auto off = check(m, every_property(m), false);
    for (std::size_t k = 0; k < on.size(); ++k) EXPECT_EQ(on[k].verdict, off[k].verdict) << on[k].property;
  }
}

TEST(Symmetry, FamiliesMeetingOverAChannelArrayArePermutedTogether) {
  Model m = load_model(std::string(INTERLOCK_SOURCE_DIR) + "/specs/bench/links_3.sched");
  const std::vector<int> safety = all_but(m, "backup_completes");
  auto on = check(m, safety, true);
  auto off = check(m, safety, false);
  EXPECT_EQ(on[0].stats.symmetry, "Link[0..2] with Remote[0..2] (3 blocks)");
  EXPECT_LT(on[0].stats.states, off[0].stats.states);
  EXPECT_GE(on[0].stats.states * 6, off[0].stats.states);
  for (std::size_t k = 0; k < on.size(); ++k) EXPECT_EQ(on[k].verdict, off[k].verdict) << on[k].property;
  // With the response too: its delays come from the graph of representatives, so the same
  // orbits are searched, and the verdicts and the longest wait are those of the whole space.
  auto all = check(m, every_property(m), true);
  auto all_off = check(m, every_property(m), false);
  EXPECT_EQ(all[0].stats.symmetry, on[0].stats.symmetry);
  EXPECT_EQ(all[0].stats.states, on[0].stats.states);
  EXPECT_EQ(all_off[0].stats.states, off[0].stats.states);
  for (std::size_t k = 0; k < all.size(); ++k) {
    EXPECT_EQ(all[k].verdict, all_off[k].verdict) << all[k].property;
    EXPECT_EQ(all[k].value, all_off[k].value) << all[k].property;
  }
  EXPECT_TRUE(all.back().value.has_value());
  // --reduce off promises the plain semantics state for state.
  Limits plain;
  plain.reduce = false;
  RunContext context(plain, nullptr);
  EXPECT_EQ(ExplicitEngine().check(m, safety, context)[0].stats.symmetry, "");
}

TEST(Symmetry, FamiliesThatReadEachOthersCopiesArePermutedTogether) {
  // A[i] waits for its own B[i] by name, with no array or channel between them.
  Model m = testing::model_from(R"(
    system pairs;
    machine A[i : 0..2] { state Off, On; init Off; Off -> On when B[i].Ready; On -> Off; }
    machine B[i : 0..2] { state Idle, Ready; init Idle; Idle -> Ready; }
    reachable two_on: exists i in 0..2 : exists j in 0..2 : i != j && A[i].On && A[j].On;
  )");
  auto sym = Symmetry::detect(m, every_property(m), {});
  ASSERT_NE(sym, nullptr);
  EXPECT_EQ(sym->describe(), "A[0..2] with B[0..2] (3 blocks)");
  // Per pair: (Off, Idle), (Off, Ready), (On, Ready): 27 states, 10 multisets.
  auto on = check(m, every_property(m), true);
  EXPECT_EQ(on[0].verdict, Verdict::Holds);
  Model all = testing::model_from(R"(
    system pairs;
    machine A[i : 0..2] { state Off, On; init Off; Off -> On when B[i].Ready; On -> Off; }
    machine B[i : 0..2] { state Idle, Ready; init Idle; Idle -> Ready; }
    invariant never: !(A[0].On && A[1].On && A[2].On && false);
  )");
  EXPECT_EQ(check(all, {0}, true)[0].stats.states, 10u);
  EXPECT_EQ(check(all, {0}, false)[0].stats.states, 27u);
}

TEST(Symmetry, PackedAndUnpackedCanonicalFormsAgree) {
  Model m = load_model(std::string(INTERLOCK_SOURCE_DIR) + "/specs/bench/links_3.sched");
  auto sym = Symmetry::detect(m, {0}, {});
  ASSERT_NE(sym, nullptr);
  StateLayout layout(m);
  std::mt19937 rng(7);
  for (int round = 0; round < 2000; ++round) {
    std::vector<int32_t> s(m.slots.size() + 1, 0);
    for (std::size_t k = 0; k < m.slots.size(); ++k)
      s[k] = static_cast<int32_t>(std::uniform_int_distribution<int64_t>(m.slots[k].lo, m.slots[k].hi)(rng));
    std::vector<uint8_t> packed(layout.buffer_bytes() + 8, 0);
    layout.pack(s.data(), packed.data());
    sym->canonicalise(packed.data());
    std::vector<int32_t> from_packed(m.slots.size() + 1, 0);
    layout.unpack(packed.data(), from_packed.data());
    sym->canonicalise(s.data());
    from_packed.back() = s.back();
    ASSERT_EQ(from_packed, s) << "round " << round;
    std::vector<int32_t> again = s;
    sym->canonicalise(again.data());
    EXPECT_EQ(again, s) << "a representative is its own";
  }
}

// n! for each group of a run's statistics ("... (3 blocks)"): the most a search can shrink.
uint64_t group_order(const std::string& symmetry) {
  uint64_t order = 1;
  for (std::size_t at = symmetry.find('('); at != std::string::npos; at = symmetry.find('(', at + 1)) {
    const int blocks = std::stoi(symmetry.substr(at + 1));
    for (int k = 2; k <= blocks; ++k) order *= static_cast<uint64_t>(k);
  }
  return order;
}

std::vector<std::string> lint_messages(const Model& model, const std::string& text, bool on) {
  const std::vector<int> all = every_property(model);
  Limits limits = symmetry(on);
  limits.coverage = lint_request(model, all);
  RunContext context(limits, nullptr);
  auto results = ExplicitEngine().check(model, all, context);
  LintReport report = lint_after_check(model, all, results, SpecText(model, text));
  if (!report.explored) {
    RunContext again(symmetry(on), nullptr);
    report = lint_spec(model, again, SpecText(model, text));
  }
  std::vector<std::string> out;
  // The warnings name the number of states searched: with symmetry, of orbits.
  static const std::regex count(" in the [0-9]+ reachable states( \\(counted up to symmetry\\))?");
  for (const LintWarning& w : report.warnings)
    out.push_back(std::to_string(w.loc.line) + ": " + std::regex_replace(w.message, count, " in the N reachable states"));
  if (!report.explored) out.push_back("not explored: " + report.not_explored);
  return out;
}

// Same verdicts, equally short traces that replay, and the same lint warnings.
std::string compare_on_off(const Model& model, const std::string& text, int& reduced) {
  std::ostringstream problems;
  const std::vector<int> all = every_property(model);
  auto on = check(model, all, true);
  auto off = check(model, all, false);
  // The state counts of whole searches: a search stops once every property is decided, at a
  // place that depends on the order of states, so one more invariant, always true, is checked.
  Model whole = model;
  Property complete;
  complete.name = "always";
  complete.a = Expr::constant(1, ValueType::Bool);
  whole.properties.push_back(complete);
  const Stats whole_on = check(whole, every_property(whole), true).at(0).stats;
  const Stats whole_off = check(whole, every_property(whole), false).at(0).stats;
  if (!whole_on.symmetry.empty()) {
    ++reduced;
    const uint64_t order = group_order(whole_on.symmetry);
    if (whole_on.states > whole_off.states || whole_on.states * order < whole_off.states)
      problems << "states: " << whole_on.states << " reduced, " << whole_off.states << " in all, group order " << order << "\n";
  } else if (whole_on.states != whole_off.states) {
    problems << "no symmetry, yet " << whole_on.states << " states against " << whole_off.states << "\n";
  }
  if (whole_on.symmetry != (on.empty() ? whole_on.symmetry : on[0].stats.symmetry))
    problems << "symmetry with the extra invariant: '" << whole_on.symmetry << "', without: '" << on[0].stats.symmetry << "'\n";
  for (std::size_t k = 0; k < on.size(); ++k) {
    if (on[k].verdict != off[k].verdict)
      problems << on[k].property << ": " << verdict_name(on[k].verdict) << " with symmetry, " << verdict_name(off[k].verdict)
               << " without\n";
    if (on[k].value != off[k].value) problems << on[k].property << ": another value\n";
    if (on[k].trace.has_value() != off[k].trace.has_value()) {
      problems << on[k].property << ": a trace on one side only\n";
      continue;
    }
    if (!on[k].trace) continue;
    // Traces to a state are shortest; a delay's trace goes to the state found first, and a lasso
    // may run its cycle more than once to come back to the same real state.
    const bool shortest = on[k].kind != Property::Kind::Response && on[k].kind != Property::Kind::Maximum;
    if (shortest && on[k].trace->steps.size() != off[k].trace->steps.size())
      problems << on[k].property << ": trace of " << on[k].trace->steps.size() << " steps, " << off[k].trace->steps.size()
               << " without symmetry\n";
    const std::string replayed = testing::replay(model, *on[k].trace);
    if (!replayed.empty()) problems << on[k].property << ": the trace does not replay: " << replayed << "\n";
  }
  const std::vector<std::string> lint_on = lint_messages(model, text, true), lint_off = lint_messages(model, text, false);
  if (lint_on != lint_off) {
    problems << "lint warns differently; with symmetry:\n";
    for (const std::string& w : lint_on) problems << "  " << w << "\n";
    problems << "without:\n";
    for (const std::string& w : lint_off) problems << "  " << w << "\n";
  }
  return problems.str();
}

TEST(Symmetry, RandomIndexedSpecsKeepVerdictsTracesAndLint) {
  int reduced = 0, refused = 0;
  constexpr uint32_t kSpecs = testing::specs_to_try(150);
  for (uint32_t seed = 1; seed <= kSpecs; ++seed) {
    const std::string text = testing::random_indexed_spec(seed);
    Model model = testing::model_from(text);
    const std::string problems = compare_on_off(model, text, reduced);
    EXPECT_EQ(problems, "") << "seed " << seed << "\n" << text;
    if (!Symmetry::detect(model, every_property(model), {})) ++refused;
  }
  std::cout << "symmetry used on " << reduced << " of " << kSpecs << " random specs, refused on " << refused << "\n";
  // Both outcomes of the detection occur often enough to mean something.
  EXPECT_GE(reduced, static_cast<int>(kSpecs * 40 / 150));
  EXPECT_GE(refused, static_cast<int>(kSpecs * 20 / 150));
}

// Three copies take turns being busy. The delay `late` never ends: its lasso, found among
// representatives, returns to a permutation of the real state its cycle began in after one round,
// so the trace runs the cycle again until the real run is back.
TEST(Symmetry, ACycleOfRepresentativesIsRunUntilTheRealRunComesBack) {
  Model m = testing::model_from(R"(
    system turns;
    const N = 3;
    machine A[i : 0..N-1] {
      clock t;
      var v : 0..2;
      state Idle { invariant t <= 2; }
      state Busy { invariant t <= 1; }
      init Idle;
      Idle -> Busy when t >= 1 && v == 0 do { t := 0; v := 1; };
      Busy -> Idle when t >= 1 do { t := 0; v := 0; };
      Idle -> Idle when v == 0 && t >= 2 do t := 0;
    }
    response never: exists i in 0..N-1 : A[i].Busy leads_to forall i in 0..N-1 : A[i].v == 2;
    maximum late: exists i in 0..N-1 : A[i].Busy leads_to forall i in 0..N-1 : A[i].Idle;
  )");
  auto on = check(m, every_property(m), true);
  auto off = check(m, every_property(m), false);
  EXPECT_EQ(on[0].stats.symmetry, "A[0..2] (3 blocks)");
  for (std::size_t k = 0; k < on.size(); ++k) {
    EXPECT_EQ(on[k].verdict, off[k].verdict) << on[k].property;
    EXPECT_EQ(on[k].unbounded, off[k].unbounded) << on[k].property;
    ASSERT_TRUE(on[k].trace.has_value()) << on[k].property;
    EXPECT_GE(on[k].trace->loop_start, 0) << on[k].property;
    EXPECT_EQ(testing::replay(m, *on[k].trace), "") << on[k].property;
  }
  EXPECT_TRUE(on[1].unbounded);
}

// The same specs, ending with responses and delay maxima: their answers come from the graph of
// representatives, and their lassos are real runs that come back to where their cycle began.
TEST(Symmetry, RandomIndexedSpecsKeepTheirDelaysAndLassos) {
  int reduced = 0, lassos = 0;
  constexpr uint32_t kSpecs = testing::specs_to_try(100);
  for (uint32_t seed = 1; seed <= kSpecs; ++seed) {
    const std::string text = testing::random_indexed_spec(seed, /*delays=*/true);
    Model model = testing::model_from(text);
    const std::vector<PropertyResult> on = check(model, every_property(model), true);
    if (on.at(0).stats.symmetry.empty()) {
      // Not used: both runs would be the same search (and the largest of these specs has 2.4 M
      // states), so only its traces are checked.
      for (const PropertyResult& r : on) {
        if (r.trace) {
          EXPECT_EQ(testing::replay(model, *r.trace), "") << "seed " << seed << ", " << r.property;
        }
      }
      continue;
    }
    int used = 0;
    const std::string problems = compare_on_off(model, text, used);
    EXPECT_EQ(problems, "") << "seed " << seed << "\n" << text;
    reduced += used;
    for (const PropertyResult& r : on)
      if (r.trace && r.trace->loop_start >= 0) ++lassos;
  }
  std::cout << "symmetry used on " << reduced << " of " << kSpecs << " random specs with delays; " << lassos
            << " lassos among their answers\n";
  EXPECT_GE(reduced, static_cast<int>(kSpecs / 4));
  EXPECT_GE(lassos, static_cast<int>(kSpecs / 10));
}

TEST(Symmetry, EverySpecOfTheRepositoryKeepsItsVerdicts) {
  int with_copies = 0;
  for (const char* dir : {"specs", "tests/regress"})
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(INTERLOCK_SOURCE_DIR) / dir)) {
      if (entry.path().extension() != ".sched") continue;
      const std::string name = entry.path().filename().string();
      if (name.rfind("links_", 0) == 0 && name > "links_3.sched") continue;  // minutes each (bench/)
      Model model = load_model(entry.path().string());
      bool indexed = false;
      for (const Instance& inst : model.instances) indexed = indexed || inst.name != inst.machine;
      if (!indexed) {
        // No copies: the search never calls the symmetry code, so nothing can differ.
        EXPECT_EQ(Symmetry::detect(model, every_property(model), {}), nullptr) << entry.path();
        continue;
      }
      ++with_copies;
      std::ifstream in(entry.path());
      const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      int reduced = 0;
      EXPECT_EQ(compare_on_off(model, text, reduced), "") << entry.path();
    }
  EXPECT_GE(with_copies, 4);
}

TEST(Symmetry, TheCommandLineSaysWhichCopiesItPermuted) {
  const std::string spec = std::string(INTERLOCK_SOURCE_DIR) + "/specs/bench/links_2.sched";
  auto run = [](const std::vector<std::string>& args) {
    std::ostringstream out, err;
    const int code = run_command_line(args, out, err);
    return std::make_pair(code, out.str());
  };
  // (Not --quiet, which keeps only the verdict lines.)
  auto [code_on, on] = run({"check", spec, "--prop", "no_drop", "--lint", "off"});
  EXPECT_EQ(code_on, 0);
  EXPECT_NE(on.find("; symmetry: Link[0..1] with Remote[0..1] (2 blocks)"), std::string::npos) << on;
  auto [code_off, off] = run({"check", spec, "--prop", "no_drop", "--lint", "off", "--symmetry", "off"});
  EXPECT_EQ(code_off, 0);
  EXPECT_EQ(off.find("symmetry:"), std::string::npos) << off;
  auto [code_json, json] = run({"check", spec, "--prop", "no_drop", "--quiet", "--format", "json", "--lint", "off"});
  EXPECT_EQ(code_json, 0);
  EXPECT_NE(json.find("\"symmetry\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"Link[0..1] with Remote[0..1] (2 blocks)\""), std::string::npos) << json;
  EXPECT_EQ(run({"check", spec, "--symmetry", "maybe"}).first, 2);
}

}  // namespace
}  // namespace interlock

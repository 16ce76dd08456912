// Parameter synthesis: the answer for a parameter whose good values are not one interval, checked
// with the explicit engine on both sides of every boundary it reports; the prover's failures
// leave the answer exact (value by value) or honestly partial; bad requests are refused.
#include <gtest/gtest.h>

#include "model/lower.h"
#include "model/semantics.h"
#include "solver/trace/replay.h"
#include "solver/analysis/synthesis.h"
#include "solver/z3/chc_engine.h"
#include "support/random_assumptions.h"
#include "support/random_param_spec.h"
#include "support/test_models.h"

namespace interlock {
namespace {

// M counts x up to K, one per tick, then stops; `ok` fails when it stops at 4, 5 or 6.
const char* kSpec = R"(
  system gaps;
  param K : 0..12 = 0;
  param STEP : 1..2 = 1;
  var x : 0..30 = 0;
  machine M {
    clock c;
    state A { invariant c <= 1; }
    state Stop;
    init A;
    A -> A when c == 1 && x < K do { x := x + STEP; c := 0; };
    A -> Stop when x >= K;
  }
  invariant ok: !(M.Stop && x >= 4 && x <= 6);
  response stops: M.A leads_to M.Stop;
  assume K != 12;
)";

Prover chc_prover() {
  return [](const Model& m, const std::vector<int>& p, RunContext& context) { return ChcEngine().check(m, p, context); };
}

Verdict explicit_at(const Model& model, int64_t k) {
  Model m = with_params(model, {{"K", k}});
  m.assumes.clear();  // K != 12 is set aside by synthesis too
  m.assume_locs.clear();
  return testing::check_one(m, "ok").verdict;
}

TEST(Synthesis, ASetWithAGapIsFoundExactly) {
  Model model = testing::model_from(kSpec);
  SynthesisResult r = synthesize(model, "K", {model.find_property("ok")}, chc_prover(), {});
  EXPECT_TRUE(r.exact());
  EXPECT_EQ(r.condition(), "K <= 3 || K in 7..11") << "K = 12 holds, but the spec assumes K != 12";
  EXPECT_EQ(r.condition_set_aside(), "K <= 3 || K >= 7");
  ASSERT_EQ(r.set_aside.size(), 1u) << "the assumption about K is decided without, and applied to the answer";
  EXPECT_EQ(r.assumptions, std::vector<std::string>{"K != 12"});
  EXPECT_EQ(r.allowed, (std::vector<std::pair<int64_t, int64_t>>{{0, 11}}));
  // Every boundary, checked from both sides with the explicit engine.
  for (std::size_t i = 0; i < r.intervals.size(); ++i) {
    const ParamInterval& in = r.intervals[i];
    SCOPED_TRACE("interval " + std::to_string(in.lo) + ".." + std::to_string(in.hi));
    EXPECT_EQ(explicit_at(model, in.lo), in.verdict);
    EXPECT_EQ(explicit_at(model, in.hi), in.verdict);
    if (i + 1 < r.intervals.size() && r.intervals[i + 1].verdict != in.verdict) {
      EXPECT_NE(explicit_at(model, in.hi + 1), in.verdict);
    }
  }
  // And every value, since the range is small.
  for (int64_t k = 0; k <= 12; ++k) {
    bool good = k <= 3 || k >= 7;
    EXPECT_EQ(explicit_at(model, k), good ? Verdict::Holds : Verdict::Violated) << "K = " << k;
  }
}

TEST(Synthesis, WhenTheProverCannotDecideValuesAreCheckedOneByOne) {
  Model model = testing::model_from(kSpec);
  int calls = 0;
  Prover undecided = [&](const Model& m, const std::vector<int>& p, RunContext&) {
    ++calls;
    std::vector<PropertyResult> out;
    for (int i : p) {
      PropertyResult r(m.properties[i], "stub");
      r.detail = "no answer";
      out.push_back(r);
    }
    return out;
  };
  SynthesisResult r = synthesize(model, "K", {model.find_property("ok")}, undecided, {});
  EXPECT_TRUE(r.exact());
  EXPECT_EQ(r.condition_set_aside(), "K <= 3 || K >= 7");
  EXPECT_GE(calls, 2);
  for (const ParamInterval& in : r.intervals) {
    if (in.verdict == Verdict::Holds) {
      EXPECT_NE(in.evidence.find("explicit engine at each value"), std::string::npos) << in.evidence;
    }
  }
}

TEST(Synthesis, BadRequestsAreRefused) {
  Model model = testing::model_from(kSpec);
  EXPECT_THROW(synthesize(model, "NOPE", {0}, chc_prover(), {}), InputError);
  EXPECT_THROW(synthesize(model, "K", {model.find_property("stops")}, chc_prover(), {}), InputError);
  Model free_step = with_free_params(model, {model.find_param("STEP")});
  try {
    synthesize(free_step, "K", {0}, chc_prover(), {});
    ADD_FAILURE() << "a free parameter other than K must be refused";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("--set STEP="), std::string::npos) << e.what();
  }
}

TEST(Synthesis, ALineInASecondParameterIsProvenAndTightAtEveryValue) {
  Model model = load_model(std::string(INTERLOCK_SOURCE_DIR) + "/tests/data/synth_line.sched");
  Prover chc = chc_prover();
  RelationResult r = synthesize_relation(model, "K", {"L"}, {0}, chc, {});
  EXPECT_EQ(r.condition, "K >= L + 2") << r.why_not;
  EXPECT_TRUE(r.proven);
  ASSERT_EQ(r.samples.size(), 2u);
  EXPECT_EQ(r.samples[0].values, std::vector<int64_t>{0});
  EXPECT_EQ(r.samples[1].values, std::vector<int64_t>{5});
  EXPECT_TRUE(r.samples[0].tight && r.samples[1].tight);
  // The line is the exact boundary at every value of L, checked with the explicit engine.
  for (int64_t l = 0; l <= 5; ++l) {
    EXPECT_EQ(testing::check_one(with_params(model, {{"L", l}, {"K", l + 1}}), "ok").verdict, Verdict::Violated) << "L = " << l;
    EXPECT_EQ(testing::check_one(with_params(model, {{"L", l}, {"K", l + 2}}), "ok").verdict, Verdict::Holds) << "L = " << l;
  }
  EXPECT_THROW(synthesize_relation(model, "K", {"K"}, {0}, chc, {}), InputError);
  EXPECT_THROW(synthesize_relation(model, "K", {"NOPE"}, {0}, chc, {}), InputError);
  EXPECT_THROW(synthesize_relation(model, "K", {}, {0}, chc, {}), InputError);
}

TEST(Synthesis, NoLineWhenAnAnswerIsNotAThreshold) {
  Model model = testing::model_from(std::string(R"(
    system gaps2;
    param K : 0..12 = 0;
    param L : 0..1 = 0;
    var x : 0..30 = 0;
    machine M { clock c; state A { invariant c <= 1; } state Stop; init A;
      A -> A when c == 1 && x < K do { x := x + 1; c := 0; }; A -> Stop when x >= K; }
    invariant ok: !(M.Stop && x >= 4 + L && x <= 6);
  )"));
  Prover chc = chc_prover();
  RelationResult r = synthesize_relation(model, "K", {"L"}, {0}, chc, {});
  EXPECT_EQ(r.condition, "");
  EXPECT_NE(r.why_not.find("not a threshold"), std::string::npos) << r.why_not;
  EXPECT_FALSE(r.samples.empty());
}

TEST(Synthesis, APlaneInTwoParametersIsProvenTightAtThreeCornersAndSafeEverywhere) {
  Model model = load_model(std::string(INTERLOCK_SOURCE_DIR) + "/tests/data/synth_plane.sched");
  Prover chc = chc_prover();
  RelationResult r = synthesize_relation(model, "K", {"L", "N"}, {0}, chc, {});
  EXPECT_EQ(r.condition, "K >= L + N + 2") << r.why_not;
  EXPECT_TRUE(r.proven);
  ASSERT_EQ(r.samples.size(), 4u);
  for (const RelationResult::Sample& s : r.samples) {
    const bool far_corner = s.values == std::vector<int64_t>{2, 2};
    EXPECT_EQ(s.tight, !far_corner) << s.where;
  }
  // Checked with the explicit engine at every L and N: the condition's bound holds; one below it
  // fails where the condition is tight (the true boundary is max(L, N) + 2).
  for (int64_t l = 0; l <= 2; ++l)
    for (int64_t n = 0; n <= 2; ++n) {
      Model at = with_params(model, {{"L", l}, {"N", n}, {"K", l + n + 2}});
      EXPECT_EQ(testing::check_one(at, "ok").verdict, Verdict::Holds) << "L = " << l << ", N = " << n;
      at = with_params(model, {{"L", l}, {"N", n}, {"K", std::max(l, n) + 1}});
      EXPECT_EQ(testing::check_one(at, "ok").verdict, Verdict::Violated) << "L = " << l << ", N = " << n;
    }
  EXPECT_THROW(synthesize_relation(model, "K", {"L", "L"}, {0}, chc, {}), InputError);
}

TEST(Synthesis, CornersOutsideTheAssumptionsAreNamed) {
  Model model = testing::model_from(std::string(R"(
    system coupled;
    param K : 0..8 = 0;
    param L : 0..2 = 0;
    param N : 0..2 = 1;
    assume L <= N;
    var x : 0..30 = 0;
    machine M { state A; state Stop; init A; A -> A when x < K do x := x + 1; A -> Stop when x >= K; }
    invariant ok: !(M.Stop && x <= N + 1);
  )"));
  Prover chc = chc_prover();
  // With N at 1, L may be 0..1; with L at 0, N may be 0..2: the corner L = 1, N = 0 breaks L <= N.
  RelationResult r = synthesize_relation(model, "K", {"L", "N"}, {0}, chc, {});
  EXPECT_EQ(r.outside, std::vector<std::string>{"L = 1, N = 0"});
  EXPECT_EQ(r.condition, "");
  EXPECT_NE(r.why_not.find("L = 1, N = 0"), std::string::npos) << r.why_not;
}


// The explicit engine's answer for all of `properties` at these parameter values, as an interval
// of synthesis states it: violated if one is, else a model error if the model fails, else holds.
Verdict explicit_answer(const Model& model, const std::vector<std::pair<std::string, int64_t>>& values,
                        const std::vector<int>& properties) {
  Model at = with_params(model, values);
  at.assumes.clear();  // synthesis sets aside the assumptions about what it varies
  at.assume_locs.clear();
  RunContext context({}, nullptr);
  std::vector<PropertyResult> results = ExplicitEngine().check(at, properties, context);
  Verdict answer = Verdict::Holds;
  for (const PropertyResult& r : results) {
    if (r.verdict == Verdict::Violated) return Verdict::Violated;
    if (r.verdict != Verdict::Holds) answer = r.verdict;
  }
  return answer;
}

std::vector<int> invariants_of(const Model& model) {
  std::vector<int> out;
  for (std::size_t i = 0; i < model.properties.size(); ++i)
    if (model.properties[i].kind == Property::Kind::Invariant) out.push_back(static_cast<int>(i));
  return out;
}

// Every interval of `answer` is true at each of its values (the others at `fixed`); returns how
// many values were checked.
int check_intervals(const Model& model, const SynthesisResult& answer, std::vector<std::pair<std::string, int64_t>> fixed,
                    const std::vector<int>& properties, const std::string& where) {
  int checked = 0;
  fixed.emplace_back(answer.param, 0);
  for (const ParamInterval& i : answer.intervals) {
    if (i.verdict == Verdict::Unknown) continue;
    for (int64_t v = i.lo; v <= i.hi; ++v) {
      fixed.back().second = v;
      EXPECT_EQ(verdict_name(explicit_answer(model, fixed, properties)), std::string(verdict_name(i.verdict)))
          << where << ", " << answer.param << " = " << v << ": synth said " << i.evidence;
      ++checked;
    }
  }
  return checked;
}

// Synthesis is only as good as each interval it reports: on random specs whose clocks, guards,
// invariants, choose ranges and updates read the parameters, every value of every interval is
// checked with the explicit engine, for each parameter alone and for a line in a second one
// (its corners, and every point of the box where a proven condition says the invariants hold).
TEST(Synthesis, EveryIntervalIsTrueAtEveryValueOnRandomSpecs) {
  const Prover chc = chc_prover();
  Limits limits;
  limits.timeout_seconds = 10;
  int checked = 0, decided = 0, lines = 0;
  for (uint32_t seed = 1; seed <= 60; ++seed) {
    const std::string text = testing::random_param_spec(seed);
    Model model = testing::model_from(text);
    const std::vector<int> props = invariants_of(model);
    const std::string where = "seed " + std::to_string(seed) + "\n" + text;
    for (const char* p : {"A", "B", "C"}) {
      SynthesisResult r = synthesize(model, p, props, chc, limits);
      checked += check_intervals(model, r, {}, props, where);
      decided += r.exact();
    }
    if (seed % 3 != 0) continue;
    RelationResult line = synthesize_relation(model, "A", {"B"}, props, chc, limits);
    for (const RelationResult::Sample& sample : line.samples)
      checked += check_intervals(model, sample.answer, {{"B", sample.values[0]}}, props, where + "at B = " + sample.where);
    if (!line.proven) continue;
    ++lines;
    // The condition is `A >= a * B + b` or `A <= ...`: where it holds, the invariants hold.
    for (int64_t b = 1; b <= 4; ++b)
      for (int64_t a = 0; a <= 4; ++a) {
        Model at = with_params(model, {{"A", a}, {"B", b}});
        std::vector<int32_t> none(at.slots.size() + 1, 0);
        Semantics sem(at);
        ModelFault fault;
        if (!sem.holds(sem.compile(*line.condition_expr), none.data(), fault)) continue;
        EXPECT_EQ(explicit_answer(model, {{"A", a}, {"B", b}}, props), Verdict::Holds)
            << where << "A = " << a << ", B = " << b << " meets the proven condition " << line.condition;
        ++checked;
      }
  }
  EXPECT_GT(checked, 500);
  EXPECT_GT(decided, 50);
  EXPECT_GT(lines, 0);
}

// Synthesis reads the spec's assumptions value by value as a run reads them
// (Semantics::initial): on random specs with random assumptions about A and B that divide by
// them, a value of A is ruled out exactly where the run finds an assumption false, a model error
// that names the assumption exactly where the run cannot evaluate one, and otherwise what the
// explicit engine says there.
TEST(Synthesis, AValueIsRuledOutOrAModelErrorExactlyWhereARunSaysOnRandomSpecs) {
  const Prover chc = chc_prover();
  Limits limits;
  limits.timeout_seconds = 10;
  int ruled_out = 0, unevaluable = 0, others_false = 0, answered = 0;
  for (uint32_t seed = 1; seed <= 80; ++seed) {
    testing::RandomAssumptions make(seed, "A", "B");
    std::string text = testing::random_param_spec(seed);
    for (uint32_t a = 0; a <= seed % 2; ++a) text += "assume " + make.condition(2) + ";\n";
    Model model;
    try {
      model = testing::model_from(text);
    } catch (const InputError&) {
      continue;  // a constant part divides by zero: refused when loaded, another path
    }
    const std::vector<int> props = invariants_of(model);
    const std::string where = "seed " + std::to_string(seed) + "\n" + text;
    const SynthesisResult r = synthesize(model, "A", props, chc, limits);
    const int a_index = model.find_param("A");
    auto about_a = [&](SourceLoc loc) {  // whether the assumption there mentions A
      for (std::size_t a = 0; a < model.assumes.size(); ++a)
        if (model.assume_locs[a].line == loc.line && model.assume_locs[a].col == loc.col) return mentions_param(model.assumes[a], a_index);
      ADD_FAILURE() << where << "no assumption at " << loc.line << ":" << loc.col;
      return false;
    };
    for (const ParamInterval& i : r.shown())
      for (int64_t v = i.lo; v <= i.hi; ++v) {
        const std::string at = where + "A = " + std::to_string(v) + ": synth said " + i.evidence;
        const Model fixed = with_params(model, {{"A", v}});
        Semantics semantics(fixed);  // keeps a reference to the model
        std::vector<int32_t> start;
        ModelFault fault;
        const bool starts = semantics.initial(start, fault);
        const bool faults = !starts && fault.message.find("cannot be evaluated") != std::string::npos;
        if (!starts && !faults && !about_a(fault.loc)) {
          // An assumption about the others only is false: every value is a model error, as
          // `check --set A=...` says.
          EXPECT_TRUE(i.assumed) << at;
          EXPECT_EQ(i.verdict, Verdict::ModelError) << at;
          EXPECT_NE(i.evidence.find("break this assumption"), std::string::npos) << at;
          ++others_false;
        } else if (!starts && !faults) {
          EXPECT_FALSE(i.assumed) << at;
          ++ruled_out;
        } else if (faults) {
          EXPECT_TRUE(i.assumed) << at;
          EXPECT_EQ(i.verdict, Verdict::ModelError) << at;
          EXPECT_NE(i.evidence.find("cannot be evaluated"), std::string::npos) << at;
          ++unevaluable;
        } else {
          EXPECT_TRUE(i.assumed) << at;
          if (i.verdict == Verdict::Unknown) continue;
          EXPECT_EQ(verdict_name(explicit_answer(model, {{"A", v}}, props)), std::string(verdict_name(i.verdict))) << at;
          ++answered;
        }
      }
  }
  EXPECT_GE(ruled_out, 30) << "the random assumptions rule values out often enough to test that";
  EXPECT_GE(unevaluable, 10) << "cannot be evaluated often enough";
  EXPECT_GE(others_false, 10) << "are false about B alone often enough";
  EXPECT_GE(answered, 100) << "and allow values often enough";
}

}  // namespace
}  // namespace interlock

// How a synthesis answer reads: one-value lines merged into intervals, the values the spec's
// assumptions rule out never in the answer (checked value by value against the explicit engine),
// and the answer in clock time where the spec uses it.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.h"
#include "model/lower.h"
#include "model/semantics.h"
#include "solver/analysis/synthesis.h"
#include "support/test_models.h"

namespace interlock {
namespace {

ParamInterval piece(int64_t lo, int64_t hi, Verdict v, const std::string& evidence, const std::string& property = "") {
  ParamInterval i;
  i.lo = lo;
  i.hi = hi;
  i.verdict = v;
  i.evidence = evidence;
  i.property = property;
  return i;
}

std::vector<std::string> lines(const SynthesisResult& r) {
  std::vector<std::string> out;
  for (const ParamInterval& i : r.shown())
    out.push_back(r.interval_text(i) + ": " + (i.assumed ? std::string(verdict_name(i.verdict)) + " (" + i.evidence + ")" : "ruled out"));
  return out;
}

TEST(SynthesisAnswer, OneValueLinesAreMergedIntoIntervals) {
  SynthesisResult r;
  r.param = "K";
  r.intervals = {piece(0, 0, Verdict::Violated, "'ok' is violated; the trace found at K = 0", "ok"),
                 piece(1, 2, Verdict::Violated, "'ok' is violated; the trace found at K = 1 replays ... up to 2", "ok"),
                 piece(3, 3, Verdict::Violated, "'ok' is violated; the trace found at K = 3", "ok"),
                 piece(4, 6, Verdict::Holds, "proven by chc for every value at once"),
                 piece(7, 7, Verdict::Unknown, "the explicit engine could not decide: a limit"),
                 piece(8, 8, Verdict::Unknown, "the explicit engine could not decide: a limit"),
                 piece(9, 9, Verdict::ModelError, "the model fails before 'ok' is decided: overflow at 9", "ok"),
                 piece(10, 10, Verdict::ModelError, "the model fails before 'ok' is decided: overflow at 10", "ok"),
                 piece(11, 20, Verdict::Holds, "checked by the explicit engine at each value"),
                 piece(21, 30, Verdict::Holds, "proven by chc for every value at once")};
  EXPECT_EQ(lines(r), (std::vector<std::string>{
                          "K in 0..3: violated ('ok' violated; traces found at K = 0, 1 and 3, each replayed to the values up to the next)",
                          "K in 4..6: holds (proven by chc for every value at once)",
                          "K in 7..8: unknown (the explicit engine could not decide: a limit)",
                          "K in 9..10: model error (K = 9: the model fails before 'ok' is decided: overflow at 9; K = 10: the model "
                          "fails before 'ok' is decided: overflow at 10)",
                          "K in 11..20: holds (checked by the explicit engine at each value)",
                          "K in 21..30: holds (proven by chc for every value at once)"}))
      << "intervals that were decided differently keep a line each";
  EXPECT_EQ(r.condition(), "K in 4..6 || K >= 11") << "no assumption: every value counts";
}

// A line of model errors met for different reasons says which values meet which (an outside
// tester read "at each value: A; B" as both faults at every value).
TEST(SynthesisAnswer, ALineOfModelErrorsSaysWhichValuesMeetWhichFault) {
  SynthesisResult r;
  r.param = "P";
  r.intervals = {piece(0, 0, Verdict::ModelError, "division by zero"), piece(1, 1, Verdict::ModelError, "breaks 5:1"),
                 piece(2, 2, Verdict::ModelError, "breaks 5:1"), piece(3, 3, Verdict::Holds, "checked"),
                 piece(4, 4, Verdict::Holds, "proven")};
  EXPECT_EQ(lines(r), (std::vector<std::string>{"P in 0..2: model error (P = 0: division by zero; P in 1..2: breaks 5:1)",
                                                "P in 3..4: holds (at each value: checked; proven)"}));
}

TEST(SynthesisAnswer, ValuesTheAssumptionsRuleOutAreNotInTheAnswer) {
  SynthesisResult r;
  r.param = "HI";
  r.intervals = {piece(0, 9, Verdict::Holds, "proven"), piece(10, 12, Verdict::Violated, "'ok' is violated", "ok"),
                 piece(13, 20, Verdict::Holds, "proven")};
  r.assumptions = {"LO <= HI", "HI != 15"};
  r.allowed = {{4, 14}, {16, 20}};
  EXPECT_EQ(r.condition(), "HI in 4..9 || HI in 13..14 || HI >= 16");
  EXPECT_EQ(r.condition_set_aside(), "HI <= 9 || HI >= 13");
  EXPECT_EQ(r.allowed_condition(), "HI in 4..14 || HI >= 16");
  EXPECT_EQ(lines(r), (std::vector<std::string>{"HI in 0..3: ruled out", "HI in 4..9: holds (proven)", "HI in 10..12: violated ('ok' is violated)",
                                                "HI in 13..14: holds (proven)", "HI = 15: ruled out", "HI in 16..20: holds (proven)"}));
  r.allowed.clear();
  EXPECT_EQ(r.condition(), "false") << "no value is allowed";
  EXPECT_EQ(lines(r), std::vector<std::string>{"HI in 0..20: ruled out"});
}

// A replayed trace's interval, split by the assumptions, says each piece's own values: a piece
// after values left out names the values it covers and that the trace was found with the
// assumptions set aside (found by an outside tester: "L in 1..4: ... found at L = 0 replays to a
// violation at every value up to 6", where 0 was a model error and 5..6 ruled out).
TEST(SynthesisAnswer, APieceOfAReplayedViolationSaysItsOwnValues) {
  SynthesisResult r;
  r.param = "L";
  ParamInterval violated = piece(0, 6, Verdict::Violated, r.replay_evidence("safe", 0, 0, 6), "safe");
  violated.found_at = 0;
  r.intervals = {violated, piece(7, 9, Verdict::Holds, "proven")};
  r.assumptions = {"12 / L >= 3"};
  r.allowed = {{1, 4}, {6, 9}};
  r.unevaluable = {{0, 0, "the spec's assumption at f.sched:4:1 cannot be evaluated here: division by zero"}};
  EXPECT_EQ(lines(r), (std::vector<std::string>{
                          "L = 0: model error (the spec's assumption at f.sched:4:1 cannot be evaluated here: division by zero)",
                          "L in 1..4: violated ('safe' is violated; the trace found at L = 0, the assumptions set aside, replays to a "
                          "violation at every value from 1 to 4)",
                          "L = 5: ruled out",
                          "L = 6: violated ('safe' is violated; the trace found at L = 0, the assumptions set aside, replays to a violation "
                          "here)",
                          "L in 7..9: holds (proven)"}));
  // Unsplit, the interval says what it said.
  r.assumptions.clear();
  r.allowed = {{0, 9}};
  r.unevaluable.clear();
  EXPECT_EQ(lines(r)[0], "L in 0..6: violated ('safe' is violated; the trace found at L = 0 replays to a violation at every value up to 6)");
}

// The dump runs LO to HI minutes and must end before the rotation at 30; HI below LO is ruled out
// by the spec (and there the dump could not even end: the invariant would hold for no good reason).
const char* kDump = R"(
  system dump in minutes;
  param LO : 1min..1h = 20min;
  param HI : 1min..1h = 50min;
  assume LO <= HI;
  machine Dump { clock c; state Run { invariant c <= HI; } state Done; urgent state Cut; init Run;
                 Run -> Done when c >= LO; Run -> Cut when c == 30min; }
  invariant whole: !Dump.Cut;
)";

Prover no_answer() {
  return [](const Model& m, const std::vector<int>& p, RunContext&) {
    std::vector<PropertyResult> out;
    for (int i : p) {
      PropertyResult r(m.properties[static_cast<std::size_t>(i)], "stub");
      r.detail = "no answer";
      out.push_back(r);
    }
    return out;
  };
}

TEST(SynthesisAnswer, AnAssumptionAboutTheParameterIsAppliedToTheAnswer) {
  Model model = testing::model_from(kDump);
  SynthesisResult r = synthesize(model, "HI", {0}, no_answer(), {});
  ASSERT_TRUE(r.exact());
  EXPECT_EQ(r.assumptions, std::vector<std::string>{"LO <= HI"});
  EXPECT_EQ(r.condition(), "HI in 20 min..29 min");
  EXPECT_EQ(r.condition_set_aside(), "HI <= 29 min");
  // Value by value: in the answer exactly when the explicit engine says it holds and LO <= HI.
  for (int64_t hi = 1; hi <= 60; ++hi) {
    Model at = with_params(model, {{"HI", hi}});
    at.assumes.clear();
    at.assume_locs.clear();
    const bool holds = testing::check_one(at, "whole").verdict == Verdict::Holds;
    bool answered = false;
    for (const ParamInterval& i : r.shown()) answered = answered || (i.assumed && i.verdict == Verdict::Holds && i.lo <= hi && hi <= i.hi);
    EXPECT_EQ(answered, holds && hi >= 20) << "HI = " << hi;
  }
}

TEST(SynthesisAnswer, ALineReadsInClockTime) {
  Model model = testing::model_from(R"(
    system line in minutes;
    param K : 0min..12min = 0min;
    param L : 0min..5min = 1min;
    var x : 0..30 = 0;
    machine M { clock c; state A { invariant c <= 1min; } state Stop; init A;
      A -> A when c == 1min && x < K do { x := x + 1; c := 0; }; A -> Stop when x >= K; }
    invariant ok: !(M.Stop && x <= L + 1);
  )");
  RelationResult r = synthesize_relation(model, "K", {"L"}, {0}, no_answer(), {});
  EXPECT_EQ(r.condition, "K >= L + 2 min") << r.why_not;
  EXPECT_FALSE(r.proven) << "the stub proves nothing";
  ASSERT_EQ(r.samples.size(), 2u);
  EXPECT_EQ(r.samples[1].where, "L = 5 min");
}

TEST(SynthesisAnswer, TheCommandShowsWhatTheAssumptionsRuleOut) {
  const std::string spec = testing::write_temp_spec("dump.sched", kDump);
  std::ostringstream out, err;
  EXPECT_EQ(run_command_line({"synth", spec, "--param", "HI", "--quiet", "--lint", "off"}, out, err), 0) << err.str();
  const std::string o = out.str();
  EXPECT_NE(o.find("(LO <= HI) mentions HI; synth decides every value without it, and answers for the values it allows: HI >= 20 min\n"
                   "holds exactly when: HI in 20 min..29 min\n"
                   "  HI in 1 min..19 min (1..19): ruled out by the spec's assumptions, not in the answer\n"),
            std::string::npos)
      << o;
  EXPECT_NE(o.find("with the assumptions about HI set aside, it holds exactly when: HI <= 29 min\n"), std::string::npos) << o;
}

// P = 6 is ruled out by the first assumption (the second, read after it, is not evaluated); at
// P = 3 the first holds and the second divides by zero: a model error, as a run at P = 3 says.
const char* kUnevaluable = R"(
  system s;
  param P : 0..8 = 0;
  assume P != 6;
  assume 24 / ((P - 3) * (P - 6)) != 100;
  var x : 0..9 = 0;
  machine M { state A; init A; A -> A when x < P do x := x + 1; }
  invariant small: x <= 4;
)";

TEST(SynthesisAnswer, AValueWhereAnAssumptionCannotBeEvaluatedIsAModelErrorAsARunSays) {
  Model model = testing::model_from(kUnevaluable);
  SynthesisResult r = synthesize(model, "P", {0}, no_answer(), {});
  ASSERT_TRUE(r.exact());
  EXPECT_EQ(r.condition(), "P <= 2 || P == 4");
  // Value by value against the interpreter's start (what `check --set P=v` runs).
  int faults = 0, ruled_out = 0;
  for (int64_t v = 0; v <= 8; ++v) {
    const Model at = with_params(model, {{"P", v}});
    Semantics semantics(at);
    std::vector<int32_t> start;
    ModelFault fault;
    const bool starts = semantics.initial(start, fault);
    const bool unevaluable = !starts && fault.message.find("cannot be evaluated") != std::string::npos;
    faults += unevaluable;
    ruled_out += !starts && !unevaluable;
    for (const ParamInterval& i : r.shown()) {
      if (v < i.lo || v > i.hi) continue;
      EXPECT_EQ(i.assumed, starts || unevaluable) << "P = " << v;
      if (!i.assumed) {
        EXPECT_EQ(i.property, "") << "P = " << v << ": no verdict is said where the assumptions rule a value out";
      }
      EXPECT_EQ(i.assumed && i.verdict == Verdict::ModelError, unevaluable) << "P = " << v << ": " << i.evidence;
      if (unevaluable) {
        EXPECT_NE(i.evidence.find("cannot be evaluated here: division by zero"), std::string::npos) << i.evidence;
      }
    }
  }
  EXPECT_EQ(faults, 1) << "P = 3";
  EXPECT_EQ(ruled_out, 1) << "P = 6";
}

TEST(SynthesisAnswer, ARelationSaysWhereAnAssumptionCannotBeEvaluated) {
  const std::string machine = "var x : 0..12 = 0;\nmachine M { state A, B; init A; A -> B when x < 5 do x := x + 1; B -> A; }\n";
  // The lowest corner, L = N = 0, divides by zero: a model error there, not outside the assumptions.
  Model corner = testing::model_from("system s;\nparam K : 0..8 = 4;\nparam L : 0..2 = 1;\nparam N : 0..2 = 1;\n"
                                     "assume 6 / (L + N) >= 0;\n" + machine + "invariant ok: x <= K + L + N;\n");
  RelationResult r = synthesize_relation(corner, "K", {"L", "N"}, {0}, no_answer(), {});
  EXPECT_EQ(r.why_not, "the corner L = 0, N = 0 is a model error: the spec's assumption at test.sched:5:1 cannot be evaluated here: "
                       "division by zero");
  EXPECT_TRUE(r.outside.empty());
  // An assumption about neither, that no value of L lets be evaluated: said so, not "no value satisfies".
  Model neither = testing::model_from("system s;\nparam K : 0..8 = 4;\nparam L : 0..2 = 1;\nparam Z : 0..1 = 0;\n"
                                      "assume 5 / Z > 0;\n" + machine + "invariant ok: x <= K + L;\n");
  try {
    synthesize_relation(neither, "K", {"L"}, {0}, no_answer(), {});
    ADD_FAILURE() << "no value of L can be sampled";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("no value of 'L' can be sampled: at L in 0..2: the spec's assumption at test.sched:5:1 cannot be "
                                         "evaluated here: division by zero (a model error)"),
              std::string::npos)
        << e.what();
  }
}

// The relation's proof is asked within the box of the others' values: where an assumption cannot
// be evaluated (L = 0, said above) the box rules the value out first, so the prover is not asked
// about a model error. Why a proof failed is said.
TEST(SynthesisAnswer, TheRelationsProofIsAskedWithinTheBox) {
  Model model = testing::model_from("system s;\nparam K : 0..8 = 4;\nparam L : 0..3 = 1;\nassume 6 / L >= 1;\n"
                                    "var x : 0..12 = 0;\nmachine M { state A, B; init A; A -> B when x < 5 do x := x + 1; B -> A; }\n"
                                    "invariant ok: x <= K + L;\n");
  int asked = 0;
  Prover box_checked = [&](const Model& m, const std::vector<int>& p, RunContext&) {
    std::vector<PropertyResult> out;
    const bool free_l = !m.params[1].value;
    if (free_l) {  // the whole relation: L free, K free
      ++asked;
      const AssumptionsAt at_zero = assumptions_at(m, {4, 0}, 0, false);
      EXPECT_FALSE(at_zero.hold);
      EXPECT_EQ(at_zero.why, "") << "L = 0 is ruled out by the box before 6 / L is read";
      EXPECT_TRUE(assumptions_at(m, {4, 1}, 0, false).hold);
    }
    for (int i : p) {
      PropertyResult r(m.properties[static_cast<std::size_t>(i)], "stub");
      r.detail = "no answer";
      out.push_back(r);
    }
    return out;
  };
  RelationResult r = synthesize_relation(model, "K", {"L"}, {0}, box_checked, {});
  EXPECT_EQ(r.condition, "K >= -L + 5") << r.why_not;
  EXPECT_EQ(asked, 1);
  EXPECT_FALSE(r.proven);
  EXPECT_EQ(r.why_unproven, "unknown: no answer");
}

TEST(SynthesisAnswer, TheCommandSaysWhereAnAssumptionCannotBeEvaluated) {
  const std::string spec = testing::write_temp_spec("unevaluable.sched", kUnevaluable);
  std::ostringstream out, err;
  EXPECT_EQ(run_command_line({"synth", spec, "--param", "P", "--quiet", "--lint", "off"}, out, err), 0) << err.str();
  const std::string o = out.str();
  EXPECT_NE(o.find("  P = 3: model error (the spec's assumption at " + spec +
                   ":5:3 cannot be evaluated here: division by zero)\n"
                   "  P = 4: holds"),
            std::string::npos)
      << o;
  EXPECT_NE(o.find("  P = 6: ruled out by the spec's assumptions, not in the answer\n"), std::string::npos) << o;
  // A Q of a relation where an assumption cannot be evaluated is named, not sampled.
  std::ostringstream out2, err2;
  const std::string plane = testing::write_temp_spec("unevaluable_q.sched", R"(
    system s;
    param K : 0..6 = 0;
    param L : 0..3 = 1;
    assume 6 / L >= 2;
    var x : 0..9 = 0;
    machine M { state A; state Stop; init A; A -> A when x < K do x := x + 1; A -> Stop when x >= K; }
    invariant ok: !(M.Stop && x <= L);
  )");
  run_command_line({"synth", plane, "--param", "K", "--param", "L", "--quiet", "--lint", "off"}, out2, err2);
  EXPECT_NE(out2.str().find("at L = 0: the spec's assumption at " + plane + ":5:5 cannot be evaluated here: division by zero (a model "
                            "error), not sampled\n"),
            std::string::npos)
      << out2.str();
  // A corner where every value of P is a model error (an assumption about P and L divides by L)
  // or ruled out has no answer: it is not called exact (found by an outside tester).
  std::ostringstream out3, err3;
  const std::string none = testing::write_temp_spec("no_answer_corner.sched", R"(
    system s;
    param K : 0..8 = 4;
    param L : 0..3 = 1;
    assume K % L != 1;
    assume K <= 6 || L < 3;
    var x : 0..9 = 0;
    machine M { state A; init A; A -> A when x < K do x := x + 1; }
    invariant ok: x <= 7;
  )");
  EXPECT_EQ(run_command_line({"synth", none, "--param", "K", "--param", "L", "--quiet", "--lint", "off"}, out3, err3), 0) << err3.str();
  EXPECT_NE(out3.str().find("proven by chc for every K, L at once; exact at L = 3; no answer at L = 0 (every value of K there is ruled out "
                            "or a model error)"),
            std::string::npos)
      << out3.str();
}

// Lowering folds `2h` into 120 minutes; the answer's "assumed:" line shows the assumption as the
// spec writes it, for one parameter and for each sample of a relation (found by an outside tester).
TEST(SynthesisAnswer, TheAssumedLineShowsAnAssumptionAsTheSpecWritesIt) {
  const std::string spec = testing::write_temp_spec("assumed_as_written.sched", R"(
    system s in minutes;
    param T : 1..4 = 2;
    param Q : 0..1 = 0;
    assume 2h / T >= 40min;
    var x : 0..5 = 0;
    machine M { state A; init A; A -> A when x < T + Q do x := x + 1; }
    invariant ok: x <= 4;
  )");
  for (const std::vector<std::string>& params : {std::vector<std::string>{"T"}, std::vector<std::string>{"T", "Q"}}) {
    std::vector<std::string> args = {"synth", spec, "--quiet", "--lint", "off"};
    for (const std::string& p : params) args.insert(args.end(), {"--param", p});
    std::ostringstream out, err;
    run_command_line(args, out, err);
    EXPECT_NE(out.str().find(":5:5 (2h / T >= 40min) mentions T"), std::string::npos) << out.str() << err.str();
    EXPECT_EQ(out.str().find("120"), std::string::npos) << out.str();
  }
}

// chc proves a relation under the assumptions that mention a Q: `assume L != 2` rules out a value
// of L that is not a corner, so the condition is stated with it, in the text and in JSON (found by
// an outside tester: the answer read as if it held at L = 2 too).
TEST(SynthesisAnswer, ARelationIsStatedWithTheAssumptionsAboutTheOthers) {
  const std::string spec = testing::write_temp_spec("relation_others_assumed.sched", R"(
    system s;
    param K : 0..8 = 4;
    param L : 0..3 = 1;
    assume L != 2;
    var x : 0..9 = 0;
    machine M { state A; init A; A -> A when x < K do x := x + 1; }
    invariant ok: x <= L + 4;
  )");
  std::ostringstream out, err;
  EXPECT_EQ(run_command_line({"synth", spec, "--param", "K", "--param", "L", "--quiet", "--lint", "off"}, out, err), 0) << err.str();
  EXPECT_NE(out.str().find("holds when: K <= L + 4, where the spec's assumptions hold: L != 2\n"
                           "proven by chc for every K, L at once; exact at L = 0 and L = 3;"),
            std::string::npos)
      << out.str();
  std::ostringstream json_out, json_err;
  run_command_line({"synth", spec, "--param", "K", "--param", "L", "--quiet", "--lint", "off", "--format", "json"}, json_out, json_err);
  const nlohmann::json doc = nlohmann::json::parse(json_out.str());
  EXPECT_EQ(doc["relation"]["assumed"], nlohmann::json::array({"L != 2"})) << json_out.str();
}

}  // namespace
}  // namespace interlock

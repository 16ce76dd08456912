// solver/judgement.h: which answers compare marks good and bad, and the reasons it gives, on
// hand-built results and on the specs' own `expect` clauses.
#include <gtest/gtest.h>

#include "model/lower.h"
#include "solver/judgement.h"

namespace interlock {
namespace {

Model load(const std::string& text, const LowerOptions& options = {}) {
  return load_model_from_text("judgement.sched", text, options);
}

PropertyResult answer(const Property& p, Verdict v) {
  PropertyResult r(p, "explicit");
  r.verdict = v;
  return r;
}

const char* kSpec =
    "system j;\nparam B : 0..9 = 4;\nvar x : 0..9 = 0;\n"
    "machine M {\n  state S;\n  init S;\n  S -> S when x < 5 do x := x + 1;\n}\n"
    "invariant plain: x < 9;\n"
    "reachable wanted: x == 3 expect reachable;\n"
    "reachable bad: x == 7 expect unreachable;\n"
    "invariant broken: x < 2 expect violated;\n"
    "deadlock_free;\n"
    "maximum top: x;\n"
    "maximum capped: x expect <= B;\n";

TEST(Judgement, VerdictAgainstTheExpectedAnswer) {
  const Model m = load(kSpec);
  const Property& plain = m.properties[m.find_property("plain")];
  const Property& bad = m.properties[m.find_property("bad")];
  const Property& broken = m.properties[m.find_property("broken")];
  EXPECT_EQ(judge(m, plain, answer(plain, Verdict::Holds)), Judgement::Good);
  EXPECT_EQ(judge(m, plain, answer(plain, Verdict::Violated)), Judgement::Bad);
  EXPECT_EQ(judge(m, plain, answer(plain, Verdict::Unknown)), Judgement::Open) << "unknown is never judged";
  EXPECT_EQ(judge(m, plain, answer(plain, Verdict::ModelError)), Judgement::Bad);
  EXPECT_EQ(judge(m, bad, answer(bad, Verdict::Holds)), Judgement::Bad) << "reachable, but expected unreachable";
  EXPECT_EQ(judge(m, bad, answer(bad, Verdict::Violated)), Judgement::Good);
  EXPECT_EQ(judge(m, broken, answer(broken, Verdict::Violated)), Judgement::Good);
  // `expect reachable`: the word is also the keyword of the property's kind.
  const Property& wanted = m.properties[m.find_property("wanted")];
  EXPECT_EQ(judge(m, wanted, answer(wanted, Verdict::Holds)), Judgement::Good);
  EXPECT_EQ(judge(m, wanted, answer(wanted, Verdict::Violated)), Judgement::Bad) << "unreachable, but expected reachable";
  const Property& deadlock = m.properties[m.find_property("deadlock_free")];
  EXPECT_EQ(judge(m, deadlock, answer(deadlock, Verdict::Holds)), Judgement::Good);
}

TEST(Judgement, MaximaAreJudgedOnlyAgainstABound) {
  const Model m = load(kSpec);
  const Property& top = m.properties[m.find_property("top")];
  const Property& capped = m.properties[m.find_property("capped")];
  PropertyResult r = answer(capped, Verdict::Holds);
  r.value = 5;
  EXPECT_EQ(judge(m, top, r), Judgement::Open) << "no expect: a value, not a judgement";
  EXPECT_EQ(judge(m, capped, r), Judgement::Bad) << "5 > B = 4";
  EXPECT_EQ(bad_reason(m, capped, r), "5, expected at most 4");
  r.value = 4;
  EXPECT_EQ(judge(m, capped, r), Judgement::Good);
  EXPECT_EQ(bad_reason(m, capped, r), "");
  r.verdict = Verdict::Unknown;  // "at least 4": could still be more
  EXPECT_EQ(judge(m, capped, r), Judgement::Open);
  r.value = 6;  // at least 6: already past the bound
  EXPECT_EQ(judge(m, capped, r), Judgement::Bad);
  EXPECT_EQ(bad_reason(m, capped, r), "6 or more, expected at most 4");
  r.verdict = Verdict::Holds;
  r.value.reset();
  r.unbounded = true;
  EXPECT_EQ(judge(m, capped, r), Judgement::Bad);
  // With B free the bound is not a number: nothing can be judged.
  LowerOptions free;
  free.free = {"B"};
  const Model open = load(kSpec, free);
  r.unbounded = false;
  r.value = 9;
  EXPECT_EQ(judge(open, open.properties[open.find_property("capped")], r), Judgement::Open);
}

TEST(Judgement, ReasonsSayWhenAndWhatFromTheTrace) {
  const Model m = load(kSpec);
  const Property& plain = m.properties[m.find_property("plain")];
  PropertyResult r = answer(plain, Verdict::Violated);
  Trace t;
  t.states.push_back({0, 0});
  t.steps.push_back(Step{});
  t.steps.back().tick = true;
  t.steps.back().ticks = 3;
  t.states.push_back({0, 0});
  Step action;
  action.edges = {0};
  t.steps.push_back(action);
  t.states.push_back({1, 0});
  r.trace = t;
  EXPECT_EQ(bad_reason(m, plain, r), "broken at 3: M: S -> S");
  t.steps.push_back(t.steps.front());  // two more ticks after the action
  t.states.push_back({1, 0});
  r.trace = t;
  EXPECT_EQ(bad_reason(m, plain, r), "broken at 3: M: S -> S, then time passes until 6");
  r.trace.reset();
  EXPECT_EQ(bad_reason(m, plain, r), "broken in the initial state");
  const Property& wanted = m.properties[m.find_property("wanted")];
  PropertyResult none = answer(wanted, Verdict::Violated);
  none.stats.states = 6;
  EXPECT_EQ(bad_reason(m, wanted, none), "no reachable state satisfies it (6 states)");
}

}  // namespace
}  // namespace interlock

// Traces written as ITF (JSON), Mermaid and Graphviz from the one Trace type; ITF read back and
// checked step by step (replay), including traces tampered with; simulation reproducible from
// its seed.
#include <gtest/gtest.h>

#include <algorithm>

#include "solver/trace/replay.h"
#include "solver/trace/simulate.h"
#include "solver/trace/trace_dot.h"
#include "solver/trace/trace_formats.h"
#include "solver/trace/trace_html.h"
#include "solver/trace/trace_mermaid.h"
#include "support/test_models.h"

namespace interlock {
namespace {

const std::string kKb = std::string(INTERLOCK_SOURCE_DIR) + "/specs/msmail/original.sched";

// A small KB schedule: the drop and a lasso in little time.
Model small_kb() {
  LowerOptions options;
  options.set = {{"MAX_QUEUE", 1}, {"START_QUEUE", 1}};
  return load_model(kKb, options);
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(TraceItf, RoundTripsAndReplays) {
  Model m = small_kb();
  PropertyResult drop = testing::check_one(m, "no_drop");
  ASSERT_TRUE(drop.trace);
  std::string json = format_trace_itf(m, *drop.trace, {"kb.sched", "no_drop", "violated"});
  EXPECT_NE(json.find("\"#meta\""), std::string::npos);
  EXPECT_NE(json.find("\"format\": \"ITF\""), std::string::npos);
  EXPECT_NE(json.find("\"#bigint\""), std::string::npos);
  ItfRun run = parse_trace_itf(m, json, "kb.itf.json");
  EXPECT_EQ(run.states, drop.trace->states);
  EXPECT_EQ(run.params.size(), m.params.size());
  EXPECT_EQ(run.loop, -1);
  StateRunCheck check = check_state_run(m, run.states);
  EXPECT_EQ(check.problem, "");
  EXPECT_EQ(check.steps.size(), drop.trace->steps.size());
}

TEST(TraceItf, ALassoKeepsItsLoop) {
  Model m = small_kb();
  PropertyResult lost = testing::check_one(m, "delivered");
  ASSERT_TRUE(lost.trace);
  ASSERT_GE(lost.trace->loop_start, 0);
  ItfRun run = parse_trace_itf(m, format_trace_itf(m, *lost.trace, {}), "lasso.itf.json");
  EXPECT_EQ(run.loop, lost.trace->loop_start);
  EXPECT_EQ(run.states.back(), run.states[static_cast<std::size_t>(run.loop)]);
  EXPECT_EQ(check_state_run(m, run.states).problem, "");
}

TEST(TraceItf, TheFirstImpossibleStepIsNamed) {
  Model m = small_kb();
  PropertyResult drop = testing::check_one(m, "no_drop");
  ASSERT_TRUE(drop.trace);
  std::vector<std::vector<int32_t>> states = drop.trace->states;
  // Make the queue grow by two at once at state 5: no single step does that.
  int queued = -1;
  for (std::size_t s = 0; s < m.slots.size(); ++s)
    if (m.slots[s].name == "queued") queued = static_cast<int>(s);
  ASSERT_GE(queued, 0);
  const std::size_t at = 5;
  for (std::size_t i = at; i < states.size(); ++i) states[i][queued] = std::min<int32_t>(states[i][queued] + 2, 8);
  StateRunCheck check = check_state_run(m, states);
  EXPECT_EQ(check.failed_at, at);
  EXPECT_NE(check.problem.find("step 5 (state 4 to state 5) is not possible"), std::string::npos) << check.problem;
  EXPECT_NE(check.problem.find("possible: "), std::string::npos) << check.problem;
  // A wrong first state is named too.
  states = drop.trace->states;
  states[0][queued] = 0;
  EXPECT_NE(check_state_run(m, states).problem.find("state 0 is not the initial state"), std::string::npos);
}

TEST(TraceItf, MalformedInputIsRefused) {
  Model m = small_kb();
  EXPECT_THROW(parse_trace_itf(m, "not json", "f"), InputError);
  EXPECT_THROW(parse_trace_itf(m, "{\"states\": []}", "f"), InputError);
  EXPECT_THROW(parse_trace_itf(m, "{\"states\": [{\"queued\": 1}]}", "f"), InputError);  // other variables missing
  PropertyResult drop = testing::check_one(m, "no_drop");
  std::string json = format_trace_itf(m, *drop.trace, {});
  std::string out_of_range = json;
  auto at = out_of_range.find("\"queued\": {\n");
  ASSERT_NE(at, std::string::npos);
  at = out_of_range.find("\"#bigint\": \"", at);
  out_of_range.replace(at, std::string("\"#bigint\": \"1\"").size(), "\"#bigint\": \"99\"");
  try {
    parse_trace_itf(m, out_of_range, "f.itf.json");
    ADD_FAILURE() << "an out-of-range value must be refused";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("outside"), std::string::npos) << e.what();
  }
}

// Issue 11: replay accepted parameter values outside their range and integers that wrap
// (2^64-1 read as -1, 2^32+129 read as 129). Each is refused, naming the state and the value.
TEST(TraceItf, ValuesAreReadExactlyAndCheckedAgainstTheirRanges) {
  Model m = testing::model_from("system t;\nparam P : 0..5 = 2;\nvar n : -3..1000;\nmachine M { state A; init A; }\n");
  auto doc = [](const std::string& p, const std::string& n, const std::string& rest = "") {
    return "{\"params\": [\"P\"], \"states\": [{\"P\": " + p + ", \"n\": " + n + ", \"M\": \"A\"}]" + rest + "}";
  };
  auto refusal = [&](const std::string& text) {
    try {
      parse_trace_itf(m, text, "t.itf.json");
    } catch (const InputError& e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  ItfRun ok = parse_trace_itf(m, doc("{\"#bigint\": \"5\"}", "{\"#bigint\": \"-3\"}", ", \"loop\": 0"), "t.itf.json");
  EXPECT_EQ(ok.params.at(0).second, 5);
  EXPECT_EQ(ok.states.at(0).at(0), -3);
  EXPECT_EQ(ok.loop, 0);
  EXPECT_EQ(parse_trace_itf(m, doc("3", "1000"), "t").states.at(0).at(0), 1000);  // plain JSON numbers too
  const std::string place = "t.itf.json: error: not an ITF trace of this spec: state 0: ";
  EXPECT_EQ(refusal(doc("{\"#bigint\": \"99\"}", "0")), place + "parameter 'P' = 99 is outside its range 0..5\n");
  EXPECT_EQ(refusal(doc("{\"#bigint\": \"4294967298\"}", "0")), place + "parameter 'P' = 4294967298 is outside its range 0..5\n");
  EXPECT_EQ(refusal(doc("18446744073709551615", "0")), place + "parameter 'P' = 18446744073709551615 is outside its range 0..5\n");
  EXPECT_EQ(refusal(doc("2", "18446744073709551615")), place + "'n' = 18446744073709551615 is outside its range -3..1000\n");
  EXPECT_EQ(refusal(doc("2", "{\"#bigint\": \"18446744073709551615\"}")), place + "'n' = 18446744073709551615 is outside its range -3..1000\n");
  EXPECT_EQ(refusal(doc("2", "{\"#bigint\": \"4294967425\"}")), place + "'n' = 4294967425 is outside its range -3..1000\n");
  EXPECT_EQ(refusal(doc("2", "{\"#bigint\": \"-99999999999999999999999\"}")), place + "'n' = -99999999999999999999999 is outside its range -3..1000\n");
  for (const char* not_an_integer : {"1.0", "\"7\"", "{\"#bigint\": \" 7\"}", "{\"#bigint\": \"+7\"}", "{\"#bigint\": \"\"}",
                                     "{\"#bigint\": \"-\"}", "{\"#bigint\": \"7x\"}", "{\"#bigint\": 7}"})
    EXPECT_EQ(refusal(doc("2", not_an_integer)), place + "'n' is not an integer\n") << not_an_integer;
  EXPECT_EQ(refusal(doc("2", "0", ", \"loop\": 4294967296")), "t.itf.json: error: not an ITF trace of this spec: \"loop\" is outside the states\n");
  EXPECT_EQ(refusal(doc("2", "0", ", \"loop\": -1")), "t.itf.json: error: not an ITF trace of this spec: \"loop\" is outside the states\n");
}

TEST(TraceItf, ReplayStopsAtTheRunsLimits) {
  Model m = small_kb();
  PropertyResult drop = testing::check_one(m, "no_drop");
  ASSERT_TRUE(drop.trace);
  Limits limits;
  limits.timeout_seconds = 1e-9;
  RunContext expired(limits, nullptr);
  StateRunCheck check = check_state_run(m, drop.trace->states, &expired);
  EXPECT_EQ(check.problem, "");
  EXPECT_EQ(check.stopped.rfind("timeout after 1e-09 s after 0 of ", 0), 0u) << check.stopped;
  RunContext plenty(Limits{}, nullptr);
  EXPECT_EQ(check_state_run(m, drop.trace->states, &plenty).stopped, "");
}

TEST(TraceMermaid, ALifelinePerMachineAnArrowPerReceiver) {
  Model m = small_kb();
  PropertyResult drop = testing::check_one(m, "no_drop");
  std::string d = format_trace_mermaid(m, *drop.trace);
  EXPECT_EQ(d.rfind("sequenceDiagram\n", 0), 0u);
  EXPECT_EQ(count(d, "  participant "), m.instances.size());
  std::size_t receivers = 0;
  for (const Step& s : drop.trace->steps)
    if (!s.tick && s.channel >= 0) receivers += s.edges.size() - 1;
  EXPECT_EQ(count(d, "->>"), receivers);
  EXPECT_NE(d.find(": shutdown (Transmitting -> LineDropped)"), std::string::npos) << d;
  EXPECT_NE(d.find("time 120"), std::string::npos) << d;
  PropertyResult lost = testing::check_one(m, "delivered");
  std::string lasso = format_trace_mermaid(m, *lost.trace);
  EXPECT_EQ(count(lasso, "  loop repeats forever\n"), 1u);
  EXPECT_EQ(count(lasso, "\n  end\n"), 1u);
}

TEST(TraceDot, ANodePerStateAnEdgePerStep) {
  Model m = small_kb();
  PropertyResult drop = testing::check_one(m, "no_drop");
  std::string d = format_trace_dot(m, *drop.trace);
  EXPECT_EQ(d.rfind("digraph trace {", 0), 0u);
  EXPECT_EQ(count(d, " [label="), drop.trace->states.size() + drop.trace->steps.size());
  EXPECT_EQ(count(d, "] ;"), 0u);
  EXPECT_EQ(count(d, "\n  s"), drop.trace->states.size() + drop.trace->steps.size());
  PropertyResult lost = testing::check_one(m, "delivered");
  std::string lasso = format_trace_dot(m, *lost.trace);
  EXPECT_EQ(count(lasso, "style=dashed"), 1u) << "the edge back to where the cycle began";
}

TEST(TraceHtml, OneSelfContainedPage) {
  Model m = small_kb();
  PropertyResult drop = testing::check_one(m, "no_drop");
  Trace t = *drop.trace;
  t.final_note = "a note that tries to end the script: </script><b>";
  t.why = {"why: </script><i>"};
  std::string page = format_trace_html(m, t, {"kb.sched", "no_drop", "violated"});
  EXPECT_EQ(page.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_EQ(count(page, "</script>"), 1u) << "the data cannot close the script element";
  EXPECT_NE(page.find("\"why\":[\"why: "), std::string::npos) << "why a deadlock is one, under the note";
  EXPECT_EQ(count(page, "<script src"), 0u);
  EXPECT_EQ(count(page, "<link"), 0u);
  EXPECT_EQ(count(page, "http://"), 1u) << "only the SVG namespace name";
  EXPECT_EQ(count(page, "https://"), 0u);
  EXPECT_NE(page.find("\"machines\":[\"Calendar\",\"Backup\""), std::string::npos);
}

TEST(Simulate, TheSameSeedGivesTheSameRun) {
  Model m = small_kb();
  m.properties.clear();  // 300 steps whatever they break (simulate_test.cpp: where a run stops)
  Simulation a = simulate(m, 42, 300), b = simulate(m, 42, 300), c = simulate(m, 43, 300);
  EXPECT_EQ(a.end, Simulation::End::Steps);
  EXPECT_EQ(a.trace.steps.size(), 300u);
  EXPECT_EQ(a.trace.states, b.trace.states);
  EXPECT_NE(a.trace.states, c.trace.states);
  EXPECT_EQ(testing::replay(m, a.trace), "");
  EXPECT_EQ(check_state_run(m, c.trace.states).problem, "");
}

TEST(Simulate, StopsWhereNothingCanHappen) {
  Model m = testing::model_from(R"(
    system stop;
    machine M { clock c; state A { invariant c <= 2; } state B; init A; A -> B when c == 5; }
  )");
  Simulation s = simulate(m, 1, 50);
  EXPECT_EQ(s.end, Simulation::End::Stuck);
  EXPECT_EQ(s.trace.steps.size(), 2u);  // two ticks, then a timelock
  EXPECT_EQ(s.trace.why, (std::vector<std::string>{"time cannot pass: M.A's invariant c <= 2 stops it (c = 2)",
                                                    "M: A -> B is disabled: its guard c == 5 is false (c = 2)"}));
}

}  // namespace
}  // namespace interlock

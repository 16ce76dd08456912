// Traces written as ITF (JSON), Mermaid and Graphviz from the one Trace type; ITF read back and
// checked step by step (replay), including traces tampered with; simulation reproducible from
// its seed.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <regex>
#include <sstream>

#include <nlohmann/json.hpp>

#include "solver/trace/replay.h"
#include "solver/trace/simulate.h"
#include "solver/trace/step_effects.h"
#include "solver/trace/trace_dot.h"
#include "solver/trace/trace_formats.h"
#include "solver/trace/trace_html.h"
#include "solver/trace/trace_entries.h"
#include "solver/trace/trace_mermaid.h"
#include "solver/trace/trace_text.h"
#include "support/random_param_spec.h"
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

// What parse_trace_itf says of a text it refuses, or "accepted".
std::string refusal(const Model& m, const std::string& text, const std::string& file = "f") {
  try {
    parse_trace_itf(m, text, file);
  } catch (const InputError& e) {
    return e.what();
  }
  return "accepted";
}

TEST(TraceItf, MalformedInputIsRefused) {
  Model m = small_kb();
  EXPECT_THROW(parse_trace_itf(m, "not json", "f"), InputError);
  // What is wrong with the JSON is said: where, and a number too large for JSON's numbers.
  EXPECT_NE(refusal(m, "{\"states\": [1,]}").find("not valid JSON (parse error at line 1, column 15"), std::string::npos);
  EXPECT_NE(refusal(m, "{\"states\": [{\"queued\": " + std::string(400, '9') + "}]}").find("a number too large for JSON's numbers"),
            std::string::npos);
  EXPECT_THROW(parse_trace_itf(m, "{\"states\": []}", "f"), InputError);
  EXPECT_THROW(parse_trace_itf(m, "{\"states\": [{\"queued\": 1}]}", "f"), InputError);  // other variables missing
  PropertyResult drop = testing::check_one(m, "no_drop");
  std::string json = format_trace_itf(m, *drop.trace, {});
  std::string out_of_range = json;
  auto at = out_of_range.find("\"queued\": {\n");
  ASSERT_NE(at, std::string::npos);
  at = out_of_range.find("\"#bigint\": \"", at);
  out_of_range.replace(at, std::string("\"#bigint\": \"1\"").size(), "\"#bigint\": \"99\"");
  EXPECT_NE(refusal(m, out_of_range).find("outside"), std::string::npos);
  // A name the trace gives is quoted terminal-safe: an escape sequence in it shows as '?'.
  std::string escaped = json;
  at = escaped.find("\"Unmarked\"");
  ASSERT_NE(at, std::string::npos);
  escaped.replace(at, std::string("\"Unmarked\"").size(), "\"\\u001b[2J\\u0007x\"");
  const std::string refused = refusal(m, escaped);
  EXPECT_NE(refused.find("has no value '?[2J?x'"), std::string::npos) << refused;
}

// Issue 11: replay accepted parameter values outside their range and integers that wrap
// (2^64-1 read as -1, 2^32+129 read as 129). Each is refused, naming the state and the value.
TEST(TraceItf, ValuesAreReadExactlyAndCheckedAgainstTheirRanges) {
  Model m = testing::model_from("system t;\nparam P : 0..5 = 2;\nvar n : -3..1000;\nmachine M { state A; init A; }\n");
  auto doc = [](const std::string& p, const std::string& n, const std::string& rest = "") {
    return "{\"params\": [\"P\"], \"states\": [{\"P\": " + p + ", \"n\": " + n + ", \"M\": \"A\"}]" + rest + "}";
  };
  auto refused = [&](const std::string& text) { return refusal(m, text, "t.itf.json"); };
  ItfRun ok = parse_trace_itf(m, doc("{\"#bigint\": \"5\"}", "{\"#bigint\": \"-3\"}", ", \"loop\": 0"), "t.itf.json");
  EXPECT_EQ(ok.params.at(0).second, 5);
  EXPECT_EQ(ok.states.at(0).at(0), -3);
  EXPECT_EQ(ok.loop, 0);
  EXPECT_EQ(parse_trace_itf(m, doc("3", "1000"), "t").states.at(0).at(0), 1000);  // plain JSON numbers too
  const std::string place = "t.itf.json: error: not an ITF trace of this spec: state 0: ";
  EXPECT_EQ(refused(doc("{\"#bigint\": \"99\"}", "0")), place + "parameter 'P' = 99 is outside its range 0..5\n");
  EXPECT_EQ(refused(doc("{\"#bigint\": \"4294967298\"}", "0")), place + "parameter 'P' = 4294967298 is outside its range 0..5\n");
  EXPECT_EQ(refused(doc("18446744073709551615", "0")), place + "parameter 'P' = 18446744073709551615 is outside its range 0..5\n");
  EXPECT_EQ(refused(doc("2", "18446744073709551615")), place + "'n' = 18446744073709551615 is outside its range -3..1000\n");
  EXPECT_EQ(refused(doc("2", "{\"#bigint\": \"18446744073709551615\"}")), place + "'n' = 18446744073709551615 is outside its range -3..1000\n");
  EXPECT_EQ(refused(doc("2", "{\"#bigint\": \"4294967425\"}")), place + "'n' = 4294967425 is outside its range -3..1000\n");
  EXPECT_EQ(refused(doc("2", "{\"#bigint\": \"-99999999999999999999999\"}")), place + "'n' = -99999999999999999999999 is outside its range -3..1000\n");
  for (const char* not_an_integer : {"1.0", "\"7\"", "{\"#bigint\": \" 7\"}", "{\"#bigint\": \"+7\"}", "{\"#bigint\": \"\"}",
                                     "{\"#bigint\": \"-\"}", "{\"#bigint\": \"7x\"}", "{\"#bigint\": 7}"})
    EXPECT_EQ(refused(doc("2", not_an_integer)), place + "'n' is not an integer\n") << not_an_integer;
  EXPECT_EQ(refused(doc("2", "0", ", \"loop\": 4294967296")), "t.itf.json: error: not an ITF trace of this spec: \"loop\" is outside the states\n");
  EXPECT_EQ(refused(doc("2", "0", ", \"loop\": -1")), "t.itf.json: error: not an ITF trace of this spec: \"loop\" is outside the states\n");
}

// An outside tester's trace of 100,000 nested brackets overflowed the parser's stack (SIGSEGV).
// Deep nesting anywhere in the file is refused before the parse.
TEST(TraceItf, DeepNestingIsRefusedNotACrash) {
  Model m = small_kb();
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  for (const std::string& text : {"{\"a\": " + deep + ", \"states\": []}", "{\"states\": [{\"queued\": " + deep + "}]}",
                                  std::string(100000, '{') + "}"}) {
    EXPECT_NE(refusal(m, text).find("nest more than 64 levels deep"), std::string::npos);
  }
  // Brackets inside strings are text, not nesting.
  EXPECT_NE(refusal(m, "{\"states\": [], \"note\": \"" + std::string(1000, '[') + "\"}").find("no states"), std::string::npos);
}

// Clocks saturate at a value the parameters set: a trace's states are read with the trace's
// parameter values, and a clock counted on past saturation (as another tool writes it) reads as
// saturated. Before, the ranges came from the spec's own values: a real run with P = 3 was
// refused once the clock passed 4 ("M.c would be >=4, not >=4").
TEST(TraceItf, ClocksSaturateWhereTheTracesParametersSay) {
  Model m = testing::model_from("system s;\nparam P : 1..10 = 10;\nmachine M { clock c; state A, B; init A; A -> B when c >= P; }\n");
  auto trace = [](int p, int states) {
    std::string text = "{\"params\": [\"P\"], \"states\": [";
    for (int i = 0; i < states; ++i)
      text += std::string(i ? ", " : "") + "{\"P\": " + std::to_string(p) + ", \"M\": \"A\", \"M.c\": " + std::to_string(i) + "}";
    return text + "]}";
  };
  ItfRun run = parse_trace_itf(m, trace(3, 8), "t.json");
  ASSERT_EQ(run.params, (std::vector<std::pair<std::string, int64_t>>{{"P", 3}}));
  Model fixed = with_params(m, run.params);
  EXPECT_EQ(check_state_run(fixed, run.states).problem, "");
  const int clock = 1;
  EXPECT_EQ(run.states.back()[clock], 4);  // 7 reads as the saturation value, P + 1
  // With the spec's own P = 10 the same clock values are ordinary ones.
  run = parse_trace_itf(m, trace(10, 8), "t.json");
  EXPECT_EQ(run.states.back()[clock], 7);
  EXPECT_EQ(check_state_run(with_params(m, run.params), run.states).problem, "");
  EXPECT_NE(refusal(m, "{\"states\": [{\"M\": \"A\", \"M.c\": -1}]}").find("'M.c' = -1 is outside its range 0..11"), std::string::npos);
}

// Every trace the explicit engine writes for random specs with parameters (clock guards and
// invariants that read them), at random values, read back from ITF: the same parameters and
// states, a run of the spec; and again with every saturated clock written as another tool
// would count it on (its value + 7). Catches a reader that takes ranges from the spec's own
// values rather than the trace's, or that reads a clock past saturation as anything else.
TEST(TraceItf, EveryTraceOfRandomSpecsWithParametersReadsBack) {
  int traces = 0, counted_on = 0;
  for (uint32_t seed = 1; seed <= 400; ++seed) {
    const Model model = testing::model_from(testing::random_param_spec(seed));
    std::mt19937 rng(seed);
    std::vector<std::pair<std::string, int64_t>> values;
    for (const Param& p : model.params) values.emplace_back(p.name, p.lo + static_cast<int64_t>(rng() % static_cast<uint32_t>(p.hi - p.lo + 1)));
    const Model fixed = with_params(model, values);
    for (const PropertyResult& r : testing::check_all(fixed)) {
      if (!r.trace || r.trace->loop_start >= 0) continue;
      const std::string where = "seed " + std::to_string(seed) + ", " + r.property;
      const std::string text = format_trace_itf(fixed, *r.trace, {});
      ItfRun run = parse_trace_itf(model, text, "t.json");
      EXPECT_EQ(run.params, r.trace->params) << where;
      EXPECT_EQ(run.states, r.trace->states) << where;
      EXPECT_EQ(check_state_run(with_params(model, run.params), run.states).problem, "") << where;
      ++traces;
      nlohmann::json doc = nlohmann::json::parse(text);
      bool changed = false;
      for (nlohmann::json& st : doc["states"])
        for (const Slot& s : fixed.slots)
          if (s.kind == Slot::Kind::Clock && st[s.name]["#bigint"] == std::to_string(s.hi)) {
            st[s.name]["#bigint"] = std::to_string(s.hi + 7);
            changed = true;
          }
      if (!changed) continue;
      ++counted_on;
      EXPECT_EQ(parse_trace_itf(model, doc.dump(), "t.json").states, r.trace->states) << where;
    }
  }
  EXPECT_GT(traces, 200) << counted_on;
  EXPECT_GT(counted_on, 5) << traces;  // shortest traces rarely let a clock saturate: 8 of them here
}

// A parameter keeps its value for the whole run: a trace that changes it partway was accepted
// (the first state's value was used, the others not read), and one whose "params" list was
// emptied was checked with the spec's own values although its states gave others.
TEST(TraceItf, AParameterThatChangesPartwayIsRefused) {
  Model m = testing::model_from("system t;\nparam P : 0..5 = 2;\nvar n : 0..9;\nmachine M { state A; init A; A -> A when n < 9 do n := n + 1; }\n");
  EXPECT_NE(refusal(m, "{\"params\": [\"P\"], \"states\": [{\"P\": 1, \"n\": 0, \"M\": \"A\"}, {\"P\": 4, \"n\": 1, \"M\": \"A\"}]}")
                .find("state 1: parameter 'P' = 4, where state 0 gives 1: a parameter keeps its value"),
            std::string::npos);
  ItfRun run = parse_trace_itf(m, "{\"params\": [], \"states\": [{\"P\": 1, \"n\": 0, \"M\": \"A\"}]}", "t.json");
  EXPECT_EQ(run.params, (std::vector<std::pair<std::string, int64_t>>{{"P", 1}}));
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
  std::string lasso = format_trace_mermaid(m, *lost.trace, 100000);  // in one part
  EXPECT_EQ(count(lasso, "  loop repeats forever\n"), 1u);
  EXPECT_EQ(count(lasso, "\n  end\n"), 1u);
}

// The value a `choose` took is in the note of its move, as in every other format (it was left out).
TEST(TraceMermaid, AChooseValueIsShown) {
  Model m = testing::model_from(
      "system c;\nvar v : 0..3;\nbroadcast chan go;\n"
      "machine M { state A, B; init A; A -> B choose k in 2..3 emit go! do v := k; }\n"
      "machine R { var w : 0..3; state A, B; init A; A -> B on go? choose j in 1..1 do w := j; }\n"
      "invariant low: v < 2;\n");
  PropertyResult r = testing::check_one(m, "low");
  ASSERT_TRUE(r.trace);
  const std::string d = format_trace_mermaid(m, *r.trace);
  EXPECT_NE(d.find("Note over M0: A -> B [k=2]"), std::string::npos) << d;
  EXPECT_NE(d.find("M0->>M1: go (A -> B [j=1])"), std::string::npos) << d;
}

TEST(TraceDot, ANodePerTimelineStateAnEdgePerActionOrWait) {
  Model m = small_kb();
  PropertyResult drop = testing::check_one(m, "no_drop");
  std::string d = format_trace_dot(m, *drop.trace);
  EXPECT_EQ(d.rfind("digraph trace {", 0), 0u);
  const std::size_t entries = trace_entries(*drop.trace).size();  // the start, each action, each wait
  EXPECT_LT(entries, drop.trace->states.size());
  EXPECT_EQ(count(d, " [label="), entries + entries - 1);
  EXPECT_EQ(count(d, "] ;"), 0u);
  EXPECT_EQ(count(d, "\n  s"), entries + entries - 1);
  EXPECT_EQ(count(d, "\"tick\""), 0u);
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

// Issue 13: a write that changes nothing and the reads before it were invisible in every format,
// and they are the whole lesson of a lost update.
const std::string kLostUpdate = std::string(INTERLOCK_SOURCE_DIR) + "/specs/hazards/lost_update.sched";

TEST(TraceEffects, TheLostUpdateShowsBothReadsAndTheWriteThatChangesNothing) {
  Model m = load_model(kLostUpdate, {});
  PropertyResult lost = testing::check_one(m, "no_lost_update");
  ASSERT_TRUE(lost.trace);
  const Trace& t = *lost.trace;
  const std::string text = format_trace_text(m, t);
  EXPECT_NE(text.find("Worker[0]: Start -> Read   {read counter = 0, Worker[0].seen := 0 (unchanged)}"), std::string::npos) << text;
  EXPECT_NE(text.find("Worker[1]: Start -> Read   {read counter = 0, Worker[1].seen := 0 (unchanged)}"), std::string::npos) << text;
  EXPECT_NE(text.find("Worker[0]: Read -> Done   {counter := 1}"), std::string::npos) << text;
  EXPECT_NE(text.find("Worker[1]: Read -> Done   {counter := 1 (unchanged)}"), std::string::npos) << text;
  for (const std::string& format : trace_format_names()) {
    const std::string out = format_trace(m, t, format, {"lost_update.sched", "no_lost_update", "violated"});
    if (format == "json") continue;  // below: the values are JSON there
    EXPECT_EQ(count(out, "read counter = 0"), 2u) << format << "\n" << out;
    EXPECT_EQ(count(out, "counter := 1 (unchanged)"), 1u) << format << "\n" << out;
    EXPECT_EQ(count(out, "counter := 1"), 2u) << format << "\n" << out;
    EXPECT_EQ(count(out, "Worker[0].seen := 0 (unchanged)"), 1u) << format << "\n" << out;
  }
  // ITF: each action's step says what it read and assigned, and the trace still reads back.
  const std::string itf = format_trace_itf(m, t, {});
  const nlohmann::json doc = nlohmann::json::parse(itf);
  std::vector<std::string> reads, writes;
  for (const auto& state : doc["states"]) {
    if (!state["#meta"].contains("step")) continue;
    const auto& step = state["#meta"]["step"];
    for (const auto& r : step["reads"]) reads.push_back(r["var"].get<std::string>() + "=" + r["value"]["#bigint"].get<std::string>());
    for (const auto& a : step["assignments"])
      writes.push_back(a["var"].get<std::string>() + "=" + a["value"]["#bigint"].get<std::string>() + (a["unchanged"].get<bool>() ? " unchanged" : ""));
  }
  EXPECT_EQ(reads, (std::vector<std::string>{"counter=0", "counter=0"}));
  EXPECT_EQ(writes, (std::vector<std::string>{"Worker[0].seen=0 unchanged", "Worker[1].seen=0 unchanged", "counter=1", "counter=1 unchanged"}));
  EXPECT_EQ(parse_trace_itf(m, itf, "lost.itf.json").states, t.states);
}

// Arrays (an element read through an index that is a global), indexed machines, broadcast
// receivers (their guards read the state before the step; their updates see the emitter's)
// and `choose`.
TEST(TraceEffects, ArraysIndexedMachinesBroadcastReceiversAndChoose) {
  Model m = testing::model_from(R"(
    system fx;
    var cell[3] : 0..9 = { 5, 6, 7 };
    var pos : 0..2 = 1;
    var idx : 0..2 = 0;
    broadcast chan go;
    machine Boss { state A, B; init A; A -> B emit go! do { pos := 2; cell[idx] := 1; }; }
    machine W[i : 0..1] {
      var mine : 0..9;
      state Idle, Done;
      init Idle;
      Idle -> Done when cell[pos] > i on go? choose k in 0..1 do { mine := cell[pos] - k; cell[i] := cell[i]; };
    }
  )");
  ASSERT_EQ(m.edges.size(), 3u);
  Step go;
  go.channel = 0;
  go.edges = {0, 1, 2};
  go.choices = {1, 0};  // W[0] takes k = 1, W[1] k = 0
  Replayed r = replay_steps(m, {go});
  ASSERT_EQ(r.outcome, Replayed::Outcome::Ok);
  const std::vector<StepEffects> effects = trace_effects(m, r.trace);
  ASSERT_EQ(effects.size(), 1u);
  EXPECT_TRUE(effects[0].known);
  // The guards read pos = 1 and cell[1] before the step; W's updates read pos after Boss wrote
  // it (shown by the assignment, so not again) and cell[2]; cell[0] := cell[0] reads what its
  // "(unchanged)" shows.
  EXPECT_EQ(effects_text(m, effects[0], r.trace.states[0], r.trace.states[1]),
            "read pos = 1, read cell[1] = 6, pos := 2, read idx = 0, cell[0] := 1, read cell[2] = 7, W[0].mine := 6, "
            "cell[0] := 1 (unchanged), W[1].mine := 7, cell[1] := 6 (unchanged)");
  const std::string text = format_trace_text(m, r.trace);
  EXPECT_NE(text.find("bcast go  Boss: A -> B  +  W[0]: Idle -> Done [k=1]  +  W[1]: Idle -> Done [k=0]   {read pos = 1"), std::string::npos) << text;
}

// A step the effects do not reproduce (here: a state changed behind the trace's back) shows what
// changed between the states, as before.
TEST(TraceEffects, AStepTheyDoNotReproduceShowsTheDifference) {
  Model m = load_model(kLostUpdate, {});
  Trace t = *testing::check_one(m, "no_lost_update").trace;
  int counter = -1;
  for (std::size_t s = 0; s < m.slots.size(); ++s)
    if (m.slots[s].name == "counter") counter = static_cast<int>(s);
  ASSERT_GE(counter, 0);
  t.states[4][static_cast<std::size_t>(counter)] = 2;
  const std::vector<StepEffects> effects = trace_effects(m, t);
  EXPECT_TRUE(effects[0].known);
  EXPECT_FALSE(effects[3].known);
  EXPECT_EQ(effects_text(m, effects[3], t.states[3], t.states[4]), "counter := 2");
}

// The missed slot: a day of single ticks was a node per minute (1,444 nodes); the waits are edges.
TEST(TraceDot, WaitsAreEdgesWhoseDurationsAddUpToTheTraceTime) {
  Model m = load_model(std::string(INTERLOCK_SOURCE_DIR) + "/specs/hazards/missed_slot.sched", {});
  PropertyResult missed = testing::check_one(m, "runs_daily");
  ASSERT_TRUE(missed.trace);
  const Trace& t = *missed.trace;
  int64_t total = 0;
  for (const Step& s : t.steps) total += s.elapsed();
  ASSERT_EQ(total, 1440);
  ASSERT_GT(t.states.size(), 1000u);
  const std::string d = format_trace_dot(m, t);
  const std::size_t nodes = count(d, "\n  s") - count(d, " -> ");
  EXPECT_LE(nodes, 12u) << d;
  EXPECT_EQ(count(d, "tick"), 0u);
  // "wait 2 h 40 min", "wait 20 min", "wait 21 h": in minutes, the spec's unit.
  const std::regex wait("label=\"wait ([^\"]*)\"");
  const std::regex part("([0-9]+) (d|h|min)");
  int64_t waited = 0;
  std::size_t waits = 0;
  for (auto w = std::sregex_iterator(d.begin(), d.end(), wait); w != std::sregex_iterator(); ++w, ++waits) {
    const std::string amount = (*w)[1];
    for (auto p = std::sregex_iterator(amount.begin(), amount.end(), part); p != std::sregex_iterator(); ++p)
      waited += std::stoll((*p)[1]) * ((*p)[2] == "d" ? 1440 : (*p)[2] == "h" ? 60 : 1);
  }
  EXPECT_EQ(waits, 3u) << d;
  EXPECT_EQ(waited, total) << d;
  EXPECT_NE(d.find("label=\"wait 21 h\""), std::string::npos) << d;
}

// Mermaid: a long trace in parts of at most N messages, each headed with the steps it covers;
// together they cover every step once, in order.
TEST(TraceMermaid, ALongTraceInPartsThatCoverEveryStepOnce) {
  Model m = small_kb();
  PropertyResult lost = testing::check_one(m, "delivered");
  ASSERT_TRUE(lost.trace);
  const Trace& t = *lost.trace;
  EXPECT_EQ(format_trace_mermaid(m, t, 100000).find("## Part"), std::string::npos) << "one part: a plain diagram";
  for (std::size_t limit : {std::size_t{8}, std::size_t{20}, kMermaidMessagesPerPart}) {
    const std::string d = format_trace_mermaid(m, t, limit);
    const std::regex heading("## Part ([0-9]+) of ([0-9]+): steps ([0-9]+) to ([0-9]+) of ([0-9]+)");
    std::size_t next = 1, parts = 0, total_parts = 0;
    for (auto h = std::sregex_iterator(d.begin(), d.end(), heading); h != std::sregex_iterator(); ++h) {
      ++parts;
      EXPECT_EQ(std::stoul((*h)[1]), parts);
      total_parts = std::stoul((*h)[2]);
      EXPECT_EQ(std::stoul((*h)[3]), next) << "part " << parts << " of\n" << d;
      next = std::stoul((*h)[4]) + 1;
      EXPECT_EQ(std::stoul((*h)[5]), t.steps.size());
    }
    EXPECT_GT(parts, 1u) << d;
    EXPECT_EQ(parts, total_parts);
    EXPECT_EQ(next, t.steps.size() + 1) << "every step, once";
    EXPECT_EQ(count(d, "```mermaid\nsequenceDiagram\n"), parts);
    EXPECT_EQ(count(d, "\n```\n"), parts);
    // No part has more than `limit` messages, unless one entry alone does.
    std::size_t messages = 0, most = 0;
    std::istringstream lines(d);
    for (std::string line; std::getline(lines, line);) {
      if (line.rfind("sequenceDiagram", 0) == 0) messages = 0;
      if (line.rfind("  Note ", 0) == 0 || line.find("->>") != std::string::npos) most = std::max(most, ++messages);
    }
    EXPECT_LE(most, std::max<std::size_t>(limit, 4)) << d;
    // The loop block opens and closes in each part that has a piece of the cycle.
    EXPECT_EQ(count(d, "  loop repeats forever"), count(d, "\n  end\n")) << d;
  }
}

TEST(TraceHtml, TheHeaderCountsStepsAsTheTextDoes) {
  Model m = small_kb();
  PropertyResult drop = testing::check_one(m, "no_drop");
  const std::string page = format_trace_html(m, *drop.trace, {"kb.sched", "no_drop", "violated"});
  const std::string text = format_trace_text(m, *drop.trace);
  const std::string counted = trace_count(m, *drop.trace);
  EXPECT_NE(text.find("  trace: " + counted), std::string::npos) << text;
  EXPECT_NE(page.find("\"count\":\"" + counted + "\""), std::string::npos);
  // A row per line of the text timeline; the last row ends at the last step.
  EXPECT_EQ(count(page, "\"kind\":\"wait\"") + count(page, "\"kind\":\"action\"") + count(page, "\"kind\":\"start\""),
            trace_entries(*drop.trace).size());
  EXPECT_NE(page.find("\"last\":" + std::to_string(drop.trace->steps.size()) + ","), std::string::npos);
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

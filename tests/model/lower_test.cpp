// Lowering: names, constants, parameters, ranges and layout of the model.
#include <gtest/gtest.h>

#include <chrono>

#include "model/layout.h"
#include "model/parser.h"
#include "model/stop.h"
#include "support/test_models.h"

namespace interlock {
namespace {

using testing::errors_of;
using testing::model_from;

TEST(Lower, ConstantsMayReferToLaterOnesAndFold) {
  Model m = model_from("system s;\nconst A = B * 2 + 1;\nconst B = 3;\nvar x : 0..A = B;\n");
  ASSERT_EQ(m.slots.size(), 1u);
  EXPECT_EQ(m.slots[0].hi, 7);
  EXPECT_EQ(m.initial[0].value, 3);
}

TEST(Lower, ANegativeExpectedMaximumIsRefusedOnlyForADelay) {
  const std::string machine = "system s;\nvar x : -3..3 = -2;\nmachine M { state A; state B; init A; A -> B; }\n";
  const Model value = model_from(machine + "maximum low: x expect <= -1;\n");
  ASSERT_EQ(value.properties.size(), 1u);
  EXPECT_EQ(value.properties[0].wanted_bound->value, -1) << "a value may be negative, and its bound too";
  EXPECT_NE(errors_of(machine + "maximum wait: M.A leads_to M.B expect <= -1;\n").find("a delay is never negative"), std::string::npos);
  // A bound that reads a parameter: at its value, or over its range where it is free.
  const std::string bounded = "system s;\nparam B : -5..5 = -2;\nmachine M { state A; state B2; init A; A -> B2; }\n"
                              "maximum wait: M.A leads_to M.B2 expect <= B;\n";
  EXPECT_NE(errors_of(bounded).find("4:43: error: a delay is never negative: this bound is -2 with the parameters' values"), std::string::npos)
      << errors_of(bounded);
  LowerOptions three;
  three.set = {{"B", 3}};
  EXPECT_EQ(errors_of(bounded, three), "");
  LowerOptions free;
  free.free = {"B"};
  EXPECT_NE(errors_of(bounded, free).find("this bound may be -5 for some values of the parameters it reads"), std::string::npos)
      << errors_of(bounded, free);
}

TEST(Lower, ParamsKeepDefaultsUnlessSetOrFreed) {
  const std::string text = "system s;\nparam P : 0..10 = 4;\nparam Q : 1..3;\n";
  Model m = model_from(text);
  ASSERT_EQ(m.params.size(), 2u);
  EXPECT_EQ(m.params[0].value, 4);
  EXPECT_FALSE(m.params[1].value.has_value());
  LowerOptions set;
  set.set = {{"P", 9}, {"Q", 2}};
  Model s = model_from(text, set);
  EXPECT_EQ(s.params[0].value, 9);
  EXPECT_EQ(s.params[1].value, 2);
  LowerOptions freed;
  freed.free = {"P"};
  EXPECT_FALSE(model_from(text, freed).params[0].value.has_value());
  freed.free = {"all"};
  freed.set = {{"Q", 1}};
  Model f = model_from(text, freed);
  EXPECT_FALSE(f.params[0].value.has_value());
  EXPECT_EQ(f.params[1].value, 1);  // --set wins over --free all
}

TEST(Lower, SetErrorsNameTheParameter) {
  const std::string text = "system s;\nparam P : 0..10 = 4;\n";
  LowerOptions bad;
  bad.set = {{"NOPE", 1}};
  EXPECT_NE(errors_of(text, bad).find("--set NOPE: the spec has no parameter named 'NOPE'"), std::string::npos);
  bad.set = {{"P", 11}};
  EXPECT_NE(errors_of(text, bad).find("--set P=11: outside its range 0..10"), std::string::npos);
}

TEST(Lower, ARefusedRangeIsReportedOnceNotAgainByTheSetOfItsParameter) {
  const std::string text = "system s;\nparam P : 0..99999999999 = 3;\n";
  LowerOptions set;
  set.set = {{"P", 4}};
  const std::string errors = errors_of(text, set);
  EXPECT_NE(errors.find("a parameter's range must lie within"), std::string::npos) << errors;
  EXPECT_EQ(errors.find("--set"), std::string::npos) << errors;
}

// A copy's index is not a constant of the state's shape: the error says so, not just that the
// name is unknown (an outside tester took `var x : 0..i+1` for a constant range).
TEST(Lower, AMachinesIndexWhereEveryCopyIsAlikeIsNamedAsTheIndex) {
  const std::string text =
      "system s;\nmachine W[i : 0..2] {\n  var x : 0..i+1 = 0;\n  var a[i + 1] : bool;\n  state A; init A;\n}\n"
      "invariant p: i >= 0;\n";
  const std::string errors = errors_of(text, {});
  for (const std::string expected :
       {":3:14: error: unknown name 'i': 'i' is machine 'W''s index, read only by that machine's guards, updates, invariants and "
        "initial values; a variable's range is the same in every copy",
        ":4:9: error: unknown name 'i': 'i' is machine 'W''s index, read only by that machine's guards, updates, invariants and "
        "initial values; an array's size is the same in every copy",
        ":7:14: error: unknown name 'i': 'i' is machine 'W''s index, read only by that machine's guards, updates, invariants and "
        "initial values\n"})
    EXPECT_NE(errors.find(expected), std::string::npos) << expected << "\n" << errors;
}

TEST(Lower, ExplicitEngineNeedsEveryParameter) {
  Model m = model_from("system s;\nparam P : 0..10;\nparam R : 0..1 = 0;\nparam Q : 0..1;\n");
  try {
    Semantics sem(m);
    FAIL() << "a free parameter must be refused";
  } catch (const InputError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("no value for: P, Q"), std::string::npos) << msg;
    EXPECT_NE(msg.find("--set"), std::string::npos);
  }
}

TEST(Lower, AssumptionsAreCheckedForTheGivenValues) {
  Model m = model_from("system s;\nparam A : 0..9 = 5;\nparam B : 0..9 = 3;\nassume A <= B;\nvar x : bool;\ninvariant p: !x;\n");
  auto r = testing::check_one(m, "p");
  EXPECT_EQ(r.verdict, Verdict::ModelError);
  EXPECT_NE(r.detail.find("break this assumption"), std::string::npos) << r.detail;
  // One that cannot be evaluated is not false: the message says why.
  Model zero = model_from("system s;\nparam A : 0..9 = 5;\nparam B : 0..9 = 3;\nassume A / (B - 3) >= 0;\nvar x : bool;\ninvariant p: !x;\n");
  auto z = testing::check_one(zero, "p");
  EXPECT_EQ(z.verdict, Verdict::ModelError);
  EXPECT_NE(z.detail.find("this assumption cannot be evaluated with the parameter values: division by zero"), std::string::npos) << z.detail;
}

TEST(Lower, SlotsAreNamedAsUsersWriteThem) {
  Model m = model_from(R"(
    system s;
    type Mode = { Normal, Degraded };
    var seen[2] : bool;
    var mode : Mode = Degraded;
    machine Link[i : 1..2] { clock t; var n : 0..3; state A; init A; }
  )");
  std::vector<std::string> names;
  for (const auto& s : m.slots) names.push_back(s.name);
  std::vector<std::string> want = {"seen[0]", "seen[1]", "mode", "Link[1]", "Link[1].t", "Link[1].n",
                                   "Link[2]", "Link[2].t", "Link[2].n"};
  EXPECT_EQ(names, want);
  EXPECT_EQ(m.initial[2].value, 1);
  EXPECT_EQ(format_value(m, 2, 1), "Degraded");
  EXPECT_EQ(format_value(m, 0, 1), "true");
  EXPECT_EQ(format_value(m, 3, 0), "A");
}

TEST(Lower, LayoutPacksEachSlotIntoTheFewestBits) {
  Model m = model_from(R"(
    system s;
    var small : -3..200;
    var medium : 0..60000;
    var large : -1..70000;
    var flag : bool;
    var fixed : 7..7;
  )");
  StateLayout layout(m);
  EXPECT_EQ(layout.bits(), 8u + 16u + 17u + 1u + 0u);
  EXPECT_EQ(layout.bytes(), 6u);
  std::vector<int32_t> out(5);
  std::vector<uint8_t> packed(layout.buffer_bytes(), 0xAB);  // garbage around must not leak in
  for (const std::vector<int32_t>& in : {std::vector<int32_t>{-3, 60000, -1, 1, 7}, std::vector<int32_t>{200, 0, 70000, 0, 7},
                                         std::vector<int32_t>{17, 12345, 65536, 1, 7}}) {
    layout.pack(in.data(), packed.data());
    layout.unpack(packed.data(), out.data());
    EXPECT_EQ(in, out);
  }
  // Equal states pack to equal bytes, whatever the buffer held before.
  std::vector<uint8_t> again(layout.buffer_bytes(), 0x00);
  std::vector<int32_t> in = {5, 6, 7, 0, 7};
  layout.pack(in.data(), packed.data());
  layout.pack(in.data(), again.data());
  EXPECT_TRUE(std::equal(packed.begin(), packed.begin() + 6, again.begin()));
}

TEST(Lower, ResponseAndMaximumAreTypeChecked) {
  Model m = model_from(R"(
    system s;
    var q : 0..3;
    machine R { clock tx; state Busy { invariant tx <= 5; } init Busy; }
    response drained: q > 0 leads_to q == 0 within 1440;
    response eventually: q > 0 leads_to q == 0;
    maximum longest: R.tx when R.Busy;
  )");
  ASSERT_EQ(m.properties.size(), 3u);
  EXPECT_EQ(m.properties[0].kind, Property::Kind::Response);
  EXPECT_TRUE(m.properties[0].within.has_value());
  EXPECT_FALSE(m.properties[1].within.has_value());
  EXPECT_EQ(m.properties[2].kind, Property::Kind::Maximum);
  EXPECT_NE(errors_of("system s;\nvar q : 0..3;\nresponse r: q leads_to true;\n").find("must be a condition"), std::string::npos);
  EXPECT_NE(errors_of("system s;\nvar b : bool;\nmaximum m: b;\n").find("'maximum' needs an integer"), std::string::npos);
}

TEST(Lower, EnumsCompareOnlyWithTheirOwnType) {
  EXPECT_EQ(errors_of("system s;\ntype M = { A, B };\nvar m : M;\ninvariant p: m != B;\n"), "");
  EXPECT_NE(errors_of("system s;\ntype M = { A, B };\nvar m : M;\ninvariant p: m == 1;\n").find("'==' needs operands of one type"), std::string::npos);
}

}  // namespace
}  // namespace interlock

namespace interlock {
namespace {

// The explorer packs a successor by rewriting only the slots the step changed; that must give
// the same bytes as packing the whole state, for every step of every kind.
TEST(Layout, IncrementalRepackEqualsFullPack) {
  Model m = load_model(std::string(INTERLOCK_SOURCE_DIR) + "/specs/msmail/original.sched");
  Semantics sem(m);
  StateLayout layout(m);
  std::vector<int32_t> s;
  ModelFault fault;
  ASSERT_TRUE(sem.initial(s, fault));
  std::vector<std::vector<int32_t>> frontier = {s};
  std::vector<uint8_t> base(layout.buffer_bytes()), full(layout.buffer_bytes()), inc(layout.buffer_bytes());
  int compared = 0;
  for (int round = 0; round < 200 && !frontier.empty(); ++round) {
    std::vector<int32_t> state = frontier.back();
    frontier.pop_back();
    state.resize(m.slots.size() + 1);
    layout.pack(state.data(), base.data());
    sem.successors(state.data(), [&](const Step&, const int32_t* next) {
      layout.pack(next, full.data());
      const auto& changed = sem.last_changed();
      layout.repack(base.data(), next, changed.data(), changed.size(), inc.data());
      EXPECT_TRUE(std::equal(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(layout.bytes()), inc.begin()));
      ++compared;
      frontier.emplace_back(next, next + m.slots.size());
    }, fault);
  }
  EXPECT_GT(compared, 300);
}

}  // namespace
}  // namespace interlock

namespace interlock {
namespace {

using testing::model_from;

// Issue 11: a machine with 100,000 states took 42 s to load (each edge looked its states up by a
// pass over all of them). Loading stops at 20 s here, which the quadratic lookup overran.
TEST(Lower, AMachineWithManyStatesLoadsInLinearTime) {
  constexpr int kStates = 100000;
  std::string text = "system big;\nmachine M {\n  state S0";
  for (int i = 1; i < kStates; ++i) text += ", S" + std::to_string(i);
  text += ";\n  init S0;\n";
  for (int i = 0; i + 1 < kStates; ++i) text += "  S" + std::to_string(i) + " -> S" + std::to_string(i + 1) + ";\n";
  text += "}\nreachable last: M.S99999 && !M.S5;\n";
  const auto start = std::chrono::steady_clock::now();
  LowerOptions options;
  options.stop_reason = [&] {
    return std::chrono::steady_clock::now() - start > std::chrono::seconds(20) ? std::string("timeout after 20 s") : std::string();
  };
  Model m = model_from(text, options);
  ASSERT_EQ(m.instances.size(), 1u);
  EXPECT_EQ(m.instances[0].locations.size(), static_cast<std::size_t>(kStates));
  EXPECT_EQ(m.edges.size(), static_cast<std::size_t>(kStates - 1));
  EXPECT_EQ(m.edges.back().dst, kStates - 1);
}

TEST(Lower, LoadingStopsWhenTheRunMustStop) {
  const std::string text = "system s;\nvar a[64] : 0..3;\ninvariant p: forall i in 0..4095 : forall j in 0..15 : a[i % 64] != a[j] + 4;\n";
  LowerOptions options;
  int asked = 0;
  options.stop_reason = [&] { return ++asked > 2 ? std::string("timeout after 1 s") : std::string(); };
  try {
    model_from(text, options);
    ADD_FAILURE() << "loading must stop";
  } catch (const LoadStopped& e) {
    EXPECT_STREQ(e.what(), "test.sched: timeout after 1 s while loading the spec");
  }
  // Without a run's own limits, a process-wide stop request (Ctrl-C) stops loading too.
  request_stop(StopReason::Interrupt);
  EXPECT_THROW(model_from(text), LoadStopped);
  withdraw_stop(StopReason::Interrupt);
  EXPECT_NO_THROW(model_from(text));
}

}  // namespace
}  // namespace interlock

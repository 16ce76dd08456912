// The successor function compiled to native code (solver/explicit/native/) against the interpreter
// (model/semantics.h): in every state of every spec and of random specs, the same successors,
// packed byte for byte, in the same order, with the tick marked and each action's edges listed;
// states the native code hands back are the interpreter's, and a search with native code is the
// same search.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "model/cone.h"
#include "model/dead_clocks.h"
#include "solver/explicit/explorer.h"
#include "solver/explicit/native/native_code.h"
#include "support/random_oracle_spec.h"
#include "support/random_spec.h"
#include "support/scoped_env.h"
#include "support/test_models.h"

namespace interlock {
namespace {

namespace fs = std::filesystem;
using testing::model_from;
using testing::ScopedEnv;

struct Comparison {
  uint64_t states = 0;     // states compared
  uint64_t native = 0;     // of which the native code expanded (the rest it handed back)
  std::string mismatch;    // the first difference, empty if none
};

// Explores `model` (with `dead` clocks held at 0) with the interpreter and, in each of the first
// `max_states` states, asks the native code for the successors too.
Comparison compare_successors(const Model& model, const DeadClocks& dead, uint64_t max_states) {
  Comparison out;
  Semantics semantics(model);
  if (!dead.empty()) semantics.hold_dead_clocks(dead);
  StateLayout layout(model);
  NativeCode code(native_source(model, semantics.param_values(), semantics.dead_clocks(), layout));
  code.wait();
  if (!code.successors()) {
    out.mismatch = "no native code: " + code.why();
    return out;
  }
  Limits limits;
  limits.native = NativeMode::Off;
  RunContext context(limits, nullptr);
  Explorer explorer(semantics, context);
  const std::size_t bytes = layout.bytes();
  std::vector<uint8_t> packed(layout.buffer_bytes());
  explorer.run([&](uint32_t index, const int32_t* state) {
    if (out.states == max_states || !out.mismatch.empty()) return true;
    ++out.states;
    std::vector<std::vector<uint8_t>> expected;
    std::vector<bool> expected_tick;
    std::vector<uint8_t> expected_taken(model.edges.size() + 1, 0);  // the edges of this state's actions
    std::vector<std::vector<int>> expected_edges;                       // each successor's
    ModelFault fault;
    const bool ok = semantics.successors(state, [&](const Step& step, const int32_t* next) {
      layout.pack(next, packed.data());
      expected.emplace_back(packed.begin(), packed.begin() + static_cast<std::ptrdiff_t>(bytes));
      expected_tick.push_back(step.tick);
      expected_edges.push_back(step.edges);
      for (int e : step.edges) expected_taken[static_cast<std::size_t>(e)] = 1;
    }, fault);
    int capacity = 4;
    const std::size_t stride = native_action_stride(model);
    std::vector<uint8_t> buffer, ticks, taken;
    std::vector<int32_t> actions;
    int n = kNativeNeedsRoom;
    while (n == kNativeNeedsRoom) {
      capacity *= 2;
      buffer.assign(static_cast<std::size_t>(capacity) * bytes + StateLayout::kPadding, 0);
      ticks.assign(static_cast<std::size_t>(capacity), 0);
      taken.assign(model.edges.size() + 1, 0);
      actions.assign(static_cast<std::size_t>(capacity) * stride, -1);
      n = code.successors()(explorer.store().state(index), buffer.data(), ticks.data(), capacity, taken.data(), actions.data());
    }
    if (n == kNativeAskInterpreter) return false;
    ++out.native;
    const std::string where = "state " + std::to_string(index) + ": ";
    if (!ok) {
      out.mismatch = where + "the interpreter fails (" + fault.message + ") and the native code does not";
      return true;
    }
    if (static_cast<std::size_t>(n) != expected.size()) {
      out.mismatch = where + std::to_string(n) + " native successors, " + std::to_string(expected.size()) + " interpreted";
      return true;
    }
    if (taken != expected_taken) {
      out.mismatch = where + "the native code marks other edges taken than the interpreter's actions have";
      return true;
    }
    for (int k = 0; k < n; ++k) {
      const uint8_t* got = buffer.data() + static_cast<std::size_t>(k) * bytes;
      if (!std::equal(got, got + bytes, expected[static_cast<std::size_t>(k)].begin()) ||
          (ticks[static_cast<std::size_t>(k)] != 0) != expected_tick[static_cast<std::size_t>(k)]) {
        out.mismatch = where + "successor " + std::to_string(k) + " differs";
        return true;
      }
      // The action's edges, as partial-order reduction reads them (none for the tick).
      if (expected_tick[static_cast<std::size_t>(k)]) continue;
      const int32_t* action = actions.data() + static_cast<std::size_t>(k) * stride;
      if (action[0] < 0 || static_cast<std::size_t>(action[0]) >= stride ||
          std::vector<int>(action + 1, action + 1 + action[0]) != expected_edges[static_cast<std::size_t>(k)]) {
        out.mismatch = where + "successor " + std::to_string(k) + " lists other edges than the interpreter's step";
        return true;
      }
    }
    return false;
  });
  return out;
}

// The model the explicit engine searches: reduced to the properties' cone, dead clocks at 0.
struct Reduced {
  Model model;
  DeadClocks dead;
};
Reduced reduced(const Model& model) {
  std::vector<int> all;
  for (std::size_t p = 0; p < model.properties.size(); ++p) all.push_back(static_cast<int>(p));
  Cone cone = cone_of_influence(model, all);
  DeadClocks dead = dead_clocks(cone.model, all);
  return {std::move(cone.model), std::move(dead)};
}

std::vector<std::string> repository_specs() {
  std::vector<std::string> files;
  for (const char* dir : {"specs", "tests/regress", "tests/data"})
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(INTERLOCK_SOURCE_DIR) / dir))
      if (entry.path().extension() == ".sched") files.push_back(entry.path().string());
  std::sort(files.begin(), files.end());
  return files;
}

TEST(NativeCode, SameSuccessorsAsTheInterpreterInEverySpec) {
  int compared = 0;
  for (const std::string& file : repository_specs()) {
    SCOPED_TRACE(file);
    Model model;
    try {
      model = load_model(file);
      Semantics check_params(model);  // a spec with free parameters is for the symbolic engines
    } catch (const InputError&) {
      continue;
    }
    Reduced r = reduced(model);
    // The first states of the large specs: every edge of the KB specs is taken among them.
    Comparison c = compare_successors(r.model, r.dead, 20000);
    EXPECT_EQ(c.mismatch, "");
    // Most states run natively (a tiny spec whose every state fails is all handed back).
    if (c.states >= 20) {
      EXPECT_GT(c.native, c.states / 2) << "the native code handed most states back";
    }
    ++compared;
  }
  EXPECT_GE(compared, 20);
}

TEST(NativeCode, SameSuccessorsAsTheInterpreterOnRandomSpecs) {
  int handed_back = 0;
  for (uint32_t seed = 1; seed <= 25; ++seed) {
    std::string text = testing::random_spec(seed);
    SCOPED_TRACE("seed " + std::to_string(seed) + "\n" + text);
    Model model = model_from(text);
    for (bool reduce : {false, true}) {
      Reduced r = reduce ? reduced(model) : Reduced{model, {}};
      Comparison c = compare_successors(r.model, r.dead, 1000000);
      EXPECT_EQ(c.mismatch, "");
      handed_back += c.states != c.native;
    }
  }
  std::printf("random specs: %d runs where the native code handed states back\n", handed_back);
}

// The SPIN cross-check's specs use every construct (indexed machines, invariants reading other
// machines, choose, arrays, faults): state by state, with the reductions the engine searches with.
// (tests/solver/spin_oracle_test.cpp compares whole searches, native code on and off, on 300.)
TEST(NativeCode, SameSuccessorsAsTheInterpreterOnSpecsWithEveryConstruct) {
  int compared = 0, handed_back = 0;
  for (uint32_t seed = 1; seed <= 50; ++seed) {
    std::string text = testing::random_oracle_spec(seed);
    SCOPED_TRACE("seed " + std::to_string(seed) + "\n" + text);
    Model model;
    try {
      model = model_from(text);
    } catch (const InputError&) {
      continue;  // a spec SPIN's export refuses is still a spec; one that does not load is not
    }
    Reduced r = reduced(model);
    Comparison c = compare_successors(r.model, r.dead, 1000000);
    EXPECT_EQ(c.mismatch, "");
    handed_back += c.states != c.native;
    ++compared;
  }
  EXPECT_GE(compared, 45);
  std::printf("specs with every construct: %d compared, %d where native code handed states back\n", compared, handed_back);
}

// Every state of `text` compared; `native` of its `states` expanded by native code.
void expect_handed_back(const char* text, uint64_t states, uint64_t native) {
  Comparison c = compare_successors(model_from(text), {}, 1000000);
  EXPECT_EQ(c.mismatch, "");
  EXPECT_EQ(c.states, states);
  EXPECT_EQ(c.native, native);
}

const char* kOverflow = R"(
  system overflow;
  var n : 0..3;
  machine M {
    state A;
    init A;
    A -> A do n := n + 1;   // fails in the state where n is 3
  }
  invariant small: n < 10;
)";

TEST(NativeCode, AStateThatFailsGoesToTheInterpreter) {
  expect_handed_back(kOverflow, 4, 3);  // n = 3 is handed back
  Model model = model_from(kOverflow);

  Limits on, off;
  on.native = NativeMode::On;
  off.native = NativeMode::Off;
  PropertyResult with = testing::check_one(model, "small", on);
  PropertyResult without = testing::check_one(model, "small", off);
  EXPECT_EQ(with.verdict, Verdict::ModelError);
  EXPECT_EQ(with.detail, without.detail);
  ASSERT_TRUE(with.trace && without.trace);
  EXPECT_EQ(with.trace->states, without.trace->states);
}

// Every kind of expression and step the generator writes code for, in one spec: arrays read and
// written at computed indexes (one of them out of range in some states), division, remainder,
// negation, `?:`, implication, enums, bools, indexed machines, rendezvous with `choose` on both
// sides, urgent states, a clock reset to an expression and one that saturates.
const char* kEveryConstruct = R"(
  system every;
  const N = 2;
  type Mode = { Low, Mid, High };
  var cell[4] : 0..6 = { 1, 0, 2, 0 };
  var flags[3] : bool;
  var mode : Mode = Low;
  var acc : -9..9 = 0;
  var pos : 0..4 = 0;
  chan pass[N];
  broadcast chan tick_all;
  machine Worker[i : 0..N-1] {
    clock c;
    var got : 0..6;
    state Idle { invariant c <= 3; }
    urgent state Busy;
    state Wait;
    init Idle;
    Idle -> Busy when c >= 1 && cell[(pos + i) % 4] > 0
        choose d in 1..2
        do { got := cell[(pos + i) % 4] / d; cell[(pos + i) % 4] := cell[(pos + i) % 4] - 1; c := d; };
    Busy -> Wait emit pass[i]! choose k in 0..1 do { flags[k + i] := !flags[k + i]; };
    Wait -> Idle on tick_all? do { c := 0; got := mode == High ? 0 : got; };
    Idle -> Idle when got > 0 && (flags[i] => acc >= 0) do { acc := -(acc) + got % 3 - 1; got := 0; };
  }
  machine Hub {
    clock h;
    state Run { invariant h <= 4; }
    init Run;
    Run -> Run on pass[0]? choose m in 0..2 do { mode := m == 0 ? Low : m == 1 ? Mid : High; pos := (pos + 1) % 5; };
    Run -> Run on pass[1]? do { cell[pos] := (cell[pos] + 2) % 7; };
    Run -> Run when h >= 2 emit tick_all! do h := 0;
  }
  invariant bounded: acc >= -9;
)";

TEST(NativeCode, SameSuccessorsOnEveryConstruct) {
  Model model = model_from(kEveryConstruct);
  Comparison c = compare_successors(model, {}, 1000000);
  EXPECT_EQ(c.mismatch, "");
  EXPECT_GT(c.states, 1000u);
  EXPECT_GT(c.native, c.states / 2);
  Reduced r = reduced(model);
  Comparison reduced_run = compare_successors(r.model, r.dead, 1000000);
  EXPECT_EQ(reduced_run.mismatch, "");
}

// An array written, and one read, at an index that leaves it: the interpreter's fault, so the
// state goes to it.
const char* kIndexOut = R"(
  system index_out;
  var a[3] : 0..5;
  var k : 0..3;
  machine M {
    state A;
    init A;
    A -> A when k < 3 do { a[k] := (a[k] + 2) % 6; k := k + 1; };
    A -> A when k == 3 && a[k - 1] < 9 do a[k] := 1;
  }
  invariant small: k <= 3;
)";

TEST(NativeCode, AnIndexOutOfAnArrayGoesToTheInterpreter) {
  expect_handed_back(kIndexOut, 4, 3);  // k = 3 writes a[3]
}

// A broadcast whose receiver has more ways to take it than the native code keeps (256) is also
// handed back; the interpreter takes every one.
const char* kWideBroadcast = R"(
  system wide;
  broadcast chan go;
  var last : 0..300;
  machine Sender {
    state A;
    init A;
    A -> A emit go!;
  }
  machine Receiver {
    state R;
    init R;
    R -> R on go? choose k in 0..300 do last := k;
  }
  invariant fine: last <= 300;
)";

TEST(NativeCode, ABroadcastWithManyOptionsGoesToTheInterpreter) {
  expect_handed_back(kWideBroadcast, 301, 0);  // every state has 301 options
}

// With native code from the first state, a search finds the same states, transitions, verdicts
// and traces; without a compiler it is the interpreter's search.
TEST(NativeCode, ASearchWithNativeCodeIsTheSameSearch) {
  Model model = load_model(std::string(INTERLOCK_SOURCE_DIR) + "/specs/msmail/fixes/drain.sched");
  Limits on, off;
  on.native = NativeMode::On;
  off.native = NativeMode::Off;
  std::vector<PropertyResult> with = testing::check_all(model, on);
  std::vector<PropertyResult> without = testing::check_all(model, off);
  ASSERT_EQ(with.size(), without.size());
  EXPECT_EQ(with[0].stats.native_states, with[0].stats.states);
  EXPECT_EQ(without[0].stats.native_states, 0u);
  for (std::size_t k = 0; k < with.size(); ++k) {
    SCOPED_TRACE(with[k].property);
    EXPECT_EQ(with[k].verdict, without[k].verdict);
    EXPECT_EQ(with[k].detail, without[k].detail);
    EXPECT_EQ(with[k].value, without[k].value);
    EXPECT_EQ(with[k].stats.states, without[k].stats.states);
    EXPECT_EQ(with[k].stats.transitions, without[k].stats.transitions);
    EXPECT_EQ(with[k].stats.depth, without[k].stats.depth);
    ASSERT_EQ(with[k].trace.has_value(), without[k].trace.has_value());
    if (with[k].trace) {
      EXPECT_EQ(with[k].trace->states, without[k].trace->states);
    }
  }

  // Auto uses a compiled model already in the cache from the first state: the On search above
  // left it there.
  Limits automatic;
  automatic.native = NativeMode::Auto;
  std::vector<PropertyResult> cached = testing::check_all(model, automatic);
  EXPECT_EQ(cached[0].stats.native_states, cached[0].stats.states);
  // With an empty cache, Auto compiles beside the search and switches to native code during it.
  std::vector<PropertyResult> switched;
  {
    ScopedEnv cache("INTERLOCK_CACHE", (fs::temp_directory_path() / ("interlock-native-test-switch-" +
                                                                      std::to_string(::getpid()))).string());
    switched = testing::check_all(model, automatic);
    fs::remove_all(std::getenv("INTERLOCK_CACHE"));
  }
  EXPECT_GT(switched[0].stats.native_states, 0u);
  EXPECT_LT(switched[0].stats.native_states, switched[0].stats.states);
  for (std::size_t k = 0; k < switched.size(); ++k) {
    EXPECT_EQ(switched[k].verdict, without[k].verdict);
    EXPECT_EQ(switched[k].stats.transitions, without[k].stats.transitions);
    EXPECT_EQ(cached[k].verdict, without[k].verdict);
    EXPECT_EQ(cached[k].stats.transitions, without[k].stats.transitions);
  }

  PropertyResult no_compiler;
  {
    ScopedEnv compiler("INTERLOCK_CXX", "/bin/false");
    ScopedEnv cache("INTERLOCK_CACHE", (fs::temp_directory_path() / "interlock-native-test-no-compiler").string());
    no_compiler = testing::check_one(model, "no_drop", on);
  }
  EXPECT_EQ(no_compiler.verdict, without[0].verdict);
  EXPECT_EQ(no_compiler.stats.native_states, 0u);
  EXPECT_NE(no_compiler.stats.native_note.find("/bin/false failed"), std::string::npos) << no_compiler.stats.native_note;
}

}  // namespace
}  // namespace interlock

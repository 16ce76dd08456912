// `asap` edges (docs/language.md): time may not pass while one can be taken. Small models whose
// answers are computed by hand, checked on every engine (the interpreter, native code, bmc,
// k-induction, chc); the same models without `asap` let the edge be skipped, and every engine
// must see that too. Bad input is located.
#include <gtest/gtest.h>

#include <deque>
#include <map>

#include "solver/z3/bmc_engine.h"
#include "solver/z3/chc_engine.h"
#include "solver/z3/kind_engine.h"
#include "support/engine_compare.h"
#include "support/random_oracle_spec.h"
#include "support/random_spec.h"
#include "support/test_models.h"

namespace interlock {
namespace {

// Replaces every "ASAP" in `text` by " asap" or by nothing.
std::string with_asap(std::string text, bool asap) {
  for (std::size_t at = text.find("ASAP"); at != std::string::npos; at = text.find("ASAP"))
    text.replace(at, 4, asap ? " asap" : "");
  return text;
}

enum class EngineRun { Interpreter, Native, Bmc, Kind, Chc };
const EngineRun kEveryEngine[] = {EngineRun::Interpreter, EngineRun::Native, EngineRun::Bmc, EngineRun::Kind, EngineRun::Chc};

const char* name_of(EngineRun run) {
  switch (run) {
    case EngineRun::Interpreter: return "explicit (interpreter)";
    case EngineRun::Native: return "explicit (native code)";
    case EngineRun::Bmc: return "bmc";
    case EngineRun::Kind: return "kind";
    default: return "chc";
  }
}

PropertyResult check(const Model& model, const std::string& property, EngineRun run) {
  Limits limits;
  limits.timeout_seconds = 60;
  limits.native = run == EngineRun::Native ? NativeMode::On : NativeMode::Off;
  if (run == EngineRun::Bmc) limits.depth = 12;
  RunContext context(limits, nullptr);
  const std::vector<int> props{model.find_property(property)};
  switch (run) {
    case EngineRun::Bmc: return BmcEngine().check(model, props, context).at(0);
    case EngineRun::Kind: return KInductionEngine().check(model, props, context).at(0);
    case EngineRun::Chc: return ChcEngine().check(model, props, context).at(0);
    default: return ExplicitEngine().check(model, props, context).at(0);
  }
}

// M's edge is due at t == AT. With `asap` it is taken then, never later; without, M may wait.
constexpr const char* kDue = R"(
  system due;
  const AT = %AT%;
  machine M {
    clock t;
    state Wait, Done;
    init Wait;
    Wait -> DoneASAP when t == AT;
  }
  invariant never_late: !(M.Wait && M.t > AT);
  reachable late: M.Wait && M.t == AT + 1;
  reachable long_wait_after: M.Done && M.t == AT + 40;
)";

std::string due_at(int at, bool asap) {
  std::string text = with_asap(kDue, asap);
  text.replace(text.find("%AT%"), 4, std::to_string(at));
  return text;
}

TEST(Asap, AnEdgeDueAtThreeIsTakenAtThreeNeverAtFourOnEveryEngine) {
  for (int at : {3, 50}) {
    Model urgent = testing::model_from(due_at(at, true));
    Model plain = testing::model_from(due_at(at, false));
    for (EngineRun run : kEveryEngine) {
      SCOPED_TRACE(std::string(name_of(run)) + ", AT = " + std::to_string(at));
      const PropertyResult on_time = check(urgent, "never_late", run);
      const PropertyResult skipped = check(plain, "never_late", run);
      if (run == EngineRun::Bmc) {
        EXPECT_EQ(on_time.verdict, Verdict::Unknown) << on_time.detail;  // bmc proves no invariant
      } else {
        EXPECT_EQ(on_time.verdict, Verdict::Holds) << on_time.detail;
      }
      ASSERT_EQ(skipped.verdict, Verdict::Violated) << skipped.detail;
      if (run == EngineRun::Interpreter || run == EngineRun::Native) {
        ASSERT_TRUE(skipped.trace);
        EXPECT_EQ(skipped.trace->steps.size(), static_cast<std::size_t>(at + 1));  // AT + 1 ticks
        EXPECT_EQ(testing::replay(plain, *skipped.trace), "");
      }
    }
  }
}

// bmc's delay steps are many ticks each: with `asap` none may jump over the instant where the
// edge is due, yet a long wait where nothing is due stays one step.
TEST(Asap, BmcNeverJumpsOverTheInstantAnEdgeIsDueAndStillTakesLongWaitsInOneStep) {
  Model urgent = testing::model_from(due_at(50, true));
  Model plain = testing::model_from(due_at(50, false));
  const PropertyResult late = check(urgent, "late", EngineRun::Bmc);
  EXPECT_EQ(late.verdict, Verdict::Unknown) << late.detail;  // no witness within 12 steps
  EXPECT_EQ(check(urgent, "late", EngineRun::Interpreter).verdict, Verdict::Violated);
  const PropertyResult skipped = check(plain, "late", EngineRun::Bmc);
  ASSERT_EQ(skipped.verdict, Verdict::Holds) << skipped.detail;
  ASSERT_TRUE(skipped.trace);
  EXPECT_EQ(testing::symbolic_steps(*skipped.trace), 1);  // one delay of 51 ticks
  const PropertyResult after = check(urgent, "long_wait_after", EngineRun::Bmc);
  ASSERT_EQ(after.verdict, Verdict::Holds) << after.detail;
  ASSERT_TRUE(after.trace);
  EXPECT_EQ(testing::symbolic_steps(*after.trace), 3);  // wait 50, the edge, wait 40
  EXPECT_EQ(testing::replay(urgent, *after.trace), "");
}

// When an `asap` guard compares a clock with a chosen value, the instants where it may fall due
// are not known in the state: bmc's delays are then one tick each, and it still finds the runs.
TEST(Asap, AChosenClockBoundMakesEveryBmcDelayOneTick) {
  Model model = testing::model_from(R"(
    system chosen;
    machine M {
      clock t;
      state Wait, Done;
      init Wait;
      Wait -> Done asap choose v in 2..3 when t == v;
    }
    invariant never_late: !(M.Wait && M.t > 2);
    reachable done_then_one: M.Done && M.t == 3;
  )");
  for (EngineRun run : kEveryEngine) {
    SCOPED_TRACE(name_of(run));
    const PropertyResult r = check(model, "never_late", run);
    EXPECT_EQ(r.verdict, run == EngineRun::Bmc ? Verdict::Unknown : Verdict::Holds) << r.detail;
  }
  const PropertyResult found = check(model, "done_then_one", EngineRun::Bmc);
  ASSERT_EQ(found.verdict, Verdict::Holds) << found.detail;
  ASSERT_TRUE(found.trace);
  EXPECT_EQ(found.trace->steps.size(), 4u);  // tick, tick, the edge at 2, tick
  // Four symbolic steps: the two ticks before the edge could not be one delay.
  EXPECT_NE(found.detail.find("in 4 symbolic steps"), std::string::npos) << found.detail;
  EXPECT_EQ(testing::replay(model, *found.trace), "");
}

// A rendezvous edge marked `asap` is due only when a partner can take part: the waiter does not
// stop time while the lock is closed, and takes the grant the instant it is offered.
constexpr const char* kGrant = R"(
  system grant;
  chan grant;
  machine Lock {
    clock u;
    state Closed { invariant u <= 3; }
    state Open, Given;
    init Closed;
    Closed -> Open when u == 3;
    Open -> Given emit grant!;
  }
  machine Waiter {
    state Blocked, Busy;
    init Blocked;
    Blocked -> BusyASAP on grant?;
  }
  invariant granted_at_once: !(Waiter.Blocked && Lock.Open && Lock.u > 3);
  reachable waits_for_partner: Waiter.Blocked && Lock.u == 2;
)";

TEST(Asap, AChannelEdgeIsDueOnlyWithAPartnerOnEveryEngine) {
  Model urgent = testing::model_from(with_asap(kGrant, true));
  Model plain = testing::model_from(with_asap(kGrant, false));
  for (EngineRun run : kEveryEngine) {
    SCOPED_TRACE(name_of(run));
    const PropertyResult at_once = check(urgent, "granted_at_once", run);
    EXPECT_EQ(at_once.verdict, run == EngineRun::Bmc ? Verdict::Unknown : Verdict::Holds) << at_once.detail;
    EXPECT_EQ(check(plain, "granted_at_once", run).verdict, Verdict::Violated);
    if (run == EngineRun::Bmc || run == EngineRun::Interpreter || run == EngineRun::Native) {
      EXPECT_EQ(check(urgent, "waits_for_partner", run).verdict, Verdict::Holds);
    }
  }
}

// The successor function and the wait of many ticks in one go, state by state.
TEST(Asap, NoTickWhileDueAndNoWaitAcrossTheInstant) {
  Model model = testing::model_from(due_at(3, true));
  Semantics sem(model);
  ModelFault fault;
  std::vector<int32_t> start;
  ASSERT_TRUE(sem.initial(start, fault));
  const std::size_t n = model.slots.size();
  std::vector<int32_t> later(n + 1), at_three(n + 1);
  EXPECT_TRUE(sem.delay(start.data(), 3, at_three.data(), fault));  // instants 0, 1, 2: not due
  EXPECT_FALSE(sem.delay(start.data(), 4, later.data(), fault));    // would pass 3
  EXPECT_TRUE(fault.message.empty());
  bool due = false;
  ASSERT_TRUE(sem.asap_due(at_three.data(), due, fault));
  EXPECT_TRUE(due);
  EXPECT_FALSE(sem.tick(at_three.data(), later.data(), fault));
  int ticks = 0, actions = 0;
  ASSERT_TRUE(sem.successors(at_three.data(), [&](const Step& s, const int32_t*) { (s.tick ? ticks : actions)++; }, fault));
  EXPECT_EQ(ticks, 0);
  EXPECT_EQ(actions, 1);
}

// An `asap` edge whose action an invariant forbids stops time all the same: a timelock, which
// deadlock_free reports. Without `asap` the machine waits for its other edge.
TEST(Asap, ADueEdgeThatAnInvariantForbidsIsATimelock) {
  const char* text = R"(
    system stuck;
    var x : 0..1;
    machine M {
      clock t;
      state A, C;
      state B { invariant x == 1; }
      init A;
      A -> BASAP when t == 2;
      A -> C when t >= 3;
      C -> A do t := 0;
    }
    deadlock_free;
  )";
  const PropertyResult stuck = testing::check_one(testing::model_from(with_asap(text, true)), "deadlock_free");
  EXPECT_EQ(stuck.verdict, Verdict::Violated) << stuck.detail;
  // Why (model/stuck_explanation.h): from the start, time passes to t = 2, where the asap edge is
  // due and its target's invariant is false.
  ASSERT_TRUE(stuck.trace);
  EXPECT_EQ(stuck.trace->why, (std::vector<std::string>{
                                  "time passes 2 ticks (until 2), then the asap edge M: A -> B (asap) is due; the edges then:",
                                  "M: A -> B (asap) is disabled: the target invariant x == 1 is false (x = 0)",
                                  "M: A -> C is disabled: its guard t >= 3 is false (t = 2)"}));
  const PropertyResult waits = testing::check_one(testing::model_from(with_asap(text, false)), "deadlock_free");
  EXPECT_EQ(waits.verdict, Verdict::Holds) << waits.detail;
}

// The random specs that the engine-agreement, native-code and SPIN tests use have `asap` edges
// that do stop time (the same spec without `asap` could tick there), and the interpreter's two
// ways to tell (successors(), which notes due edges as it enumerates actions, and tick(), which
// asks asap_due) agree in every reachable state.
TEST(Asap, RandomSpecsHaveAsapEdgesThatStopTimeAndBothWaysToTellAgree) {
  int stopped = 0, specs_with_stops = 0;
  for (int generator = 0; generator < 2; ++generator)
    for (uint32_t seed = 1; seed <= 60; ++seed) {
      const std::string text = generator ? testing::random_oracle_spec(seed) : testing::random_spec(seed);
      SCOPED_TRACE(text);
      Model model = testing::model_from(text);
      Model plain = model;
      for (Edge& e : plain.edges) e.asap = false;
      Semantics sem(model), without(plain);
      const std::size_t n = model.slots.size();
      std::vector<int32_t> init, later(n + 1);
      ModelFault fault;
      if (!sem.initial(init, fault)) continue;
      std::map<std::vector<int32_t>, bool> seen{{init, true}};
      std::deque<std::vector<int32_t>> queue{init};
      const int before = stopped;
      while (!queue.empty() && seen.size() < 2000) {
        std::vector<int32_t> state = queue.front();
        queue.pop_front();
        state.resize(n + 1);
        bool ticks = false;
        if (!sem.successors(state.data(), [&](const Step& step, const int32_t* next) {
              ticks = ticks || step.tick;
              std::vector<int32_t> key(next, next + n);
              if (seen.emplace(key, true).second) queue.push_back(key);
            }, fault))
          continue;  // a state that fails: its tick is not asked for
        ASSERT_EQ(sem.tick(state.data(), later.data(), fault), ticks);
        if (!ticks && without.tick(state.data(), later.data(), fault)) ++stopped;
      }
      specs_with_stops += stopped > before;
    }
  EXPECT_GE(specs_with_stops, 20);
  EXPECT_GE(stopped, 500);
  std::printf("random specs: %d where asap stopped time, in %d states\n", specs_with_stops, stopped);
}

TEST(Asap, BadInputIsLocated) {
  std::string twice = testing::errors_of(R"(system s;
machine M { state A, B; init A; A -> B asap when true asap; })");
  EXPECT_NE(twice.find("test.sched:2:55: error: an edge has at most one 'asap'"), std::string::npos) << twice;
  EXPECT_NE(twice.find("^"), std::string::npos) << twice;
  std::string receiver = testing::errors_of(R"(system s;
broadcast chan go;
machine M { state A, B; init A; A -> B on go? asap; }
machine N { state A; init A; A -> A emit go!; })");
  EXPECT_NE(receiver.find("test.sched:3:47: error: 'asap' cannot go on a broadcast receiver"), std::string::npos) << receiver;
  // `asap` is a keyword only among an edge's clauses: elsewhere it is a name like any other.
  EXPECT_EQ(testing::errors_of(R"(system s;
var asap : bool;
machine M { state A, B; init A; A -> B asap when asap; }
invariant p: asap || !asap;)"), "");
}

}  // namespace
}  // namespace interlock

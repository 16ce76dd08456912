// Lint (solver/lint/, docs/engines.md "Lint"): each warning on small specs written by hand, with
// the cases that must stay silent beside the ones that must warn (an invariant or `asap` that
// forces the edge, a bound that is not sure to let time pass); the unreached report against
// answers counted by hand; the same edges taken by the interpreter and by native code, with and
// without the reductions; lint after `check` and lint on its own agreeing.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "solver/explicit/explicit_engine.h"
#include "solver/lint/lint.h"
#include "support/random_oracle_spec.h"
#include "support/random_spec.h"
#include "support/test_models.h"

namespace interlock {
namespace {

namespace fs = std::filesystem;
using Kind = LintWarning::Kind;

LintReport lint_text(const std::string& text, Limits limits = {}) {
  const Model model = testing::model_from(text);
  RunContext context(limits, nullptr);
  return lint_spec(model, context, SpecText(model, text));
}

std::vector<std::string> of_kind(const LintReport& report, Kind kind) {
  std::vector<std::string> out;
  for (const LintWarning& w : report.warnings)
    if (w.kind == kind) out.push_back(w.message);
  return out;
}

std::string all(const LintReport& report) {
  std::string out;
  for (const LintWarning& w : report.warnings) out += std::to_string(w.loc.line) + ":" + std::to_string(w.loc.col) + " " + w.message + "\n";
  return out;
}

// Replaces each `@KEY@` by its text.
std::string fill(std::string text, const std::vector<std::pair<std::string, std::string>>& values) {
  for (const auto& [key, value] : values)
    for (std::size_t at = text.find("@" + key + "@"); at != std::string::npos; at = text.find("@" + key + "@"))
      text.replace(at, key.size() + 2, value);
  return text;
}

// A dump at DUMP_AT (02:00); the state it waits in and its edge vary.
constexpr const char* kDump = R"(system nightly in minutes;
param DUMP_AT : 00:00..23:59 = 02:00;
machine Dump {
  clock c, d;
  @URGENT@state Waiting @INVARIANT@;
  state Running { invariant c <= 10; }
  init Waiting;
  Waiting -> Running when @GUARD@ do c := 0 @ASAP@;
  Running -> Running when c == 10 do c := 0;
}
)";

LintReport dump(const std::string& guard, const std::string& invariant = "", const std::string& asap = "",
                const std::string& urgent = "") {
  return lint_text(fill(kDump, {{"GUARD", guard}, {"INVARIANT", invariant.empty() ? "" : "{ invariant " + invariant + "; }"},
                                {"ASAP", asap}, {"URGENT", urgent}}));
}

TEST(Lint, AnExactTimeWithNothingForcingItCanBeSkipped) {
  const LintReport r = dump("c == DUMP_AT");
  ASSERT_EQ(r.warnings.size(), 1u) << all(r);
  EXPECT_EQ(r.warnings[0].kind, Kind::Skippable);
  EXPECT_EQ(r.warnings[0].loc.line, 8);
  EXPECT_EQ(r.warnings[0].loc.col, 3);
  EXPECT_EQ(r.warnings[0].message,
            "Dump: Waiting -> Running can be skipped: when c == DUMP_AT passes, nothing forces it (add 'asap', or an "
            "invariant c <= DUMP_AT on Waiting)");
  // As the spec writes it: a time literal, a bound written on the left, and strict bounds.
  EXPECT_EQ(of_kind(dump("c == 02:00"), Kind::Skippable).at(0),
            "Dump: Waiting -> Running can be skipped: when c == 02:00 passes, nothing forces it (add 'asap', or an "
            "invariant c <= 02:00 on Waiting)");
  EXPECT_EQ(of_kind(dump("DUMP_AT + 5 >= c"), Kind::Skippable).at(0),
            "Dump: Waiting -> Running can be skipped: when c <= DUMP_AT + 5 passes, nothing forces it (add 'asap', or an "
            "invariant c <= DUMP_AT + 5 on Waiting)");
  EXPECT_EQ(of_kind(dump("c < 90"), Kind::Skippable).at(0),
            "Dump: Waiting -> Running can be skipped: when c < 90 passes, nothing forces it (add 'asap', or an invariant "
            "c < 90 on Waiting)");
  EXPECT_EQ(of_kind(dump("!(c > 90)"), Kind::Skippable).size(), 1u) << "a negated lower bound is an upper bound";
  EXPECT_EQ(of_kind(dump("c >= 60 && c <= 90"), Kind::Skippable).size(), 1u);
}

TEST(Lint, AnInvariantAsapOrUrgencyForcesTheEdge) {
  EXPECT_TRUE(dump("c == DUMP_AT", "c <= DUMP_AT").warnings.empty()) << all(dump("c == DUMP_AT", "c <= DUMP_AT"));
  EXPECT_TRUE(dump("c == DUMP_AT", "", "asap").warnings.empty());
  EXPECT_TRUE(of_kind(dump("c == DUMP_AT", "", "", "urgent "), Kind::Skippable).empty());
  // The invariant stops time at the last value the guard allows, or before: forced.
  EXPECT_TRUE(dump("c <= 120", "c <= 120").warnings.empty());
  EXPECT_TRUE(dump("c == 120", "c < 121").warnings.empty());
  EXPECT_TRUE(dump("c < 120", "c < 120").warnings.empty());
  EXPECT_TRUE(of_kind(dump("c == 120", "c <= 100"), Kind::Skippable).empty()) << "never enabled in Waiting: not skippable either";
  EXPECT_TRUE(dump("c >= DUMP_AT", "c <= DUMP_AT").warnings.empty()) << "no upper bound: time cannot close it";
  EXPECT_TRUE(dump("c >= DUMP_AT").warnings.empty()) << "a clock lower bound alone waits, but is not skipped";
  // A looser bound lets time pass the window: c reaches 121 (or 120 for c < 120) in Waiting.
  EXPECT_EQ(of_kind(dump("c == 120", "c <= 121"), Kind::Skippable).size(), 1u);
  EXPECT_EQ(of_kind(dump("c < 120", "c <= 120"), Kind::Skippable).size(), 1u);
  EXPECT_EQ(of_kind(dump("c == DUMP_AT", "c <= DUMP_AT + 1"), Kind::Skippable).size(), 1u);
}

// Another machine's state that stops time and is left only once this edge was taken (a watchdog)
// forces the edge: nothing is claimed. One with a way out of its own does not (found by an
// outside tester: both edges below were called skippable and waiting for ever, and both are
// always taken, within 5 and 10 minutes).
TEST(Lint, AWatchdogThatWaitsForTheEdgeForcesIt) {
  const std::string skippable = R"(system forced1 in minutes;
machine Job {
  clock c;
  state Waiting;
  state Running { invariant c <= 10; }
  state Done;
  init Waiting;
  Waiting -> Running when c == 5 do c := 0;
  Running -> Done when c == 10;
}
@WATCHDOG@
response job_runs: Job.Waiting leads_to Job.Running;
)";
  const std::string waits = R"(system forced2 in minutes;
var locked : bool = true;
machine Holder {
  clock h;
  state Holding { invariant h <= 3; }
  state Free;
  init Holding;
  Holding -> Free when h == 3 do locked := false;
}
machine Job {
  state Blocked, Busy;
  init Blocked;
  Blocked -> Busy when !locked do locked := true;
}
@WATCHDOG@
response job_runs: Job.Blocked leads_to Job.Busy;
)";
  // Stops time at LIMIT until Job is in the state WAITS_FOR (or it has another way out: EXIT).
  const std::string watchdog = R"(machine Watchdog {
  clock d;
  state Watching { invariant d <= @LIMIT@; }
  state Happy;
  init Watching;
  Watching -> Happy when Job.@WAITS_FOR@;@EXIT@
})";
  auto with_watchdog = [&](const std::string& spec, const std::string& limit, const std::string& waits_for, const std::string& exit) {
    return fill(fill(spec, {{"WATCHDOG", watchdog}}), {{"LIMIT", limit}, {"WAITS_FOR", waits_for}, {"EXIT", exit}});
  };
  auto skippable_with = [&](const std::string& exit) { return with_watchdog(skippable, "5", "Running", exit); };
  auto waits_with = [&](const std::string& exit) { return with_watchdog(waits, "10", "Busy", exit); };
  EXPECT_EQ(all(lint_text(skippable_with(""))), "");
  EXPECT_EQ(all(lint_text(waits_with(""))), "");
  // The same watchdog, able to leave when its own time is up: the edges are free again.
  EXPECT_EQ(of_kind(lint_text(skippable_with("\n  Watching -> Happy when d == 5;")), Kind::Skippable).size(), 1u);
  EXPECT_EQ(of_kind(lint_text(waits_with("\n  Watching -> Happy when d == 10;")), Kind::WaitsForever).size(), 1u);
  // Its way out at the limit depends on a value the edge sets, but some way out is open whatever
  // the value: it does not wait for the edge.
  EXPECT_EQ(of_kind(lint_text(waits_with("\n  Watching -> Happy when !locked;\n  Watching -> Happy when locked;")),
                    Kind::WaitsForever)
                .size(),
            1u);
  // Through a third machine: the watchdog waits for a relay that moves only after the edge.
  std::string through = waits_with("");
  const std::string direct = "Watching -> Happy when Job.Busy;";
  through.replace(through.find(direct), direct.size(), "Watching -> Happy when Relay.On;");
  through += "machine Relay {\n  state Off, On;\n  init Off;\n  Off -> On when Job.Busy;\n}\n";
  EXPECT_EQ(all(lint_text(through)), "");
  // A relay that copies what the edge changes in an update, and one that moves with it on a
  // channel: followed as well.
  std::string copied = waits_with("");
  copied.replace(copied.find(direct), direct.size(), "Watching -> Happy when busy_seen;");
  copied.replace(copied.find("var locked"), 0, "var busy_seen : bool = false;\n");
  copied += "machine Relay {\n  clock r;\n  state Copy { invariant r <= 1; }\n  init Copy;\n"
            "  Copy -> Copy when r == 1 do { busy_seen := Job.Busy; r := 0; };\n}\n";
  EXPECT_EQ(all(lint_text(copied)), "");
  std::string signalled = waits_with("");
  signalled.replace(signalled.find(direct), direct.size(), "Watching -> Happy when Relay.On;");
  const std::string edge = "Blocked -> Busy when !locked do locked := true;";
  signalled.replace(signalled.find(edge), edge.size(), "Blocked -> Busy when !locked emit started! do locked := true;");
  signalled.replace(signalled.find("var locked"), 0, "broadcast chan started;\n");
  signalled += "machine Relay {\n  state Off, On;\n  init Off;\n  Off -> On on started?;\n}\n";
  EXPECT_EQ(all(lint_text(signalled)), "");
}

// An `asap` edge stops time while it is due (docs/language.md), even where taking it would break
// its target's invariant: a watchdog whose due edge cannot be taken until the job has moved
// forces the job's edge, as an invariant on a clock would. Found by an outside tester: the job's
// edge was called skippable, where `never_late` holds. When the watchdog's target may be entered
// at once, or only for some of its `choose` values, it leaves on its own, and the edge is free.
TEST(Lint, AnAsapEdgeThatCannotBeTakenYetForcesTheEdgeItWaitsFor) {
  const std::string spec = R"(system watched;
var level : 0..3 = 0;
machine Job {
  clock c;
  state Wait, Run;
  init Wait;
  Wait -> Run when c == 5;
}
machine Watchdog {
  state Watch;
  state Alarm { invariant @ALARM@; }
  init Watch;
  Watch -> Alarm asap when Job.Wait && Job.c >= 5@CHOOSE@;
}
invariant never_late: !(Job.Wait && Job.c > 5);
)";
  const std::string blocked = fill(spec, {{"ALARM", "!Job.Wait"}, {"CHOOSE", ""}});
  EXPECT_EQ(testing::check_one(testing::model_from(blocked), "never_late").verdict, Verdict::Holds);
  EXPECT_EQ(all(lint_text(blocked)), "11:9 Watchdog: state Alarm is never entered in the 8 reachable states\n");
  // With a choice of levels of which none may be entered, the same; with one that may, free.
  const std::string none_fits = fill(spec, {{"ALARM", "!Job.Wait || level == 3"}, {"CHOOSE", " choose v in 0..2 do level := v"}});
  EXPECT_EQ(testing::check_one(testing::model_from(none_fits), "never_late").verdict, Verdict::Holds);
  EXPECT_EQ(of_kind(lint_text(none_fits), Kind::Skippable).size(), 0u);
  for (const std::string& free : {fill(spec, {{"ALARM", "true"}, {"CHOOSE", ""}}),
                                  fill(spec, {{"ALARM", "!Job.Wait || level == 2"}, {"CHOOSE", " choose v in 0..2 do level := v"}})}) {
    EXPECT_EQ(testing::check_one(testing::model_from(free), "never_late").verdict, Verdict::Violated) << free;
    EXPECT_EQ(of_kind(lint_text(free), Kind::Skippable).size(), 1u) << free;
  }
}

// A way out of a state that stops time counts only where it surely lets time pass, read while
// the edge waited for is not yet taken. Found by an outside tester, each a class: the way out's
// target invariant reads the waiting machine (read with that machine in the edge's source
// state, not over its range); another machine's invariant forbids the way out (every machine's
// invariant must hold after an action), or a broadcast receiver's target does; the way out
// leads where an `asap` edge is due again (time stays stopped). In each, `never_late` holds, so
// the job's edge is forced, and lint must not call it skippable.
TEST(Lint, AWayOutCountsOnlyWhereItSurelyLetsTimePass) {
  const std::string job = "machine Job {\n  clock c;\n  state Wait @WAIT@;\n  state Run;\n  init Wait;\n  Wait -> Run when c == 5;\n}\n";
  const std::string end = "invariant never_late: !(Job.Wait && Job.c > 5);\n";
  auto spec = [&](const std::string& before, const std::string& wait, const std::string& watch) {
    return "system s;\n" + before + fill(job, {{"WAIT", wait}}) + watch + end;
  };
  const std::vector<std::string> forced = {
      // The target invariant reads Job's state, the guard does not.
      spec("", "", "machine Watch {\n  state Watching;\n  state Alarm { invariant !Job.Wait; }\n  init Watching;\n"
                   "  Watching -> Alarm asap when Job.c >= 5;\n}\n"),
      // The same with an invariant on a clock in place of `asap`.
      spec("", "", "machine Watch {\n  clock d;\n  state Watching { invariant d <= 5; }\n  state Alarm { invariant !Job.Wait; }\n"
                   "  init Watching;\n  Watching -> Alarm;\n}\n"),
      // A third machine's invariant forbids the way out.
      spec("var flag : bool = false;\n", "",
           "machine Watch {\n  state Watching, Alarm;\n  init Watching;\n  Watching -> Alarm asap when Job.Wait && Job.c >= 5 do flag := true;\n}\n"
           "machine Guard {\n  state G { invariant !(flag && Job.Wait); }\n  init G;\n}\n"),
      // Job's own state's invariant forbids it.
      spec("var flag : bool = false;\n", "{ invariant !flag; }",
           "machine Watch {\n  state Watching, Alarm;\n  init Watching;\n  Watching -> Alarm asap when Job.Wait && Job.c >= 5 do flag := true;\n}\n"),
      // A broadcast receiver's target forbids it.
      spec("broadcast chan page;\n", "",
           "machine Watch {\n  state Watching, Alarm;\n  init Watching;\n  Watching -> Alarm asap when Job.Wait && Job.c >= 5 emit page!;\n}\n"
           "machine Pager {\n  state Idle;\n  state Paging { invariant !Job.Wait; }\n  init Idle;\n  Idle -> Paging on page?;\n}\n"),
      // Leaving leads back where an `asap` edge is due: time never passes.
      spec("", "", "machine Watch {\n  state Watching, Pinging;\n  init Watching;\n  Watching -> Pinging asap when Job.Wait && Job.c >= 5;\n"
                   "  Pinging -> Watching asap;\n}\n"),
      spec("", "", "machine Watch {\n  state Watching;\n  init Watching;\n  Watching -> Watching asap when Job.Wait && Job.c >= 5;\n}\n"),
  };
  for (const std::string& text : forced) {
    EXPECT_EQ(testing::check_one(testing::model_from(text), "never_late").verdict, Verdict::Holds) << text;
    EXPECT_EQ(of_kind(lint_text(text), Kind::Skippable), std::vector<std::string>{}) << text;
  }
  // A way out into a state where time may pass, that nothing forbids: the edge is free, and said so.
  const std::string free = spec("", "", "machine Watch {\n  state Watching, Pinging;\n  init Watching;\n"
                                        "  Watching -> Pinging asap when Job.Wait && Job.c >= 5;\n}\n");
  EXPECT_EQ(testing::check_one(testing::model_from(free), "never_late").verdict, Verdict::Violated);
  EXPECT_EQ(of_kind(lint_text(free), Kind::Skippable).size(), 1u);
}

TEST(Lint, AStateThatMustBeLeftWithAnotherWayOutIsAChoice) {
  // Waiting must be left by c == 121, at 120 or at 121: the edge at 120 is one way out of two.
  constexpr const char* spec = R"(system s in minutes;
machine M {
  clock c;
  state Waiting @INVARIANT@;
  state Running, Late;
  init Waiting;
  Waiting -> Running when c == 120;
  Waiting -> Late @LATE@;
}
)";
  EXPECT_TRUE(lint_text(fill(spec, {{"INVARIANT", "{ invariant c <= 121; }"}, {"LATE", "when c == 121"}})).warnings.empty());
  // A way out that needs a partner is not one of its own; nor is one the invariant alone forces
  // without another: both are skipped.
  const LintReport receive = lint_text(fill(std::string(spec) + "broadcast chan go;\n",
                                            {{"INVARIANT", "{ invariant c <= 121; }"}, {"LATE", "on go?"}}));
  EXPECT_EQ(of_kind(receive, Kind::Skippable).size(), 1u) << all(receive);
  // Without the invariant nothing makes it leave: each edge can be skipped.
  const LintReport loose = lint_text(fill(spec, {{"INVARIANT", ""}, {"LATE", "when c == 121"}}));
  EXPECT_EQ(of_kind(loose, Kind::Skippable).size(), 2u) << all(loose);
}

TEST(Lint, NolintOnTheLineOrTheLineBeforeSilencesIt) {
  constexpr const char* spec = R"(system s in minutes;
var locked : bool = true;
machine Other { clock t; state A { invariant t <= 3; } state B; init A; A -> B when t == 3 do locked := false asap; }
machine Host {
  state Up, Down;
  init Up;
  @BEFORE@
  Up -> Down when !locked; @AFTER@
}
)";
  EXPECT_EQ(of_kind(lint_text(fill(spec, {{"BEFORE", ""}, {"AFTER", ""}})), Kind::WaitsForever).size(), 1u);
  EXPECT_TRUE(lint_text(fill(spec, {{"BEFORE", ""}, {"AFTER", "// nolint: a reboot is optional"}})).warnings.empty());
  EXPECT_TRUE(lint_text(fill(spec, {{"BEFORE", "// nolint"}, {"AFTER", ""}})).warnings.empty());
  EXPECT_EQ(lint_text(fill(spec, {{"BEFORE", "/* nolint */"}, {"AFTER", ""}})).warnings.size(), 1u) << "a // comment only";
}

TEST(Lint, TimersLintClean) {
  // A random delay (a parameter), a gate with catch-up, a delay past midnight: the machines a
  // timer becomes are `asap` edges and invariants; the states they never use are theirs, not
  // the spec's, and not reported.
  const LintReport r = lint_text(R"(system s in minutes;
param RD : 0..2h = 30min;
machine Host { state Up, Down; init Up; Up -> Down; Down -> Up; }
timer a = systemd "OnCalendar=*-*-* 02:00:00", "RandomizedDelaySec=RD", "Persistent=true" when Host.Up emit go!;
timer b = cron "0 6,18 * * *" emit tick!;
timer c = systemd "OnCalendar=*-*-* 23:30:00", "RandomizedDelaySec=1h" emit late!;
machine Job { state W, R; init W; W -> R on go?; R -> W on tick?; W -> W on late?; R -> R on late?; }
reachable ran: Job.R;
)");
  EXPECT_TRUE(r.explored);
  EXPECT_TRUE(r.warnings.empty()) << all(r);
}

TEST(Lint, WhatItCannotBeSureOfItLeavesAlone) {
  // A bound on another clock may stop time first (or may not: a loop can reset it).
  EXPECT_TRUE(of_kind(dump("c == 120", "d <= 5"), Kind::Skippable).empty()) << all(dump("c == 120", "d <= 5"));
  // A clock under `||`, a guard no value satisfies.
  EXPECT_TRUE(dump("c == 120 || c == 130").warnings.empty());
  EXPECT_TRUE(of_kind(dump("c == 120 && c >= 130"), Kind::Skippable).empty());
}

TEST(Lint, AnotherMachinesClockAndInvariant) {
  constexpr const char* spec = R"(system s in minutes;
machine Clock { clock t; state Day { invariant t <= @WALL@; } init Day; Day -> Day when t == @WALL@ do t := 0 asap; }
machine Dump { state Waiting, Running; init Waiting; Waiting -> Running when Clock.t == 02:00; Running -> Waiting; }
)";
  const LintReport r = lint_text(fill(spec, {{"WALL", "1440"}}));
  ASSERT_EQ(of_kind(r, Kind::Skippable).size(), 1u) << all(r);
  EXPECT_EQ(of_kind(r, Kind::Skippable)[0],
            "Dump: Waiting -> Running can be skipped: when Clock.t == 02:00 passes, nothing forces it (add 'asap')");
  // Clock's own invariant stops time at 02:00 (it may then reset and stop nowhere near 02:00 again).
  EXPECT_TRUE(of_kind(lint_text(fill(spec, {{"WALL", "120"}})), Kind::Skippable).empty());
}

TEST(Lint, ChannelsDecideWhoIsForced) {
  constexpr const char* spec = R"(system s;
@KIND@chan go;
machine A { clock c; state W, D; init W; W -> D when c == 5 emit go!; }
machine B { state W, D; init W; W -> D on go?@ASAP@; }
)";
  // A broadcast sender with nothing forcing it; the receiver is taken along whenever it sends.
  const LintReport b = lint_text(fill(spec, {{"KIND", "broadcast "}, {"ASAP", ""}}));
  ASSERT_EQ(b.warnings.size(), 1u) << all(b);
  EXPECT_EQ(b.warnings[0].message.rfind("A: W -> D can be skipped: when c == 5 passes", 0), 0u) << b.warnings[0].message;
  // A rendezvous: the same, unless the partner is `asap` (then the pair is due at c == 5).
  EXPECT_EQ(of_kind(lint_text(fill(spec, {{"KIND", ""}, {"ASAP", ""}})), Kind::Skippable).size(), 1u);
  EXPECT_TRUE(of_kind(lint_text(fill(spec, {{"KIND", ""}, {"ASAP", " asap"}})), Kind::Skippable).empty());
}

// Blocked waits on `locked`, which Other writes.
constexpr const char* kLock = R"(system s in minutes;
var locked : bool = true;
var mine : bool = true;
machine Other { clock t; state Holding { invariant t <= 3; } state Free; init Holding;
  Holding -> Free when t == 3 do locked := false asap; }
machine Job {
  clock c;
  state Blocked @INVARIANT@;
  state Busy { invariant c <= 5; }
  init Blocked;
  Blocked -> @TARGET@ when @GUARD@ do c := 0 @ASAP@;
  Busy -> Busy when c == 5 do c := 0;
}
)";

LintReport lock(const std::string& guard, const std::string& asap = "", const std::string& invariant = "",
                const std::string& target = "Busy") {
  return lint_text(fill(kLock, {{"GUARD", guard}, {"ASAP", asap}, {"TARGET", target},
                                {"INVARIANT", invariant.empty() ? "" : "{ invariant " + invariant + "; }"}}));
}

TEST(Lint, AWaitOnAnotherMachineMayLastForEver) {
  const LintReport r = lock("!locked");
  ASSERT_EQ(of_kind(r, Kind::WaitsForever).size(), 1u) << all(r);
  EXPECT_EQ(of_kind(r, Kind::WaitsForever)[0],
            "Job: Blocked -> Busy may wait for ever with !locked true: nothing forces it once it can be taken (add "
            "'asap' if it is taken as soon as it can be)");
  EXPECT_EQ(of_kind(lock("Other.Free"), Kind::WaitsForever).size(), 1u) << "another machine's state";
  EXPECT_TRUE(lock("!locked", "asap").warnings.empty()) << all(lock("!locked", "asap"));
  EXPECT_TRUE(of_kind(lock("!locked", "", "c <= 9"), Kind::WaitsForever).empty()) << "time is bounded in Blocked";
  EXPECT_TRUE(of_kind(lock("!locked", "", "", "Blocked"), Kind::WaitsForever).empty()) << "a self-loop waits for nothing";
  EXPECT_TRUE(of_kind(lock("mine"), Kind::WaitsForever).empty()) << "nobody else writes `mine`";
}

TEST(Lint, AWaitInASpecWithoutClocksIsOrdinary) {
  const LintReport r = lint_text(R"(system s;
var locked : bool = true;
machine Other { state A, B; init A; A -> B do locked := false; }
machine Job { state Blocked, Busy; init Blocked; Blocked -> Busy when !locked; }
)");
  EXPECT_TRUE(of_kind(r, Kind::WaitsForever).empty()) << all(r);
}

// The unreached report, counted by hand. M: A -c==2-> B (asap, at time 2); B -> A needs x == 5
// and x is only ever 1 (never taken; both ends entered); B -> C needs x == 7 (C never entered; the
// edge says no more than C does); C -> D is out of a state never entered, and D, never entered,
// is what `no_d` (which holds) forbids. A -> E only with the option OPT, which is off: neither the
// edge nor E is reported. N[i] copies: N[0] reaches Y at once (asap), N[1] never does; Z no copy
// enters. The states: N[0] moves first (its asap edge stops time), then M at A with c = 0, 1, 2,
// then at B with c = 2 and 3 (where c saturates): 6.
constexpr const char* kUnreached = R"(system u in minutes;
param OPT : 0..1 = 0;
var x : 0..7 = 0;
machine M {
  clock c;
  state A { invariant c <= 2; }
  state B, C, D, E;
  init A;
  A -> B when c == 2 do x := 1 asap;
  B -> A when x == 5;
  B -> C when x == 7;
  C -> D;
  A -> E when OPT == 1;
}
machine N[i : 0..1] {
  state X, Y, Z;
  init X;
  X -> Y when i == 0 asap;
  Y -> Z when i == 1;
}
invariant no_d: !M.D;
invariant one: M.B => x == 1;
)";

TEST(Lint, UnreachedStatesAndEdgesCountedByHand) {
  const LintReport r = lint_text(kUnreached);
  ASSERT_TRUE(r.explored) << r.not_explored;
  EXPECT_EQ(r.states, 6u);
  EXPECT_EQ(all(r),
            "7:12 M: state C is never entered in the 6 reachable states\n"
            "10:3 M: B -> A is never taken in the 6 reachable states\n"
            "16:15 N: state Z is never entered by any copy in the 6 reachable states\n")
      << "the static part says nothing here";
  // Without the invariant that forbids D, D is reported too.
  std::string without = kUnreached;
  without.replace(without.find("invariant no_d: !M.D;"), 21, "");
  EXPECT_NE(all(lint_text(without)).find("M: state D is never entered"), std::string::npos) << all(lint_text(without));
  // With the option on, E is entered and A -> E taken.
  LowerOptions on;
  on.set = {{"OPT", 1}};
  const Model with_option = testing::model_from(kUnreached, on);
  RunContext context(Limits{}, nullptr);
  const LintReport option = lint_spec(with_option, context, SpecText(with_option, kUnreached));
  EXPECT_EQ(all(option).find("state E"), std::string::npos) << all(option);
  EXPECT_NE(all(option).find("M: state C is never entered"), std::string::npos) << all(option);
}

TEST(Lint, AfterCheckTheSameAsOnItsOwnOrNothingWhenTheSearchStoppedEarly) {
  const Model model = testing::model_from(kUnreached);
  const SpecText text(model, kUnreached);
  const std::vector<int> props{0, 1};
  Limits limits;
  limits.coverage = lint_request(model, props);
  RunContext context(limits, nullptr);
  const std::vector<PropertyResult> results = ExplicitEngine().check(model, props, context);
  const LintReport after = lint_after_check(model, props, results, text);
  EXPECT_TRUE(after.explored);
  EXPECT_EQ(all(after), all(lint_text(kUnreached)));
  // Without the request, or with a search that stops at its first answer (a reachable property
  // found at once), only the static part.
  const LintReport without = lint_after_check(model, props, testing::check_all(model), text);
  EXPECT_FALSE(without.explored);
  EXPECT_TRUE(without.warnings.empty()) << all(without);
  const std::string quick_text = std::string(kUnreached) + "reachable started: M.A;\n";
  const Model quick = testing::model_from(quick_text);
  Limits quick_limits;
  quick_limits.coverage = lint_request(quick, {2});
  RunContext quick_context(quick_limits, nullptr);
  const LintReport stopped = lint_after_check(quick, {2}, ExplicitEngine().check(quick, {2}, quick_context), SpecText(quick, quick_text));
  EXPECT_FALSE(stopped.explored);
  ASSERT_EQ(stopped.warnings.size(), 1u) << all(stopped);
  EXPECT_EQ(stopped.warnings[0].kind, Kind::AtStart);
  EXPECT_EQ(stopped.warnings[0].message,
            "reachable 'started' holds in the initial state: its witness has no steps, so it says nothing about what the "
            "system does");
}

// 5 states: M at A with c = 0 and 1, at B with x = 1 and 2 (c = 1), then c = 2 (saturated; the
// maximum reads c, so the reduction keeps it). L's two copies are alike, so the search stores
// one state per permutation of them (docs/engines.md, "Symmetry reduction"), and says so.
TEST(Lint, VacuousProperties) {
  const std::string kOrbits = " (counted up to symmetry)";
  const LintReport r = lint_text(R"(system v in minutes;
var x : 0..3 = 0;
machine M { clock c; state A { invariant c <= 1; } state B; init A; A -> B when c == 1 do x := 1 asap; B -> B when x == 1 do x := 2 asap; }
machine L[i : 0..1] { state P, Q; init P; }
invariant premise: x == 3 => M.A;
invariant quantified: forall i in 0..1 : L[i].Q => x > 0;
invariant fine: M.B => x > 0;
invariant plain: x < 3;
response trigger: x == 3 leads_to M.A;
response met: x == 1 leads_to x == 2;
maximum nothing: M.c when x == 3;
maximum something: x when M.B;
maximum never_starts: x == 3 leads_to x == 0;
reachable at_start: x == 0;
reachable later: x == 2;
)");
  EXPECT_EQ(of_kind(r, Kind::Vacuous),
            (std::vector<std::string>{
                "invariant 'premise' holds vacuously: its premise x == 3 is never true in the 5 reachable states" + kOrbits,
                "invariant 'quantified' holds vacuously: none of its 2 premises is ever true (the first is L[0].Q) in the 5 "
                "reachable states" + kOrbits,
                "response 'trigger' holds vacuously: its trigger x == 3 is never true in the 5 reachable states" + kOrbits,
                "maximum 'nothing' has no value: its condition x == 3 is never true in the 5 reachable states" + kOrbits,
                "maximum 'never_starts' measures nothing: its start x == 3 is never true in the 5 reachable states" + kOrbits}))
      << all(r);
  EXPECT_EQ(of_kind(r, Kind::AtStart).size(), 1u);
  EXPECT_NE(of_kind(r, Kind::AtStart).at(0).find("'at_start'"), std::string::npos);
  // L's state Q has no edge into it at all.
  EXPECT_EQ(of_kind(r, Kind::NeverEntered),
            (std::vector<std::string>{"L: state Q is never entered by any copy in the 5 reachable states" + kOrbits}));
}

TEST(Lint, CopiesOfAMachineAreReportedOnce) {
  const LintReport r = lint_text(R"(system s in minutes;
var turn : 0..1 = 0;
machine P[i : 0..1] {
  clock t;
  state Idle, Wait;
  state Crit { invariant t <= 2; }
  init Idle;
  Idle -> Wait;
  Wait -> Crit when turn == i do t := 0;
  Crit -> Idle when t >= 1 do turn := 1 - i;
}
)");
  ASSERT_EQ(r.warnings.size(), 1u) << all(r);
  EXPECT_EQ(r.warnings[0].message,
            "P: Wait -> Crit may wait for ever with turn == i true: nothing forces it once it can be taken (add 'asap' if "
            "it is taken as soon as it can be)");
}

// A guard that reads otherwise in each copy (the index folded into a number), or an edge some
// copies do not have (its guard false there), is said per copy, by the copy's name: the text is
// that copy's (an outside tester: three warnings named `P` with tok == 1, 2 and 3).
TEST(Lint, ACopysOwnGuardIsSaidForThatCopy) {
  const LintReport r = lint_text(R"(system s in minutes;
var tok : 0..3 = 0;
machine P[i : 0..2] {
  clock c;
  state Idle, Crit, Never;
  init Idle;
  Idle -> Crit asap when tok == 0 do tok := i + 1;
  Crit -> Idle when tok == i + 1 do tok := 0;
  Idle -> Never when tok == 3 && i == 2;
}
)");
  std::vector<std::string> waits;
  for (const LintWarning& w : r.warnings)
    if (w.kind == LintWarning::Kind::WaitsForever) waits.push_back(w.message.substr(0, w.message.find(':', 6)));
  EXPECT_EQ(waits, (std::vector<std::string>{"P[0]: Crit -> Idle may wait for ever with tok == 1 true",
                                             "P[1]: Crit -> Idle may wait for ever with tok == 2 true",
                                             "P[2]: Crit -> Idle may wait for ever with tok == 3 true",
                                             "P[2]: Idle -> Never may wait for ever with tok == 3 true"}))
      << all(r) << "the index's part, folded to true in P[2], is left out of P[2]'s guard";
}

// What an outside tester found: a copy whose guard is true whatever the state was warned of
// ("with true true"), `!`, `=>` and quantifiers showed folded words or an unbound name, and a
// warning every copy gave in the same words was said once per copy.
TEST(Lint, ACopysGuardReadsAsItHoldsForThatCopy) {
  const LintReport r = lint_text(R"(system s in minutes;
var tok : 0..3 = 0;
machine T { clock c; state S { invariant c <= 2; } init S; S -> S when c == 2 do { tok := (tok + 1) % 4; c := 0; }; }
machine P[i : 0..2] {
  clock c;
  state Idle, Crit, Done, W;
  init Idle;
  Idle -> Crit when tok == 3 || i != 1;
  Crit -> Done when !(i == 1 && tok != 3);
  Done -> W when i == 2 => tok == 1;
  W -> Idle when c == 4 && (i != 1 || tok == 0);
}
machine Q { state A, B; init A; A -> B when exists j in 1..2 : tok == j; B -> A; }
)");
  std::vector<std::string> said;
  for (const LintWarning& w : r.warnings) said.push_back(w.message.substr(0, w.message.find(':', 6)));
  EXPECT_EQ(said, (std::vector<std::string>{
                      "P: W -> Idle can be skipped",
                      "P[1]: Idle -> Crit may wait for ever with tok == 3 true",
                      "P[1]: Crit -> Done may wait for ever with !(tok != 3) true",
                      "P[2]: Done -> W may wait for ever with tok == 1 true",
                      "Q: A -> B may wait for ever with tok == 1 || tok == 2 true",
                  }))
      << all(r) << "copies 0 and 2 of lines 8 and 9, and copies 0 and 1 of line 10, are true in every state: no warning; "
                   "line 11's clock warning is the same in every copy: once, for P";
}

TEST(Lint, FreeParametersLimitsAndModelErrorsAreSaid) {
  Model model = testing::model_from("system s; param P : 0..3; machine M { state A; init A; }");
  RunContext context(Limits{}, nullptr);
  const LintReport free = lint_spec(model, context, SpecText());
  EXPECT_FALSE(free.explored);
  EXPECT_NE(free.not_explored.find("parameters without a value (P)"), std::string::npos) << free.not_explored;

  const std::string big = "system s; var x : 0..1000000 = 0; machine M { state A; init A; A -> A when x < 1000000 do x := x + 1; }";
  Limits depth;
  depth.depth = 10;
  const LintReport limited = lint_text(big, depth);
  EXPECT_FALSE(limited.explored);
  EXPECT_FALSE(limited.model_error);
  EXPECT_NE(limited.not_explored.find("depth limit 10 reached"), std::string::npos) << limited.not_explored;

  const LintReport fault = lint_text("system s; var x : 0..3 = 0; machine M { state A; init A; A -> A do x := x + 1; }");
  EXPECT_TRUE(fault.model_error);
  EXPECT_NE(fault.not_explored.find("model error"), std::string::npos) << fault.not_explored;
}

// The edges taken are the same whoever expands the states (the interpreter, native code) and
// whatever the reductions drop: for every spec of the repository small enough, and random specs.
struct Covered {
  std::shared_ptr<const Coverage> coverage;
  uint64_t native_states = 0;
};
Covered coverage_of(const Model& model, NativeMode native, bool reduce) {
  std::vector<int> all;
  for (std::size_t p = 0; p < model.properties.size(); ++p) all.push_back(static_cast<int>(p));
  Limits limits;
  limits.native = native;
  limits.reduce = reduce;
  limits.timeout_seconds = 60;
  limits.coverage = lint_request(model, all);
  // An invariant that never fails keeps the search going to the end.
  Model searched = model;
  Property keep;
  keep.kind = Property::Kind::DeadlockFree;
  keep.name = "keep_going";
  searched.properties.push_back(keep);
  all.push_back(static_cast<int>(searched.properties.size()) - 1);
  RunContext context(limits, nullptr);
  const std::vector<PropertyResult> results = ExplicitEngine().check(searched, all, context);
  if (results.empty()) return {};
  return {results[0].stats.coverage, results[0].stats.native_states};
}

void expect_same_coverage(const Model& model, const std::string& what) {
  SCOPED_TRACE(what);
  const Covered by_native = coverage_of(model, NativeMode::On, true);
  const auto interpreted = coverage_of(model, NativeMode::Off, true).coverage;
  const auto native = by_native.coverage;
  const auto plain = coverage_of(model, NativeMode::Off, false).coverage;
  ASSERT_EQ(interpreted == nullptr, native == nullptr);
  ASSERT_EQ(interpreted == nullptr, plain == nullptr);
  if (!interpreted) return;
  EXPECT_GT(by_native.native_states, 0u) << "native code expanded the states";
  EXPECT_EQ(interpreted->edges_taken, native->edges_taken);
  EXPECT_EQ(interpreted->watched, native->watched);
  EXPECT_EQ(interpreted->states, native->states);
  EXPECT_EQ(interpreted->edges_taken, plain->edges_taken) << "the reductions keep which edges are taken";
  EXPECT_EQ(interpreted->watched, plain->watched);
}

TEST(Lint, TheInterpreterAndNativeCodeTakeTheSameEdges) {
  int compared = 0;
  // The KB specs are millions of states: native_test.cpp compares the edges each state's actions
  // take there, state by state, on the first 20,000 states of every spec.
  for (const char* dir : {"specs/hazards", "specs/bench", "tests/regress", "tests/data"}) {
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(INTERLOCK_SOURCE_DIR) / dir)) {
      if (entry.path().extension() != ".sched") continue;
      const std::string name = entry.path().filename().string();
      if (name == "links_4.sched" || name == "links_5.sched" || name == "links_6.sched") continue;
#ifdef INTERLOCK_SANITIZED
      // A chain of two million states: interpreted under the sanitizers it passed the runs' 60 s
      // limit on a busy machine (one run then had no coverage to compare).
      if (name == "big_counter.sched") continue;
#endif
      Model model;
      try {
        model = load_model(entry.path().string());
      } catch (const InputError&) {
        continue;  // a spec about bad input
      }
      bool free = false;
      for (const Param& p : model.params) free = free || !p.value;
      if (free) continue;
      expect_same_coverage(model, entry.path().string());
      ++compared;
    }
  }
  EXPECT_GE(compared, 30);
  for (uint32_t seed = 1; seed <= 25; ++seed) {
    expect_same_coverage(testing::model_from(testing::random_spec(seed)), "random spec " + std::to_string(seed));
    expect_same_coverage(testing::model_from(testing::random_oracle_spec(seed)), "random oracle spec " + std::to_string(seed));
  }
}

// With every parameter free, P * 2 is too large a bound for a clock (model/clock_bounds.h): lint
// cannot tell which edges the parameters switch off, and goes on without.
TEST(Lint, AParameterTooWideWhenFreeDoesNotStopIt) {
  const LintReport r = lint_text(R"(system s;
param P : 0..2147483647 = 5;
machine M { clock c; state A { invariant c <= P; } state B; init A; A -> B when c == P; B -> B when c == P * 2; }
)");
  EXPECT_TRUE(r.explored);
  EXPECT_EQ(all(r), "3:89 M: B -> B can be skipped: when c == P * 2 passes, nothing forces it (add 'asap', or an invariant c <= P * 2 on B)\n");
}

// On random specs (a third of the oracle's fail at run time): lint never throws, and lint after
// a check that searched everything says what lint on its own does.
TEST(Lint, AfterACheckAndOnItsOwnAgreeOnRandomSpecs) {
  int explored = 0, warned = 0;
  for (uint32_t seed = 1; seed <= 60; ++seed) {
    for (const bool oracle : {false, true}) {
      const std::string text = oracle ? testing::random_oracle_spec(seed) : testing::random_spec(seed);
      SCOPED_TRACE(text);
      Model model = testing::model_from(text);
      const SpecText spec_text(model, text);
      RunContext alone_context(Limits{}, nullptr);
      const LintReport alone = lint_spec(model, alone_context, spec_text);
      // deadlock_free takes the check's search to the end.
      Property keep;
      keep.kind = Property::Kind::DeadlockFree;
      keep.name = "keep_going";
      model.properties.push_back(keep);
      std::vector<int> props;
      for (std::size_t p = 0; p < model.properties.size(); ++p) props.push_back(static_cast<int>(p));
      Limits limits;
      limits.coverage = lint_request(model, props);
      RunContext context(limits, nullptr);
      const LintReport after = lint_after_check(model, props, ExplicitEngine().check(model, props, context), spec_text);
      EXPECT_EQ(after.explored, alone.explored);
      if (!alone.explored) continue;
      ++explored;
      warned += !alone.warnings.empty();
      EXPECT_EQ(all(after), all(alone));
    }
  }
  EXPECT_GE(explored, 60);
  EXPECT_GE(warned, 10) << "random specs give lint something to say";
}

}  // namespace
}  // namespace interlock

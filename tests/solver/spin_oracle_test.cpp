// interlock against SPIN, a model checker no one here wrote (issue 11, item 6). Each random spec
// of support/random_oracle_spec.h (every construct of the language; a third may fail at run
// time) is exported as Promela (solver/export/) and searched breadth-first by SPIN, and by the
// explicit engine with its reductions off, with native code off and on. They must agree on the
// number of states and the greatest depth; on each invariant and reachable property, its verdict
// and the length of its shortest trace; and on model errors, and at what depth they occur.
// Needs `spin` and a C compiler (./test.sh installs Debian's spin). Integer overflow is the one
// model error not compared: the export refuses expressions that may leave 32 bits, and within
// them interlock's 64-bit arithmetic cannot overflow.
//
// Disagreements found (seeds of earlier versions of the generator), and which side was wrong:
//   - 28 states against interlock's 44: an invariant of one machine that reads another's state
//     was not re-checked when that other machine moved. interlock was wrong (the known bug of
//     tests/regress/invariant_reads_mover.sched, fixed on main).
//   - A guard that fails on an edge with choose, or a choose range of more than 65536 values:
//     interlock crashed (segmentation fault) while reporting the model error. interlock was
//     wrong (fixed on main, with tests/regress/choose_guard_fault.sched, choose_too_wide.sched).
//   - 24 states against interlock's 40: the SPIN side was wrong. By default SPIN leaves out of
//     its states the variables that are only written (there an array element no guard or
//     property read); spin -o1 -o2 keeps them, as `check --reduce off` does.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <map>

#include <unistd.h>

#include "model/lower.h"
#include "solver/explicit/explicit_engine.h"
#include "solver/export/promela.h"
#include "support/random_oracle_spec.h"
#include "support/spin_compare.h"
#include "support/spin_runner.h"

namespace interlock {
namespace {

namespace fs = std::filesystem;
using testing::SpinAnswer;

constexpr int kShards = 6;
constexpr int kSpecsPerShard = 50;
// The generator's legal choose ranges hold at most 4 values; the export unrolls up to 8 (and its
// assertion within_export_limits would fail beyond), which keeps the Promela short.
constexpr int kChooseLimit = 8;

// The invariant and reachable properties, and deadlock_free last (it makes the search go through
// every state); each is decided as it would be alone (a failing step ends the search for all).
std::vector<int> checked_properties(const Model& model) {
  std::vector<int> out;
  for (std::size_t p = 0; p < model.properties.size(); ++p)
    if (model.properties[p].kind == Property::Kind::Invariant || model.properties[p].kind == Property::Kind::Reachable)
      out.push_back(static_cast<int>(p));
  out.push_back(model.find_property("deadlock_free"));
  return out;
}

// The explicit engine with the reductions off, as `check --reduce off --native off|on` runs it.
std::vector<PropertyResult> explicit_plain(const Model& model, NativeMode native) {
  Limits limits;
  limits.native = native;
  limits.reduce = false;
  RunContext context(limits, nullptr);
  return ExplicitEngine().check(model, checked_properties(model), context);
}

std::string same_answer(const PropertyResult& a, const PropertyResult& b) {
  const int la = a.trace ? static_cast<int>(a.trace->steps.size()) : -1;
  const int lb = b.trace ? static_cast<int>(b.trace->steps.size()) : -1;
  if (a.verdict == b.verdict && la == lb && a.stats.states == b.stats.states) return "";
  return a.property + ": native code off says " + verdict_name(a.verdict) + " (trace " + std::to_string(la) + ", " +
         std::to_string(a.stats.states) + " states), on says " + verdict_name(b.verdict) + " (trace " +
         std::to_string(lb) + ", " + std::to_string(b.stats.states) + " states)";
}

class SpinOracle : public ::testing::TestWithParam<int> {
 protected:
  void SetUp() override {
    ASSERT_TRUE(testing::spin_installed()) << "SPIN is not installed: ./test.sh installs it (Debian package spin)";
    folder_ = fs::temp_directory_path() / ("interlock-spin-" + std::to_string(::getpid()) + "-" + std::to_string(GetParam()));
    fs::create_directories(folder_);
  }
  void TearDown() override { fs::remove_all(folder_); }
  fs::path folder_;
};

// The kind of a model error, from interlock's message, for the summary line.
std::string error_kind(const std::string& detail) {
  for (const char* kind : {"in property", "initial state", "invariant", "choose range", "outside its range",
                           "division by zero", "index"})
    if (detail.find(kind) != std::string::npos) return kind;
  return "other";
}

TEST_P(SpinOracle, AgreesWithTheExplicitEngine) {
  uint64_t fewest = UINT64_MAX, most = 0;
  int with_error = 0;
  std::map<std::string, int> errors;  // kind -> specs (a step's error) or properties (their own)
  for (int k = 0; k < kSpecsPerShard; ++k) {
    const uint32_t seed = static_cast<uint32_t>(GetParam() * kSpecsPerShard + k);
    const std::string text = testing::random_oracle_spec(seed);
    const std::string path = (folder_ / ("oracle" + std::to_string(seed) + ".sched")).string();
    SCOPED_TRACE("seed " + std::to_string(seed) + ":\n" + text);
    Model model = load_model_from_text(path, text);
    ASSERT_GE(model.find_property("deadlock_free"), 0);
    PromelaOptions options;
    options.choose_limit = kChooseLimit;
    const std::string promela = export_promela(model, options);
    const SpinAnswer spin = testing::run_spin(promela, folder_.string());
    ASSERT_TRUE(spin.ran && spin.complete) << spin.log;
    EXPECT_EQ(spin.first_failure.count("within_export_limits"), 0u) << promela;

    const std::vector<int> properties = checked_properties(model);
    const std::vector<PropertyResult> plain = explicit_plain(model, NativeMode::Off);
    const std::vector<PropertyResult> native = explicit_plain(model, NativeMode::On);
    for (std::size_t r = 0; r < plain.size(); ++r) EXPECT_EQ(same_answer(plain[r], native[r]), "");
    const PropertyResult& search = plain.back();  // deadlock_free
    EXPECT_EQ(testing::compare_search(search, spin), "") << promela;
    if (search.verdict == Verdict::ModelError) {
      ++with_error;
      ++errors[error_kind(search.detail)];
    } else {
      fewest = std::min(fewest, search.stats.states);
      most = std::max(most, search.stats.states);
    }

    for (std::size_t r = 0; r + 1 < plain.size(); ++r) {
      EXPECT_EQ(testing::compare_property(model, properties[r], plain[r], spin), "") << promela;
      if (plain[r].verdict == Verdict::ModelError && plain[r].detail.find("in property") != std::string::npos)
        ++errors["in property"];
    }
  }
  std::cout << "specs " << GetParam() * kSpecsPerShard << ".." << (GetParam() + 1) * kSpecsPerShard - 1 << ": "
            << with_error << " with a model error; the others " << fewest << " to " << most << " states; errors:";
  for (const auto& [kind, count] : errors) std::cout << " " << kind << " " << count;
  std::cout << "\n";
}

INSTANTIATE_TEST_SUITE_P(Shards, SpinOracle, ::testing::Range(0, kShards));

// The machines timers compile into (model/timers.cpp), in every shape: several elapses and one, a
// random delay, a gate with and without Persistent=true (with and without a delay), @reboot, a
// week. In hours, so that every choose stays within the export's unrolling.
class SpinOnTimers : public SpinOracle {};

TEST_P(SpinOnTimers, AgreesOnTheMachinesTimersBecome) {
  const char* const timers[] = {
      R"(timer t = cron "0 2,5,23 * * *" emit go!;)",
      R"(timer t = cron "0 7 * * *" emit go!;)",
      R"(timer t = systemd "OnCalendar=*-*-* 00,12:00:00", "RandomizedDelaySec=13h" emit go!;)",
      R"(timer t = systemd "OnCalendar=06:00", "RandomizedDelaySec=3h" when Host.up emit go!;)",
      R"(timer t = systemd "OnCalendar=06:00", "AccuracySec=1s", "Persistent=true" when Host.up emit go!;)",
      R"(timer t = systemd "OnCalendar=06:00", "RandomizedDelaySec=2h", "Persistent=true" when Host.up emit go!;)",
      R"(timer t = systemd "OnCalendar=06,18:00", "RandomizedDelaySec=5h", "Persistent=true" when Host.up emit go!;)",
      R"(timer t = cron "@reboot" when Host.up emit go!;)",
      R"(timer t = cron "0 3 * * sun,wed" when Host.up emit go!;)",
  };
  for (const char* timer : timers) {
    const std::string text = std::string("system s in hours;\n") + timer + R"(
      machine Host { state up, down; init up; up -> down; down -> up; }
      var n : 0..3 = 0;
      machine Log {
        clock c;
        state idle;
        urgent state got;
        init idle;
        idle -> got on go? do n := n < 3 ? n + 1 : 3, c := 0;
        got -> idle;
      }
      invariant not_thrice: n < 3;
      reachable twice: n == 2;
      deadlock_free;
    )";
    SCOPED_TRACE(text);
    Model model = load_model_from_text((folder_ / "timer.sched").string(), text);
    const std::string promela = export_promela(model, {});
    const SpinAnswer spin = testing::run_spin(promela, folder_.string());
    ASSERT_TRUE(spin.ran && spin.complete) << spin.log;
    EXPECT_EQ(spin.first_failure.count("within_export_limits"), 0u);
    const std::vector<int> properties = checked_properties(model);
    const std::vector<PropertyResult> plain = explicit_plain(model, NativeMode::Off);
    EXPECT_EQ(testing::compare_search(plain.back(), spin), "");
    EXPECT_EQ(plain.back().verdict, Verdict::Holds) << plain.back().detail;  // a timer never stops time
    for (std::size_t r = 0; r + 1 < plain.size(); ++r)
      EXPECT_EQ(testing::compare_property(model, properties[r], plain[r], spin), "");
  }
}

INSTANTIATE_TEST_SUITE_P(Timers, SpinOnTimers, ::testing::Values(0));

// Names of 600 characters, of every kind: SPIN reads a name into a fixed buffer and crashed on
// the export of one (an outside tester). The export cuts them; SPIN runs it and agrees.
class SpinOnLongNames : public SpinOracle {};

TEST_P(SpinOnLongNames, RunsAndAgrees) {
  const std::string tail(600, 'x');
  auto name = [&](const char* head) { return std::string(head) + tail; };
  const std::string text = "system s;\nchan " + name("C") + ";\nbroadcast chan " + name("B") + ";\ntype " + name("T") + " = {" +
                           name("e") + ", " + name("f") + "};\nvar " + name("V") + " : 0..3 = 0;\nvar " + name("A") +
                           "[2] : bool;\nvar " + name("K") + " : " + name("T") + " = " + name("e") + ";\nmachine " + name("M") +
                           " { clock " + name("c") + "; state " + name("S") + " { invariant " + name("c") + " <= 2; } state " +
                           name("R") + "; init " + name("S") + "; " + name("S") + " -> " + name("R") + " when " + name("c") +
                           " == 2 emit " + name("C") + "! do { " + name("V") + " := " + name("V") + " + 1; " + name("A") + "[" +
                           name("V") + " - 1] := true; }; " + name("R") + " -> " + name("S") + " emit " + name("B") + "! do " +
                           name("c") + " := 0; }\nmachine " + name("N") + " { state " + name("P") + "; init " + name("P") + "; " +
                           name("P") + " -> " + name("P") + " on " + name("C") + "? do " + name("K") + " := " + name("f") +
                           "; " + name("P") + " -> " + name("P") + " on " + name("B") + "?; }\ninvariant " + name("I") + ": " +
                           name("V") + " < 2;\nreachable " + name("Q") + ": " + name("K") + " == " + name("f") + ";\ndeadlock_free;\n";
  Model model = load_model_from_text((folder_ / "long.sched").string(), text);
  const std::string promela = export_promela(model, {});
  EXPECT_NE(promela.find("is the label of " + name("I")), std::string::npos) << "the header says which label is which";
  const SpinAnswer spin = testing::run_spin(promela, folder_.string());
  ASSERT_TRUE(spin.ran && spin.complete) << spin.log;
  const std::vector<PropertyResult> plain = explicit_plain(model, NativeMode::Off);
  EXPECT_EQ(testing::compare_search(plain.back(), spin), "");
  // The cut labels: each property's first failure at its trace's length.
  for (std::size_t r = 0; r + 1 < plain.size(); ++r) {
    const bool invariant = model.properties[static_cast<std::size_t>(checked_properties(model)[r])].kind == Property::Kind::Invariant;
    const std::string label = (std::string(invariant ? "invariant_" : "unreachable_") + (invariant ? "I" : "Q") + tail).substr(0, 64);
    ASSERT_TRUE(spin.first_failure.count(label)) << label << "\n" << spin.log;
    ASSERT_TRUE(plain[r].trace.has_value()) << plain[r].property << " " << verdict_name(plain[r].verdict);
    EXPECT_EQ(spin.first_failure.at(label), static_cast<int>(plain[r].trace->steps.size()));
  }
}

INSTANTIATE_TEST_SUITE_P(Names, SpinOnLongNames, ::testing::Values(0));

}  // namespace
}  // namespace interlock

// interlock-mpi (solver/distributed/) against the one-process explicit search: on the specs of
// the repository and on random specs, run with `mpirun -np 3 --oversubscribe`, every invariant,
// reachable property, deadlock freedom and maximum of values gets the same verdict (and a maximum
// the same value), a search that covers every state counts the same states, and a trace has the
// same (shortest) length; with symmetry reduction (random specs with indexed machines) and
// without, both find the same copies interchangeable. Responses and maxima of a delay get the
// same verdicts, the same longest waits and the same kind of trace (their runs after the trigger
// may differ: docs/engines.md).
#include <gtest/gtest.h>

#include <sys/wait.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include "cli/commands.h"
#include "model/lower.h"
#include "support/delay_specs.h"
#include "support/random_indexed_spec.h"
#include "support/random_oracle_spec.h"
#include "support/random_spec.h"
#include "support/test_effort.h"
#include "support/test_models.h"

namespace fs = std::filesystem;

namespace interlock {
namespace {

struct Answer {
  int code = -1;
  std::map<std::string, std::string> verdicts;  // property -> verdict word (for a maximum, with its value)
  std::map<std::string, std::string> details;   // property -> what follows its verdict line's "): "
  std::map<std::string, int> trace_steps;       // property -> steps of its trace
  std::set<std::string> property_faults;        // model errors of a property's own formula
  std::map<std::string, std::string> fault_places;  // property -> where its own formula failed
  std::string states;                           // the explored line's count
  std::string depth;                            // and depth
  std::string symmetry;                         // the explored line's "symmetry: ..." part, if any
  std::string text;
};

Answer parse(int code, const std::string& text) {
  Answer a;
  a.code = code;
  a.text = text;
  static const std::regex verdict(R"(^(holds|violated|unknown|model err|value)\s+(\S+)\s+\(.*\)(: (at least )?(\S+), first reached)?)");
  static const std::regex steps(R"(^  trace: (\d+) steps?)");
  static const std::regex same(R"(^  \(the same trace as for (\S+) above\))");
  static const std::regex explored(R"(^explored: (\d+) states, \d+ transitions, depth (\d+))");
  static const std::regex symmetry(R"(; symmetry: (.*)$)");
  std::istringstream lines(text);
  std::string last;
  for (std::string line; std::getline(lines, line);) {
    std::smatch m;
    if (std::regex_search(line, m, verdict)) {
      last = m[2];
      const std::size_t detail = line.find("): ");
      a.details[last] = detail == std::string::npos ? "" : line.substr(detail + 3);
      std::string& word = a.verdicts[last];
      word = m[1];
      if (m[5].matched) {  // (appended piece by piece: GCC 12 warns wrongly about a sum, -Wrestrict)
        word += ' ';
        word += m[4];
        word += m[5];
      }
      if (m[1] == "model err" && line.find(" in property '") != std::string::npos) {
        // The message may name values of the state that failed, which may be another state of
        // the same depth; the place is the property's.
        a.property_faults.insert(last);
        const std::size_t at = line.rfind(" at ");
        a.fault_places[last] = at == std::string::npos ? "(no place)" : line.substr(at);
      }
    } else if (std::regex_search(line, m, steps)) {
      a.trace_steps[last] = std::stoi(m[1]);
    } else if (std::regex_search(line, m, same)) {
      a.trace_steps[last] = a.trace_steps[m[1]];
    } else if (std::regex_search(line, m, explored)) {
      a.states = m[1];
      a.depth = m[2];
      if (std::regex_search(line, m, symmetry)) a.symmetry = m[1];
    }
  }
  return a;
}

Answer one_process(const std::vector<std::string>& args) {
  std::vector<std::string> full{"check"};
  full.insert(full.end(), args.begin(), args.end());
  // The search on many machines has no partial-order reduction: the plain search is its match.
  full.insert(full.end(), {"--engine", "explicit", "--lint", "off", "--por", "off"});
  std::ostringstream out, err;
  const int code = run_command_line(full, out, err);
  return parse(code, out.str());
}

// `round_states`: if not 0, INTERLOCK_MPI_ROUND_STATES for every rank (states expanded per round).
Answer distributed(const std::vector<std::string>& args, int ranks = 3, int round_states = 0) {
  std::string command;
  if (round_states) command = "INTERLOCK_MPI_ROUND_STATES=" + std::to_string(round_states) + " ";
  command += "mpirun --allow-run-as-root --oversubscribe --mca mpi_yield_when_idle 1 -np " + std::to_string(ranks) + " ";
  if (round_states) command += "-x INTERLOCK_MPI_ROUND_STATES ";
  command += INTERLOCK_MPI_BINARY;
  for (const std::string& a : args) command += " '" + a + "'";
  command += " 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return {};
  std::string text;
  std::array<char, 4096> buffer;
  for (std::size_t n; (n = fread(buffer.data(), 1, buffer.size(), pipe)) > 0;) text.append(buffer.data(), n);
  const int status = pclose(pipe);
  return parse(WIFEXITED(status) ? WEXITSTATUS(status) : -1, text);
}

// Every property of a spec (the distributed search decides each kind), or none if it does not load
// or has a free parameter (the distributed search needs values).
std::vector<std::string> checked_properties(const std::string& path) {
  Model model;
  try {
    model = load_model(path);
  } catch (const std::exception&) {
    return {};
  }
  for (const Param& p : model.params)
    if (!p.value) return {};
  std::vector<std::string> names;
  for (const Property& p : model.properties) names.push_back(p.name);
  return names;
}

bool is_delay(const Property& p) { return p.kind == Property::Kind::Response || (p.kind == Property::Kind::Maximum && p.delay); }

// What a delay's answer says that both searches must agree on: the longest wait, an unbounded
// one, or none. (A violation's own wait depends on which start of the least depth is shown.)
std::string delay_answer(const std::string& detail) {
  std::smatch m;
  if (std::regex_search(detail, m, std::regex(R"(^the longest wait is (.*)$)"))) return "wait " + m[1].str();
  if (detail.rfind("unbounded", 0) == 0) return "unbounded";
  if (detail.rfind("vacuously", 0) == 0 || detail.rfind("no reachable state satisfies the starting", 0) == 0) return "none";
  if (std::regex_search(detail, m, std::regex(R"(^(\d+ \w+)[,:])"))) return "value " + m[1].str();
  if (detail.rfind("cannot decide", 0) == 0) return "time stops";
  return "";
}

// Compares both searches on `path`, with symmetry reduction on or off; false if the spec was not
// comparable. `permuted`, if given, gets the copies the distributed search permuted.
bool expect_agreement(const std::string& path, const std::string& symmetry = "on", std::string* permuted = nullptr,
                      int round_states = 0) {
  const std::vector<std::string> names = checked_properties(path);
  if (names.empty()) return false;
  std::vector<std::string> args{path, "--symmetry", symmetry};
  for (const std::string& n : names) args.insert(args.end(), {"--prop", n});
  const Answer one = one_process(args);
  const Answer many = distributed(args, 3, round_states);
  SCOPED_TRACE(path + " --symmetry " + symmetry + "\none process:\n" + one.text + "\nthree ranks:\n" + many.text);
  EXPECT_EQ(many.code, one.code);
  EXPECT_EQ(many.symmetry, one.symmetry);
  if (symmetry == "off") {
    EXPECT_EQ(many.symmetry, "");
  }
  if (permuted) *permuted = many.symmetry;
  EXPECT_EQ(many.verdicts, one.verdicts);
  EXPECT_EQ(many.fault_places, one.fault_places);
  const Model model = load_model(path);
  std::map<std::string, int> one_steps = one.trace_steps, many_steps = many.trace_steps;
  for (const Property& p : model.properties) {
    if (!is_delay(p) || !one.verdicts.count(p.name)) continue;
    SCOPED_TRACE(p.name);
    EXPECT_EQ(delay_answer(many.details.at(p.name)), delay_answer(one.details.at(p.name)));
    EXPECT_EQ(many_steps.count(p.name), one_steps.count(p.name)) << "both show a trace, or neither";
    one_steps.erase(p.name);  // the runs after the trigger may differ
    many_steps.erase(p.name);
  }
  EXPECT_EQ(many_steps, one_steps);
  EXPECT_EQ(many.depth, one.depth);  // the level expanded last (where it stopped, or the deepest)
  // Both searches cover every state when no property stopped them early.
  // (The one-process search stops once every property has its trace, mid-level, and at a model
  // error: their counts differ by design then.)
  // A check of deadlock freedom or of a maximum always covers every state, and a property whose
  // own formula fails does not stop the search.
  bool complete = false, faulted = false;
  for (const Property& p : model.properties)
    complete = complete || ((p.kind == Property::Kind::Maximum || p.kind == Property::Kind::Response) &&
                            std::count(names.begin(), names.end(), p.name));
  for (const auto& [name, verdict] : one.verdicts) {
    complete = complete || one.trace_steps.count(name) == 0 || name == "deadlock_free";
    faulted = faulted || (verdict == "model err" && !one.property_faults.count(name)) || verdict == "unknown";
  }
  if (complete && !faulted) {
    EXPECT_EQ(many.states, one.states);
  }
  return true;
}

TEST(Mpi, TheSpecsGetTheOneProcessAnswers) {
  int compared = 0;
  for (const char* dir : {"specs/hazards", "specs/bench", "specs/admin", "tests/regress", "tests/data"}) {
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(INTERLOCK_SOURCE_DIR) / dir)) {
      const std::string name = entry.path().filename().string();
      if (entry.path().extension() != ".sched") continue;
      // Seconds to minutes each: links_4 to links_6, and the limits tests' 100-million-state counter.
      if (name == "links_4.sched" || name == "links_5.sched" || name == "links_6.sched" || name == "big_counter.sched") continue;
      if (expect_agreement(entry.path().string())) ++compared;
    }
  }
  EXPECT_GE(compared, 30);
}

TEST(Mpi, TheKbCaseGetsTheOneProcessAnswers) {
  EXPECT_TRUE(expect_agreement(std::string(INTERLOCK_SOURCE_DIR) + "/specs/msmail/original.sched"));
  EXPECT_TRUE(expect_agreement(std::string(INTERLOCK_SOURCE_DIR) + "/specs/msmail/fixes/window.sched"));
}

// A random spec that checks deadlock freedom too.
std::string with_deadlock_free(const std::string& spec) {
  return spec.find("\ndeadlock_free;") == std::string::npos ? spec + "deadlock_free;\n" : spec;
}

// Maxima of values over the variables every random spec has (the second can divide by zero: a
// model error of its own, with a trace to the first state where it fails).
std::string with_maxima(const std::string& spec) { return spec + "maximum most_x: x * 2 - 3 when b;\nmaximum ratio: 6 / x;\n"; }
std::string with_indexed_maxima(const std::string& spec) {
  return spec + "maximum most_cnt: cnt when exists i in 0..N-1 : A[i].S1;\nmaximum least_g: 10 - g;\n";
}

// Responses and maxima of a delay over what every random spec has (x, b, machines M0 and M1
// with states S0 and S1).
std::string with_delays(const std::string& spec) {
  return spec + "response flips: b leads_to !b;\nresponse drains: x == 1 leads_to x == 0 within 2;\n"
                "maximum settles: x > 0 leads_to x == 0;\nmaximum leaves: M0.S0 leads_to M0.S1;\n"
                "response returns: M1.S1 leads_to M1.S0 within 3;\n";
}

// Symmetry reduction in both: the same orbits (so the same counts), the same verdicts, and traces
// of the same length, mapped back to real runs (solver/explicit/path_trace.h).
TEST(Mpi, RandomIndexedSpecsGetTheOneProcessAnswersWithAndWithoutSymmetry) {
  int reduced = 0;
  const uint32_t specs = testing::kSanitized ? 4 : 12;
  for (uint32_t seed = 1; seed <= specs; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const std::string path = testing::write_temp_spec("mpi_indexed_" + std::to_string(seed), with_indexed_maxima(with_deadlock_free(testing::random_indexed_spec(seed))));
    std::string permuted;
    EXPECT_TRUE(expect_agreement(path, "on", &permuted));
    EXPECT_TRUE(expect_agreement(path, "off"));
    if (!permuted.empty()) ++reduced;
  }
  EXPECT_GE(reduced, static_cast<int>(specs / 3)) << "too few random specs had copies to permute";
}

// Rounds of one state per rank: a level takes as many rounds as its largest share, and the
// deadlock search's questions go in slices of 21 (64 / 3 ranks), so every slice boundary is met.
TEST(Mpi, OneStatePerRoundGivesTheSameAnswers) {
  for (const char* spec : {"specs/bench/links_3.sched", "specs/hazards/lock_order.sched", "tests/regress/deadlock_why.sched"})
    EXPECT_TRUE(expect_agreement(std::string(INTERLOCK_SOURCE_DIR) + "/" + spec, "on", nullptr, 1));
  for (uint32_t seed = 1; seed <= 6; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const std::string path = testing::write_temp_spec("mpi_round_" + std::to_string(seed), with_deadlock_free(testing::random_spec(seed)));
    EXPECT_TRUE(expect_agreement(path, "off", nullptr, 1));
  }
  const std::string lock_order = std::string(INTERLOCK_SOURCE_DIR) + "/specs/hazards/lock_order.sched";
  EXPECT_EQ(distributed({lock_order}, 3, -1).code, 2) << "a round of -1 states is refused";
}

// The lines under a deadlock's trace that say why nothing can happen there, as check prints them.
std::string why_stuck(const std::string& text) {
  const std::size_t at = text.find("=> deadlock:");
  if (at == std::string::npos) return "";
  return text.substr(at, text.find("\nexplored:", at) - at);
}

TEST(Mpi, ADeadlockTraceSaysWhyNothingCanHappenAsCheckDoes) {
  for (const char* spec : {"specs/hazards/lock_order.sched", "tests/regress/deadlock_why.sched"}) {
    const std::vector<std::string> args{std::string(INTERLOCK_SOURCE_DIR) + "/" + spec, "--prop", "deadlock_free"};
    const Answer one = one_process(args);
    const Answer many = distributed(args);
    EXPECT_NE(why_stuck(one.text).find("is disabled"), std::string::npos) << one.text;
    EXPECT_EQ(why_stuck(many.text), why_stuck(one.text)) << many.text;
  }
}

// Hand-computed answers (as tests/solver/delay_test.cpp has them for one process), each kind of
// delay answer once: on three ranks, and on three ranks with one state per round.
TEST(Mpi, DelaysGetTheHandComputedAnswers) {
  struct Case {
    const char* spec;
    std::map<std::string, std::string> answers;  // property -> verdict word and delay_answer()
  };
  const std::vector<Case> cases{
      {testing::kTwoStatesDelays,
       {{"ab", "holds wait 3 ticks"}, {"ab2", "violated "}, {"ab3", "holds wait 3 ticks"},
        {"wait_a", "value value 3 ticks"}, {"wait_b", "value value 5 ticks"}, {"c_in_b", "value 5 "}, {"never", "value "}}},
      {R"(system d2;
machine M { clock c; state A; state B; init A; A -> B when c >= 2; }
response r: M.A leads_to M.B;
response r10: M.A leads_to M.B within 10;
maximum w: M.A leads_to M.B;
)",
       {{"r", "violated "}, {"r10", "violated "}, {"w", "value unbounded"}}},
      {R"(system zeno;
machine M { urgent state A; urgent state A2; state B; init A; A -> A2; A2 -> A; A -> B; }
response r: M.A leads_to M.B;
)",
       {{"r", "unknown time stops"}}},
      {R"(system lock;
machine M { clock c; state A { invariant c <= 2; } state B; init A; A -> B when c == 5; }
response r: M.A leads_to M.B;
)",
       {{"r", "unknown time stops"}}},
      {R"(system vac;
machine M { state A; state B; init A; }
response r: M.B leads_to M.A within 3;
)",
       {{"r", "holds none"}}},
      // A's tick stays in the region, but what follows only stops time: the states that can let
      // time pass forever are narrowed twice, to none (one narrowing would call A unbounded).
      {R"(system narrowing;
machine M {
  clock c;
  state A { invariant c <= 1; }
  urgent state C;
  urgent state C2;
  state D;
  init A;
  A -> C when c >= 1;
  C -> C2;
  C2 -> C;
}
response r: M.A leads_to M.D;
)",
       {{"r", "unknown time stops"}}},
  };
  for (const Case& c : cases) {
    const std::string path = testing::write_temp_spec("mpi_delay_hand", c.spec);
    for (int round_states : {0, 1}) {
      const Answer many = distributed({path}, 3, round_states);
      SCOPED_TRACE(std::string(c.spec) + "\n" + many.text);
      std::map<std::string, std::string> got;
      for (const auto& [name, verdict] : many.verdicts) got[name] = verdict + " " + delay_answer(many.details.at(name));
      EXPECT_EQ(got, c.answers);
      EXPECT_TRUE(expect_agreement(path, "on", nullptr, round_states));
    }
  }
  // The kinds of trace: a lasso whose cycle lets time pass, a run of T + 1 ticks, a timelock.
  const std::string d2 = testing::write_temp_spec("mpi_delay_lasso", cases[1].spec);
  const Answer lasso = distributed({d2, "--prop", "r"});
  EXPECT_NE(lasso.text.find("the cycle below repeats forever"), std::string::npos) << lasso.text;
  EXPECT_NE(lasso.text.find("back where the cycle began"), std::string::npos) << lasso.text;
  const std::string lock = testing::write_temp_spec("mpi_delay_lock", cases[3].spec);
  const Answer stuck = distributed({lock});
  EXPECT_NE(stuck.text.find("(a timelock)"), std::string::npos) << stuck.text;
  EXPECT_NE(stuck.text.find("M.A's invariant c <= 2 stops it"), std::string::npos) << stuck.text;
}

TEST(Mpi, RandomSpecsWithDelaysGetTheOneProcessAnswers) {
  for (uint32_t seed = 1; seed <= testing::specs_to_try(30); ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const std::string path = testing::write_temp_spec("mpi_delays_" + std::to_string(seed), with_delays(testing::random_spec(seed)));
    EXPECT_TRUE(expect_agreement(path, "on", nullptr, seed <= 4 ? 1 : 0));
  }
  for (uint32_t seed = 1; seed <= testing::specs_to_try(12); ++seed) {
    SCOPED_TRACE("indexed seed " + std::to_string(seed));
    const std::string path = testing::write_temp_spec("mpi_indexed_delays_" + std::to_string(seed), testing::random_indexed_spec(seed, true));
    EXPECT_TRUE(expect_agreement(path, "on"));
    EXPECT_TRUE(expect_agreement(path, "off"));
  }
}

TEST(Mpi, RandomSpecsGetTheOneProcessAnswers) {
  for (uint32_t seed = 1; seed <= testing::specs_to_try(40); ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const std::string path = testing::write_temp_spec("mpi_random_" + std::to_string(seed), with_maxima(with_deadlock_free(testing::random_spec(seed))));
    EXPECT_TRUE(expect_agreement(path));
  }
}

// A run's output without what differs from run to run: seconds, states per second, peak memory.
std::string without_timings(const std::string& text) {
  std::string out = std::regex_replace(text, std::regex(R"(\d+\.\d+ s\b)"), "T s");
  out = std::regex_replace(out, std::regex(R"(\d+ states/s)"), "R states/s");
  return std::regex_replace(out, std::regex(R"(peak memory \d+ MB)"), "peak memory M MB");
}

// Threads within a rank (--threads) expand each round in pieces, joined in order: the whole output
// (counts, rounds, bytes sent, verdicts, traces, model errors) is one thread's. Rounds of 150
// states are one piece on one thread and pieces of 64 on three (solver/distributed/
// round_expansion.cpp), with many rounds per level, so pieces and the round expanded ahead meet
// faults, level ends and the end of the search.
TEST(Mpi, ThreadsWithinARankGiveExactlyTheOneThreadOutput) {
  std::vector<std::vector<std::string>> runs;
  for (const char* spec : {"specs/bench/links_3.sched", "specs/hazards/lock_order.sched", "tests/regress/deadlock_why.sched"})
    runs.push_back({std::string(INTERLOCK_SOURCE_DIR) + "/" + spec});
  runs.push_back({std::string(INTERLOCK_SOURCE_DIR) + "/specs/bench/links_3.sched", "--symmetry", "off"});
  const uint32_t specs = testing::specs_to_try(16);
  for (uint32_t seed = 1; seed <= specs; ++seed) {
    const std::string text = testing::random_oracle_spec(seed);  // some fail at run time
    const std::string path = testing::write_temp_spec("mpi_threads_" + std::to_string(seed), with_maxima(with_deadlock_free(text)));
    if (checked_properties(path).empty()) continue;
    runs.push_back({path});
  }
  int faulted = 0;
  for (std::vector<std::string> args : runs) {
    SCOPED_TRACE(args[0]);
    args.insert(args.end(), {"--threads", "1"});
    const Answer one = distributed(args, 2, 150);
    args.back() = "3";
    const Answer three = distributed(args, 2, 150);
    EXPECT_NE(one.states, "") << one.text;
    EXPECT_EQ(three.code, one.code);
    EXPECT_EQ(without_timings(three.text), without_timings(one.text));
    if (one.text.find("model err") != std::string::npos) ++faulted;
  }
  EXPECT_GE(faulted, static_cast<int>(specs / 5)) << "too few runs met a model error";
}

// A step fails at the 100th state of a level of 200, in the second of the round's pieces: as in
// one process, the states after it are not expanded (the piece after it sends nothing), so a
// state only they lead to is not found, on one thread or three.
TEST(Mpi, AFaultInTheMiddleOfARoundEndsTheSearchThereAsInOneProcess) {
  const std::string path = testing::write_temp_spec("mpi_fault_mid_round", R"(system fault_mid_round;
var x : 0..255 = 0;
var y : 0..1 = 0;
machine Pick {
  state A; state B;
  init A;
  A -> B choose v in 1..200 do { x := v; };
}
machine Mark {
  state Idle; state Done;
  init Idle;
  Idle -> Done when x > 0 do { y := 1 / (x == 100 ? 0 : 1); };
}
reachable late: x > 150 && Mark.Done;
invariant fine: y <= 1;
)");
  const Answer one = one_process({path});
  ASSERT_EQ(one.verdicts.at("late"), "model err") << one.text;
  for (const char* threads : {"1", "3"}) {
    const Answer rank = distributed({path, "--threads", threads}, 1);
    EXPECT_EQ(rank.verdicts, one.verdicts) << rank.text;
    EXPECT_EQ(rank.states, one.states) << rank.text;
  }
}

// --depth K: both keep the states of levels 0 to K, so a violation at level K is found by both
// and one at level K + 1 by neither (the KB drop is 129 steps deep).
TEST(Mpi, ADepthLimitStopsWhereCheckStops) {
  const std::string kb = std::string(INTERLOCK_SOURCE_DIR) + "/specs/msmail/original.sched";
  for (const char* depth : {"128", "129"}) {
    const std::vector<std::string> args{kb, "--prop", "no_drop", "--depth", depth};
    const Answer one = one_process(args);
    const Answer many = distributed(args, 2);
    SCOPED_TRACE(std::string("--depth ") + depth + "\n" + one.text + "\n" + many.text);
    EXPECT_EQ(one.verdicts.at("no_drop"), std::string(depth) == "129" ? "violated" : "unknown");
    EXPECT_EQ(many.verdicts, one.verdicts);
    if (one.verdicts.at("no_drop") == "unknown") {  // (a search that finds it stops mid-level in one process)
      EXPECT_EQ(many.states, one.states);
    }
    EXPECT_EQ(many.depth, one.depth);
    EXPECT_EQ(many.trace_steps, one.trace_steps);
  }
}

// Specs whose steps or properties fail at run time: the same model errors, at the same places,
// with traces as long (a state whose successors cannot all be computed sends none of them, as
// the one-process search keeps none: a trace through one would not replay).
TEST(Mpi, RandomSpecsThatFailGetTheOneProcessAnswers) {
  int compared = 0, faulted = 0;
  const uint32_t specs = testing::specs_to_try(30);
  for (uint32_t seed = 1; seed <= specs; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    const std::string path = testing::write_temp_spec("mpi_failing_" + std::to_string(seed),
                                                      with_maxima(with_deadlock_free(testing::random_oracle_spec(seed))) +
                                                          "response fails: 6 / x > 2 leads_to b;\n");
    if (!expect_agreement(path, "on")) continue;
    ++compared;
    if (one_process({path}).text.find("model err") != std::string::npos) ++faulted;
  }
  EXPECT_GE(compared, static_cast<int>(specs * 2 / 3));
  EXPECT_GE(faulted, static_cast<int>(specs / 6)) << "too few random specs failed at run time";
}

// The states are spread over the ranks, each holds a share, and one rank is the plain search.
TEST(Mpi, EveryRankHoldsAShareAndOneRankIsThePlainSearch) {
  const std::string spec = std::string(INTERLOCK_SOURCE_DIR) + "/specs/bench/links_3.sched";
  const Answer one = one_process({spec, "--prop", "no_drop", "--symmetry", "off"});
  const Answer single = distributed({spec, "--prop", "no_drop", "--symmetry", "off"}, 1);
  EXPECT_EQ(single.states, one.states) << single.text;
  const Answer four = distributed({spec, "--prop", "no_drop", "--symmetry", "off"}, 4);
  EXPECT_EQ(four.states, one.states) << four.text;
  std::smatch m;
  ASSERT_TRUE(std::regex_search(four.text, m, std::regex(R"(states per rank: (\d+), (\d+), (\d+), (\d+);)"))) << four.text;
  uint64_t sum = 0;
  for (int r = 1; r <= 4; ++r) {
    const uint64_t share = std::stoull(m[r]);
    EXPECT_GT(share, std::stoull(one.states) / 8) << "rank " << r - 1 << " holds too few: " << four.text;
    sum += share;
  }
  EXPECT_EQ(std::to_string(sum), one.states);
}

// The folders an executable's shared libraries are looked for in (its RPATH or RUNPATH, from
// `readelf -d`): CMake's padding of the build's RUNPATH once left an empty entry, the current
// folder, where another user's libz3.so.4 was loaded (an outside tester). Every entry must be an
// absolute folder, in both executables.
TEST(Mpi, TheExecutablesLookForLibrariesInAbsoluteFoldersOnly) {
  const fs::path folder = fs::path(INTERLOCK_MPI_BINARY).parent_path();
  for (const fs::path& binary : {fs::path(INTERLOCK_MPI_BINARY), folder / "interlock"}) {
    SCOPED_TRACE(binary.string());
    FILE* pipe = popen(("readelf -d '" + binary.string() + "'").c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    std::string text;
    std::array<char, 4096> buffer{};
    while (std::size_t n = fread(buffer.data(), 1, buffer.size(), pipe)) text.append(buffer.data(), n);
    ASSERT_EQ(pclose(pipe), 0) << text;
    ASSERT_NE(text.find("(NEEDED)"), std::string::npos) << "not the dynamic section:\n" << text;
    const std::regex path(R"(\((RPATH|RUNPATH)\)[^\[]*\[([^\]]*)\])");
    for (auto m = std::sregex_iterator(text.begin(), text.end(), path); m != std::sregex_iterator(); ++m) {
      const std::string entries = (*m)[2].str() + ":";  // a trailing ':' is an empty entry
      std::size_t start = 0;
      for (std::size_t colon = entries.find(':'); colon != std::string::npos; colon = entries.find(':', start)) {
        const std::string entry = entries.substr(start, colon - start);
        EXPECT_TRUE(!entry.empty() && entry[0] == '/') << "'" << entry << "' in " << (*m)[0].str();
        start = colon + 1;
        if (start == entries.size()) break;
      }
    }
  }
}

TEST(Mpi, BadInputIsAnErrorOnEveryRankOptionsOfOtherEnginesAreRefusedAndHelpIsShown) {
  const std::string bad = testing::write_temp_spec("mpi_bad", "system bad;\nmachine M { state A; init B; }\n");
  Answer a = distributed({bad});
  EXPECT_EQ(a.code, 2);
  const std::string free = testing::write_temp_spec("mpi_free", "system f;\nparam P : 0..3;\nmachine M { state A; init A; }\n");
  EXPECT_EQ(distributed({free}).code, 2);
  const std::string spec = std::string(INTERLOCK_SOURCE_DIR) + "/specs/bench/links_1.sched";
  for (const char* option : {"--engine", "--por"}) {
    const Answer refused = distributed({spec, option, "on"});
    EXPECT_EQ(refused.code, 2) << option;
  }
  EXPECT_EQ(distributed({spec, "--threads", "0"}).code, 2);
  EXPECT_EQ(distributed({spec, "--symmetry", "maybe"}).code, 2);
  EXPECT_EQ(distributed({}).code, 2);  // no spec: a usage error
  // `interlock-mpi check SPEC`, as `interlock check SPEC` is written, reads as `interlock-mpi SPEC`
  // (it said "unexpected argument" of the spec, having taken `check` for the spec file).
  const Answer worded = distributed({"check", spec, "--prop", "no_drop"}, 2), plain = distributed({spec, "--prop", "no_drop"}, 2);
  EXPECT_EQ(worded.code, 0);
  EXPECT_EQ(worded.verdicts, plain.verdicts);
  EXPECT_EQ(worded.states, plain.states);
  const Answer help = distributed({"--help"});
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.text.find("usage: mpirun -np K interlock-mpi SPEC"), std::string::npos) << help.text;
  EXPECT_NE(help.text.find("--threads N"), std::string::npos) << help.text;
}

}  // namespace
}  // namespace interlock

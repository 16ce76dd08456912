// The limits of issue 11 that only a whole process shows: Ctrl-C, --memory and --timeout in every
// phase, input files that are not regular files. Each test runs the built interlock executable.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "support/process_wait.h"
#include "support/run_binary.h"
#include "support/scoped_env.h"

namespace interlock {
namespace {

namespace fs = std::filesystem;
using testing::ProcessPlan;
using testing::ProcessRun;
using testing::process_ended;
using testing::run_interlock;
using testing::wait_until;

// A folder of its own for the files a test writes, removed afterwards.
class ProcessTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("interlock_process_" + std::to_string(::getpid()));
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string write(const std::string& name, const std::string& text) {
    const fs::path path = dir_ / name;
    std::ofstream(path) << text;
    return path.string();
  }
  fs::path dir_;
};

// A billion states: a search that would run for minutes.
const std::string kEndless =
    "system endless;\n"
    "var a : 0..1000000;\nvar b : 0..1000;\n"
    "machine M { state A; init A; A -> A when a < 1000000 do a := a + 1; A -> A when b < 1000 do b := b + 1; }\n"
    "invariant bounded: a <= 1000000;\nreachable top: a == 1000000 && b == 1000;\n";

// What the program itself holds (libraries, and the sanitizers' own memory in such a build):
// --memory counts what a run takes beyond it.
long baseline_kb() {
  static const long kb = run_interlock({{"--version"}}).peak_rss_kb;
  return kb;
}

std::string describe(const ProcessRun& r) {
  return "exit " + std::to_string(r.exit_code) + " (signal " + std::to_string(r.signal) + ") after " + std::to_string(r.seconds) +
         " s\nstdout:\n" + r.out.substr(0, 2000) + "\nstderr:\n" + r.err.substr(0, 2000);
}

TEST_F(ProcessTest, CtrlCStopsASearchWithinASecondWithWhatIsKnown) {
  const std::string spec = write("endless.sched", kEndless);
  ProcessRun r = run_interlock({{"check", spec, "--native", "off"}, 1.0});
  EXPECT_EQ(r.exit_code, 3) << describe(r);
  EXPECT_LT(r.exit_after_signal, 1.0) << describe(r);
  EXPECT_NE(r.out.find("unknown   bounded"), std::string::npos) << describe(r);
  EXPECT_NE(r.out.find("interrupted (Ctrl-C)"), std::string::npos) << describe(r);
  EXPECT_NE(r.err.find("interlock: interrupted: stopping with what is known so far"), std::string::npos) << describe(r);
}

// SIGTERM (a service manager stopping interlock, `kill`) stops a run as Ctrl-C does, and every
// message names it as what it was.
TEST_F(ProcessTest, SigtermStopsARunAndIsNamedAsSuch) {
  const std::string spec = write("endless.sched", kEndless);
  ProcessPlan plan{{"check", spec, "--native", "off"}, 1.0};
  plan.signal_number = SIGTERM;
  ProcessRun r = run_interlock(plan);
  EXPECT_EQ(r.exit_code, 3) << describe(r);
  EXPECT_LT(r.exit_after_signal, 1.0) << describe(r);
  EXPECT_NE(r.out.find("unknown   bounded"), std::string::npos) << describe(r);
  EXPECT_NE(r.out.find("terminated (SIGTERM)"), std::string::npos) << describe(r);
  EXPECT_EQ(r.out.find("Ctrl-C"), std::string::npos) << describe(r);
  EXPECT_NE(r.err.find("interlock: terminated (SIGTERM): stopping with what is known so far"), std::string::npos) << describe(r);

  plan.args = {"simulate", spec, "--steps", "10000000", "--trace", "json"};
  plan.signals = 2;
  r = run_interlock(plan);
  EXPECT_EQ(r.exit_code, 3) << describe(r);
  EXPECT_NE(r.err.find("terminated again: stopping now"), std::string::npos) << describe(r);
}

// Writing a million simulated steps takes seconds, and no limit can stop it halfway.
TEST_F(ProcessTest, ASecondCtrlCEndsTheProcessAtOnce) {
  const std::string spec = write("endless.sched", kEndless);
  ProcessPlan plan{{"simulate", spec, "--steps", "10000000", "--trace", "json"}, 1.0};
  plan.signals = 2;
  ProcessRun r = run_interlock(plan);
  EXPECT_EQ(r.exit_code, 3) << describe(r);
  EXPECT_LT(r.exit_after_signal, 0.5) << describe(r);
  EXPECT_NE(r.err.find("interrupted again: stopping now"), std::string::npos) << describe(r);
}

TEST_F(ProcessTest, ACtrlCNotHonouredEndsTheProcessAfterThreeSeconds) {
  const std::string spec = write("endless.sched", kEndless);
  ProcessRun r = run_interlock({{"simulate", spec, "--steps", "10000000", "--trace", "json"}, 1.0});
  EXPECT_EQ(r.exit_code, 3) << describe(r);
  EXPECT_GT(r.exit_after_signal, 2.9) << describe(r);
  EXPECT_LT(r.exit_after_signal, 4.5) << describe(r);
  EXPECT_NE(r.err.find("interlock: interrupted, and the run did not stop in time; the process ends here"), std::string::npos) << describe(r);
}

// Each step weighs 65,536 choices: a long simulation is slow.
const std::string kSlowSteps = "system slow;\nvar x : 0..65535;\nmachine M { state A; init A; A -> A choose v in 0..65535 do x := v; }\n";

TEST_F(ProcessTest, CtrlCStopsCompareSimulateAndGraph) {
  const std::string spec = write("endless.sched", kEndless);
  const std::string slow = write("slow.sched", kSlowSteps);
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"compare", spec, "--native", "off"}, {"graph", spec, "--max-states", "4000000000"},
        {"simulate", slow, "--steps", "100000", "--trace", "json"}}) {
    ProcessRun r = run_interlock({args, 1.0});
    EXPECT_EQ(r.exit_code, 3) << args[0] << ": " << describe(r);
    EXPECT_LT(r.exit_after_signal, 1.0) << args[0] << ": " << describe(r);
  }
}

// Issue 11: k-induction ran on for 28 s after Ctrl-C. Z3's checks are interrupted, and chc's child
// process is killed, as soon as the run must stop.
TEST_F(ProcessTest, CtrlCStopsTheSymbolicEngines) {
  const std::string window = std::string(INTERLOCK_SOURCE_DIR) + "/specs/msmail/fixes/window.sched";
  for (const char* engine : {"kind", "chc", "bmc"}) {
    ProcessRun r = run_interlock({{"check", window, "--prop", "no_drop", "--free", "all", "--engine", engine, "--depth", "60"}, 1.5});
    EXPECT_EQ(r.exit_code, 3) << engine << ": " << describe(r);
    EXPECT_LT(r.exit_after_signal, 1.0) << engine << ": " << describe(r);
    EXPECT_NE(r.out.find("interrupted (Ctrl-C)"), std::string::npos) << engine << ": " << describe(r);
  }
}

// After Ctrl-C a prover gives no advice on going further ("try ...; or a longer --timeout"), and
// the properties it never started say so, as after a timeout (they said "Spacer gave no answer").
TEST_F(ProcessTest, CtrlCOnAProverLeavesNoAdviceAndNamesWhatItNeverStarted) {
  // Spacer takes about 9 s to prove the first for every schedule; the second waits behind it.
  const std::string spec = std::string(INTERLOCK_SOURCE_DIR) + "/specs/msmail/fixes/window.sched";
  ProcessRun r = run_interlock(
      {{"check", spec, "--prop", "no_drop", "--prop", "server_back", "--free", "all", "--engine", "chc", "--quiet"}, 2.0});
  EXPECT_EQ(r.exit_code, 3) << describe(r);
  EXPECT_NE(r.out.find("no_drop      (invariant, chc engine"), std::string::npos) << describe(r);
  EXPECT_NE(r.out.find("stopped before this property (interrupted (Ctrl-C))"), std::string::npos) << describe(r);
  EXPECT_EQ(r.out.find("try "), std::string::npos) << describe(r);
}

// Issue 11: nested quantifiers grew the process past 5 GB while loading, under --memory 64.
TEST_F(ProcessTest, MemoryLimitHoldsWhileLoading) {
  const std::string spec = write("quantifiers.sched",
                                 "system q;\nvar a[64] : 0..3;\n"
                                 "invariant p: forall i in 0..4095 : forall j in 0..255 : a[i % 64] != a[j % 64] + 4;\n");
  ProcessRun r = run_interlock({{"check", spec, "--memory", "32"}});
  EXPECT_EQ(r.exit_code, 3) << describe(r);
  EXPECT_NE(r.err.find("memory limit of 32 MB reached while loading the spec; the verdict is unknown"), std::string::npos) << describe(r);
  EXPECT_LT(r.peak_rss_kb, baseline_kb() + 2 * 32 * 1024 + 64 * 1024) << describe(r);  // the backstop's bound
}

TEST_F(ProcessTest, MemoryLimitHoldsInTheSearchForTheWholeProcess) {
  // 16 KB states: the visited set grows fast, and so does everything around it.
  const std::string spec = write("wide.sched",
                                 "system wide;\nvar a[65536] : 0..3;\nvar i : 0..65535;\n"
                                 "machine M { state A; init A; A -> A when i < 65535 do { a[i] := 1; i := i + 1; }; }\n"
                                 "machine N { var c : 0..1000; state B; init B; B -> B when c < 1000 do c := c + 1; }\n"
                                 "invariant p: a[7] != 2;\n");
  ProcessRun r = run_interlock({{"check", spec, "--memory", "48", "--engine", "explicit", "--native", "off"}});
  EXPECT_EQ(r.exit_code, 3) << describe(r);
  EXPECT_NE(r.out.find("memory limit of 48 MB reached"), std::string::npos) << describe(r);
  EXPECT_LT(r.peak_rss_kb, baseline_kb() + 2 * 48 * 1024) << describe(r);
}

// Auto: the explicit search stops at --memory, says how far it got, and a prover answers the rest.
// The limit leaves the provers room: k-induction alone takes about 45 MB here, and more under
// the sanitizers; the wide states reach it quickly.
TEST_F(ProcessTest, AutoAfterTheMemoryLimitSaysWhatTheSearchCovered) {
  const std::string spec = write("long.sched",
                                 "system long_count;\nvar x : 0..100000000;\nvar y : 0..100000000;\nvar a[256] : 0..255;\n"
                                 "machine M { state A; init A;\n"
                                 "  A -> A when x < 100000000 do { x := x + 1; y := x; a[x % 256] := x % 256; }; }\n"
                                 "invariant small: y <= x;\n");
  // AddressSanitizer keeps freed blocks resident (its quarantine, 256 MB by default): in the
  // sanitizer build the search's freed visited set would count against the provers.
  const char* asan = std::getenv("ASAN_OPTIONS");
  const std::string saved = asan ? asan : "";
  setenv("ASAN_OPTIONS", (saved + ":quarantine_size_mb=0").c_str(), 1);
  ProcessPlan plan{{"check", spec, "--memory", "128", "--native", "off"}};
  plan.kill_after = 300;  // the sanitizer build's search is slow, more so beside other tests
  ProcessRun r = run_interlock(plan);
  if (asan) setenv("ASAN_OPTIONS", saved.c_str(), 1);
  else unsetenv("ASAN_OPTIONS");
  EXPECT_EQ(r.exit_code, 0) << describe(r);
  EXPECT_NE(r.out.find("holds     small"), std::string::npos) << describe(r);
  EXPECT_NE(r.out.find("the explicit engine stopped first, after "), std::string::npos) << describe(r);
  EXPECT_NE(r.out.find(" states (memory limit of 128 MB reached)"), std::string::npos) << describe(r);
  EXPECT_EQ(r.out.find("limit of 0 MB"), std::string::npos) << describe(r);
}

TEST_F(ProcessTest, SimulateHonoursTimeoutAndMemory) {
  const std::string spec = write("slow.sched", kSlowSteps);
  ProcessRun r = run_interlock({{"simulate", spec, "--steps", "100000", "--timeout", "0.5"}});
  EXPECT_EQ(r.exit_code, 3) << describe(r);
  EXPECT_LT(r.seconds, 3.0) << describe(r);
  EXPECT_NE(r.err.find("stopped after"), std::string::npos) << describe(r);
  EXPECT_NE(r.err.find("timeout after 0.5 s"), std::string::npos) << describe(r);
  EXPECT_NE(r.out.find("action   M: A -> A"), std::string::npos) << "the steps taken are shown: " << describe(r);
}

// Issue 11: a FIFO given as the spec blocked for ever.
TEST_F(ProcessTest, AFifoOrADeviceIsRefusedNotWaitedOn) {
  const std::string fifo = (dir_ / "spec.sched").string();
  ASSERT_EQ(mkfifo(fifo.c_str(), 0600), 0);
  ProcessRun r = run_interlock({{"check", fifo}, -1, 1, 20});
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  EXPECT_LT(r.seconds, 5.0) << describe(r);
  EXPECT_NE(r.err.find(fifo + ": error: this is a FIFO (named pipe), not a spec file (a regular file)"), std::string::npos) << describe(r);
  const std::string spec = write("tiny.sched", "system tiny;\nmachine M { state A; init A; }\n");
  r = run_interlock({{"replay", spec, fifo}, -1, 1, 20});
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  EXPECT_NE(r.err.find("this is a FIFO (named pipe), not a trace file"), std::string::npos) << describe(r);
  r = run_interlock({{"check", "/dev/zero"}, -1, 1, 20});
  EXPECT_EQ(r.exit_code, 2) << describe(r);
  EXPECT_NE(r.err.find("/dev/zero: error: this is a character device, not a spec file"), std::string::npos) << describe(r);
}

// A phase that cannot stop itself is still held to its limits: the process ends (exit 3).
TEST_F(ProcessTest, TheBackstopEndsAPhaseThatDoesNotStop) {
  // bmc's encoding of a machine with 100,000 states (issue 11) takes minutes and gigabytes, and
  // looks at no limit meanwhile.
  std::string text = "system big;\nmachine M {\n  state S0";
  for (int i = 1; i < 100000; ++i) text += ", S" + std::to_string(i);
  text += ";\n  init S0;\n";
  for (int i = 0; i + 1 < 100000; ++i) text += "  S" + std::to_string(i) + " -> S" + std::to_string(i + 1) + ";\n";
  text += "}\nreachable last: M.S99999;\n";
  const std::string spec = write("big.sched", text);
  ProcessRun r = run_interlock({{"check", spec, "--engine", "bmc", "--timeout", "1"}});
  EXPECT_EQ(r.exit_code, 3) << describe(r);
  EXPECT_LT(r.seconds, 6.0) << describe(r);
  r = run_interlock({{"check", spec, "--engine", "bmc", "--memory", "64"}});
  EXPECT_EQ(r.exit_code, 3) << describe(r);
  // The backstop looks at memory between allocations it does not see: under AddressSanitizer the
  // process grew 1.4 MB past a 64 MB allowance once. Unbounded growth is gigabytes here.
  EXPECT_LT(r.peak_rss_kb, baseline_kb() + 2 * 64 * 1024 + 128 * 1024) << describe(r);
}

struct CacheFolder {
  std::vector<std::string> libraries, compiles;  // *.so, job-*
};
CacheFolder look_in(const fs::path& cache) {
  CacheFolder found;
  std::error_code error;
  for (const fs::directory_entry& entry : fs::directory_iterator(cache, error)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() == ".so") found.libraries.push_back(name);
    if (name.rfind("job-", 0) == 0) found.compiles.push_back(name);
  }
  return found;
}

// A compiler that waits until the file `go` exists (a minute at most), then compiles; it notes
// its process id in `pid_file` first.
std::string gated_compiler(const fs::path& go, const fs::path& pid_file) {
  return "#!/bin/sh\necho $$ > '" + pid_file.string() + "'\ni=0\nwhile [ ! -e '" + go.string() +
         "' ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done\nexec '" INTERLOCK_TEST_CXX "' \"$@\"\n";
}

// The numbers before " states" on the statistics line: explored, then expanded by native code.
std::pair<long, long> states_and_native(const std::string& out) {
  const std::size_t line = out.find("explored: ");
  const std::size_t native = out.find(" states expanded by native code");
  if (line == std::string::npos) return {-1, -1};
  const long states = std::stol(out.substr(line + 10));
  if (native == std::string::npos) return {states, 0};
  const std::size_t start = out.rfind(' ', native - 1) + 1;
  return {states, std::stol(out.substr(start, native - start))};
}

// A search that ends between starting the compiler (after 0.1 s) and the compiler's end leaves
// the compile to finish: the next run of the model has native code from its first state. (Each
// run used to kill its compile at its end: such a check never had native code, however often it
// was run.) The compiler here waits until the first run has ended.
TEST_F(ProcessTest, ACompileTheSearchDidNotWaitForServesTheNextRun) {
  const fs::path cache = dir_ / "cache", go = dir_ / "go", pid = dir_ / "compiler.pid";
  const std::string compiler = write("compiler", gated_compiler(go, pid));
  fs::permissions(compiler, fs::perms::owner_all);
  testing::ScopedEnv cache_env("INTERLOCK_CACHE", cache.string()), compiler_env("INTERLOCK_CXX", compiler);
  // 452,726 states: about 0.4 s without native code, more than the 0.1 s after which it compiles.
  const std::vector<std::string> args{"check", "specs/bench/links_4.sched", "--prop", "no_drop", "--symmetry", "off",
                                      "--por", "off", "--threads", "1"};
  ProcessRun first = run_interlock({args});
  ASSERT_EQ(first.exit_code, 0) << describe(first);
  EXPECT_EQ(states_and_native(first.out), std::make_pair(452726L, 0L)) << describe(first);
  EXPECT_TRUE(fs::exists(pid)) << "no compile was started";
  ASSERT_EQ(look_in(cache).compiles.size(), 1u) << "the compile was not left to finish";
  EXPECT_TRUE(look_in(cache).libraries.empty());

  std::ofstream(go).close();
  ASSERT_TRUE(wait_until([&] { return look_in(cache).libraries.size() == 1 && look_in(cache).compiles.empty(); }, 120))
      << "the library did not arrive, or its folder stayed";
  ProcessRun second = run_interlock({args});
  ASSERT_EQ(second.exit_code, 0) << describe(second);
  EXPECT_EQ(states_and_native(second.out), std::make_pair(452726L, 452726L)) << describe(second);
}

// A search stopped by a limit (here --timeout; Ctrl-C and --memory alike) leaves nothing running:
// its compiler is killed, and its folder removed.
TEST_F(ProcessTest, AStoppedSearchLeavesNoCompileBehind) {
  const fs::path cache = dir_ / "cache", go = dir_ / "never", pid = dir_ / "compiler.pid";
  const std::string compiler = write("compiler", gated_compiler(go, pid));
  fs::permissions(compiler, fs::perms::owner_all);
  testing::ScopedEnv cache_env("INTERLOCK_CACHE", cache.string()), compiler_env("INTERLOCK_CXX", compiler);
  const std::string spec = write("endless.sched", kEndless);
  ProcessRun r = run_interlock({{"check", spec, "--timeout", "1", "--threads", "1"}});
  EXPECT_EQ(r.exit_code, 3) << describe(r);
  ASSERT_TRUE(fs::exists(pid)) << "no compile was started";
  pid_t compiler_pid = 0;
  std::ifstream(pid) >> compiler_pid;
  EXPECT_TRUE(wait_until([&] { return process_ended(compiler_pid); }, 5)) << "the compiler still runs";
  EXPECT_TRUE(look_in(cache).compiles.empty());
  EXPECT_TRUE(look_in(cache).libraries.empty());
}

// A second Ctrl-C (or SIGTERM) ends the process at once, where no destructor runs: the compiler
// is killed all the same (it ran on, and put its library into the cache, when the two signals
// came a millisecond apart). Its folder stays for a later run to remove.
TEST_F(ProcessTest, ASecondSignalKillsTheCompilerToo) {
  const fs::path cache = dir_ / "cache", go = dir_ / "never", pid = dir_ / "compiler.pid";
  const std::string compiler = write("compiler", gated_compiler(go, pid));
  fs::permissions(compiler, fs::perms::owner_all);
  testing::ScopedEnv cache_env("INTERLOCK_CACHE", cache.string()), compiler_env("INTERLOCK_CXX", compiler);
  for (int signal : {SIGINT, SIGTERM}) {
    SCOPED_TRACE(signal == SIGINT ? "SIGINT" : "SIGTERM");
    fs::remove(pid);
    ProcessPlan plan{{"check", "specs/msmail/original.sched", "--native", "on", "--lint", "off"}, 0.5, 2};
    plan.signal_spacing = 0.001;
    plan.signal_number = signal;
    ProcessRun r = run_interlock(plan);
    EXPECT_EQ(r.exit_code, 3) << describe(r);
    ASSERT_TRUE(fs::exists(pid)) << "no compile was started";
    pid_t compiler_pid = 0;
    std::ifstream(pid) >> compiler_pid;
    EXPECT_TRUE(wait_until([&] { return process_ended(compiler_pid); }, 5)) << "the compiler still runs: " << describe(r);
    EXPECT_TRUE(look_in(cache).libraries.empty());
  }
}

}  // namespace
}  // namespace interlock

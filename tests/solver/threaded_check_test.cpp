// The output of `check` on several threads against one thread, text for text (times and memory
// aside): every spec of the repository, random specs, native code and JSON, and the --threads
// option itself. The search itself is compared state by state in threaded_search_test.cpp.
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <sstream>

#include "cli/commands.h"
#include "support/random_oracle_spec.h"
#include "support/random_spec.h"
#include "support/test_effort.h"
#include "support/test_models.h"

namespace interlock {
namespace {

namespace fs = std::filesystem;

// ---- The command line: the whole output ----

// The output of `interlock ARGS`, with what may differ between runs taken out: times, rates,
// the process's memory, the thread count, progress lines.
std::string normalized(const std::string& text) {
  // Progress lines (a run over a second) come at moments of the clock, not of the search.
  std::string out = std::regex_replace(text, std::regex("\\[[0-9]+s\\] [^\\n]*\\n"), "");
  out = std::regex_replace(out, std::regex("[0-9]+\\.[0-9]+ s\\b"), "T s");
  out = std::regex_replace(out, std::regex("[0-9]+ states/s"), "R states/s");
  out = std::regex_replace(out, std::regex("peak memory [0-9]+ MB"), "peak memory M MB");
  out = std::regex_replace(out, std::regex(", [0-9]+ threads"), "");
  // --format json: the same, as keys.
  out = std::regex_replace(out, std::regex("\"seconds\": [0-9.e+-]+"), "\"seconds\": T");
  out = std::regex_replace(out, std::regex("\"peak_memory_bytes\": [0-9]+"), "\"peak_memory_bytes\": M");
  out = std::regex_replace(out, std::regex(",\\s*\"threads\": [0-9]+"), "");
  return out;
}

struct Output {
  int code = 0;
  std::string out, err;
};

Output check(std::vector<std::string> args, int threads) {
  args.push_back("--threads");
  args.push_back(std::to_string(threads));
  Options options = parse_options(args);
  options.limits.parallel_min_level = 1;  // every level on the parallel path
  Output o;
  std::ostringstream out, err;
  try {
    o.code = run_check(options, out, err);
  } catch (const std::exception& e) {
    err << "exception: " << e.what();
    o.code = -1;
  }
  o.out = normalized(out.str());
  o.err = normalized(err.str());
  return o;
}

void expect_same_output(const std::vector<std::string>& args, const std::string& what) {
  const Output one = check(args, 1);
  for (int threads : {2, 3}) {
    const Output more = check(args, threads);
    EXPECT_EQ(one.code, more.code) << what << ", " << threads << " threads";
    EXPECT_EQ(one.out, more.out) << what << ", " << threads << " threads";
    EXPECT_EQ(one.err, more.err) << what << ", " << threads << " threads";
  }
}

std::vector<std::string> spec_files() {
  std::vector<std::string> out;
  for (const char* folder : {"specs", "tests/regress"})
    for (const auto& e : fs::recursive_directory_iterator(fs::path(INTERLOCK_SOURCE_DIR) / folder)) {
      if (e.path().extension() != ".sched") continue;
      const std::string name = e.path().filename().string();
      if (name == "links_5.sched" || name == "links_6.sched") continue;  // millions of states: the benchmarks
      out.push_back(fs::relative(e.path(), INTERLOCK_SOURCE_DIR).string());
    }
  std::sort(out.begin(), out.end());
  return out;
}

class ThreadedSpecFile : public ::testing::TestWithParam<std::string> {};

TEST_P(ThreadedSpecFile, CheckPrintsTheSameOnAnyNumberOfThreads) {
  const std::string spec = std::string(INTERLOCK_SOURCE_DIR) + "/" + GetParam();
  expect_same_output({"check", spec, "--engine", "explicit", "--native", "off", "--quiet"}, GetParam());
}

std::string spec_test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string out;
  for (char ch : info.param) out += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
  return out;
}

INSTANTIATE_TEST_SUITE_P(Specs, ThreadedSpecFile, ::testing::ValuesIn(spec_files()), spec_test_name);

// The same with lint off and only the properties partial-order reduction is used for (not
// responses nor delays): the reduced search, on 1, 2 and 3 threads, with its statistics (how
// many states were reduced, how many not looked at) and traces. The arguments of each spec that
// loads and has such a property.
std::vector<std::vector<std::string>> reduced_checks() {
  std::vector<std::vector<std::string>> out;
  for (const std::string& file : spec_files()) {
    Model model;
    try {
      model = load_model(std::string(INTERLOCK_SOURCE_DIR) + "/" + file);
    } catch (const InputError&) {
      continue;  // meant to be rejected: the test above compares the error
    }
    std::vector<std::string> args = {"check", std::string(INTERLOCK_SOURCE_DIR) + "/" + file, "--engine", "explicit",
                                      "--native", "off", "--lint", "off"};
    for (const Property& p : model.properties)
      if (p.kind != Property::Kind::Response && !p.delay) args.insert(args.end(), {"--prop", p.name});
    if (args.size() > 8) out.push_back(args);
  }
  return out;
}

class ReducedSpecFile : public ::testing::TestWithParam<std::vector<std::string>> {};

TEST_P(ReducedSpecFile, CheckPrintsTheSameOnAnyNumberOfThreads) {
  expect_same_output(GetParam(), GetParam()[1] + ", reduced");
}

std::string reduced_test_name(const ::testing::TestParamInfo<std::vector<std::string>>& info) {
  std::string out;
  for (char ch : fs::relative(info.param[1], INTERLOCK_SOURCE_DIR).string()) out += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
  return out;
}

INSTANTIATE_TEST_SUITE_P(Specs, ReducedSpecFile, ::testing::ValuesIn(reduced_checks()), reduced_test_name);

TEST(ThreadedSearch, CheckPrintsTheSameWithNativeCodeAndJson) {
  const std::string dir = std::string(INTERLOCK_SOURCE_DIR) + "/";
  auto check = [&](const std::string& spec, std::vector<std::string> more) {
    std::vector<std::string> args = {"check", dir + spec, "--engine", "explicit", "--quiet"};
    args.insert(args.end(), more.begin(), more.end());
    std::string what = spec;
    for (const std::string& m : more) what += " " + m;
    expect_same_output(args, what);
  };
  check("specs/bench/links_3.sched", {"--native", "on"});
  check("specs/hazards/lost_update.sched", {"--native", "on"});
  check("specs/msmail/fixes/window.sched", {"--native", "on", "--prop", "no_drop"});
  check("specs/bench/links_3.sched", {"--native", "off", "--format", "json"});
  check("specs/hazards/lost_update.sched", {"--native", "off", "--format", "json"});
  check("specs/bench/links_3.sched", {"--native", "off", "--depth", "30"});
  check("specs/bench/links_3.sched", {"--native", "off", "--memory", "1"});
  check("specs/bench/links_4.sched", {"--native", "on", "--prop", "no_drop"});
}

TEST(ThreadedSearch, CheckPrintsTheSameOnRandomSpecs) {
  for (uint32_t seed = 1; seed <= testing::specs_to_try(300); ++seed) {
    const bool oracle = seed % 3 == 0;  // a third may fail at run time
    const std::string text = oracle ? testing::random_oracle_spec(seed) : testing::random_spec(seed);
    const std::string path = testing::write_temp_spec("threads-" + std::to_string(seed), text);
    expect_same_output({"check", path, "--engine", "explicit", "--native", "off", "--quiet"},
                       (oracle ? "oracle spec " : "random spec ") + std::to_string(seed));
    fs::remove(path);
    if (::testing::Test::HasFailure()) {
      ADD_FAILURE() << text;
      break;
    }
  }
}

TEST(ThreadedSearch, ThreadsOptionIsCheckedAndShown) {
  std::ostringstream out, err;
  const std::string spec = std::string(INTERLOCK_SOURCE_DIR) + "/specs/hazards/lost_update.sched";
  for (const char* bad : {"0", "-1", "x", "257"}) {
    std::ostringstream o, e;
    EXPECT_EQ(run_command_line({"check", spec, "--threads", bad}, o, e), 2) << bad;
    EXPECT_NE(e.str().find("--threads"), std::string::npos) << e.str();
  }
  EXPECT_EQ(parse_options({"check", spec}).limits.threads, 0);  // one per core
  EXPECT_EQ(parse_options({"lint", spec, "--threads", "3"}).limits.threads, 3);
  EXPECT_EQ(parse_options({"compare", spec, "--jobs", "1", "--threads", "2"}).limits.threads, 2);
  EXPECT_GE(parse_options({"compare", spec}).limits.threads, 1);
  // The statistics say how many threads searched, when more than one did: with the levels of
  // this spec (a few hundred states) that takes parallel_min_level = 1.
  Options options = parse_options({"check", spec, "--threads", "2", "--lint", "off"});
  options.limits.parallel_min_level = 1;
  run_check(options, out, err);
  EXPECT_NE(out.str().find(", 2 threads"), std::string::npos) << out.str();
  for (const char* threads : {"1", "2"}) {
    std::ostringstream o, e;
    run_command_line({"check", spec, "--threads", threads, "--lint", "off"}, o, e);
    EXPECT_EQ(o.str().find(" threads"), std::string::npos) << o.str();
  }
}

}  // namespace
}  // namespace interlock

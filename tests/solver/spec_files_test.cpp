// Every spec in the repository, one test each: its verdicts meet the "// expect: NAME VERDICT"
// lines it states (every property needs one), every trace replays on the model, and bmc agrees
// with the explicit engine to depth 4 (tests/support/engine_compare.h). Specs in tests/regress/
// once exposed a bug and stay with their verdicts.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>

#include "support/engine_compare.h"
#include "support/test_models.h"

namespace interlock {
namespace {

namespace fs = std::filesystem;

std::map<std::string, std::string> expectations(const fs::path& path) {
  std::map<std::string, std::string> out;
  std::ifstream in(path);
  std::string line;
  const std::string marker = "// expect: ";
  while (std::getline(in, line)) {
    if (line.rfind(marker, 0) != 0) continue;
    std::string rest = line.substr(marker.size());
    auto space = rest.find(' ');
    if (space != std::string::npos) out[rest.substr(0, space)] = rest.substr(space + 1);
  }
  return out;
}

// The benchmark's sizes above 3 take minutes; bench/run_bench.sh runs them.
bool large_benchmark(const std::string& name) { return name.rfind("links_", 0) == 0 && name > "links_3.sched"; }

// Paths relative to the source folder, so that test names stay short and stable.
std::vector<std::string> spec_files() {
  std::vector<std::string> files;
  for (const char* dir : {"specs", "tests/regress"})
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(INTERLOCK_SOURCE_DIR) / dir))
      if (entry.path().extension() == ".sched" && !large_benchmark(entry.path().filename().string()))
        files.push_back(fs::relative(entry.path(), INTERLOCK_SOURCE_DIR).string());
  std::sort(files.begin(), files.end());
  return files;
}

class SpecFile : public ::testing::TestWithParam<std::string> {};

TEST_P(SpecFile, MeetsItsExpectationsAndEnginesAgree) {
  const fs::path path = fs::path(INTERLOCK_SOURCE_DIR) / GetParam();
  Model model = load_model(path.string());
  auto results = testing::check_all(model);
  auto expected = expectations(path);
  if (!expected.empty()) {
    EXPECT_EQ(results.size(), expected.size()) << "every property needs an expectation";
    for (const auto& r : results) {
      auto it = expected.find(r.property);
      if (it == expected.end()) {
        ADD_FAILURE() << "no expectation for " << r.property;
        continue;
      }
      EXPECT_EQ(verdict_name(r.verdict), it->second) << r.property << ": " << r.detail;
    }
  }
  for (const auto& r : results)
    if (r.trace) {
      EXPECT_EQ(testing::replay(model, *r.trace), "") << r.property;
    }
  // The naive earliest-time search keeps every state in a std::map, and follows every wait tick
  // by tick from every state (about states x depth ticks): small models only. (A week in minutes,
  // tests/regress/clock_time_weekly.sched, is 76 M ticks: 16 s here, minutes under ASan.)
  const bool small = !results.empty() && results[0].stats.states <= 200000 &&
                     results[0].stats.states * static_cast<uint64_t>(results[0].stats.depth + 1) <= 60'000'000;
  EXPECT_EQ(testing::compare_engines(model, results, 4, nullptr, small), "");
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string out;
  for (char c : info.param) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

INSTANTIATE_TEST_SUITE_P(Repository, SpecFile, ::testing::ValuesIn(spec_files()), test_name);

}  // namespace
}  // namespace interlock

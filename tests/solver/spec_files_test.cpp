// Every spec in the repository, one test each: its verdicts meet the "// expect: NAME VERDICT"
// lines it states (every property needs one), every trace replays on the model, and bmc agrees
// with the explicit engine to depth 4 (tests/support/engine_compare.h). Specs in tests/regress/
// once exposed a bug and stay with their verdicts. Lint (solver/lint/) gives exactly the warnings
// its "// lint: TEXT" lines list (TEXT is part of the warning; none listed: lint is clean), each
// one kept on purpose, as the spec says beside it.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>

#include "solver/lint/lint.h"
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

std::vector<std::string> lint_expectations(const fs::path& path) {
  std::vector<std::string> out;
  std::ifstream in(path);
  std::string line;
  const std::string marker = "// lint: ";
  while (std::getline(in, line))
    if (line.rfind(marker, 0) == 0) out.push_back(line.substr(marker.size()));
  return out;
}

// The warnings that no listed text matches, and the texts that match no warning (each text one
// warning).
std::string lint_mismatch(const LintReport& report, const std::vector<std::string>& expected) {
  std::vector<bool> used(report.warnings.size(), false);
  std::string out;
  for (const std::string& text : expected) {
    bool found = false;
    for (std::size_t w = 0; w < report.warnings.size() && !found; ++w)
      if (!used[w] && report.warnings[w].message.find(text) != std::string::npos) used[w] = found = true;
    if (!found) out += "no warning says: " + text + "\n";
  }
  for (std::size_t w = 0; w < report.warnings.size(); ++w)
    if (!used[w])
      out += "unexpected warning at " + std::to_string(report.warnings[w].loc.line) + ":" +
             std::to_string(report.warnings[w].loc.col) + ": " + report.warnings[w].message + "\n";
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
  // The check also records what lint needs (as `check` does by default).
  std::vector<int> all;
  for (std::size_t p = 0; p < model.properties.size(); ++p) all.push_back(static_cast<int>(p));
  Limits limits;
  limits.coverage = lint_request(model, all);
  auto results = testing::check_all(model, limits);
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

  std::ifstream in(path);
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  LintReport lint = lint_after_check(model, all, results, SpecText(model, text));
  if (!lint.explored) {  // the check stopped early: lint's own search, as `interlock lint` runs it
    RunContext context(Limits{}, nullptr);
    lint = lint_spec(model, context, SpecText(model, text));
  }
  EXPECT_EQ(lint_mismatch(lint, lint_expectations(path)), "");
}

std::string test_name(const ::testing::TestParamInfo<std::string>& info) {
  std::string out;
  for (char c : info.param) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

INSTANTIATE_TEST_SUITE_P(Repository, SpecFile, ::testing::ValuesIn(spec_files()), test_name);

}  // namespace
}  // namespace interlock

// Every spec under specs/ that states its expected verdicts (lines "// expect: NAME VERDICT")
// is checked against them, and every counterexample or witness replays on the model.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>

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

// specs/ and tests/regress/ (specs that once exposed a bug stay there with their verdicts).
TEST(SpecCorpus, EverySpecMeetsItsExpectedVerdicts) {
  int checked = 0;
  std::vector<fs::path> files;
  for (const char* dir : {"specs", "tests/regress"})
    for (const auto& entry : fs::recursive_directory_iterator(fs::path(INTERLOCK_SOURCE_DIR) / dir)) files.push_back(entry.path());
  for (const fs::path& path : files) {
    const fs::directory_entry entry(path);
    if (entry.path().extension() != ".sched") continue;
    auto expected = expectations(entry.path());
    if (expected.empty()) continue;
    SCOPED_TRACE(entry.path().string());
    Model model = load_model(entry.path().string());
    auto results = testing::check_all(model);
    EXPECT_EQ(results.size(), expected.size()) << "every property needs an expectation";
    for (const auto& r : results) {
      auto it = expected.find(r.property);
      ASSERT_NE(it, expected.end()) << "no expectation for " << r.property;
      EXPECT_EQ(verdict_name(r.verdict), it->second) << r.property << ": " << r.detail;
      if (r.trace) {
        EXPECT_EQ(testing::replay(model, *r.trace), "") << r.property;
      }
    }
    ++checked;
  }
  EXPECT_GE(checked, 7);
}

}  // namespace
}  // namespace interlock

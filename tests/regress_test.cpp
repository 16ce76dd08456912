// The regressions of tests/regress/: each spec there once exposed a bug. Besides the
// "// expect: NAME VERDICT" lines that tests/solver/spec_files_test.cpp checks, a spec may carry
// command lines to run through the command-line front end, each with what it must give:
//
//   // run: check SPEC --engine kind --free all     (SPEC is this file; words split on spaces)
//   // exit: 0                                       (required)
//   // stdout: holds     c_stays                     (a substring that must appear; repeatable)
//   // stderr: error:                                (the same for stderr)
//   // no stdout: violated                           (a substring that must not appear)
//
// A `run:` line starts a new command; the lines after it, up to the next `run:`, belong to it.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/commands.h"

namespace interlock {
namespace {

namespace fs = std::filesystem;

struct Expectation {
  enum class Stream { Out, Err } stream = Stream::Out;
  bool present = true;
  std::string text;
};

struct Command {
  std::string file;  // relative to the source folder
  int line = 0;
  std::vector<std::string> args;
  int exit = -1;
  std::vector<Expectation> expect;
};

std::vector<std::string> split_words(const std::string& text, const std::string& spec) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string word;
  while (in >> word) out.push_back(word == "SPEC" ? spec : word);
  return out;
}

std::vector<Command> commands_in(const fs::path& path) {
  std::vector<Command> out;
  std::ifstream in(path);
  std::string line;
  int number = 0;
  const std::string relative = fs::relative(path, INTERLOCK_SOURCE_DIR).string();
  auto field = [&](const std::string& key, std::string& value) {
    const std::string marker = "// " + key + ":";
    if (line.rfind(marker, 0) != 0) return false;
    value = line.substr(marker.size());
    if (!value.empty() && value[0] == ' ') value.erase(0, 1);
    return true;
  };
  while (std::getline(in, line)) {
    ++number;
    std::string value;
    if (field("run", value)) {
      out.push_back({relative, number, split_words(value, path.string()), -1, {}});
      continue;
    }
    if (out.empty()) continue;
    Command& c = out.back();
    if (field("exit", value)) c.exit = std::stoi(value);
    else if (field("stdout", value)) c.expect.push_back({Expectation::Stream::Out, true, value});
    else if (field("stderr", value)) c.expect.push_back({Expectation::Stream::Err, true, value});
    else if (field("no stdout", value)) c.expect.push_back({Expectation::Stream::Out, false, value});
    else if (field("no stderr", value)) c.expect.push_back({Expectation::Stream::Err, false, value});
  }
  return out;
}

std::vector<Command> all_commands() {
  std::vector<fs::path> files;
  for (const auto& entry : fs::directory_iterator(fs::path(INTERLOCK_SOURCE_DIR) / "tests/regress"))
    if (entry.path().extension() == ".sched") files.push_back(entry.path());
  std::sort(files.begin(), files.end());
  std::vector<Command> out;
  for (const fs::path& f : files)
    for (Command& c : commands_in(f)) out.push_back(std::move(c));
  return out;
}

void PrintTo(const Command& c, std::ostream* os) { *os << c.file << ":" << c.line; }

class Regression : public ::testing::TestWithParam<Command> {};

TEST_P(Regression, CommandGivesWhatTheSpecSays) {
  const Command& c = GetParam();
  ASSERT_GE(c.exit, 0) << c.file << ":" << c.line << ": a `run:` line needs an `exit:` line";
  std::ostringstream out, err;
  const int code = run_command_line(c.args, out, err);
  const std::string where = c.file + ":" + std::to_string(c.line);
  EXPECT_EQ(code, c.exit) << where << "\nstdout:\n" << out.str() << "\nstderr:\n" << err.str();
  for (const Expectation& e : c.expect) {
    const std::string text = e.stream == Expectation::Stream::Out ? out.str() : err.str();
    const bool found = text.find(e.text) != std::string::npos;
    EXPECT_EQ(found, e.present) << where << ": " << (e.present ? "missing" : "unwanted") << " in "
                                << (e.stream == Expectation::Stream::Out ? "stdout" : "stderr") << ": \"" << e.text
                                << "\"\n" << text;
  }
}

std::string test_name(const ::testing::TestParamInfo<Command>& info) {
  std::string out;
  for (char ch : fs::path(info.param.file).stem().string()) out += std::isalnum(static_cast<unsigned char>(ch)) ? ch : '_';
  return out + "_line" + std::to_string(info.param.line);
}

INSTANTIATE_TEST_SUITE_P(Specs, Regression, ::testing::ValuesIn(all_commands()), test_name);

}  // namespace
}  // namespace interlock

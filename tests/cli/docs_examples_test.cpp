// Every example in docs/*.md is run again, as the README's are (tests/cli/readme_test.cpp): each
// line it shows must be printed, in that order. The examples run in a scratch folder that sees
// the repository's specs/ and tests/, so that one that writes a file (`import ... -o F`, then
// `$ cat F`) writes it there; a command other than interlock's runs in the shell. An example
// marked `<!-- not rerun: REASON -->` is left out, and the test says which and why.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "cli/commands.h"
#include "support/doc_examples.h"

namespace interlock {
namespace {

namespace fs = std::filesystem;
using testing::DocCommand;
using testing::DocExample;

std::vector<std::string> doc_files() {
  std::vector<std::string> names;
  for (const fs::directory_entry& f : fs::directory_iterator(fs::path(INTERLOCK_SOURCE_DIR) / "docs"))
    if (f.path().extension() == ".md") names.push_back(f.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

// What a shell command prints (stdout and stderr), run in the current folder.
std::string shell_output(const std::string& command) {
  std::string printed;
  if (FILE* pipe = ::popen((command + " 2>&1").c_str(), "r")) {
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) printed.append(buffer, n);
    ::pclose(pipe);
  }
  return printed;
}

class DocsExamples : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    scratch_ = fs::temp_directory_path() / ("interlock_docs_" + std::to_string(::getpid()) + "_" + test_name());
    fs::remove_all(scratch_);
    fs::create_directories(scratch_);
    for (const char* dir : {"specs", "tests"}) fs::create_directory_symlink(fs::path(INTERLOCK_SOURCE_DIR) / dir, scratch_ / dir);
  }
  void TearDown() override { fs::remove_all(scratch_); }
  static std::string test_name() {
    std::string name = GetParam();
    std::replace(name.begin(), name.end(), '.', '_');
    return name;
  }
  fs::path scratch_;
};

TEST_P(DocsExamples, EveryExampleShowsWhatTheCommandPrints) {
  const std::string doc = "docs/" + GetParam();
  const std::vector<DocExample> examples = testing::doc_examples((fs::path(INTERLOCK_SOURCE_DIR) / doc).string());
  const fs::path here = fs::current_path();
  fs::current_path(scratch_);
  int run = 0;
  for (const DocExample& e : examples) {
    if (!e.not_rerun.empty()) {
      std::cout << doc << ":" << e.line << ": not rerun: " << e.not_rerun << "\n";
      continue;
    }
    for (const DocCommand& c : e.commands) {
      std::string printed;
      if (c.program == "interlock") {
        std::ostringstream out, err;
        run_command_line(c.args, out, err);
        printed = out.str() + err.str();
      } else {
        printed = shell_output(c.text);
      }
      ++run;
      if (std::optional<std::size_t> k = testing::first_line_not_printed(c.shown, printed))
        ADD_FAILURE() << doc << ":" << c.shown_at[*k] << ": `" << c.text
                      << "` does not print, at this point of its output:\n  " << c.shown[*k] << "\nIt printed:\n"
                      << printed.substr(0, 20000);
    }
  }
  fs::current_path(here);
  std::cout << doc << ": " << run << " commands run again\n";
}

INSTANTIATE_TEST_SUITE_P(Docs, DocsExamples, ::testing::ValuesIn(doc_files()), [](const auto& info) {
  std::string name = info.param;
  std::replace(name.begin(), name.end(), '.', '_');
  std::replace(name.begin(), name.end(), '-', '_');
  return name;
});

// The parser the two tests share: prompts, several commands in a block, "..." in a line.
TEST(DocExamples, ABlockSplitsAtEachPromptAndDotsStandForAnyText) {
  const fs::path file = fs::temp_directory_path() / ("interlock_doc_parse_" + std::to_string(::getpid()) + ".md");
  std::ofstream(file) << "text\n```\n$ interlock check a.sched\nholds x\n...\nexplored: 3 states\n$ cat b.sched\nsystem b;\n```\n"
                      << "<!-- not rerun: reads the terminal -->\n```\n$ interlock simulate a.sched --interactive\n> step\n```\n"
                      << "```\nno prompt here\n```\n";
  const std::vector<DocExample> examples = testing::doc_examples(file.string());
  fs::remove(file);
  ASSERT_EQ(examples.size(), 2u);
  ASSERT_EQ(examples[0].commands.size(), 2u);
  EXPECT_EQ(examples[0].commands[0].text, "interlock check a.sched");
  EXPECT_EQ(examples[0].commands[0].args, (std::vector<std::string>{"check", "a.sched"}));
  EXPECT_EQ(examples[0].commands[0].shown, (std::vector<std::string>{"holds x", "explored: 3 states"}));
  EXPECT_EQ(examples[0].commands[0].shown_at, (std::vector<int>{4, 6}));
  EXPECT_EQ(examples[0].commands[1].text, "cat b.sched");
  EXPECT_EQ(examples[0].commands[1].program, "cat");
  EXPECT_EQ(examples[1].not_rerun, "reads the terminal");
  using testing::first_line_not_printed;
  EXPECT_FALSE(first_line_not_printed({"a ... c", "explored: 3 states, 0.5 s"}, "x\na b c\nexplored: 3 states, 0.25 s\n"));
  EXPECT_EQ(first_line_not_printed({"a ... d"}, "a b c\n"), std::optional<std::size_t>(0));
  EXPECT_EQ(first_line_not_printed({"b", "a"}, "a\nb\n"), std::optional<std::size_t>(1));  // in order
}

}  // namespace
}  // namespace interlock

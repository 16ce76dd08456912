// What interlock prints may quote its input: the spec's file name above all, in headers, lint
// warnings, tables and "wrote" notes. Every command is run on a spec (and a trace) whose name
// holds an escape sequence, a C1 control, a bidirectional override and a byte that is not UTF-8;
// nothing it prints may hold any of them, and its JSON must parse.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>
#include <unistd.h>

#include "cli/commands.h"

namespace interlock {
namespace {

namespace fs = std::filesystem;

const std::string kHostile = "\x1b]0;owned\x07\x1b[31m\xc2\x9b\xe2\x80\xae\xff";

struct Outcome {
  int code = 0;
  std::string out, err;
};

Outcome run(const std::vector<std::string>& args) {
  std::ostringstream out, err;
  Outcome r;
  r.code = run_command_line(args, std::cin, out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

// What in `text` could drive a terminal or reorder what it shows, written out; empty if nothing.
// Independent of the code under test: the planted bytes are looked for one by one.
std::string driving_bytes(const std::string& text) {
  std::string found;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const unsigned char next = i + 1 < text.size() ? static_cast<unsigned char>(text[i + 1]) : 0;
    if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f) found += "control " + std::to_string(c) + " at " + std::to_string(i) + "; ";
    if (c == 0xc2 && next >= 0x80 && next < 0xa0) found += "C1 at " + std::to_string(i) + "; ";
    if (text.compare(i, 3, "\xe2\x80\xae") == 0) found += "bidi override at " + std::to_string(i) + "; ";
    if (c == 0xff) found += "byte 0xff at " + std::to_string(i) + "; ";
  }
  return found;
}

class HostileNames : public ::testing::Test {
 protected:
  void SetUp() override {
    folder = fs::temp_directory_path() / ("interlock_hostile_" + std::to_string(getpid()));
    fs::create_directories(folder / "compare");
    spec = (folder / ("cron" + kHostile + ".sched")).string();
    fs::copy_file(fs::path(INTERLOCK_SOURCE_DIR) / "specs" / "hazards" / "cron_race.sched", spec);
    fs::copy_file(spec, folder / "compare" / ("a" + kHostile + ".sched"));
  }
  void TearDown() override { fs::remove_all(folder); }

  void expect_clean(const std::vector<std::string>& args, int code) {
    std::string line;
    for (const std::string& a : args) line += (line.empty() ? "" : " ") + a;
    SCOPED_TRACE(line);
    const Outcome r = run(args);
    EXPECT_EQ(r.code, code) << r.out << r.err;
    EXPECT_EQ(driving_bytes(r.out), "") << r.out;
    EXPECT_EQ(driving_bytes(r.err), "") << r.err;
    last = r;
  }

  fs::path folder;
  std::string spec;
  Outcome last;
};

TEST_F(HostileNames, NoCommandPrintsWhatCouldDriveTheTerminal) {
  expect_clean({"check", spec}, 1);
  EXPECT_NE(last.out.find("cron?]0;owned??[31m"), std::string::npos) << "the name, its controls as '?': " << last.out;
  expect_clean({"check", spec, "--lint", "on"}, 1);
  for (const char* format : {"mermaid", "dot", "html"}) expect_clean({"check", spec, "--trace", format}, 1);
  expect_clean({"simulate", spec, "--steps", "5"}, 0);
  expect_clean({"explain", spec, "--prop", "one_at_a_time"}, 1);
  expect_clean({"lint", spec}, 0);
  expect_clean({"export", "--promela", spec}, 0);
  expect_clean({"synth", spec, "--param", "ROTATE_MAX", "--lint", "off"}, 0);
  for (const char* format : {"text", "markdown"}) expect_clean({"compare", (folder / "compare").string(), "--jobs", "1", "--format", format}, 0);
}

TEST_F(HostileNames, JsonStaysJsonAndVerdictsStay) {
  // A name that is not UTF-8 cannot go into JSON as it is: it is written with U+FFFD, and the
  // verdict is still the verdict (it was an internal error, exit 3).
  expect_clean({"check", spec, "--trace", "json", "--quiet"}, 1);
  EXPECT_TRUE(nlohmann::json::accept(last.out)) << last.out;
  const std::string trace = (folder / ("trace" + kHostile + ".json")).string();
  std::ofstream(trace) << last.out;
  expect_clean({"check", spec, "--format", "json"}, 1);
  EXPECT_TRUE(nlohmann::json::accept(last.out)) << last.out;
  expect_clean({"replay", spec, trace}, 0);
  EXPECT_NE(last.out.find("a run of this spec"), std::string::npos) << last.out;
  expect_clean({"compare", (folder / "compare").string(), "--jobs", "1", "--format", "json"}, 0);
  EXPECT_TRUE(nlohmann::json::accept(last.out)) << last.out;
}

// A name with a '|' keeps a Markdown table whole, and the command a footnote suggests runs
// nothing a name holds when pasted into a shell.
TEST_F(HostileNames, TablesAndSuggestedCommandsQuoteTheName) {
  const fs::path dir = folder / "quoting";
  fs::create_directories(dir);
  const fs::path named = dir / "a|b $(touch pwned) 'q'.sched";
  fs::copy_file(spec, named);
  expect_clean({"compare", dir.string(), "--jobs", "1", "--format", "markdown"}, 0);
  EXPECT_NE(last.out.find("| " + (dir / "a\\|b $(touch pwned) 'q'.sched").string() + " |"), std::string::npos) << last.out;
  const std::string quoted = "interlock check '" + (dir / "a|b $(touch pwned) '\\''q'\\''.sched").string() + "' --prop one_at_a_time";
  EXPECT_NE(last.out.find("`" + quoted + "`"), std::string::npos) << last.out;
  expect_clean({"compare", dir.string(), "--jobs", "1"}, 0);
  EXPECT_NE(last.out.find("\n    " + quoted + "\n"), std::string::npos) << last.out;
  // Markup in a name stays text in Markdown: a backslash before each character Markdown reads
  // (an outside tester's `<script>` went to the rendered page as HTML).
  const fs::path markup = folder / "markup";
  fs::create_directories(markup);
  fs::copy_file(spec, markup / "x<script>&[y]`*.sched");
  expect_clean({"compare", markup.string(), "--jobs", "1", "--format", "markdown"}, 0);
  EXPECT_NE(last.out.find("| " + markup.string() + "/x\\<script\\>\\&\\[y\\]\\`\\*.sched |"), std::string::npos) << last.out;
  std::istringstream lines(last.out);
  for (std::string line; std::getline(lines, line);)  // only in a code span, which Markdown shows as is
    if (line.rfind("    `", 0) != 0) {
      EXPECT_EQ(line.find("<script>"), std::string::npos) << line;
    }
}

}  // namespace
}  // namespace interlock

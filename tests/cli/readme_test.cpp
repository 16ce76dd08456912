// The README shows real output: every example it prints is run again here, and each line it
// shows must be printed, in that order (times, rates, peak memory, thread counts and how many
// states native code expanded vary from run to run and are left out of the comparison). An
// example is a fenced block that starts with `$ ./build/interlock ARGS`, or one right after a
// comment `<!-- output of: interlock ARGS -->`. (The first example had fallen behind the trace
// format for two sessions before this test.)
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "cli/commands.h"

namespace interlock {
namespace {

namespace fs = std::filesystem;

struct Example {
  int line = 0;  // of the block's first output line, in README.md
  std::string command;
  std::vector<std::string> shown;
};

std::vector<Example> examples_of(const std::string& path) {
  std::ifstream file(path);
  std::vector<std::string> lines;
  for (std::string l; std::getline(file, l);) lines.push_back(l);
  std::vector<Example> found;
  const std::string prompt = "$ ./build/interlock ", marker = "<!-- output of: interlock ";
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].rfind("```", 0) != 0) continue;
    std::size_t close = i + 1;
    while (close < lines.size() && lines[close].rfind("```", 0) != 0) ++close;
    Example e;
    std::size_t first = i + 1;
    if (first < close && lines[first].rfind(prompt, 0) == 0) {
      e.command = lines[first].substr(prompt.size());
      ++first;
    } else if (i > 0 && lines[i - 1].rfind(marker, 0) == 0) {
      const std::string& m = lines[i - 1];
      e.command = m.substr(marker.size(), m.rfind(" -->") - marker.size());
    }
    if (!e.command.empty()) {
      e.line = static_cast<int>(first) + 1;
      for (std::size_t k = first; k < close; ++k)
        if (lines[k] != "...") e.shown.push_back(lines[k]);
      found.push_back(e);
    }
    i = close;
  }
  return found;
}

std::string without_what_varies(std::string line) {
  static const std::regex seconds(R"(\b\d+(\.\d+)? s\b)"), rate(R"(\d+ states/s)"), peak(R"(peak memory \d+ MB)"),
      threads(R"(, \d+ threads)"), native(R"(\d+ states expanded by native code)");
  line = std::regex_replace(line, rate, "R states/s");
  line = std::regex_replace(line, seconds, "T s");
  line = std::regex_replace(line, peak, "peak memory M MB");
  line = std::regex_replace(line, threads, "");
  return std::regex_replace(line, native, "N states expanded by native code");
}

TEST(Readme, EveryExampleShowsWhatTheCommandPrints) {
  const fs::path source(INTERLOCK_SOURCE_DIR);
  const std::vector<Example> examples = examples_of((source / "README.md").string());
  EXPECT_GE(examples.size(), 6u);
  // The examples run where the README's reader runs them, with its relative paths (a table's
  // widths depend on them).
  const fs::path here = fs::current_path();
  fs::current_path(source);
  for (const Example& e : examples) {
    std::vector<std::string> args;
    std::istringstream words(e.command);
    for (std::string w; words >> w;) args.push_back(w);
    std::ostringstream out, err;
    run_command_line(args, out, err);
    const std::string printed = out.str() + err.str();
    std::vector<std::string> lines;
    std::istringstream text(printed);
    for (std::string l; std::getline(text, l);) lines.push_back(without_what_varies(l));
    std::size_t next = 0;
    for (std::size_t k = 0; k < e.shown.size(); ++k) {
      const std::string want = without_what_varies(e.shown[k]);
      std::size_t at = next;
      while (at < lines.size() && lines[at] != want) ++at;
      if (at == lines.size()) {
        ADD_FAILURE() << "README.md:" << e.line + static_cast<int>(k) << ": `interlock " << e.command
                      << "` does not print, at this point of its output:\n  " << e.shown[k] << "\nIt printed:\n"
                      << printed;
        break;
      }
      next = at + 1;
    }
  }
  fs::current_path(here);
}

}  // namespace
}  // namespace interlock

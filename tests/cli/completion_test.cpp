// The bash completion and the man page, generated from the command line's definitions: each
// names every command and option that parsing accepts, the script runs in bash and completes
// commands, options, choices, spec files and a spec's names, and the page renders without a
// warning from groff.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "cli/command_spec.h"
#include "cli/commands.h"
#include "cli/completion.h"
#include "cli/man_page.h"
#include "cli/options.h"

namespace interlock {
namespace {

namespace fs = std::filesystem;

std::string run_shell(const std::string& command) {
  std::string out;
  FILE* pipe = ::popen(command.c_str(), "r");
  if (!pipe) return out;
  char buf[4096];
  for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, pipe)) > 0;) out.append(buf, n);
  ::pclose(pipe);
  return out;
}

class Completion : public testing::Test {
 protected:
  void SetUp() override {
    script_ = fs::temp_directory_path() / ("interlock_completion_" + std::to_string(::getpid()) + ".bash");
    std::ofstream(script_) << bash_completion(command_line_spec());
  }
  void TearDown() override { fs::remove(script_); }

  // The words bash would offer after `line` (the last word is the one being completed).
  std::vector<std::string> complete(const std::string& line) {
    std::istringstream in(line);
    std::vector<std::string> words;
    for (std::string w; in >> w;) words.push_back(w);
    if (line.back() == ' ') words.push_back("");
    std::string array;
    for (const std::string& w : words) array += " '" + w + "'";
    const std::string command = "cd '" + std::string(INTERLOCK_SOURCE_DIR) + "' && bash -c \"source '" + script_.string() +
                                "'; COMP_WORDS=(" + array + "); COMP_CWORD=" + std::to_string(words.size() - 1) +
                                "; _interlock; printf '%s\\n' \\\"\\${COMPREPLY[@]}\\\"\" 2>/dev/null";
    std::istringstream out(run_shell(command));
    std::vector<std::string> offered;
    for (std::string w; std::getline(out, w);)
      if (!w.empty()) offered.push_back(w);
    return offered;
  }
  static bool has(const std::vector<std::string>& words, const std::string& w) {
    return std::find(words.begin(), words.end(), w) != words.end();
  }

  fs::path script_;
};

TEST_F(Completion, TheScriptIsValidBash) {
  EXPECT_EQ(run_shell("bash -n '" + script_.string() + "' 2>&1; echo rc=$?"), "rc=0\n");
}

TEST_F(Completion, CommandsOptionsAndChoices) {
  EXPECT_TRUE(has(complete("interlock ch"), "check"));
  EXPECT_TRUE(has(complete("interlock c"), "compare"));
  EXPECT_EQ(complete("interlock check --fr"), std::vector<std::string>{"--free"});
  const auto engines = complete("interlock check x.sched --engine ");
  for (const char* e : {"explicit", "bmc", "kind", "chc", "auto"}) EXPECT_TRUE(has(engines, e)) << e;
  EXPECT_EQ(engines.size(), 5u);
  const auto compare = complete("interlock compare --");
  EXPECT_TRUE(has(compare, "--jobs"));
  EXPECT_FALSE(has(compare, "--engine")) << "check's option is not compare's";
  EXPECT_EQ(complete("interlock import "), (std::vector<std::string>{"crontab", "systemd", "--help"}));
  EXPECT_TRUE(has(complete("interlock import crontab x --"), "--system"));
  EXPECT_FALSE(has(complete("interlock import systemd x --"), "--system"));
  EXPECT_EQ(complete("interlock lint x.sched --format "), (std::vector<std::string>{"text", "sarif"}));
}

TEST_F(Completion, SpecFilesAndTheNamesASpecDeclares) {
  EXPECT_EQ(complete("interlock check specs/msmail/orig"), std::vector<std::string>{"specs/msmail/original.sched"});
  const auto props = complete("interlock check specs/msmail/original.sched --prop no_");
  EXPECT_EQ(props, (std::vector<std::string>{"no_drop", "no_loss", "no_duplicate"}));
  EXPECT_TRUE(has(complete("interlock check specs/msmail/original.sched --prop dead"), "deadlock_free"));
  EXPECT_TRUE(has(complete("interlock check specs/msmail/original.sched --set BACKUP_"), "BACKUP_AT="));
  EXPECT_TRUE(has(complete("interlock synth specs/msmail/original.sched --param RSC_"), "RSC_PERIOD"));
  EXPECT_TRUE(has(complete("interlock check specs/msmail/original.sched --free "), "all"));
}

// The class: whatever parsing accepts, completion offers, for every command.
TEST_F(Completion, EveryOptionOfEveryCommandIsOffered) {
  const CommandSpec program = command_line_spec();
  int options = 0;
  auto check_command = [&](const CommandSpec& c) {
    const auto offered = complete("interlock " + c.name + (c.positionals.empty() ? "" : " x") + " --");
    for (const OptionSpec& o : c.options)
      for (const std::string& n : o.names) {
        if (n.rfind("--", 0) != 0) continue;  // short forms are not offered after "--"
        EXPECT_TRUE(has(offered, n)) << c.name << " " << n;
        ++options;
        // ...and parsing accepts it.
        std::vector<std::string> args;
        std::istringstream words(c.name);
        for (std::string w; words >> w;) args.push_back(w);
        args.push_back(n);
        if (!o.value_name.empty()) args.push_back(o.choices.empty() ? "1" : o.choices.front());
        try {
          parse_options(args);
        } catch (const UsageError& e) {
          EXPECT_EQ(std::string(e.what()).find("unknown option"), std::string::npos) << c.name << " " << n << ": " << e.what();
        }
      }
  };
  for (const CommandSpec& c : program.commands) {
    if (c.commands.empty()) check_command(c);
    for (const CommandSpec& inner : c.commands) check_command(inner);
  }
  EXPECT_GT(options, 80);
}

// The class: an option that takes one value, given twice, is named as given twice (it was "needs
// a value", CLI11's "At Most 1 required" read as a missing value); a repeatable one is accepted.
// And every option that takes a value, given none, needs one.
TEST(CommandLine, AnOptionGivenTwiceIsNamedAsSuch) {
  const CommandSpec program = command_line_spec();
  int single = 0, repeatable = 0;
  auto check_command = [&](const CommandSpec& c) {
    for (const OptionSpec& o : c.options) {
      if (o.value_name.empty()) continue;  // a flag given twice is the same flag
      const std::string& name = o.names.back();
      std::vector<std::string> args;
      std::istringstream words(c.name);
      for (std::string w; words >> w;) args.push_back(w);
      if (!c.positionals.empty()) args.push_back("x");
      const std::string value = o.choices.empty() ? "1" : o.choices.front();
      for (int k = 0; k < 2; ++k) args.insert(args.end(), {name, value});
      std::string error;
      try {
        parse_options(args);
      } catch (const UsageError& e) {
        error = e.what();
      }
      const bool named = error == name + " is given 2 times: give it once";
      EXPECT_EQ(named, !o.repeatable) << c.name << " " << name << ": " << error;
      ++(o.repeatable ? repeatable : single);
      // Its value left out, with another option next: it needs a value (it said "unexpected
      // argument" for what came after the next option).
      args.resize(args.size() - 4);
      args.insert(args.end(), {name, "--quiet", "x"});
      error.clear();
      try {
        parse_options(args);
      } catch (const UsageError& e) {
        error = e.what();
      }
      EXPECT_EQ(error, name + " needs a value") << c.name;
    }
  };
  for (const CommandSpec& c : program.commands) {
    if (c.commands.empty()) check_command(c);
    for (const CommandSpec& inner : c.commands) check_command(inner);
  }
  EXPECT_GT(single, 40);
  EXPECT_GT(repeatable, 5);
}

TEST(ManPage, RendersWithoutWarningsAndNamesEveryCommandAndOption) {
  const CommandSpec program = command_line_spec();
  const fs::path page = fs::temp_directory_path() / ("interlock_man_" + std::to_string(::getpid()) + ".1");
  std::ofstream(page) << man_page(program, "0.0");
  const std::string warnings = run_shell("groff -man -Tutf8 -ww -z '" + page.string() + "' 2>&1");
  EXPECT_EQ(warnings, "") << warnings;
  const std::string text = run_shell("groff -man -Tascii -P-cbou '" + page.string() + "' 2>/dev/null");
  fs::remove(page);
  EXPECT_NE(text.find("EXIT STATUS"), std::string::npos);
  for (const CommandSpec& c : program.commands) {
    if (c.commands.empty()) {
      EXPECT_NE(text.find("interlock " + c.name), std::string::npos) << c.name;
    }
    for (const CommandSpec& inner : c.commands) EXPECT_NE(text.find("interlock " + inner.name), std::string::npos) << inner.name;
    for (const OptionSpec& o : c.options)
      for (const std::string& n : o.names) EXPECT_NE(text.find(n), std::string::npos) << n;
  }
  std::ostringstream out, err;
  EXPECT_EQ(run_command_line({"man"}, out, err), 0);
  EXPECT_EQ(out.str().rfind(".\\\" interlock(1)", 0), 0u);
  EXPECT_EQ(run_command_line({"completion", "zsh"}, out, err), 2);
}

}  // namespace
}  // namespace interlock

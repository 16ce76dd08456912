// The command line as data: every command with its arguments and options, their value names,
// choices and help. cli/command_line.cpp derives it from the CLI11 definitions that parse the
// command line, so `--help`, the bash completion (cli/completion.cpp) and the man page
// (cli/man_page.cpp) cannot disagree with what is accepted.
#pragma once

#include <string>
#include <vector>

namespace interlock {

struct OptionSpec {
  std::vector<std::string> names;   // "--timeout", or "-o" and "--output"
  std::string value_name;           // "S", "P=V"; empty for a flag
  std::vector<std::string> choices; // the values it accepts, when they are a fixed list
  std::string help;
  bool repeatable = false;
  bool file = false;                // its value is a path
};

struct PositionalSpec {
  std::string name;  // "SPEC"
  std::string help;
  bool many = false;
  bool required = true;
};

struct CommandSpec {
  std::string name;  // "check", or "import crontab" for a command under another
  std::string description;
  std::vector<PositionalSpec> positionals;
  std::vector<OptionSpec> options;
  std::vector<CommandSpec> commands;  // import: crontab, systemd
};

// The whole command line: the program (name "interlock") with its commands.
CommandSpec command_line_spec();

// `interlock help`, `interlock --help`, `interlock COMMAND --help`, `interlock help COMMAND`.
std::string program_help();
std::string command_help(const std::string& command);  // "check", "import crontab"

}  // namespace interlock

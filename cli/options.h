// The command line: `interlock check|graph|synth SPEC [options]`, `interlock compare SPEC|DIR...`,
// `interlock import crontab|systemd FILE...`, defined once with CLI11 (cli/options.cpp; the same
// definitions as data in cli/command_spec.h). Parsing never exits; it throws UsageError, which
// main reports with exit code 2; `--help` anywhere asks for that command's help.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "cli/import/import.h"
#include "model/lower.h"
#include "model/utf8.h"
#include "solver/run_context.h"

namespace interlock {

// A command line interlock cannot read; its text may quote an argument, kept terminal-safe.
struct UsageError : std::runtime_error {
  explicit UsageError(const std::string& what) : std::runtime_error(terminal_safe(what)) {}
};

struct Options {
  std::string command;  // check, graph, compare, synth, lint, simulate, replay, explain, export, import, help, version
  std::string help_for;  // help: the command whose help is asked for ("check", "import crontab"); empty: the program's
  std::string spec;
  std::vector<std::string> specs;  // compare: spec files and folders
  std::string format = "text";     // compare: text, markdown, json or html (a folder: --output); check: text
                                   // or json (docs/schema/check.schema.json); lint: text or sarif
  std::string color = "auto";      // compare: marks in colour on a terminal (auto), always or never
  int jobs = 2;                    // compare: specs checked at once
  std::vector<std::string> synth_params;  // synth: the parameters to vary
  uint64_t seed = 1;               // simulate
  int steps = 100;                 // simulate
  bool interactive = false;        // simulate: a person picks each step
  std::string trace_file;          // replay: the ITF trace to check
  std::vector<std::string> props;
  std::string engine = "auto";
  std::string trace = "text";
  std::string output;  // graph: a file instead of stdout; compare --format html: the folder
  LowerOptions lower;
  Limits limits;
  // The options given that shape an answer (--set, --free, --depth, --reduce, --symmetry, --por),
  // each word as given: a command compare suggests for a cell repeats them, to show that answer.
  std::vector<std::string> answer_args;
  uint64_t max_states = 100000;  // graph
  bool quiet = false;            // no progress lines; for check, the verdict lines alone
  bool lint = true;              // check, compare, synth: lint's warnings after the run (--lint off)
  std::string export_format;     // export: "promela"
  ImportOptions import;          // import
};

Options parse_options(const std::vector<std::string>& args);
// "NAME=VALUE" as --set gave it (a number or a time as written), or empty when --set did not name it.
std::string set_on_command_line(const LowerOptions& lower, const std::string& name);
std::string usage();  // the program's help

}  // namespace interlock

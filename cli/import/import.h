// `interlock import crontab FILE` and `interlock import systemd UNIT.timer [UNIT.service]...`: a
// crontab or systemd timers read into a spec skeleton in the interlock language (a timer and a
// machine per job, run times as parameters, shared flock(1) locks as variables, and ready-made
// properties), for an administrator to extend. docs/schedules.md describes it.
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace interlock {

struct ImportOptions {
  std::string kind;                    // "crontab" or "systemd"
  std::vector<std::string> files;      // crontab: one file; systemd: .timer files, each with its .service
  std::vector<std::string> durations;  // --duration JOB=MIN..MAX
  std::vector<std::string> names;      // --name LINE=NAME (crontab)
  std::vector<std::string> resources;  // --resource NAME=JOB1,JOB2,...
  bool system_crontab = false;         // --system: lines carry a user field
  std::string output;                  // -o FILE; stdout when empty
  std::string command_line;            // the command, quoted in the skeleton's first comment
};

// Writes the skeleton to `out` (or options.output). Bad input throws InputError with located
// diagnostics (model/diagnostics.h), and a bad option UsageError's message in an InputError;
// returns the exit code (0).
int run_import(const ImportOptions& options, std::ostream& out, std::ostream& err);

}  // namespace interlock

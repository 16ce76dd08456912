// A crontab read line by line (crontab(5)): comments, blank lines, environment settings, and job
// lines (five time fields or an @word, a user field in a system crontab, then the command, up to
// its first unescaped '%'). Errors are located in the file and collected, several per run.
#pragma once

#include <string>
#include <vector>

#include "cli/import/shell_command.h"
#include "model/diagnostics.h"
#include "model/schedules/calendar.h"

namespace interlock::importer {

struct CronJob {
  int line = 0;                       // 1-based
  std::string source_line;            // the line as written
  std::vector<std::string> comments;  // the comment lines just above it (no blank line between)
  std::string schedule;               // "30 2 * * *", "@daily"
  schedules::Elapses elapses;
  std::string user;        // a system crontab's user field
  std::string command;     // what the shell runs: up to the first unescaped '%'
  bool has_input = false;  // text after a '%' is the command's standard input
  CommandInfo info;
};

struct CronFile {
  bool system = false;
  std::string system_reason;             // why it was read as a system crontab
  std::vector<std::string> environment;  // "line 2: MAILTO=root  (an environment setting: not modelled)"
  std::vector<CronJob> jobs;
};

// `system`: the lines carry a user field (--system); otherwise that is detected: /etc/crontab, a
// file in a cron.d folder, or every job line naming the user root there.
CronFile read_crontab(const SourceFile& file, bool system, Diagnostics& diagnostics);

}  // namespace interlock::importer

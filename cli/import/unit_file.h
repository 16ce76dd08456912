// systemd unit files (systemd.syntax(7)) as far as the importer reads them: sections, settings
// (Key=value, with '\' continuing a line), comments; and the timer/service pair of a job: the
// [Timer] settings interlock's timers support and the service's ExecStart= commands.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/import/shell_command.h"
#include "model/diagnostics.h"
#include "model/schedules/calendar.h"

namespace interlock::importer {

struct UnitSetting {
  std::string section;
  std::string key;
  std::string value;
  int line = 0;
  std::size_t key_offset = 0;    // in the file
  std::size_t value_offset = 0;  // in the file
  std::string source_line;       // the line as written
};

std::vector<UnitSetting> read_unit(const SourceFile& file, Diagnostics& diagnostics);

struct TimerUnit {
  std::vector<std::string> settings;  // for the timer declaration, as written: "OnCalendar=daily"
  std::vector<std::string> lines;     // the unit's lines they come from, for the comment
  std::vector<std::string> notes;     // settings read but not modelled
  schedules::Elapses elapses;         // every OnCalendar= together
  int64_t randomized_delay_us = 0;    // microseconds, systemd's resolution
  int64_t accuracy_us = 0;            // microseconds, as written
  bool accuracy_given = false;        // AccuracySec= was written (systemd's default is 1 min)
  bool persistent = false;
  std::string unit;  // Unit=, when it names the service
};

TimerUnit read_timer(const SourceFile& file, Diagnostics& diagnostics);

struct ServiceUnit {
  std::vector<std::string> exec_start;  // the ExecStart= lines as written
  CommandInfo info;
};

ServiceUnit read_service(const SourceFile& file, Diagnostics& diagnostics);

}  // namespace interlock::importer

// The spec skeleton an import writes: for each job a comment with its source, a timer, its run
// time as two parameters, and a machine (Idle, Running, and Waiting or Skipped when it takes a lock
// with flock); a variable per lock; and properties: jobs that share a lock or a resource never run
// together, and every job runs in every period (it is idle again before its next elapse).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "cli/import/shell_command.h"
#include "model/schedules/calendar.h"

namespace interlock::importer {

struct SkeletonJob {
  std::string name;                 // a unique identifier: "backup"
  std::vector<std::string> source;  // comment lines: where the job comes from, as written
  std::string origin;               // for errors: "crontab:12" (its line), "backup.timer"
  std::string timer;  // after "timer NAME = ": cron "30 2 * * *" / systemd "OnCalendar=...", ...
  schedules::Elapses elapses;
  int64_t jitter_seconds =
      0;  // how much later than its elapse a timer may fire (RandomizedDelaySec + AccuracySec)
  bool needs_seconds = false;  // an elapse that is not on a whole minute (OnCalendar=*-*-* 02:00:30)
  std::optional<LockUse> lock;
  // Run time in seconds; `guessed` when no --duration gave it.
  int64_t min_seconds = 60;
  int64_t max_seconds = 600;
  bool guessed = true;
};

struct Resource {
  std::string name;               // an identifier
  std::vector<std::string> jobs;  // job names
};

struct Skeleton {
  std::vector<std::string> header;  // comment lines at the top
  std::string system_name;
  std::vector<std::string> environment;  // comment lines: what the input sets and the model leaves out
  std::vector<SkeletonJob> jobs;
  std::vector<Resource> resources;  // --resource
};

// The spec text. Throws nothing; names are assumed unique identifiers.
std::string write_skeleton(const Skeleton& skeleton);

// "1d", "23h59min", "90s", "0min": a duration literal of the spec language, in whole ticks of
// `tick_seconds` (60 or 1).
std::string duration_literal(int64_t seconds, int64_t tick_seconds);

}  // namespace interlock::importer

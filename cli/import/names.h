// The names a skeleton gives its jobs, locks and resources: identifiers of the spec language made
// from program and file names, each used once.
#pragma once

#include <set>
#include <string>
#include <string_view>

namespace interlock::importer {

// "backup.sh" -> "backup", "/var/lock/db.lock" -> "db_lock", "vacuum-db" -> "vacuum_db",
// "2fa" -> "job_2fa": lower case letters, digits and '_', starting with a letter; the extension
// of a script (.sh, .py, .pl, ...) is dropped. `fallback` when nothing is left.
std::string identifier_from(std::string_view text, std::string_view fallback);

// `identifier`, or with "_jobs" after it when it is a keyword of the spec language ("in", "state").
std::string not_a_keyword(const std::string& identifier);

// "vacuum_db" -> "VacuumDb" (a machine), "VACUUM_DB" (a parameter prefix).
std::string machine_name(std::string_view identifier);
std::string upper_name(std::string_view identifier);

// Hands out names, each once: "backup", then "backup_2", "backup_3". Two names that would give the
// same machine or parameter name ("a_b" and "ab" give "AB"/"Ab"; "x_1" and "x1" both "X1") count as
// the same.
class NameTable {
 public:
  NameTable();  // `wall` is taken: the implicit wall-clock machine is Wall
  std::string unique(const std::string& identifier);
  bool taken(const std::string& identifier) const;

 private:
  std::set<std::string> keys_;
  static std::string key(const std::string& identifier);
};

}  // namespace interlock::importer

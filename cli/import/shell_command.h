// What a job's command says to the importer: the program it runs (for the job's name) and the
// flock(1) lock it takes, if any. The command is read the way a shell splits it (quotes,
// backslashes, `;`, `&&`, `||`, `|`, subshells, redirections), without running or expanding
// anything; wrappers (sudo, nice, ionice, timeout, env, nohup, sh -c '...') are looked through.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model/schedules/calendar.h"

namespace interlock::importer {

// One word of a shell command, its quotes removed; offset and length are those of its text as
// written, in the file being read.
struct Word {
  std::string text;
  std::size_t offset = 0;
  std::size_t length = 0;
  bool quoted = false;  // some of it was quoted or escaped (so it is no operator or assignment)
};

// The simple commands of a command line, and the files its redirections open by descriptor
// (`9>/var/lock/x`), which `flock 9` locks.
struct ShellCommand {
  std::vector<std::vector<Word>> commands;
  std::map<int, std::string> fd_files;
};

// `base` is the offset of text[0] in the file, added to every word's offset.
ShellCommand split_shell(std::string_view text, std::size_t base);

struct LockUse {
  enum class Mode { Wait, NoWait, Timeout };
  std::string path;  // the lock file (for `flock 9`, the file a redirection opens on descriptor 9)
  Mode mode = Mode::Wait;
  double wait_seconds = 0;  // Mode::Timeout: flock -w SECONDS
  std::string written;      // how the command says it: "flock -n /var/lock/db.lock"
};

struct CommandInfo {
  std::string program;  // the basename of the program it runs ("backup.sh"), or a folder for run-parts
  std::optional<LockUse> lock;
};

// Errors (an option of flock that is not supported, a lock file missing, two flocks) are located
// in the file: offset and length as for Word.
using CommandRead = std::variant<CommandInfo, schedules::ParseError>;
CommandRead read_command(std::string_view text, std::size_t base);
// The same for a systemd ExecStart= value, which no shell reads: its words are split as systemd
// splits them (no redirections, pipes or `&&`); an `sh -c '...'` in it is read as a shell's.
CommandRead read_exec_start(std::string_view text, std::size_t base);

}  // namespace interlock::importer

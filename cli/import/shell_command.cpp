#include "cli/import/shell_command.h"

#include <cmath>
#include <cstdlib>
#include <set>

namespace interlock::importer {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r'; }
bool is_separator(char c) { return c == ';' || c == '&' || c == '|' || c == '(' || c == ')' || c == '\n'; }
bool is_redirect(char c) { return c == '>' || c == '<'; }
bool all_digits(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

class Splitter {
 public:
  // `shell`: as sh reads it. Otherwise as systemd reads ExecStart= (systemd.service(5)): words and
  // quotes only, no redirections or operators (a `9>/run/lock/x` there is an argument, and opens
  // nothing), and a `;` word between two command lines.
  Splitter(std::string_view text, std::size_t base, bool shell = true) : text_(text), base_(base), shell_(shell) {}

  ShellCommand split() {
    out_.commands.emplace_back();
    while (i_ < text_.size()) {
      const char c = text_[i_];
      if (!shell_) {
        if (is_space(c)) {
          ++i_;
          continue;
        }
        Word w = word();
        if (!w.quoted && w.text == ";") {
          if (!out_.commands.back().empty()) out_.commands.emplace_back();
        } else {
          out_.commands.back().push_back(std::move(w));
        }
        continue;
      }
      if (is_space(c)) {
        ++i_;
      } else if (is_separator(c)) {
        if (!out_.commands.back().empty()) out_.commands.emplace_back();
        ++i_;
      } else if (c == '#') {  // a comment, to the end of the line
        while (i_ < text_.size() && text_[i_] != '\n') ++i_;
      } else if (is_redirect(c)) {
        redirect(-1);
      } else {
        Word w = word();
        if (!w.quoted && all_digits(w.text) && i_ < text_.size() && is_redirect(text_[i_]) &&
            w.text.size() < 6) {
          redirect(std::stoi(w.text));
        } else if (!w.text.empty() || w.quoted) {
          out_.commands.back().push_back(std::move(w));
        }
      }
    }
    if (out_.commands.back().empty()) out_.commands.pop_back();
    return out_;
  }

 private:
  // A word up to an unquoted space, separator or redirection.
  Word word() {
    Word w;
    w.offset = base_ + i_;
    const std::size_t start = i_;
    while (i_ < text_.size()) {
      const char c = text_[i_];
      if (is_space(c) || (shell_ && (is_separator(c) || is_redirect(c)))) break;
      if (c == '\'') {
        w.quoted = true;
        const std::size_t end = text_.find('\'', i_ + 1);
        const std::size_t stop = end == std::string_view::npos ? text_.size() : end;
        w.text.append(text_.substr(i_ + 1, stop - i_ - 1));
        i_ = end == std::string_view::npos ? text_.size() : end + 1;
      } else if (c == '"') {
        w.quoted = true;
        ++i_;
        while (i_ < text_.size() && text_[i_] != '"') {
          if (text_[i_] == '\\' && i_ + 1 < text_.size() &&
              std::string_view("\"\\$`\n").find(text_[i_ + 1]) != std::string_view::npos) {
            ++i_;
          }
          w.text.push_back(text_[i_++]);
        }
        if (i_ < text_.size()) ++i_;
      } else if (c == '\\') {
        w.quoted = true;
        if (i_ + 1 < text_.size()) w.text.push_back(text_[i_ + 1]);
        i_ += 2;
      } else if (c == '$' && i_ + 1 < text_.size() && text_[i_ + 1] == '(') {
        // A command substitution is kept whole, unread: it is an argument, not a command.
        w.text.push_back(text_[i_++]);  // the '$'
        int depth = 0;
        do {
          if (text_[i_] == '(') ++depth;
          if (text_[i_] == ')') --depth;
          w.text.push_back(text_[i_++]);
        } while (i_ < text_.size() && depth > 0);
      } else if (c == '`') {
        const std::size_t end = text_.find('`', i_ + 1);
        const std::size_t stop = end == std::string_view::npos ? text_.size() : end + 1;
        w.text.append(text_.substr(i_, stop - i_));
        i_ = stop;
      } else {
        w.text.push_back(c);
        ++i_;
      }
    }
    i_ = std::min(i_, text_.size());
    w.length = i_ - start;
    return w;
  }

  // `>file`, `>> file`, `2>&1`, `< in`, `9>/var/lock/x`: set aside; a file opened on a descriptor
  // is remembered.
  void redirect(int fd) {
    const bool output = text_[i_] == '>';
    if (fd < 0) fd = output ? 1 : 0;
    std::size_t k = i_;
    while (k < text_.size() && (is_redirect(text_[k]) || text_[k] == '|')) ++k;
    const std::string_view op = text_.substr(i_, k - i_);
    i_ = k;
    const bool duplicate = i_ < text_.size() && text_[i_] == '&';
    if (duplicate) ++i_;
    while (i_ < text_.size() && is_space(text_[i_])) ++i_;
    if (i_ >= text_.size() || is_separator(text_[i_])) return;
    Word target = word();
    if (!duplicate && op != "<<" && op != "<<<" && !target.text.empty()) out_.fd_files[fd] = target.text;
  }

  std::string_view text_;
  std::size_t base_;
  bool shell_;
  std::size_t i_ = 0;
  ShellCommand out_;
};

std::string basename_of(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  const std::size_t slash = path.rfind('/');
  return std::string(slash == std::string_view::npos ? path : path.substr(slash + 1));
}

bool is_assignment(const Word& w) {
  const std::size_t eq = w.text.find('=');
  if (eq == std::string::npos || eq == 0) return false;
  for (std::size_t k = 0; k < eq; ++k) {
    const char c = w.text[k];
    if (!(c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (k > 0 && c >= '0' && c <= '9'))) {
      return false;
    }
  }
  return true;
}

const std::set<std::string> kLeading = {"{", "}", "!", "if", "then", "else", "elif", "do", "while", "until"};

// Commands that set the scene rather than being the job: the job is named after the first other.
const std::set<std::string> kGlue = {
    "cd",   "test",  "[",      "[[",    "true", "false",  ":",    "sleep", "echo", "printf", "export",
    "set",  "umask", "source", ".",     "exit", "{",      "}",    "then",  "else", "fi",     "do",
    "done", "if",    "while",  "until", "wait", "logger", "date", "mkdir", "rm",   "touch"};
const std::set<std::string> kShells = {"sh", "bash", "dash", "zsh", "ksh", "busybox"};
const std::set<std::string> kInterpreters = {"python", "python2", "python3", "perl",
                                             "php",    "ruby",    "node",    "Rscript"};

// Options of wrapper programs that take a value, so that the value is not taken for the program.
const std::map<std::string, std::set<std::string>> kWrapperValueOptions = {
    {"sudo", {"-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-T"}},
    {"nice", {"-n"}},
    {"ionice", {"-c", "-n", "-p", "-P", "-u"}},
    {"timeout", {"-s", "-k"}},
    {"env", {"-u", "-C", "-S"}},
    {"nohup", {}},
    {"exec", {"-a"}},
    {"time", {"-f", "-o"}},
    {"chronic", {}},
    {"cronic", {}},
    {"setsid", {}},
    {"stdbuf", {"-i", "-o", "-e"}},
    {"systemd-cat", {"-t", "-p"}},
    {"run-one", {}},
    {"caffeinate", {}},
};

class Reader {
 public:
  explicit Reader(const std::map<int, std::string>& fd_files) : fd_files_(fd_files) {}

  std::optional<schedules::ParseError> error;
  CommandInfo info;
  std::string fallback;  // the first program, glue or not: the name when there is no other

  // A simple command's words from `k` on.
  void simple(const std::vector<Word>& words, std::size_t k, int depth) {
    if (error || depth > 8) return;
    // Reserved words that lead into a command, and assignments before it.
    while (k < words.size() && !words[k].quoted && (kLeading.count(words[k].text) || is_assignment(words[k])))
      ++k;
    if (k >= words.size()) return;
    const std::string program = basename_of(words[k].text);
    if (program == "flock") {
      flock(words, k, depth);
      return;
    }
    if (auto wrapper = kWrapperValueOptions.find(program); wrapper != kWrapperValueOptions.end()) {
      std::size_t j = k + 1;
      while (j < words.size() && !words[j].text.empty() &&
             (words[j].text[0] == '-' || (program == "env" && is_assignment(words[j])))) {
        if (words[j].text == "--") {
          ++j;
          break;
        }
        if (wrapper->second.count(words[j].text)) ++j;
        ++j;
      }
      if (program == "timeout" && j < words.size()) ++j;  // its duration
      simple(words, j, depth + 1);
      return;
    }
    if (program == "su" || kShells.count(program)) {
      for (std::size_t j = k + 1; j + 1 < words.size(); ++j) {
        if (words[j].text == "-c" || words[j].text == "--command") {
          nested(words[j + 1], depth);
          return;
        }
      }
      if (program != "su") {
        for (std::size_t j = k + 1; j < words.size(); ++j) {
          if (!words[j].text.empty() && words[j].text[0] != '-') {
            name(basename_of(words[j].text));
            return;
          }
        }
      }
    }
    if (kInterpreters.count(program)) {
      for (std::size_t j = k + 1; j < words.size(); ++j) {
        if (!words[j].text.empty() && words[j].text[0] != '-') {
          name(basename_of(words[j].text));
          return;
        }
        if (words[j].text == "-c" || words[j].text == "-e" || words[j].text == "-m") break;
      }
    }
    if (program == "run-parts") {  // named after the folder it runs
      for (std::size_t j = words.size(); j-- > k + 1;) {
        if (!words[j].text.empty() && words[j].text[0] != '-') {
          name(basename_of(words[j].text));
          return;
        }
      }
    }
    if (kGlue.count(program)) {
      if (fallback.empty()) fallback = program;
      return;
    }
    name(program);
  }

  void command_line(std::string_view text, std::size_t base, int depth) {
    const ShellCommand shell = split_shell(text, base);
    for (const auto& [fd, file] : shell.fd_files) fd_files_.emplace(fd, file);
    for (const auto& words : shell.commands) simple(words, 0, depth);
  }

 private:
  void name(const std::string& program) {
    if (info.program.empty()) info.program = program;
  }

  // `sh -c 'STRING'`, `flock LOCK -c 'STRING'`: the string is a command line of its own.
  void nested(const Word& w, int depth) { command_line(w.text, w.offset + (w.quoted ? 1 : 0), depth + 1); }

  void fail(const Word& w, const std::string& message) {
    if (!error) error = schedules::ParseError{w.offset, std::max<std::size_t>(w.length, 1), message};
  }

  // flock [OPTIONS] FILE COMMAND..., flock [OPTIONS] FILE -c STRING, flock [OPTIONS] FD (util-linux).
  void flock(const std::vector<Word>& words, std::size_t k, int depth) {
    const Word& flock_word = words[k];
    if (info.lock) {
      fail(flock_word,
           "a second flock in one command: a job that takes more than one lock is not supported yet");
      return;
    }
    LockUse lock;
    lock.written = "flock";
    std::size_t j = k + 1;
    const Word* value_word = nullptr;  // where the last option's value was written
    const auto take_value = [&](const Word& option, std::string attached, std::string& value) -> bool {
      value_word = &option;
      if (!attached.empty()) {
        value = attached;
        return true;
      }
      if (j + 1 >= words.size()) {
        fail(option, "flock " + option.text + " needs a value");
        return false;
      }
      value_word = &words[++j];
      value = value_word->text;
      return true;
    };
    const auto set_wait = [&](const std::string& value) {
      char* end = nullptr;
      const double seconds = std::strtod(value.c_str(), &end);
      if (value.empty() || *end != '\0' || !std::isfinite(seconds) || seconds < 0) {
        fail(*value_word,
             "flock -w takes a number of seconds (flock -w 30 LOCK COMMAND), not '" + value + "'");
        return;
      }
      if (seconds > 1e9) {
        fail(*value_word, "flock -w " + value + " waits longer than interlock models (at most 1000000000 seconds, 31 years)");
        return;
      }
      lock.mode = LockUse::Mode::Timeout;
      lock.wait_seconds = seconds;
      lock.written += " -w " + value;
    };
    const char* const unsupported_shared =
        "flock -s takes a shared lock, which is not supported yet (only exclusive locks: -x, the default)";
    for (; j < words.size() && words[j].text.size() > 1 && words[j].text[0] == '-' && !error; ++j) {
      const Word& option = words[j];
      const std::string& o = option.text;
      if (o == "--") {
        ++j;
        break;
      }
      if (o.rfind("--", 0) == 0) {
        const std::size_t eq = o.find('=');
        const std::string name = o.substr(0, eq);
        const std::string attached = eq == std::string::npos ? "" : o.substr(eq + 1);
        std::string value;
        if (name == "--nonblock" || name == "--nb" || name == "--nonblocking") {
          lock.mode = LockUse::Mode::NoWait;
          lock.written += " -n";
        } else if (name == "--wait" || name == "--timeout") {
          if (take_value(option, attached, value)) set_wait(value);
        } else if (name == "--conflict-exit-code") {
          take_value(option, attached, value);
        } else if (name == "--exclusive" || name == "--close" || name == "--no-fork" || name == "--verbose") {
        } else if (name == "--shared") {
          fail(option, unsupported_shared);
        } else {
          fail(option, "flock option '" + name +
                           "' is not supported here (supported: -n/--nonblock, -w/--wait/--timeout SECONDS, "
                           "-x/--exclusive, -E/--conflict-exit-code N, -o, -F, --verbose, -c COMMAND)");
        }
        continue;
      }
      for (std::size_t c = 1; c < o.size() && !error; ++c) {
        const char flag = o[c];
        if (flag == 'n') {
          lock.mode = LockUse::Mode::NoWait;
          lock.written += " -n";
        } else if (flag == 'x' || flag == 'e' || flag == 'o' || flag == 'F') {
        } else if (flag == 's') {
          fail(option, unsupported_shared);
        } else if (flag == 'w' || flag == 'E') {
          std::string value;
          if (take_value(option, o.substr(c + 1), value) && flag == 'w') set_wait(value);
          break;
        } else {
          fail(option,
               std::string("flock option '-") + flag +
                   "' is not supported here (supported: -n, -w SECONDS, -x, -E N, -o, -F, and -c COMMAND "
                   "after the lock file)");
        }
      }
    }
    if (error) return;
    if (j >= words.size()) {
      fail(flock_word, "flock needs a lock file: flock [-n | -w SECONDS] LOCKFILE COMMAND");
      return;
    }
    const Word& file = words[j++];
    if (all_digits(file.text) && file.text.size() < 6) {
      // flock(1) on a descriptor nothing opened fails ("Bad file descriptor", exit 65) and locks
      // nothing: modelled as a lock, jobs would look kept apart that are not.
      const auto opened = fd_files_.find(std::stoi(file.text));
      if (opened == fd_files_.end()) {
        const std::string& fd = file.text;
        fail(file, "flock " + fd + ": nothing in this command opens file descriptor " + fd +
                       ", so flock fails (Bad file descriptor) and no lock is taken; open it on the lock file: ( flock -n " +
                       fd + " || exit 1; COMMAND ) " + fd + ">/var/lock/NAME.lock");
        return;
      }
      lock.path = opened->second;
    } else {
      lock.path = file.text;
      if (j >= words.size()) {
        // flock(1) reads a lone argument as a file descriptor number: with a path it fails, and
        // neither locks nor runs anything.
        fail(file, "flock " + file.text + " has no command after its lock file, so flock(1) reads '" + file.text +
                       "' as a file descriptor number, fails, and locks nothing: flock [-n | -w SECONDS] LOCKFILE COMMAND");
        return;
      }
    }
    lock.written += " " + lock.path;
    info.lock = lock;
    if (j < words.size() && (words[j].text == "-c" || words[j].text == "--command")) {
      if (j + 1 >= words.size()) {
        fail(words[j], "flock -c needs a command");
        return;
      }
      nested(words[j + 1], depth);
    } else {
      simple(words, j, depth + 1);
    }
  }

  std::map<int, std::string> fd_files_;
};

}  // namespace

ShellCommand split_shell(std::string_view text, std::size_t base) { return Splitter(text, base).split(); }

namespace {

CommandRead read_split(const ShellCommand& split) {
  Reader reader(split.fd_files);
  for (const auto& words : split.commands) reader.simple(words, 0, 0);
  if (reader.error) return *reader.error;
  CommandInfo info = reader.info;
  if (info.program.empty()) info.program = reader.fallback;
  return info;
}

}  // namespace

CommandRead read_command(std::string_view text, std::size_t base) { return read_split(split_shell(text, base)); }

CommandRead read_exec_start(std::string_view text, std::size_t base) {
  return read_split(Splitter(text, base, /*shell=*/false).split());
}

}  // namespace interlock::importer

// Located diagnostics: every error the front end finds carries file:line:col and is printed
// with the source line and a caret under the column, the way compilers do.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "model/utf8.h"

namespace interlock {

struct SourceLoc {
  int line = 0;  // 1-based; 0 means "no place in the file"
  int col = 0;
};

struct Diagnostic {
  SourceLoc loc;
  std::string message;
};

// The text of one spec file, kept so that diagnostics can quote the offending line.
class SourceFile {
 public:
  SourceFile(std::string path, std::string text) : path_(std::move(path)), text_(std::move(text)) {}
  const std::string& path() const { return path_; }
  const std::string& text() const { return text_; }
  std::string line(int number) const;          // without its line break (or a byte-order mark)
  SourceLoc location_of(std::size_t offset) const;  // the line and column of a byte

 private:
  std::string path_;
  std::string text_;
};

// Collects errors across lexing, parsing and checking so one run reports several.
class Diagnostics {
 public:
  explicit Diagnostics(const SourceFile& file) : file_(file) {}
  void error(SourceLoc loc, std::string message);
  bool has_errors() const { return !errors_.empty(); }
  const std::vector<Diagnostic>& errors() const { return errors_; }
  // "file:line:col: error: message" followed by the source line and a caret line.
  std::string render() const;
  const SourceFile& file() const { return file_; }

  static constexpr std::size_t kMaxErrors = 50;

 private:
  const SourceFile& file_;
  std::vector<Diagnostic> errors_;
};

std::string render_diagnostic(const SourceFile& file, const Diagnostic& d);

// Thrown when input is rejected; carries fully rendered text. Caught once, in main. The text may
// quote the input (a name in a trace, a file name): it is kept terminal-safe.
class InputError : public std::runtime_error {
 public:
  explicit InputError(const std::string& rendered) : std::runtime_error(terminal_safe(rendered)) {}
};

// Thrown by the front end once too many errors were collected, to stop early.
struct TooManyErrors {};

}  // namespace interlock

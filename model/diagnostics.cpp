#include "model/diagnostics.h"

#include <algorithm>
#include <sstream>
#include <vector>

#include "model/utf8.h"

namespace interlock {

std::string SourceFile::line(int number) const {
  // The same line breaks as the lexer's: "\n", "\r\n" or a lone "\r".
  std::size_t start = byte_order_mark_length(text_);
  for (int current = 1; current < number; ++current) {
    while (start < text_.size() && !line_break_length(text_, start)) ++start;
    if (start >= text_.size()) return "";
    start += line_break_length(text_, start);
  }
  std::size_t end = start;
  while (end < text_.size() && !line_break_length(text_, end)) ++end;
  return text_.substr(start, end - start);
}

SourceLoc SourceFile::location_of(std::size_t offset) const {
  SourceLoc loc{1, 1};
  for (std::size_t i = byte_order_mark_length(text_); i < offset && i < text_.size(); ++i) {
    const std::size_t newline = line_break_length(text_, i);
    if (newline == 1) {
      ++loc.line;
      loc.col = 1;
    } else if (newline == 0 && !is_continuation_byte(text_[i])) {
      ++loc.col;
    }
  }
  return loc;
}

void Diagnostics::error(SourceLoc loc, std::string message) {
  // The same place and message twice (parser recovery can revisit) is noise.
  for (const auto& e : errors_)
    if (e.loc.line == loc.line && e.loc.col == loc.col && e.message == message) return;
  errors_.push_back({loc, std::move(message)});
  if (errors_.size() >= kMaxErrors) throw TooManyErrors{};
}

std::string render_diagnostic(const SourceFile& file, const Diagnostic& d) {
  std::ostringstream out;
  if (d.loc.line <= 0) {
    out << file.path() << ": error: " << d.message << "\n";
    return out.str();
  }
  out << file.path() << ":" << d.loc.line << ":" << d.loc.col << ": error: " << d.message << "\n";
  const std::string text = file.line(d.loc.line);
  // The line's characters (UTF-8 sequences; a byte that is none counts as one).
  std::vector<std::pair<std::size_t, std::size_t>> chars;  // first byte, length
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t length = std::max<std::size_t>(utf8_sequence_length(text, i), 1);
    chars.emplace_back(i, length);
    i += length;
  }
  // A long line is quoted around the column: up to 100 characters either side.
  constexpr std::size_t kContext = 100;
  const std::size_t column = static_cast<std::size_t>(d.loc.col) - 1;
  const std::size_t first = column > kContext ? column - kContext : 0;
  const std::size_t last = std::min(chars.size(), first + 2 * kContext);
  // Control characters and bytes that are not UTF-8 would garble the terminal: they show as
  // '?'. The caret counts characters, as columns do, and copies tabs so that it lines up.
  std::string shown = first > 0 ? "..." : "";
  std::string caret = first > 0 ? "   " : "";
  for (std::size_t k = first; k < last; ++k) {
    const auto [at, length] = chars[k];
    const unsigned char c = static_cast<unsigned char>(text[at]);
    shown += shows_as_itself(text, at) ? text.substr(at, length) : "?";
    if (k < column) caret += c == '\t' ? '\t' : ' ';
  }
  if (last < chars.size()) shown += "...";
  out << "  " << shown << "\n  " << caret << "^\n";
  return out.str();
}

std::string Diagnostics::render() const {
  std::string out;
  for (const auto& e : errors_) out += render_diagnostic(file_, e);
  if (errors_.size() >= kMaxErrors) out += file_.path() + ": error: too many errors, stopping\n";
  return out;
}

}  // namespace interlock

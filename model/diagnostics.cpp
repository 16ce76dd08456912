#include "model/diagnostics.h"

#include <sstream>

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
  std::string text = file.line(d.loc.line);
  if (text.size() > 200) text = text.substr(0, 200) + "...";
  // Control characters and bytes that are not UTF-8 would garble the terminal: they show as
  // '?'. The caret counts characters, as columns do, and copies tabs so that it lines up.
  std::string shown;
  std::string caret;
  int column = 1;
  for (std::size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const std::size_t length = utf8_sequence_length(text, i);
    const bool printable = length > 1 || (length == 1 && (c == '\t' || c >= 0x20) && c != 0x7f);
    shown += printable ? text.substr(i, length) : "?";
    if (column < d.loc.col) caret += c == '\t' ? '\t' : ' ';
    ++column;
    i += length ? length : 1;
  }
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

#include "model/diagnostics.h"

#include <sstream>

namespace interlock {

std::string SourceFile::line(int number) const {
  int current = 1;
  std::size_t start = 0;
  while (current < number) {
    std::size_t nl = text_.find('\n', start);
    if (nl == std::string::npos) return "";
    start = nl + 1;
    ++current;
  }
  std::size_t end = text_.find('\n', start);
  std::string out = text_.substr(start, end == std::string::npos ? std::string::npos : end - start);
  if (!out.empty() && out.back() == '\r') out.pop_back();
  return out;
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
  // Control characters would garble the terminal; show them as '?'.
  std::string shown;
  std::string caret;
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    shown += (c == '\t' || c >= 0x20) ? static_cast<char>(c) : '?';
    if (static_cast<int>(i) + 1 < d.loc.col) caret += (c == '\t') ? '\t' : ' ';
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

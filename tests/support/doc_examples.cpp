#include "support/doc_examples.h"

#include <fstream>
#include <regex>
#include <sstream>

namespace interlock::testing {

namespace {

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string w; in >> w;) words.push_back(w);
  return words;
}

// "$ interlock check X" and "$ ./build/interlock check X" run interlock; "$ cat F" shows a file.
std::optional<DocCommand> prompt_of(const std::string& line) {
  if (!starts_with(line, "$ ")) return std::nullopt;
  std::vector<std::string> words = words_of(line.substr(2));
  if (words.empty()) return std::nullopt;
  DocCommand c;
  c.text = line.substr(2);
  c.program = words[0] == "./build/interlock" ? "interlock" : words[0];
  c.args.assign(words.begin() + 1, words.end());
  return c;
}

// A comment line `<!-- KEY TEXT -->`: TEXT, if the line is one.
std::optional<std::string> comment_text(const std::string& line, const std::string& key) {
  const std::string open = "<!-- " + key;
  if (!starts_with(line, open) || line.size() < open.size() + 4 || line.compare(line.size() - 4, 4, " -->") != 0)
    return std::nullopt;
  std::string text = line.substr(open.size(), line.size() - 4 - open.size());
  while (!text.empty() && text.front() == ' ') text.erase(text.begin());
  return text;
}

}  // namespace

std::vector<DocExample> doc_examples(const std::string& path) {
  std::ifstream file(path);
  std::vector<std::string> lines;
  for (std::string l; std::getline(file, l);) lines.push_back(l);
  std::vector<DocExample> found;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (!starts_with(lines[i], "```")) continue;
    std::size_t close = i + 1;
    while (close < lines.size() && !starts_with(lines[close], "```")) ++close;
    DocExample e;
    e.line = static_cast<int>(i) + 1;
    const std::string before = i > 0 ? lines[i - 1] : "";
    if (std::optional<std::string> reason = comment_text(before, "not rerun:")) e.not_rerun = *reason;
    if (std::optional<std::string> command = comment_text(before, "output of:")) {
      DocCommand c;
      c.text = *command;
      std::vector<std::string> words = words_of(*command);
      c.program = words.empty() ? "" : words[0];
      if (!words.empty()) c.args.assign(words.begin() + 1, words.end());
      e.commands.push_back(c);
    }
    const bool prompted = i + 1 < close && prompt_of(lines[i + 1]);
    for (std::size_t k = i + 1; k < close && (prompted || !e.commands.empty()); ++k) {
      if (std::optional<DocCommand> c = prompt_of(lines[k])) {
        e.commands.push_back(*c);
      } else if (!e.commands.empty() && lines[k] != "...") {
        e.commands.back().shown.push_back(lines[k]);
        e.commands.back().shown_at.push_back(static_cast<int>(k) + 1);
      }
    }
    if (!e.commands.empty()) found.push_back(e);
    i = close;
  }
  return found;
}

std::string without_what_varies(std::string line) {
  static const std::regex seconds(R"(\b\d+(\.\d+)? s\b)"), rate(R"(\d+ states/s)"), peak(R"(peak memory \d+ MB)"),
      threads(R"(, \d+ threads)"), native(R"(, \d+ states expanded by native code)");
  line = std::regex_replace(line, rate, "R states/s");
  line = std::regex_replace(line, seconds, "T s");
  line = std::regex_replace(line, peak, "peak memory M MB");
  line = std::regex_replace(line, threads, "");
  // Whether native code ran depends on the cache: a model compiled before runs natively.
  return std::regex_replace(line, native, "");
}

namespace {

// Whether `line` is `shown`, where each "..." in `shown` stands for any text.
bool matches(const std::string& shown, const std::string& line) {
  std::size_t at = 0, from = 0;
  bool first = true;
  for (;;) {
    const std::size_t dots = shown.find("...", from);
    const std::string part = shown.substr(from, dots == std::string::npos ? std::string::npos : dots - from);
    if (dots == std::string::npos) {
      if (first) return line == part;
      return line.size() >= at + part.size() && line.compare(line.size() - part.size(), part.size(), part) == 0;
    }
    if (first) {
      if (!starts_with(line, part)) return false;
      at = part.size();
      first = false;
    } else {
      const std::size_t found = line.find(part, at);
      if (found == std::string::npos) return false;
      at = found + part.size();
    }
    from = dots + 3;
  }
}

}  // namespace

std::optional<std::size_t> first_line_not_printed(const std::vector<std::string>& shown, const std::string& printed) {
  std::vector<std::string> lines;
  std::istringstream text(printed);
  for (std::string l; std::getline(text, l);) lines.push_back(without_what_varies(l));
  std::size_t next = 0;
  for (std::size_t k = 0; k < shown.size(); ++k) {
    const std::string want = without_what_varies(shown[k]);
    std::size_t at = next;
    while (at < lines.size() && !matches(want, lines[at])) ++at;
    if (at == lines.size()) return k;
    next = at + 1;
  }
  return std::nullopt;
}

}  // namespace interlock::testing

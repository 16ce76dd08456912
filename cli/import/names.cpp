#include "cli/import/names.h"

#include <cctype>

namespace interlock::importer {

namespace {

bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() > suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

}  // namespace

std::string identifier_from(std::string_view text, std::string_view fallback) {
  for (std::string_view ext : {".sh", ".bash", ".py", ".pl", ".rb", ".php", ".js", ".timer", ".service"}) {
    if (ends_with(text, ext)) {
      text.remove_suffix(ext.size());
      break;
    }
  }
  std::string out;
  for (char c : text) {
    const unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u) && u < 0x80) {
      out.push_back(static_cast<char>(std::tolower(u)));
    } else if (!out.empty() && out.back() != '_') {
      out.push_back('_');
    }
  }
  while (!out.empty() && out.back() == '_') out.pop_back();
  if (out.size() > 40) out.resize(40);
  while (!out.empty() && out.back() == '_') out.pop_back();
  if (out.empty()) return std::string(fallback);
  if (std::isdigit(static_cast<unsigned char>(out[0]))) out = std::string(fallback) + "_" + out;
  return out;
}

std::string not_a_keyword(const std::string& identifier) {
  // docs/language.md, "Lexical rules": the reserved words.
  static const std::set<std::string> keywords = {
      "system",        "const",    "param",    "assume", "type",    "var",       "chan",   "broadcast",
      "machine",       "clock",    "state",    "urgent", "init",    "invariant", "when",   "on",
      "emit",          "choose",   "in",       "do",     "bool",    "true",      "false",  "reachable",
      "deadlock_free", "response", "leads_to", "within", "maximum", "forall",    "exists", "timer"};
  return keywords.count(identifier) ? identifier + "_jobs" : identifier;
}

std::string machine_name(std::string_view identifier) {
  std::string out;
  bool start = true;
  for (char c : identifier) {
    if (c == '_') {
      start = true;
      continue;
    }
    out.push_back(start ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
    start = false;
  }
  return out;
}

std::string upper_name(std::string_view identifier) {
  std::string out(identifier);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

NameTable::NameTable() { keys_.insert(key("wall")); }

std::string NameTable::key(const std::string& identifier) {
  std::string k;
  for (char c : identifier)
    if (c != '_') k.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  return k;
}

bool NameTable::taken(const std::string& identifier) const { return keys_.count(key(identifier)) > 0; }

std::string NameTable::unique(const std::string& identifier) {
  std::string name = identifier;
  for (int n = 2; taken(name); ++n) name = identifier + "_" + std::to_string(n);
  keys_.insert(key(name));
  return name;
}

}  // namespace interlock::importer

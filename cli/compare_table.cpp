// `compare` as a text or markdown table: a mark and the verdict in each cell, a note under the
// table for every bad cell (why, and the command that prints its trace).
#include <algorithm>
#include <cctype>
#include <cstring>

#include "cli/compare.h"
#include "model/utf8.h"

namespace interlock {
namespace {

std::string value_text(const PropertyResult& r) {
  if (r.unbounded) return "unbounded";
  if (r.value) return r.value_text.empty() ? std::to_string(*r.value) : r.value_text;
  return "-";
}

// Columns on a terminal: every UTF-8 lead byte is one (the marks ✓ ✗ are narrow).
std::size_t display_width(const std::string& s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

constexpr const char* kGreen = "\033[32m";
constexpr const char* kRed = "\033[31m";
constexpr const char* kReset = "\033[0m";

struct Cell {
  std::string text;
  Judgement judgement = Judgement::Open;
};

// "✓ holds", "✗ violated [2]", "  unknown": the words line up whether or not there is a mark.
Cell table_cell(const PropertyResult& r, const JudgedCell& judged, std::size_t note) {
  const char* mark = judgement_mark(judged.judgement);
  std::string text = (*mark ? std::string(mark) : std::string(" ")) + " " + compare_cell_text(r);
  if (note) text += " [" + std::to_string(note) + "]";
  return {text, judged.judgement};
}

}  // namespace

std::string compare_tally(const CompareRow& row) {
  int good = 0, bad = 0;
  for (const JudgedCell& c : row.cells) {
    good += c.judgement == Judgement::Good;
    bad += c.judgement == Judgement::Bad;
  }
  return std::to_string(good) + " ✓ " + std::to_string(bad) + " ✗";
}

std::vector<std::string> compare_columns(const std::vector<CompareRow>& rows) {
  std::vector<std::string> names;  // in the order the specs first declare them
  for (const CompareRow& row : rows)
    for (const PropertyResult& r : row.results)
      if (std::find(names.begin(), names.end(), r.property) == names.end()) names.push_back(r.property);
  return names;
}

std::string compare_cell_text(const PropertyResult& r) {
  switch (r.verdict) {
    case Verdict::Unknown: return r.kind == Property::Kind::Maximum && r.value ? ">= " + value_text(r) + "?" : "unknown";
    case Verdict::ModelError: return "model error";
    case Verdict::Holds:
      if (r.kind == Property::Kind::Maximum) return value_text(r);
      return r.kind == Property::Kind::Reachable ? "reachable" : "holds";
    case Verdict::Violated: return r.kind == Property::Kind::Reachable ? "unreachable" : "violated";
  }
  return "?";
}

// Bad cells, open ones with a reason (a witness for some values of free parameters), and results
// a reader wants the trace of though nothing is expected of them (an unbounded maximum, a
// violation of a property that expects nothing).
bool has_footnote(const PropertyResult& r, const JudgedCell& cell) {
  if (cell.judgement == Judgement::Bad || !cell.reason.empty()) return true;
  if (cell.judgement == Judgement::Good) return false;
  return r.trace && (r.verdict == Verdict::Violated || r.verdict == Verdict::ModelError || r.unbounded);
}

// The spec's name as a table shows it: terminal-safe, and in Markdown with a backslash before
// what Markdown would read as markup: '|' ends the cell, '<' starts raw HTML (a file named
// `<script>...` was passed to the page as is, found by an outside tester), and '&', '`', '*',
// '[', ']', '\\' and '>' change what is shown. ('_' is left: inside a word it is no markup.)
std::string shown_spec(const CompareRow& row, bool markdown) {
  std::string shown = terminal_safe(row.spec);
  if (!markdown) return shown;
  std::string escaped;
  for (char c : shown) {
    if (std::strchr("|<>&`*[]\\", c) != nullptr) escaped += '\\';
    escaped += c;
  }
  return escaped;
}

// A word as a POSIX shell reads it back: quoted unless it is made of characters the shell leaves
// alone, so that pasting the command runs nothing a file name holds ("$(...)", ";").
std::string shell_word(const std::string& word) {
  const bool plain = !word.empty() && std::all_of(word.begin(), word.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::strchr("_./+-:=@%,", c) != nullptr;
  });
  if (plain) return word;
  std::string quoted = "'";
  for (char c : word) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string trace_command(const std::string& spec, const PropertyResult& r, const std::vector<std::string>& answer_args) {
  std::string command = "interlock check " + shell_word(spec) + " --prop " + r.property;
  for (const std::string& arg : answer_args) {
    command += ' ';
    command += shell_word(arg);
  }
  return command;
}

std::vector<std::pair<std::string, std::string>> mixed_kind_notes(const std::vector<CompareRow>& rows, bool markdown) {
  std::vector<std::pair<std::string, std::string>> notes;
  for (const std::string& name : compare_columns(rows)) {
    std::vector<std::pair<Property::Kind, std::string>> kinds;  // each kind, with the specs of that kind
    for (const CompareRow& row : rows)
      for (const PropertyResult& r : row.results) {
        if (r.property != name) continue;
        auto it = std::find_if(kinds.begin(), kinds.end(), [&](const auto& k) { return k.first == r.kind; });
        if (it == kinds.end()) kinds.push_back({r.kind, shown_spec(row, markdown)});
        else it->second += ", " + shown_spec(row, markdown);
      }
    if (kinds.size() < 2) continue;
    std::string text = name + " is not the same kind of property in every spec:";
    for (std::size_t k = 0; k < kinds.size(); ++k)
      text += std::string(k ? ";" : "") + " " + property_kind_name(kinds[k].first) + " in " + kinds[k].second;
    notes.emplace_back(name, text + "; its cells answer different questions");
  }
  return notes;
}

void print_table(std::ostream& out, const std::vector<CompareRow>& rows, bool markdown, bool colour) {
  const std::vector<std::string> names = compare_columns(rows);
  std::vector<std::vector<Cell>> table;
  std::vector<std::string> notes;
  // A column of mixed kinds: its note first, pointed to from its head (an outside tester found
  // the notes under the table with nothing in it pointing to them).
  const std::vector<std::pair<std::string, std::string>> mixed = mixed_kind_notes(rows, markdown);
  table.push_back({{"spec"}});
  for (const auto& n : names) {
    table[0].push_back({n});
    for (const auto& [column, text] : mixed)
      if (column == n) {
        notes.push_back(text);
        table[0].back().text += " [" + std::to_string(notes.size()) + "]";
      }
  }
  table[0].push_back({"judged"});
  for (const CompareRow& row : rows) {
    std::vector<Cell> line{{shown_spec(row, markdown)}};
    if (!row.error.empty()) {
      notes.push_back(row.error);
      line.push_back({"not checked [" + std::to_string(notes.size()) + "]"});
      line.resize(names.size() + 2);
      table.push_back(line);
      continue;
    }
    for (const auto& n : names) {
      auto it = std::find_if(row.results.begin(), row.results.end(), [&](const PropertyResult& r) { return r.property == n; });
      if (it == row.results.end()) {
        line.push_back({});
        continue;
      }
      const JudgedCell& judged = row.cells[static_cast<std::size_t>(it - row.results.begin())];
      std::size_t note = 0;
      if (has_footnote(*it, judged)) {
        std::string text = it->property + " in " + shown_spec(row, markdown) + ": " + (judged.reason.empty() ? it->detail : judged.reason);
        const std::string command = trace_command(terminal_safe(row.spec), *it, row.answer_args);
        // In Markdown as code: between double backticks if it holds one.
        const std::string code = command.find('`') == std::string::npos ? "`" + command + "`" : "`` " + command + " ``";
        text += markdown ? "  \n    " + code : "\n    " + command;
        notes.push_back(text);
        note = notes.size();
      }
      line.push_back(table_cell(*it, judged, note));
    }
    line.push_back({compare_tally(row)});
    table.push_back(line);
  }
  std::vector<std::size_t> width(names.size() + 2, 0);
  for (const auto& line : table)
    for (std::size_t c = 0; c < line.size(); ++c) width[c] = std::max(width[c], display_width(line[c].text));
  for (std::size_t r = 0; r < table.size(); ++r) {
    std::string text = markdown ? "|" : "";
    for (std::size_t c = 0; c < table[r].size(); ++c) {
      const Cell& cell = table[r][c];
      const std::string pad(width[c] - display_width(cell.text), ' ');
      std::string shown = cell.text;
      if (colour && cell.judgement != Judgement::Open)
        shown = std::string(cell.judgement == Judgement::Good ? kGreen : kRed) + shown + kReset;
      text += markdown ? " " + shown + pad + " |" : (c ? "  " : "") + shown + pad;
    }
    while (!markdown && !text.empty() && text.back() == ' ') text.pop_back();
    out << text << "\n";
    if (r == 0 && markdown) {
      out << "|";
      for (std::size_t c = 0; c < width.size(); ++c) out << " " << std::string(std::max<std::size_t>(width[c], 3), '-') << " |";
      out << "\n";
    }
  }
  if (!notes.empty()) out << "\n";
  for (std::size_t i = 0; i < notes.size(); ++i) out << "[" << i + 1 << "] " << notes[i] << (markdown ? "  \n" : "\n");
}

void print_json(std::ostream& out, const std::vector<CompareRow>& rows);  // cli/compare_json.cpp

void print_comparison(std::ostream& out, const std::vector<CompareRow>& rows, const std::string& format, bool colour) {
  if (format == "json") print_json(out, rows);
  else print_table(out, rows, format == "markdown", colour && format == "text");
}

}  // namespace interlock

// `compare --format html --output DIR`: DIR/index.html, one self-contained page (no script, no
// network) with the judged table; each cell with a trace links to its viewer page in DIR/traces/.
#include <filesystem>
#include <sstream>

#include "cli/compare.h"
#include "model/diagnostics.h"
#include "model/output_file.h"
#include "model/utf8.h"

namespace interlock {
namespace {

std::string escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

constexpr const char* kStyle =
    "body{font-family:system-ui,sans-serif;margin:1.5em}"
    "table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:left;white-space:nowrap}"
    "thead th{position:sticky;top:0;background:#f4f4f4}"
    "td.good{background:#e6f4e6}td.bad{background:#fbe4e4}td.open{color:#555}"
    "td a{color:inherit}ol.notes li{margin:.4em 0}code{background:#f4f4f4;padding:0 .2em}";

}  // namespace

void write_comparison_html(const std::string& folder, const std::vector<CompareRow>& rows) {
  const std::vector<std::string> names = compare_columns(rows);
  std::ostringstream page, notes;
  int note_count = 0;
  page << "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>interlock compare</title><style>"
       << kStyle << "</style></head><body>\n<h1>interlock compare</h1>\n"
       << "<p>✓ the answer the property expects, ✗ the opposite (the note under the table says why), no mark: unknown "
          "or nothing expected. A linked cell opens its trace.</p>\n<table><thead><tr><th>spec</th>";
  const std::vector<std::pair<std::string, std::string>> mixed = mixed_kind_notes(rows, false);
  for (const auto& n : names) {
    page << "<th>" << escape(n);
    for (const auto& [column, text] : mixed)
      if (column == n) {
        notes << "<li id=\"note" << ++note_count << "\">" << escape(text) << "</li>\n";
        page << " <a href=\"#note" << note_count << "\">[" << note_count << "]</a>";
      }
    page << "</th>";
  }
  page << "<th>judged</th></tr></thead><tbody>\n";
  for (const CompareRow& row : rows) {
    page << "<tr><th>" << escape(row.spec) << "</th>";
    if (!row.error.empty()) {
      notes << "<li id=\"note" << ++note_count << "\">" << escape(row.spec) << ": " << escape(row.error) << "</li>\n";
      page << "<td colspan=\"" << names.size() + 1 << "\" class=\"bad\">not checked <a href=\"#note" << note_count << "\">["
           << note_count << "]</a></td></tr>\n";
      continue;
    }
    for (const auto& n : names) {
      std::size_t k = 0;
      while (k < row.results.size() && row.results[k].property != n) ++k;
      if (k == row.results.size()) {
        page << "<td></td>";
        continue;
      }
      const PropertyResult& r = row.results[k];
      const JudgedCell& cell = row.cells[k];
      std::string text = std::string(judgement_mark(cell.judgement)) + (cell.judgement == Judgement::Open ? "" : " ") +
                         escape(compare_cell_text(r));
      if (!cell.trace_page.empty()) text = "<a href=\"" + escape(cell.trace_page) + "\">" + text + "</a>";
      if (has_footnote(r, cell)) {
        notes << "<li id=\"note" << ++note_count << "\"><b>" << escape(r.property) << "</b> in " << escape(row.spec) << ": "
              << escape(cell.reason.empty() ? r.detail : cell.reason) << "<br><code>" << escape(trace_command(terminal_safe(row.spec), r, row.answer_args))
              << "</code></li>\n";
        text += " <a href=\"#note" + std::to_string(note_count) + "\">[" + std::to_string(note_count) + "]</a>";
      }
      page << "<td class=\"" << judgement_word(cell.judgement) << "\"";
      if (!cell.expect.empty()) page << " title=\"expects " << escape(cell.expect) << "\"";
      page << ">" << text << "</td>";
    }
    page << "<td>" << escape(compare_tally(row)) << "</td></tr>\n";
  }
  page << "</tbody></table>\n";
  if (note_count) page << "<ol class=\"notes\">\n" << notes.str() << "</ol>\n";
  page << "</body></html>\n";
  const std::filesystem::path path = std::filesystem::path(folder) / "index.html";
  write_output_file(path.string(), page.str(), "the comparison page");
}

}  // namespace interlock

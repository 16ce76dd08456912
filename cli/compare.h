// `interlock compare`: every property of several specs (an original and its candidate fixes), one
// row per spec and one column per property, each cell judged good or bad against the answer the
// property expects, so the fixes can be weighed side by side.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "cli/options.h"
#include "solver/judgement.h"
#include "solver/lint/lint.h"
#include "solver/result.h"

namespace interlock {

// What the table says about one result beyond its verdict.
struct JudgedCell {
  Judgement judgement = Judgement::Open;
  std::string expect;      // the answer wanted: "holds", "unreachable", "<= 60"; empty: none
  std::string reason;      // one line, for a bad cell (or an open one that needs a word: open_reason)
  std::string trace_page;  // --format html: the trace viewer page, relative to the folder
};

struct CompareRow {
  std::string spec;    // the path given, or found in a folder
  std::string system;
  std::string time_unit;  // what a "value" counts: "minutes", "ticks"
  std::shared_ptr<const Model> model;  // as checked; empty when the spec could not be loaded
  std::vector<PropertyResult> results;
  std::vector<JudgedCell> cells;  // one per result
  std::string error;   // the spec could not be checked: why
  bool unknown = false;  // ... because the run stopped (a limit, Ctrl-C), not because of the spec
  LintReport lint;       // with --lint on (the default): printed to stderr after the table
  std::string lint_error;  // why lint could not run, if it could not
  std::vector<std::string> answer_args;  // Options::answer_args: what trace_command() repeats
};

// Spec files named directly, and every *.sched under named folders: a folder's own files first,
// then its subfolders', each level sorted by name.
std::vector<std::string> collect_specs(const std::vector<std::string>& paths);

// The table as text (marks coloured when `colour`), markdown or json (cli/compare_table.cpp,
// cli/compare_json.cpp).
void print_comparison(std::ostream& out, const std::vector<CompareRow>& rows, const std::string& format, bool colour = false);

// --format html: `folder`/index.html, the table whose cells link to the trace pages already
// written under `folder` (cli/compare_html.cpp).
void write_comparison_html(const std::string& folder, const std::vector<CompareRow>& rows);

// Helpers the formats share (cli/compare_table.cpp).
std::vector<std::string> compare_columns(const std::vector<CompareRow>& rows);
std::string compare_cell_text(const PropertyResult& r);  // "violated", "reachable", "151"
bool has_footnote(const PropertyResult& r, const JudgedCell& cell);
std::string compare_tally(const CompareRow& row);  // the "judged" column: "5 ✓ 2 ✗"
// A note for each column whose property is of another kind in some spec ("excl" an invariant in
// one, a reachable property in another): its cells answer different questions, which the marks
// alone would hide (a fix that weakened an invariant to a reachable property would score
// better). Spec names as the table shows them (`markdown`: markup escaped). Each with its column's
// property: the notes come first, and the column's head points to its note.
std::vector<std::pair<std::string, std::string>> mixed_kind_notes(const std::vector<CompareRow>& rows, bool markdown);
// The command that shows a cell's trace, the spec named as `spec`, with the options that shaped
// the answer (each word quoted for the shell).
std::string trace_command(const std::string& spec, const PropertyResult& r, const std::vector<std::string>& answer_args);

int run_compare(const Options& options, std::ostream& out, std::ostream& err);

}  // namespace interlock

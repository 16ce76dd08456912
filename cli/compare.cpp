#include "cli/compare.h"

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <iostream>
#include <filesystem>
#include <set>
#include <sstream>
#include <thread>

#include <unistd.h>

#include "cli/engine_registry.h"
#include "cli/lint_command.h"
#include "cli/load_spec.h"
#include "model/lower.h"
#include "model/output_file.h"
#include "model/time_format.h"
#include "model/utf8.h"
#include "solver/trace/trace_html.h"
#include "solver/trace/trace_itf.h"

namespace interlock {
namespace {

namespace fs = std::filesystem;

// A folder's specs, then its subfolders'. Links are followed, but a folder already walked (a link
// back up, a link to itself) is not walked again, and an entry that cannot be resolved (a link
// loop, a dangling link) counts only if it is named like a spec: then its check says why.
void collect_folder(const fs::path& dir, std::vector<std::string>& out, std::set<fs::path>& walked) {
  std::error_code ec;
  const fs::path real = fs::canonical(dir, ec);
  if (ec) throw InputError(dir.string() + ": error: cannot read this folder: " + ec.message() + "\n");
  if (!walked.insert(real).second) return;
  std::vector<fs::path> files, folders;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    std::error_code type_ec;
    if (it->is_directory(type_ec)) folders.push_back(it->path());
    else if (it->path().extension() == ".sched") files.push_back(it->path());
  }
  if (ec) throw InputError(dir.string() + ": error: cannot read this folder: " + ec.message() + "\n");
  std::sort(files.begin(), files.end());
  std::sort(folders.begin(), folders.end());
  for (const auto& f : files) out.push_back(f.string());
  for (const auto& d : folders) collect_folder(d, out, walked);
}

// --format html: the viewer page of a result's trace, in `folder`/traces/; its path relative to
// `folder`, or empty when there is no trace.
std::string write_trace_page(const std::string& folder, std::size_t row, const Model& model, const std::string& spec,
                             const PropertyResult& r) {
  if (!r.trace) return "";
  const std::string relative = "traces/" + std::to_string(row + 1) + "-" + r.property + ".html";
  const Model shown = with_params(model, r.trace->params);  // a run of one schedule, under --free
  write_output_file((fs::path(folder) / relative).string(),
                    format_trace_html(shown, *r.trace, TraceHeader{spec, r.property, verdict_name(r.verdict)}), "the trace page");
  return relative;
}

std::vector<JudgedCell> judge_row(const Model& model, const std::vector<PropertyResult>& results) {
  std::vector<JudgedCell> cells;
  for (const PropertyResult& r : results) {
    JudgedCell cell;
    const int p = model.find_property(r.property);
    if (p >= 0) {
      const Property& property = model.properties[p];
      cell.judgement = judge(model, property, r);
      cell.expect = expect_text(model, property);
      cell.reason = bad_reason(model, property, r);
      if (cell.reason.empty()) cell.reason = open_reason(model, property, r);
    }
    cells.push_back(std::move(cell));
  }
  return cells;
}

// Colour for the marks: asked for, or stdout is a terminal that takes it (NO_COLOR, TERM=dumb).
bool use_colour(const Options& options, const std::ostream& out) {
  if (options.color != "auto") return options.color == "always";
  if (&out != &std::cout || !isatty(STDOUT_FILENO)) return false;
  const char* no_colour = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  return !(no_colour && *no_colour) && !(term && std::string(term) == "dumb");
}

}  // namespace

std::vector<std::string> collect_specs(const std::vector<std::string>& paths) {
  std::vector<std::string> out;
  std::set<fs::path> walked;
  for (const std::string& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) collect_folder(p, out, walked);
    else out.push_back(p);
  }
  return out;
}

int run_compare(const Options& options, std::ostream& out, std::ostream& err) {
  const std::vector<std::string> specs = collect_specs(options.specs);
  if (specs.empty()) throw InputError("interlock compare: error: no .sched files found\n");
  std::vector<CompareRow> rows(specs.size());
  if (options.format == "html") {
    prepare_output_folder(options.output);
    prepare_output_folder((fs::path(options.output) / "traces").string());
  }
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < specs.size(); i = next++) {
      CompareRow& row = rows[i];
      row.spec = specs[i];
      row.answer_args = options.answer_args;
      auto failed = [&row](std::string why, bool unknown) {
        while (!why.empty() && why.back() == '\n') why.pop_back();
        row.error = why;
        row.unknown = unknown;
      };
      try {
        RunContext context(options.limits, nullptr);  // each spec has the whole --timeout, loading included
        Model model = load_spec(specs[i], options.lower, context);
        row.system = model.system;
        row.time_unit = model.time_unit;
        std::vector<int> all;
        for (std::size_t p = 0; p < model.properties.size(); ++p) all.push_back(static_cast<int>(p));
        if (options.lint) context.request_coverage(lint_request(model, all));
        row.results = check_auto(model, all, context);
        row.model = std::make_shared<const Model>(model);
        row.cells = judge_row(model, row.results);
        if (options.format == "html")
          for (std::size_t k = 0; k < row.results.size(); ++k)
            row.cells[k].trace_page = write_trace_page(options.output, i, model, specs[i], row.results[k]);
        if (options.lint) {
          std::ostringstream lint_err;  // printed after the table, with the warnings
          row.lint = lint_after_run(model, all, row.results, specs[i], lint_err);
          row.lint_error = lint_err.str();
        }
      } catch (const InputError& e) {
        failed(e.what(), false);
      } catch (const LoadStopped& e) {
        failed(std::string("interlock: ") + e.what() + "; its verdicts are unknown", true);
      } catch (const std::bad_alloc&) {
        failed("interlock: " + terminal_safe(row.spec) + ": out of memory; its verdicts are unknown", true);
      } catch (const std::exception& e) {
        failed("interlock: " + terminal_safe(row.spec) + ": internal error: " + e.what() + "; its verdicts are unknown", true);
      } catch (...) {
        failed("interlock: " + terminal_safe(row.spec) + ": internal error; its verdicts are unknown", true);
      }
    }
  };
  std::vector<std::thread> pool;
  const std::size_t jobs = std::min<std::size_t>(static_cast<std::size_t>(options.jobs), specs.size());
  for (std::size_t j = 1; j < jobs; ++j) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();

  if (options.format == "html") {
    write_comparison_html(options.output, rows);
    out << "interlock: wrote " << terminal_safe((fs::path(options.output) / "index.html").string()) << "\n";
  } else {
    print_comparison(out, rows, options.format, use_colour(options, out));
  }
  for (const CompareRow& row : rows) {
    err << row.lint_error;
    print_run_lint(err, row.spec, row.lint);
  }
  // 2 when a spec could not be checked (bad input), else 3 when something is unknown.
  bool bad = false, unknown = false;
  for (const CompareRow& row : rows) {
    if (!row.error.empty()) err << row.error << "\n";
    bad = bad || (!row.error.empty() && !row.unknown);
    unknown = unknown || row.unknown;
    for (const PropertyResult& r : row.results) unknown = unknown || r.verdict == Verdict::Unknown;
  }
  return bad ? 2 : unknown ? 3 : 0;
}

}  // namespace interlock

#include "cli/compare.h"

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <set>
#include <sstream>
#include <thread>

#include "cli/engine_registry.h"
#include "cli/lint_command.h"
#include "cli/load_spec.h"
#include "model/lower.h"

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

// The columns: every property name, in the order the specs first declare them.
std::vector<std::string> columns(const std::vector<CompareRow>& rows) {
  std::vector<std::string> names;
  for (const CompareRow& row : rows)
    for (const PropertyResult& r : row.results)
      if (std::find(names.begin(), names.end(), r.property) == names.end()) names.push_back(r.property);
  return names;
}

const PropertyResult* find_result(const CompareRow& row, const std::string& name) {
  for (const PropertyResult& r : row.results)
    if (r.property == name) return &r;
  return nullptr;
}

std::string value_text(const PropertyResult& r) {
  if (r.unbounded) return "unbounded";
  if (r.value) return r.value_text.empty() ? std::to_string(*r.value) : r.value_text;
  return "-";
}

// A cell's words, without its footnote mark.
std::string cell_text(const PropertyResult& r) {
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

// Results a reader wants the trace of: violations, unbounded maxima, model errors.
bool has_footnote(const PropertyResult& r) {
  return r.trace && (r.verdict == Verdict::Violated || r.verdict == Verdict::ModelError || r.unbounded);
}

std::string trace_command(const CompareRow& row, const PropertyResult& r) {
  return "interlock check " + row.spec + " --prop " + r.property;
}

std::string json_string(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    if (static_cast<unsigned char>(c) < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
      continue;
    }
    out += c;
  }
  return out + "\"";
}

void print_json(std::ostream& out, const std::vector<CompareRow>& rows) {
  out << "{\"specs\": [";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const CompareRow& row = rows[i];
    out << (i ? "," : "") << "\n  {\"spec\": " << json_string(row.spec) << ", \"system\": " << json_string(row.system);
    if (!row.time_unit.empty()) out << ", \"time_unit\": " << json_string(row.time_unit);  // of every "value"
    if (!row.error.empty()) out << ", \"error\": " << json_string(row.error);
    if (row.unknown) out << ", \"unknown\": true";
    out << ", \"properties\": [";
    for (std::size_t k = 0; k < row.results.size(); ++k) {
      const PropertyResult& r = row.results[k];
      out << (k ? "," : "") << "\n    {\"name\": " << json_string(r.property) << ", \"kind\": "
          << json_string(property_kind_name(r.kind)) << ", \"verdict\": " << json_string(verdict_name(r.verdict))
          << ", \"engine\": " << json_string(r.engine);
      if (r.value) out << ", \"value\": " << *r.value;
      if (r.unbounded) out << ", \"unbounded\": true";
      if (!r.detail.empty()) out << ", \"detail\": " << json_string(r.detail);
      if (has_footnote(r)) out << ", \"trace_command\": " << json_string(trace_command(row, r));
      out << "}";
    }
    out << "]}";
  }
  out << "\n]}\n";
}

void print_table(std::ostream& out, const std::vector<CompareRow>& rows, bool markdown) {
  const std::vector<std::string> names = columns(rows);
  std::vector<std::vector<std::string>> table;
  std::vector<std::string> notes;
  table.push_back({"spec"});
  for (const auto& n : names) table[0].push_back(n);
  for (const CompareRow& row : rows) {
    std::vector<std::string> line{row.spec};
    if (!row.error.empty()) {
      notes.push_back(row.error);
      line.push_back("not checked [" + std::to_string(notes.size()) + "]");
      line.resize(names.size() + 1);
      table.push_back(line);
      continue;
    }
    for (const auto& n : names) {
      const PropertyResult* r = find_result(row, n);
      if (!r) {
        line.push_back("");
        continue;
      }
      std::string cell = cell_text(*r);
      if (has_footnote(*r)) {
        notes.push_back(trace_command(row, *r));
        cell += " [" + std::to_string(notes.size()) + "]";
      }
      line.push_back(cell);
    }
    table.push_back(line);
  }
  std::vector<std::size_t> width(names.size() + 1, 0);
  for (const auto& line : table)
    for (std::size_t c = 0; c < line.size(); ++c) width[c] = std::max(width[c], line[c].size());
  for (std::size_t r = 0; r < table.size(); ++r) {
    std::string text = markdown ? "|" : "";
    for (std::size_t c = 0; c < table[r].size(); ++c) {
      std::string cell = table[r][c];
      cell.resize(width[c], ' ');
      text += markdown ? " " + cell + " |" : (c ? "  " : "") + cell;
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
  for (std::size_t i = 0; i < notes.size(); ++i)
    out << "[" << i + 1 << "] " << (markdown ? "`" + notes[i] + "`" : notes[i])
        << (markdown ? "  \n" : "\n");
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

void print_comparison(std::ostream& out, const std::vector<CompareRow>& rows, const std::string& format) {
  if (format == "json") print_json(out, rows);
  else print_table(out, rows, format == "markdown");
}

int run_compare(const Options& options, std::ostream& out, std::ostream& err) {
  const std::vector<std::string> specs = collect_specs(options.specs);
  if (specs.empty()) throw InputError("interlock compare: error: no .sched files found\n");
  std::vector<CompareRow> rows(specs.size());
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t i = next++; i < specs.size(); i = next++) {
      CompareRow& row = rows[i];
      row.spec = specs[i];
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
        failed("interlock: " + row.spec + ": out of memory; its verdicts are unknown", true);
      } catch (const std::exception& e) {
        failed("interlock: " + row.spec + ": internal error: " + e.what() + "; its verdicts are unknown", true);
      } catch (...) {
        failed("interlock: " + row.spec + ": internal error; its verdicts are unknown", true);
      }
    }
  };
  std::vector<std::thread> pool;
  const std::size_t jobs = std::min<std::size_t>(static_cast<std::size_t>(options.jobs), specs.size());
  for (std::size_t j = 1; j < jobs; ++j) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();

  print_comparison(out, rows, options.format);
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

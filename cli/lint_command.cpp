#include "cli/lint_command.h"

#include "cli/lint_sarif.h"
#include "cli/load_spec.h"
#include "model/input_file.h"

namespace interlock {

namespace {
constexpr std::size_t kMaxSpecBytes = std::size_t{8} << 20;  // as the loader (docs/language.md, "Limits")

std::string count(std::size_t n, const char* what) { return std::to_string(n) + " " + what + (n == 1 ? "" : "s"); }
}  // namespace

SpecText spec_text_of(const Model& model, const std::string& path) {
  try {
    return SpecText(model, read_input_file(path, "spec", kMaxSpecBytes));
  } catch (const std::exception&) {
    return SpecText();
  }
}

void print_run_lint(std::ostream& err, const std::string& spec, const LintReport& report) {
  if (report.warnings.empty()) return;
  print_warnings(err, spec, report.warnings);
  err << "lint: " << count(report.warnings.size(), "warning")
      << (report.explored ? " (from the spec and its " + std::to_string(report.states) + " reachable states)"
                          : std::string(" (from the spec alone: this run did not explore every reachable state; "
                                        "'interlock lint' does)"))
      << "; --lint off leaves them out\n";
}

LintReport lint_after_run(const Model& model, const std::vector<int>& properties, const std::vector<PropertyResult>& results,
                          const std::string& spec, std::ostream& err) {
  try {
    return lint_after_check(model, properties, results, spec_text_of(model, spec));
  } catch (const std::exception& e) {
    std::string why = e.what();
    while (!why.empty() && why.back() == '\n') why.pop_back();
    err << "lint: not run: " << why << "\n";
  }
  return {};
}

int run_lint(const Options& options, std::ostream& out, std::ostream& err) {
  RunContext context(options.limits, options.quiet ? nullptr : &err);
  Model model = load_spec(options.spec, options.lower, context);
  const LintReport report = lint_spec(model, context, spec_text_of(model, options.spec));
  const int code = report.model_error ? 2 : !report.warnings.empty() ? 1 : report.explored ? 0 : 3;
  if (options.format == "sarif") {
    out << lint_sarif(options.spec, report);
    return code;
  }
  out << "interlock lint: " << model.file << " (system " << model.system << ")\n";
  print_warnings(out, options.spec, report.warnings);
  out << (report.warnings.empty() ? std::string("no warnings") : count(report.warnings.size(), "warning")) << "; "
      << (report.explored ? "the search explored every reachable state (" + std::to_string(report.states) + ")"
                          : report.not_explored)
      << "\n";
  return code;
}

}  // namespace interlock

#include "cli/export_command.h"

#include <fstream>
#include <sstream>

#include "cli/commands.h"
#include "cli/load_spec.h"
#include "model/lower.h"
#include "solver/export/promela.h"

namespace interlock {
namespace {

// An export error as a located diagnostic, quoting the spec's line.
InputError located(const std::string& path, const ExportError& e) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  SourceFile file(path, text.str());
  return InputError(render_diagnostic(file, {e.loc(), e.what()}));
}

}  // namespace

int run_export(const Options& options, std::ostream& out, std::ostream& err) {
  RunContext loading(options.limits, nullptr);
  Model model = load_spec(options.spec, options.lower, loading);
  PromelaOptions promela;
  promela.properties = property_indexes(model, options.props, options.spec);
  std::string text;
  try {
    text = export_promela(model, promela);
  } catch (const ExportError& e) {
    throw located(options.spec, e);
  }
  out << text;
  if (!options.quiet) err << "interlock export: wrote " << model.file << " as Promela\n";
  return 0;
}

}  // namespace interlock

#include "cli/commands.h"
#include "cli/command_spec.h"
#include "cli/completion.h"
#include "cli/man_page.h"
#include "cli/json_report.h"

#include <optional>
#include <sstream>
#include <new>

#include "model/lower.h"
#include "model/output_file.h"
#include "model/time_format.h"
#include "model/semantics.h"
#include "cli/compare.h"
#include "cli/decided_verdicts.h"
#include "cli/engine_registry.h"
#include "cli/export_command.h"
#include "cli/interactive.h"
#include "cli/lint_command.h"
#include "cli/load_spec.h"
#include "cli/synth.h"
#include "cli/trace_commands.h"
#include "solver/trace/replay.h"
#include "solver/trace/report.h"
#include "solver/trace/trace_formats.h"
#include "solver/explicit/state_graph.h"

namespace interlock {

namespace {
constexpr const char* kVersion = "interlock " INTERLOCK_VERSION;  // project(... VERSION) in CMakeLists.txt
}

std::vector<int> property_indexes(const Model& model, const std::vector<std::string>& names, const std::string& spec) {
  std::vector<int> props;
  for (const auto& name : names) {
    int index = model.find_property(name);
    if (index < 0) {
      std::string known;
      for (const auto& p : model.properties) known += (known.empty() ? "" : ", ") + p.name;
      throw InputError(spec + ": error: no property named '" + name + "'" +
                       (known.empty() ? " (the spec declares none)" : " (the spec declares: " + known + ")") + "\n");
    }
    props.push_back(index);
  }
  return props;
}

int run_check(const Options& options, std::ostream& out, std::ostream& err) {
  RunContext context(options.limits, options.quiet ? nullptr : &err);  // from here, the run's limits hold
  Model model = load_spec(options.spec, options.lower, context);
  std::vector<int> props = property_indexes(model, options.props, options.spec);
  if (options.props.empty())
    for (std::size_t i = 0; i < model.properties.size(); ++i) props.push_back(static_cast<int>(i));
  if (props.empty()) {
    out << "no properties to check: " << model.file << " declares none\n";
    if (options.lint) print_run_lint(err, options.spec, lint_after_run(model, {}, {}, options.spec, err));
    return 0;
  }
  if (options.lint) context.request_coverage(lint_request(model, props));
  // What is decided is kept for the process guard until the report is printed (cli/decided_verdicts.h).
  auto publish = [&](const std::vector<PropertyResult>& so_far) { publish_decided(model, so_far); };
  std::vector<PropertyResult> results = options.engine == "auto" ? check_auto(model, props, context, publish)
                                                                 : run_engine(*make_engine(options.engine), model, props, context);
  publish(results);
  if (options.format == "json") {  // one document on stdout; lint's warnings stay on stderr
    const int code = exit_code(worst_verdict(results));
    out << check_report_json(model, options.spec, results, code) << std::flush;
    clear_decided();
    if (options.lint) print_run_lint(err, options.spec, lint_after_run(model, props, results, options.spec, err));
    return code;
  }
  // With a machine-readable trace format, stdout carries the trace document alone (of the first
  // property that has a trace), and the verdicts go to stderr. --quiet keeps the verdict lines
  // alone: no header, no traces, no statistics.
  const bool text = options.trace == "text";
  std::ostream& report = text ? out : err;
  if (!options.quiet) {
    report << "interlock: " << model.file << " (system " << model.system << ")";
    std::string free;
    for (const auto& p : model.params)
      if (!p.value) free += (free.empty() ? "" : ", ") + p.name;
    if (!free.empty()) report << "; free parameters: " << free;
    report << "\n";
    if (!model.timers.empty()) report << timers_line(model) << "\n";
  }
  print_results(report, model, results,
                options.quiet ? ResultDetail::VerdictsOnly : text ? ResultDetail::Traces : ResultDetail::NoTraces);
  report.flush();
  clear_decided();
  if (!text) {
    const PropertyResult* traced = nullptr;
    for (const PropertyResult& r : results)
      if (r.trace && !traced) traced = &r;
    if (!traced) {
      err << "interlock: no property has a trace to write (none is violated, reachable or unbounded)\n";
    } else {
      Model shown = with_params(model, traced->trace->params);
      out << format_trace(shown, *traced->trace, options.trace, {options.spec, traced->property, verdict_name(traced->verdict)});
      if (!options.quiet) err << "interlock: wrote the " << options.trace << " trace of " << traced->property << "\n";
    }
  }
  // Lint comes last, on stderr, and leaves the exit code alone.
  if (options.lint) print_run_lint(err, options.spec, lint_after_run(model, props, results, options.spec, err));
  return exit_code(worst_verdict(results));
}

int run_graph(const Options& options, std::ostream& out, std::ostream& err) {
  RunContext context(options.limits, options.quiet ? nullptr : &err);
  Model model = load_spec(options.spec, options.lower, context);
  // The file is opened only for a graph that is written: one refused (too many states, a model
  // error) leaves no file behind, and an earlier file of that name as it was.
  std::optional<OutputFile> file;
  GraphResult result = write_state_graph(model, context, options.max_states, [&]() -> std::ostream& {
    if (options.output.empty()) return out;
    file.emplace(options.output, "the graph");
    return file->stream();
  });
  if (!result.written) {
    err << "interlock graph: " << result.message << "\n";
    return result.message.find("model error") == 0 ? 2 : 3;
  }
  if (file) file->close();
  err << "interlock graph: " << result.states << " states written\n";
  return 0;
}

int run_command_line(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::istringstream none;
  return run_command_line(args, none, out, err);
}

int run_command_line(const std::vector<std::string>& args, std::istream& in, std::ostream& out, std::ostream& err) {
  try {
    Options options = parse_options(args);
    if (options.command == "help") {
      out << (options.help_for.empty() ? program_help() : command_help(options.help_for));
      return 0;
    }
    if (options.command == "completion") {
      out << bash_completion(command_line_spec());
      return 0;
    }
    if (options.command == "man") {
      out << man_page(command_line_spec(), INTERLOCK_VERSION);
      return 0;
    }
    if (options.command == "version") {
      out << kVersion << "\n";
      return 0;
    }
    if (options.command == "graph") return run_graph(options, out, err);
    if (options.command == "compare") return run_compare(options, out, err);
    if (options.command == "synth") return run_synth(options, out, err);
    if (options.command == "lint") return run_lint(options, out, err);
    if (options.command == "simulate") return options.interactive ? run_interactive(options, in, out, err) : run_simulate(options, out, err);
    if (options.command == "replay") return run_replay(options, out, err);
    if (options.command == "explain") return run_explain(options, out, err);
    if (options.command == "export") return run_export(options, out, err);
    if (options.command == "import") {
      std::ostringstream quiet;
      return run_import(options.import, out, options.quiet ? quiet : err);
    }
    return run_check(options, out, err);
  } catch (const UsageError& e) {
    err << "interlock: error: " << e.what() << "\n"
        << "run 'interlock --help' for the commands, 'interlock COMMAND --help' for a command's options\n";
    return 2;
  } catch (const InputError& e) {
    err << e.what();
    return 2;
  } catch (const LoadStopped& e) {
    err << "interlock: " << e.what() << "; the verdict is unknown\n";
    return 3;
  } catch (const std::bad_alloc&) {
    err << "interlock: out of memory; the verdict is unknown (try --memory to stop earlier)\n";
    return 3;
  } catch (const std::exception& e) {
    // A fault of interlock, not of the input: no verdict was reached (exit codes stay 0-3).
    err << "interlock: internal error: " << e.what() << "; the verdict is unknown\n";
    return 3;
  } catch (...) {
    err << "interlock: internal error; the verdict is unknown\n";
    return 3;
  }
}

}  // namespace interlock

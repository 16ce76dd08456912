#include "cli/options.h"

#include <cerrno>
#include <cstdlib>

#include "model/time_literals.h"

namespace interlock {
namespace {

int64_t parse_int(const std::string& text, const std::string& what, int64_t lo, int64_t hi) {
  errno = 0;
  char* end = nullptr;
  long long v = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || *end != '\0' || errno == ERANGE)
    throw UsageError(what + " expects an integer, not '" + text + "'");
  if (v < lo || v > hi)
    throw UsageError(what + " must be between " + std::to_string(lo) + " and " + std::to_string(hi));
  return v;
}

// `interlock import crontab FILE ...` / `interlock import systemd UNIT.timer ...`.
Options parse_import(const std::vector<std::string>& args) {
  Options o;
  o.command = "import";
  ImportOptions& im = o.import;
  // The command that writes the skeleton's text, for its first line: -o and --quiet change only
  // where it goes.
  im.command_line = "interlock";
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-o" || a == "--output") {
      ++i;
      continue;
    }
    if (a == "--quiet" || a == "-q") continue;
    const bool plain = !a.empty() && a.find_first_of(" \t'\"$\\*?;&|<>()") == std::string::npos;
    im.command_line += " " + (plain ? a : "'" + a + "'");
  }
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= args.size()) throw UsageError(a + " needs a value");
      return args[++i];
    };
    if (a == "--duration") {
      im.durations.push_back(value());
    } else if (a == "--name") {
      im.names.push_back(value());
    } else if (a == "--resource") {
      im.resources.push_back(value());
    } else if (a == "--system" && im.kind == "crontab") {
      im.system_crontab = true;
    } else if (a == "-o" || a == "--output") {
      im.output = value();
    } else if (a == "--quiet" || a == "-q") {
      o.quiet = true;
    } else if (!a.empty() && a[0] == '-') {
      throw UsageError("unknown option '" + a + "' for 'import" + (im.kind.empty() ? "" : " " + im.kind) + "'");
    } else if (im.kind.empty()) {
      if (a != "crontab" && a != "systemd") throw UsageError("'import' reads 'crontab' or 'systemd', not '" + a + "'");
      im.kind = a;
    } else {
      im.files.push_back(a);
    }
  }
  if (im.kind.empty()) throw UsageError("'import' needs what to read: 'import crontab FILE' or 'import systemd UNIT.timer'");
  if (im.files.empty()) {
    throw UsageError(im.kind == "crontab" ? "'import crontab' needs a crontab file"
                                          : "'import systemd' needs a .timer unit file");
  }
  if (im.kind == "crontab" && im.files.size() > 1) throw UsageError("'import crontab' reads one crontab file");
  return o;
}

double parse_seconds(const std::string& text, const std::string& what) {
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !(v > 0) || v > 1e7) throw UsageError(what + " expects a positive number of seconds, not '" + text + "'");
  return v;
}

}  // namespace

std::string usage() {
  return "usage:\n"
         "  interlock check SPEC [--prop NAME]... [--engine explicit|bmc|kind|chc|auto] [--set P=V]...\n"
         "                       [--free P|all]... [--trace text|json|mermaid|dot|html] [--depth K] [--timeout S]\n"
         "                       [--memory MB] [--native auto|on|off] [--reduce on|off] [--lint on|off] [--format text|json] [--quiet]\n"
         "  interlock lint SPEC [--set P=V]... [--timeout S] [--memory MB] [--native auto|on|off] [--reduce on|off]\n"
         "                       [--format text|sarif] [--quiet]\n"
         "  interlock graph SPEC [--set P=V]... [--max-states N] [--output FILE] [--timeout S] [--memory MB]\n"
         "  interlock compare SPEC|DIR... [--format text|markdown|json|html] [--output DIR] [--color auto|always|never]\n"
         "                       [--set P=V]... [--free P|all]... [--jobs N] [--timeout S] [--memory MB]\n"
         "                       [--native auto|on|off] [--lint on|off]\n"
         "  interlock synth SPEC --param P [--param Q]... [--prop NAME]... [--set P=V]... [--timeout S] [--lint on|off] [--quiet]\n"
         "  interlock simulate SPEC [--seed N] [--steps K] [--interactive] [--trace FORMAT] [--set P=V]... [--timeout S] [--memory MB]\n"
         "  interlock replay SPEC TRACE.itf.json [--set P=V]... [--timeout S] [--memory MB]\n"
         "  interlock explain SPEC --prop NAME [--set P=V]... [--trace FORMAT] [--timeout S] [--memory MB]\n"
         "  interlock export --promela SPEC [--set P=V]... [--prop NAME]...\n" +
         std::string(import_usage()) +
         "  interlock help | --version\n"
         "exit codes: 0 every property holds, 1 a property is violated, 2 bad input or a model error,\n"
         "            3 unknown (a limit was hit, or no engine that applies could decide)\n"
         "lint (after check, compare and synth, on stderr; never changes the exit code): edges nothing forces,\n"
         "            states and edges never reached, vacuous properties. 'interlock lint' exits 0 clean, 1 with\n"
         "            warnings, 2 bad input or a model error, 3 when its search could not explore every state\n";
}

Options parse_options(const std::vector<std::string>& args) {
  Options o;
  if (args.empty()) throw UsageError("missing command");
  o.command = args[0];
  if (o.command == "help" || o.command == "--help" || o.command == "-h") {
    o.command = "help";
    return o;
  }
  if (o.command == "--version" || o.command == "version") {
    o.command = "version";
    return o;
  }
  if (o.command == "import") return parse_import(args);
  if (o.command != "check" && o.command != "graph" && o.command != "compare" && o.command != "synth" &&
      o.command != "lint" && o.command != "simulate" && o.command != "replay" && o.command != "explain" &&
      o.command != "export")
    throw UsageError("unknown command '" + o.command + "'");
  const bool check = o.command == "check";
  const bool compare = o.command == "compare";
  const bool lint = o.command == "lint";
  for (std::size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= args.size()) throw UsageError(a + " needs a value");
      return args[++i];
    };
    if (a == "--prop" && (check || o.command == "synth" || o.command == "explain" || o.command == "export")) {
      o.props.push_back(value());
    } else if (a == "--engine" && check) {
      o.engine = value();
    } else if (a == "--set") {
      std::string v = value();
      auto eq = v.find('=');
      if (eq == std::string::npos || eq == 0) throw UsageError("--set expects NAME=VALUE, not '" + v + "'");
      const std::string name = v.substr(0, eq);
      for (const auto& [earlier, value] : o.lower.set)
        if (earlier == name) throw UsageError("--set " + name + " is given twice (" + name + "=" + std::to_string(value) + " and " + v + ")");
      for (const auto& [earlier, text] : o.lower.set_times)
        if (earlier == name) throw UsageError("--set " + name + " is given twice (" + name + "=" + text + " and " + v + ")");
      const std::string text = v.substr(eq + 1);
      if (parse_time_text(text).ok) o.lower.set_times.emplace_back(name, text);  // converted once the spec's unit is known
      else o.lower.set.emplace_back(name, parse_int(text, "--set " + name, -(INT64_C(1) << 40), INT64_C(1) << 40));
    } else if (a == "--free" && (check || compare)) {
      o.lower.free.push_back(value());
    } else if (a == "--seed" && o.command == "simulate") {
      o.seed = static_cast<uint64_t>(parse_int(value(), "--seed", 0, INT64_C(1) << 62));
    } else if (a == "--interactive" && o.command == "simulate") {
      o.interactive = true;
    } else if (a == "--steps" && o.command == "simulate") {
      o.steps = static_cast<int>(parse_int(value(), "--steps", 0, 10000000));
    } else if (a == "--trace" && (check || o.command == "simulate" || o.command == "explain")) {
      o.trace = value();
    } else if (a == "--depth") {
      o.limits.depth = static_cast<int>(parse_int(value(), "--depth", 1, 1 << 30));
    } else if (a == "--timeout") {
      o.limits.timeout_seconds = parse_seconds(value(), "--timeout");
    } else if (a == "--memory") {
      o.limits.memory_mb = static_cast<uint64_t>(parse_int(value(), "--memory", 1, INT64_C(1) << 30));
    } else if (a == "--native" && (check || compare || lint)) {
      const std::string mode = value();
      if (mode == "auto") o.limits.native = NativeMode::Auto;
      else if (mode == "on") o.limits.native = NativeMode::On;
      else if (mode == "off") o.limits.native = NativeMode::Off;
      else throw UsageError("unknown --native mode '" + mode + "' (choose auto, on or off)");
    } else if (a == "--reduce" && (check || lint)) {
      const std::string mode = value();
      if (mode != "on" && mode != "off") throw UsageError("unknown --reduce mode '" + mode + "' (choose on or off)");
      o.limits.reduce = mode == "on";
    } else if (a == "--lint" && (check || compare || o.command == "synth")) {
      const std::string mode = value();
      if (mode != "on" && mode != "off") throw UsageError("unknown --lint mode '" + mode + "' (choose on or off)");
      o.lint = mode == "on";
    } else if (a == "--format" && compare) {
      o.format = value();
      if (o.format != "text" && o.format != "markdown" && o.format != "json" && o.format != "html")
        throw UsageError("unknown format '" + o.format + "' (choose text, markdown, json or html)");
    } else if (a == "--format" && (check || lint)) {
      o.format = value();
      const char* formats = check ? "text or json" : "text or sarif";
      if (o.format != "text" && o.format != (check ? "json" : "sarif"))
        throw UsageError("unknown format '" + o.format + "' for '" + o.command + "' (choose " + formats + ")");
    } else if (a == "--color" && compare) {
      o.color = value();
      if (o.color != "auto" && o.color != "always" && o.color != "never")
        throw UsageError("unknown --color mode '" + o.color + "' (choose auto, always or never)");
    } else if (a == "--param" && o.command == "synth") {
      o.synth_params.push_back(value());
    } else if (a == "--jobs" && compare) {
      o.jobs = static_cast<int>(parse_int(value(), "--jobs", 1, 64));
    } else if (a == "--max-states" && o.command == "graph") {
      o.max_states = static_cast<uint64_t>(parse_int(value(), "--max-states", 1, INT64_C(1) << 32));
    } else if ((a == "--output" || a == "-o") && (o.command == "graph" || compare)) {
      o.output = value();
    } else if (a == "--promela" && o.command == "export") {
      o.export_format = "promela";
    } else if (a == "--quiet" || a == "-q") {
      o.quiet = true;
    } else if (!a.empty() && a[0] == '-') {
      throw UsageError("unknown option '" + a + "' for '" + o.command + "'");
    } else if (compare) {
      o.specs.push_back(a);
    } else if (o.spec.empty()) {
      o.spec = a;
    } else if (o.command == "replay" && o.trace_file.empty()) {
      o.trace_file = a;
    } else {
      throw UsageError("unexpected argument '" + a + "' (one spec file per run)");
    }
  }
  // A parameter is either given a value or left free, not both (--free all leaves free those not set).
  for (const auto& [name, value] : o.lower.set)
    for (const std::string& freed : o.lower.free)
      if (freed == name)
        throw UsageError("--set " + name + "=" + std::to_string(value) + " and --free " + name + " contradict each other");
  for (const auto& [name, text] : o.lower.set_times)
    for (const std::string& freed : o.lower.free)
      if (freed == name) throw UsageError("--set " + name + "=" + text + " and --free " + name + " contradict each other");
  if (check && o.format == "json" && o.trace != "text")
    throw UsageError("'check --format json' carries every trace in ITF already; leave out --trace " + o.trace);
  if (compare && o.specs.empty()) throw UsageError("'compare' needs spec files or folders");
  if (compare && o.format == "html" && o.output.empty())
    throw UsageError("'compare --format html' writes a folder (the table and a trace page per cell): give it with --output DIR");
  if (compare && o.format != "html" && !o.output.empty()) throw UsageError("'compare --output DIR' goes with --format html");
  if (o.command == "synth" && (o.synth_params.empty() || o.synth_params.size() > 5))
    throw UsageError("'synth' needs one to five --param (the first is solved for as a linear function of the others)");
  if (!compare && o.spec.empty()) throw UsageError("'" + o.command + "' needs a spec file");
  if (o.trace != "text" && o.trace != "json" && o.trace != "mermaid" && o.trace != "dot" && o.trace != "html")
    throw UsageError("unknown trace format '" + o.trace + "' (choose text, json, mermaid, dot or html)");
  if (o.command == "replay" && o.trace_file.empty()) throw UsageError("'replay' needs a spec and a trace file");
  if (o.command == "explain" && o.props.size() != 1) throw UsageError("'explain' needs one --prop");
  if (o.command == "export" && o.export_format.empty()) throw UsageError("'export' needs a format: --promela");
  if (o.engine != "explicit" && o.engine != "bmc" && o.engine != "kind" && o.engine != "chc" && o.engine != "auto")
    throw UsageError("unknown engine '" + o.engine + "' (choose explicit, bmc, kind, chc or auto)");
  return o;
}

}  // namespace interlock

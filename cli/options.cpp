// The command line, defined once with CLI11: parsing (parse_options), the help of the program and
// of each command, and the same definitions as data (command_line_spec) for the bash completion
// and the man page. Values are read as text and converted here, so that every bad value gets the
// same kind of message ("--depth must be between 1 and ...").
#include "cli/options.h"

#include <CLI/CLI.hpp>

#include <algorithm>

#include <cerrno>
#include <cstdlib>
#include <memory>
#include <thread>

#include "cli/command_spec.h"
#include "model/lexer.h"
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

double parse_seconds(const std::string& text, const std::string& what) {
  char* end = nullptr;
  double v = std::strtod(text.c_str(), &end);
  if (text.empty() || *end != '\0' || !(v > 0) || v > 1e7) throw UsageError(what + " expects a positive number of seconds, not '" + text + "'");
  return v;
}

// What the options write before it is converted: text, as typed.
struct Raw {
  std::string spec, second;  // SPEC, and replay's TRACE
  std::vector<std::string> positionals, sets, frees, props, params, durations, names, resources;
  std::string engine, trace, depth, timeout, memory, native, threads, reduce, symmetry, por, lint, format, color, output, jobs, seed, steps,
      max_states;
  bool quiet = false, interactive = false, promela = false, system_crontab = false;
};

constexpr const char* kExitCodes =
    "Exit codes: 0 every property holds, 1 a property is violated, 2 bad input or a model error,\n"
    "3 unknown (a limit was hit, or no engine that applies could decide).\n"
    "Lint (after check, compare and synth, on stderr) never changes the exit code.\n"
    "docs/ has the language, the engines and the trace formats; 'interlock COMMAND --help' each command's options.";

// The definitions. Each option records its choices in `choices` too, for completion and help.
class Definitions {
 public:
  Definitions() : app_("interlock: a model checker for scheduling protocols", "interlock") {
    app_.footer(kExitCodes);
    app_.set_help_flag("-h,--help", "print this help and exit");
    app_.set_version_flag("--version", std::string("interlock ") + INTERLOCK_VERSION, "print the version and exit");
    define_check();
    define_lint();
    define_graph();
    define_compare();
    define_synth();
    define_simulate();
    define_replay();
    define_explain();
    define_export();
    define_import();
    // Options that a command does not define are reported by parse_options, in its own words.
    for (CLI::App* sub : app_.get_subcommands({})) {
      sub->allow_extras();
      for (CLI::App* inner : sub->get_subcommands({})) inner->allow_extras();
    }
  }

  CLI::App& app() { return app_; }
  Raw& raw() { return raw_; }
  const std::vector<std::string>& choices(const CLI::Option* o) const {
    static const std::vector<std::string> none;
    auto it = choices_.find(o);
    return it == choices_.end() ? none : it->second;
  }
  bool is_file(const CLI::Option* o) const { return files_.count(o) != 0; }

 private:
  CLI::App* command(const std::string& name, const std::string& description) {
    CLI::App* sub = app_.add_subcommand(name, description);
    sub->set_help_flag("-h,--help", "print this command's help and exit");
    return sub;
  }
  CLI::Option* text(CLI::App* sub, const std::string& names, std::string& into, const std::string& value,
                    const std::string& help, std::vector<std::string> choices = {}) {
    CLI::Option* o = sub->add_option(names, into, help)->type_name(value);
    if (!choices.empty()) choices_[o] = std::move(choices);
    return o;
  }
  CLI::Option* many(CLI::App* sub, const std::string& names, std::vector<std::string>& into, const std::string& value,
                    const std::string& help) {
    return sub->add_option(names, into, help)->type_name(value)->allow_extra_args(false);
  }
  void files_positional(CLI::App* sub, const std::string& name, const std::string& help) {
    CLI::Option* o = sub->add_option(name, raw_.positionals, help)->type_name("")->required();
    files_.insert(o);
  }
  void file_positional(CLI::App* sub, const std::string& name, std::string& into, const std::string& help) {
    files_.insert(sub->add_option(name, into, help)->type_name("")->required());
  }
  void spec_positional(CLI::App* sub) { file_positional(sub, "SPEC", raw_.spec, "the spec file (.sched)"); }
  void sets(CLI::App* sub) {
    many(sub, "--set", raw_.sets, "P=V", "give parameter P the value V (an integer or a time: 02:30, 50min)");
  }
  void frees(CLI::App* sub) {
    many(sub, "--free", raw_.frees, "P|all", "leave parameter P (or every parameter not --set) free: answer for every value");
  }
  void limits(CLI::App* sub, bool memory = true) {
    text(sub, "--depth", raw_.depth, "K", "search K steps deep at most (bmc and kind: their bound); deeper is unknown");
    text(sub, "--timeout", raw_.timeout, "S", "stop after S seconds with the verdict unknown (exit 3)");
    if (memory) text(sub, "--memory", raw_.memory, "MB", "stop at MB megabytes beyond the start with the verdict unknown (exit 3)");
  }
  void native(CLI::App* sub) {
    text(sub, "--native", raw_.native, "MODE", "compile the successor function to native code: auto (when the search runs long), on, off",
         {"auto", "on", "off"});
  }
  void threads(CLI::App* sub, const std::string& by_default = "one per core") {
    text(sub, "--threads", raw_.threads, "N", "the explicit search on N threads, with the same results as on one (" + by_default + ")");
  }
  void reduce(CLI::App* sub) {
    text(sub, "--reduce", raw_.reduce, "MODE", "drop what the properties cannot see (cone of influence, dead clocks): on, off", {"on", "off"});
  }
  void symmetry(CLI::App* sub) {
    text(sub, "--symmetry", raw_.symmetry, "MODE",
         "store one state for all permutations of the copies of an indexed machine that nothing tells apart: on (the "
         "default, for every kind of property; off with --reduce off), off",
         {"on", "off"});
  }
  void por(CLI::App* sub) {
    text(sub, "--por", raw_.por, "MODE",
         "partial-order reduction: of the independent actions of an instant, explore one order: on (the default; "
         "not with --reduce off, response or delay properties, or lint on), off (shortest traces)",
         {"on", "off"});
  }
  void lint(CLI::App* sub) {
    text(sub, "--lint", raw_.lint, "MODE", "lint's warnings on stderr after the run: on (the default), off", {"on", "off"});
  }
  void props(CLI::App* sub, const std::string& help) { many(sub, "--prop", raw_.props, "NAME", help); }
  void trace(CLI::App* sub) {
    text(sub, "--trace", raw_.trace, "FORMAT", "how traces are written: text, json (ITF), mermaid, dot, html",
         {"text", "json", "mermaid", "dot", "html"});
  }
  void quiet(CLI::App* sub, const std::string& help = "no progress lines (and for import, no notes)") {
    sub->add_flag("-q,--quiet", raw_.quiet, help);
  }

  void define_check() {
    CLI::App* c = command("check", "check a spec's properties and print a verdict for each, with its trace");
    spec_positional(c);
    props(c, "check only this property; every property without it");
    text(c, "--engine", raw_.engine, "ENGINE",
         "explicit, bmc, kind, chc, or auto (explicit when every parameter has a value, else the Z3 engines)",
         {"explicit", "bmc", "kind", "chc", "auto"});
    sets(c);
    frees(c);
    trace(c);
    text(c, "--format", raw_.format, "FORMAT", "text, or json: one document with every verdict, value and trace (docs/schema/)",
         {"text", "json"});
    limits(c);
    native(c);
    threads(c);
    reduce(c);
    symmetry(c);
    por(c);
    lint(c);
    quiet(c, "only the verdict lines: no progress, header, traces or statistics");
  }
  void define_lint() {
    CLI::App* c = command("lint", "warn about modelling traps: edges nothing forces, states and edges never reached, vacuous properties");
    spec_positional(c);
    sets(c);
    text(c, "--format", raw_.format, "FORMAT", "text, or sarif (SARIF 2.1.0 for code review tools)", {"text", "sarif"});
    limits(c);
    native(c);
    threads(c);
    reduce(c);
    symmetry(c);
    quiet(c);
  }
  void define_graph() {
    CLI::App* c = command("graph", "write the reachable state graph in Graphviz DOT");
    spec_positional(c);
    sets(c);
    text(c, "--max-states", raw_.max_states, "N", "refuse graphs of more than N states (100000)");
    text(c, "-o,--output", raw_.output, "FILE", "write to FILE instead of stdout");
    files_.insert(c->get_option("--output"));
    limits(c);
    quiet(c);
  }
  void define_compare() {
    CLI::App* c = command("compare", "check several specs (an original and its fixes) and judge every property's answer in one table");
    files_positional(c, "SPEC|DIR", "spec files, and folders whose .sched files are checked");
    text(c, "--format", raw_.format, "FORMAT", "text, markdown, json, or html (a folder: --output DIR)", {"text", "markdown", "json", "html"});
    text(c, "-o,--output", raw_.output, "DIR", "--format html: the folder to write the table and its trace pages to");
    files_.insert(c->get_option("--output"));
    text(c, "--color", raw_.color, "WHEN", "the marks in colour: auto (on a terminal), always, never", {"auto", "always", "never"});
    sets(c);
    frees(c);
    text(c, "--jobs", raw_.jobs, "N", "check N specs at once (2)");
    limits(c);
    native(c);
    symmetry(c);
    por(c);
    threads(c, "the cores shared among the --jobs");
    lint(c);
    quiet(c);
  }
  void define_synth() {
    CLI::App* c = command("synth", "find the parameter values under which the properties hold");
    spec_positional(c);
    many(c, "--param", raw_.params, "P", "a parameter to vary (one to five; the first is solved for)");
    text(c, "--format", raw_.format, "FORMAT", "text, or json: the answer as one document (docs/schema/synth.schema.json)",
         {"text", "json"});
    props(c, "only this property; every invariant without it");
    sets(c);
    limits(c, false);
    symmetry(c);
    por(c);
    lint(c);
    quiet(c);
  }
  void define_simulate() {
    CLI::App* c = command("simulate", "run the spec: random steps, or a person choosing each one");
    spec_positional(c);
    text(c, "--seed", raw_.seed, "N", "the random seed (1)");
    text(c, "--steps", raw_.steps, "K", "at most K steps (100)");
    c->add_flag("--interactive", raw_.interactive, "choose each step at a prompt");
    trace(c);
    sets(c);
    limits(c);
    quiet(c);
  }
  void define_replay() {
    CLI::App* c = command("replay", "check that an ITF trace is a run of the spec");
    spec_positional(c);
    file_positional(c, "TRACE", raw_.second, "the trace (.itf.json)");
    sets(c);
    limits(c);
    quiet(c);
  }
  void define_explain() {
    CLI::App* c = command("explain", "say which steps of a property's trace the spec forces and which it only allows");
    spec_positional(c);
    props(c, "the property to explain (one)");
    sets(c);
    trace(c);
    limits(c);
    quiet(c);
  }
  void define_export() {
    CLI::App* c = command("export", "write the model for another model checker");
    spec_positional(c);
    c->add_flag("--promela", raw_.promela, "Promela, for SPIN");
    props(c, "export only this property");
    sets(c);
    quiet(c);
  }
  void define_import() {
    CLI::App* c = command("import", "read a crontab or systemd timers into a spec skeleton");
    c->require_subcommand(1);
    CLI::App* cron = c->add_subcommand("crontab", "a crontab file: a timer and a job machine per line");
    cron->set_help_flag("-h,--help", "print this command's help and exit");
    file_positional(cron, "FILE", raw_.spec, "the crontab");
    cron->add_flag("--system", raw_.system_crontab, "lines carry a user field (/etc/crontab, /etc/cron.d)");
    import_options(cron, "LINE=NAME", "name the job of crontab line LINE");
    CLI::App* sd = c->add_subcommand("systemd", "systemd timer units, each with its service");
    sd->set_help_flag("-h,--help", "print this command's help and exit");
    files_positional(sd, "UNIT", "UNIT.timer files, each optionally followed by its UNIT.service");
    import_options(sd, "UNIT.timer=NAME", "name the job of a timer unit");
  }
  void import_options(CLI::App* c, const std::string& name_value, const std::string& name_help) {
    many(c, "--duration", raw_.durations, "JOB=MIN..MAX", "how long the job runs (20min..50min)");
    many(c, "--name", raw_.names, name_value, name_help);
    many(c, "--resource", raw_.resources, "NAME=JOB1,JOB2", "jobs that must not overlap: a property NAME_apart");
    text(c, "-o,--output", raw_.output, "FILE", "write the skeleton to FILE instead of stdout");
    files_.insert(c->get_option("--output"));
    quiet(c);
  }

  CLI::App app_;
  Raw raw_;
  std::map<const CLI::Option*, std::vector<std::string>> choices_;
  std::set<const CLI::Option*> files_;
};

const char* kCommands[] = {"check", "lint", "graph", "compare", "synth", "simulate", "replay", "explain", "export", "import"};

bool is_command(const std::string& name) {
  for (const char* c : kCommands)
    if (name == c) return true;
  return false;
}

// "unknown option '--x' for 'check'", or an argument too many.
[[noreturn]] void extra_argument(const std::string& command, const std::string& arg) {
  if (!arg.empty() && arg[0] == '-') throw UsageError("unknown option '" + arg + "' for '" + command + "'");
  if (command == "import crontab") throw UsageError("'import crontab' reads one crontab file");
  if (command == "compare") throw UsageError("unexpected argument '" + arg + "'");
  throw UsageError("unexpected argument '" + arg + "' (one spec file per run)");
}

// `--por --lint off`: CLI11 takes `--lint` for the missing value and then calls `off` an argument
// too many. An option that takes a value, followed by another option (or by nothing), needs a value.
void value_before_next_option(const CLI::App& command, const std::vector<std::string>& args) {
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i].rfind("--", 0) != 0 || args[i].find('=') != std::string::npos) continue;
    const CLI::Option* o = command.get_option_no_throw(args[i]);
    if (!o || o->get_expected_max() == 0) continue;  // a flag
    if (i + 1 == args.size() || args[i + 1].rfind("--", 0) == 0) throw UsageError(args[i] + " needs a value");
  }
}

// CLI11's words for a missing value or argument, in ours.
[[noreturn]] void parse_failed(const CLI::ParseError& e, const std::string& command) {
  std::string what = e.what();
  const std::size_t colon = what.find(": ");
  const std::string received_text = "required but received ";
  const std::size_t received = what.find(received_text);
  if (e.get_name() == "ArgumentMismatch" && colon != std::string::npos && what.find(": At Most ") == colon &&
      received != std::string::npos)
    throw UsageError(what.substr(0, colon) + " is given " + what.substr(received + received_text.size()) +
                     " times: give it once");
  if (e.get_name() == "ArgumentMismatch" && colon != std::string::npos && what.find("required") != std::string::npos)
    throw UsageError(what.substr(0, colon) + " needs a value");
  if (e.get_name() == "RequiredError") {
    if (command == "import") throw UsageError("'import' needs what to read: 'import crontab FILE' or 'import systemd UNIT.timer'");
    if (command == "compare") throw UsageError("'compare' needs spec files or folders");
    if (command == "replay") throw UsageError("'replay' needs a spec and a trace file");
    if (command == "import crontab") throw UsageError("'import crontab' needs a crontab file");
    if (command == "import systemd") throw UsageError("'import systemd' needs a .timer unit file");
    throw UsageError("'" + command + "' needs a spec file");
  }
  throw UsageError(what);
}

// As in a spec (docs/language.md, "Lexical rules"): `02` is most likely a time cut short, so a
// number with a leading zero is refused, in the lexer's words; empty for any other text.
std::string leading_zero_hint(const std::string& text) {
  const bool negative = !text.empty() && text[0] == '-';
  const std::string digits = text.substr(negative ? 1 : 0);
  const bool all_digits = std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
  if (digits.size() < 2 || digits[0] != '0' || !all_digits) return "";
  return leading_zero_message(digits, negative);
}

Options convert(const std::string& command, const Raw& r) {
  Options o;
  o.command = command;
  const bool check = command == "check", compare = command == "compare";
  o.specs = r.positionals;
  o.spec = r.spec;
  o.trace_file = r.second;
  o.props = r.props;
  o.synth_params = r.params;
  o.quiet = r.quiet;
  o.interactive = r.interactive;
  if (r.promela) o.export_format = "promela";
  if (!r.engine.empty()) o.engine = r.engine;
  if (!r.trace.empty()) o.trace = r.trace;
  if (!r.format.empty()) o.format = r.format;
  if (!r.color.empty()) o.color = r.color;
  o.output = r.output;
  for (const std::string& v : r.sets) {
    const auto eq = v.find('=');
    if (eq == std::string::npos || eq == 0) throw UsageError("--set expects NAME=VALUE, not '" + v + "'");
    const std::string name = v.substr(0, eq);
    for (const auto& [earlier, value] : o.lower.set)
      if (earlier == name) throw UsageError("--set " + name + " is given twice (" + name + "=" + std::to_string(value) + " and " + v + ")");
    for (const auto& [earlier, text] : o.lower.set_times)
      if (earlier == name) throw UsageError("--set " + name + " is given twice (" + name + "=" + text + " and " + v + ")");
    const std::string text = v.substr(eq + 1);
    if (const std::string hint = leading_zero_hint(text); !hint.empty()) throw UsageError("--set " + v + ": " + hint);
    if (parse_time_text(text).ok) o.lower.set_times.emplace_back(name, text);  // converted once the spec's unit is known
    else o.lower.set.emplace_back(name, parse_int(text, "--set " + name, -(INT64_C(1) << 40), INT64_C(1) << 40));
  }
  o.lower.free = r.frees;
  for (const std::string& v : r.sets) o.answer_args.insert(o.answer_args.end(), {"--set", v});
  for (const std::string& v : r.frees) o.answer_args.insert(o.answer_args.end(), {"--free", v});
  for (const auto& [name, value] : {std::pair{"--depth", &r.depth}, {"--reduce", &r.reduce}, {"--symmetry", &r.symmetry}, {"--por", &r.por}})
    if (!value->empty()) o.answer_args.insert(o.answer_args.end(), {name, *value});
  if (!r.depth.empty()) o.limits.depth = static_cast<int>(parse_int(r.depth, "--depth", 1, 1 << 30));
  if (!r.timeout.empty()) o.limits.timeout_seconds = parse_seconds(r.timeout, "--timeout");
  if (!r.memory.empty()) o.limits.memory_mb = static_cast<uint64_t>(parse_int(r.memory, "--memory", 1, INT64_C(1) << 30));
  if (!r.native.empty()) {
    if (r.native == "auto") o.limits.native = NativeMode::Auto;
    else if (r.native == "on") o.limits.native = NativeMode::On;
    else if (r.native == "off") o.limits.native = NativeMode::Off;
    else throw UsageError("unknown --native mode '" + r.native + "' (choose auto, on or off)");
  }
  if (!r.threads.empty()) o.limits.threads = static_cast<int>(parse_int(r.threads, "--threads", 1, 256));
  if (!r.reduce.empty()) {
    if (r.reduce != "on" && r.reduce != "off") throw UsageError("unknown --reduce mode '" + r.reduce + "' (choose on or off)");
    o.limits.reduce = r.reduce == "on";
  }
  if (!r.symmetry.empty()) {
    if (r.symmetry != "on" && r.symmetry != "off") throw UsageError("unknown --symmetry mode '" + r.symmetry + "' (choose on or off)");
    o.limits.symmetry = r.symmetry == "on";
  }
  if (!r.por.empty()) {
    if (r.por != "on" && r.por != "off") throw UsageError("unknown --por mode '" + r.por + "' (choose on or off)");
    o.limits.partial_order = r.por == "on";
    o.limits.partial_order_asked = o.limits.partial_order;
  }
  if (!r.lint.empty()) {
    if (r.lint != "on" && r.lint != "off") throw UsageError("unknown --lint mode '" + r.lint + "' (choose on or off)");
    o.lint = r.lint == "on";
  }
  if (!r.seed.empty()) o.seed = static_cast<uint64_t>(parse_int(r.seed, "--seed", 0, INT64_C(1) << 62));
  if (!r.steps.empty()) o.steps = static_cast<int>(parse_int(r.steps, "--steps", 0, 10000000));
  if (!r.jobs.empty()) o.jobs = static_cast<int>(parse_int(r.jobs, "--jobs", 1, 64));
  if (compare && r.threads.empty()) {  // the specs checked at once share the cores
    const int cores = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    o.limits.threads = std::max(1, cores / o.jobs);
  }
  if (!r.max_states.empty()) o.max_states = static_cast<uint64_t>(parse_int(r.max_states, "--max-states", 1, INT64_C(1) << 32));

  // A parameter is either given a value or left free, not both (--free all leaves free those not
  // set); synth varies its parameters over their whole ranges, so a value given to one would be
  // ignored.
  for (const std::string& freed : o.lower.free)
    if (const std::string set = set_on_command_line(o.lower, freed); !set.empty())
      throw UsageError("--set " + set + " and --free " + freed + " contradict each other");
  for (const std::string& p : o.synth_params)
    if (const std::string set = set_on_command_line(o.lower, p); !set.empty())
      throw UsageError("--set " + set + " and --param " + p + " contradict each other");
  if (compare) {
    if (o.format != "text" && o.format != "markdown" && o.format != "json" && o.format != "html")
      throw UsageError("unknown format '" + o.format + "' (choose text, markdown, json or html)");
    if (o.color != "auto" && o.color != "always" && o.color != "never")
      throw UsageError("unknown --color mode '" + o.color + "' (choose auto, always or never)");
    if (o.format == "html" && o.output.empty())
      throw UsageError("'compare --format html' writes a folder (the table and a trace page per cell): give it with --output DIR");
    if (o.format != "html" && !o.output.empty()) throw UsageError("'compare --output DIR' goes with --format html");
  }
  if (command == "synth" && o.format != "text" && o.format != "json")
    throw UsageError("unknown format '" + o.format + "' for 'synth' (choose text or json)");
  if (check || command == "lint") {
    const std::string other = check ? "json" : "sarif";
    if (o.format != "text" && o.format != other)
      throw UsageError("unknown format '" + o.format + "' for '" + command + "' (choose text or " + other + ")");
  }
  if (check && o.format == "json" && o.trace != "text")
    throw UsageError("'check --format json' carries every trace in ITF already; leave out --trace " + o.trace);
  if (command == "synth" && (o.synth_params.empty() || o.synth_params.size() > 5))
    throw UsageError("'synth' needs one to five --param (the first is solved for as a linear function of the others)");
  if (o.trace != "text" && o.trace != "json" && o.trace != "mermaid" && o.trace != "dot" && o.trace != "html")
    throw UsageError("unknown trace format '" + o.trace + "' (choose text, json, mermaid, dot or html)");
  if (command == "explain" && o.props.size() > 1)
    throw UsageError("--prop is given " + std::to_string(o.props.size()) + " times: 'explain' explains one property");
  if (command == "explain" && o.props.empty()) throw UsageError("'explain' needs one --prop");
  if (command == "export" && o.export_format.empty()) throw UsageError("'export' needs a format: --promela");
  if (o.engine != "explicit" && o.engine != "bmc" && o.engine != "kind" && o.engine != "chc" && o.engine != "auto")
    throw UsageError("unknown engine '" + o.engine + "' (choose explicit, bmc, kind, chc or auto)");
  return o;
}

// `import`'s own options, and the command as typed, which the skeleton quotes in its first line
// (-o and --quiet only change where it goes).
void convert_import(Options& o, const std::string& kind, const Raw& r, const std::vector<std::string>& args) {
  ImportOptions& im = o.import;
  im.kind = kind;
  im.files = r.positionals;
  if (!r.spec.empty()) im.files = {r.spec};
  im.durations = r.durations;
  im.names = r.names;
  im.resources = r.resources;
  im.system_crontab = r.system_crontab;
  im.output = r.output;
  im.command_line = "interlock";
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "-o" || a == "--output") {
      ++i;
      continue;
    }
    if (a == "--quiet" || a == "-q" || a.rfind("--output=", 0) == 0) continue;
    const bool plain = !a.empty() && a.find_first_of(" \t'\"$\\*?;&|<>()") == std::string::npos;
    im.command_line += " " + (plain ? a : "'" + a + "'");
  }
}

OptionSpec option_spec(const Definitions& d, const CLI::Option* o) {
  OptionSpec s;
  for (const std::string& n : o->get_snames()) s.names.push_back("-" + n);
  for (const std::string& n : o->get_lnames()) s.names.push_back("--" + n);
  s.value_name = o->get_type_size() == 0 ? "" : o->get_type_name();
  s.choices = d.choices(o);
  s.help = o->get_description();
  s.repeatable = o->get_expected_max() > 1 || o->get_multi_option_policy() == CLI::MultiOptionPolicy::TakeAll ||
                 o->get_items_expected_max() > 1;
  s.file = d.is_file(o);
  return s;
}

CommandSpec command_spec(const Definitions& d, const CLI::App* app, const std::string& prefix) {
  CommandSpec c;
  c.name = prefix + app->get_name();
  c.description = app->get_description();
  for (const CLI::Option* o : app->get_options()) {
    const bool named = !o->get_lnames().empty() || !o->get_snames().empty();
    if (o->check_lname("help")) continue;
    if (named) {
      c.options.push_back(option_spec(d, o));
      continue;
    }
    PositionalSpec p;
    p.name = o->get_name();
    p.help = o->get_description();
    p.many = o->get_expected_max() > 1;
    p.required = o->get_required();
    c.positionals.push_back(p);
  }
  for (const CLI::App* sub : app->get_subcommands({})) c.commands.push_back(command_spec(d, sub, prefix));
  return c;
}

}  // namespace

std::string set_on_command_line(const LowerOptions& lower, const std::string& name) {
  for (const auto& [set, value] : lower.set)
    if (set == name) return name + "=" + std::to_string(value);
  for (const auto& [set, text] : lower.set_times)
    if (set == name) return name + "=" + text;
  return "";
}

Options parse_options(const std::vector<std::string>& args) {
  if (args.empty()) throw UsageError("missing command");
  const std::string& first = args[0];
  if (first == "help" || first == "--help" || first == "-h") {
    Options o;
    o.command = "help";
    if (first == "help" && args.size() > 1) o.help_for = args[1] + (args.size() > 2 ? " " + args[2] : "");
    return o;
  }
  if (first == "completion" || first == "man") {  // generated from these definitions (cli/completion.h, cli/man_page.h)
    Options o;
    o.command = first;
    if (first == "completion" && (args.size() != 2 || args[1] != "bash"))
      throw UsageError("'completion' writes a bash completion script: 'interlock completion bash'");
    if (first == "man" && args.size() != 1) throw UsageError("'man' takes no arguments");
    return o;
  }
  if (first == "--version" || first == "version") {
    Options o;
    o.command = "version";
    return o;
  }
  if (!is_command(first)) throw UsageError("unknown command '" + first + "'");
  if (first == "import" && args.size() > 1 && args[1][0] != '-' && args[1] != "crontab" && args[1] != "systemd")
    throw UsageError("'import' reads 'crontab' or 'systemd', not '" + args[1] + "'");
  Definitions d;
  {
    CLI::App* scope = d.app().get_subcommand(first);
    for (CLI::App* inner : scope->get_subcommands({}))  // import crontab
      if (args.size() > 1 && inner->get_name() == args[1]) scope = inner;
    value_before_next_option(*scope, args);
  }
  std::vector<std::string> reversed(args.rbegin(), args.rend());  // CLI11 reads a vector from its back
  std::string command = first;
  try {
    d.app().parse(reversed);
  } catch (const CLI::CallForHelp&) {
    Options o;
    o.command = "help";
    o.help_for = first;
    if (first == "import" && args.size() > 1 && (args[1] == "crontab" || args[1] == "systemd")) o.help_for += " " + args[1];
    return o;
  } catch (const CLI::ParseError& e) {
    if (first == "import" && args.size() > 1 && (args[1] == "crontab" || args[1] == "systemd")) command += " " + args[1];
    parse_failed(e, command);
  }
  CLI::App* sub = d.app().get_subcommand(first);
  CLI::App* leaf = sub;
  for (CLI::App* inner : sub->get_subcommands()) {
    leaf = inner;
    command = first + " " + inner->get_name();
  }
  for (CLI::App* level : {sub, leaf}) {
    const std::vector<std::string> extra = level->remaining();
    if (!extra.empty()) extra_argument(command, extra.front());
  }
  if (first == "import") {
    if (leaf == sub) throw UsageError("'import' reads 'crontab' or 'systemd'");
    Options o;
    o.command = "import";
    o.quiet = d.raw().quiet;
    convert_import(o, leaf->get_name(), d.raw(), args);
    return o;
  }
  return convert(first, d.raw());
}

CommandSpec command_line_spec() {
  Definitions d;
  CommandSpec program = command_spec(d, &d.app(), "");
  for (CommandSpec& c : program.commands)  // "import crontab": a command under another is named with it
    for (CommandSpec& inner : c.commands) inner.name = c.name + " " + inner.name;
  return program;
}

std::string program_help() {
  Definitions d;
  return d.app().help();
}

std::string command_help(const std::string& command) {
  Definitions d;
  const std::size_t space = command.find(' ');
  CLI::App* app = nullptr;
  try {
    app = d.app().get_subcommand(command.substr(0, space));
    if (space != std::string::npos) app = app->get_subcommand(command.substr(space + 1));
  } catch (const CLI::OptionNotFound&) {
    throw UsageError("no help for '" + command + "': not a command");
  }
  // CLI11 names a command alone ("Usage: check [OPTIONS] SPEC"); a reader types it after the program.
  std::string text = app->help();
  const std::string plain = "Usage: " + app->get_name() + " ";
  if (text.rfind(plain, 0) == std::string::npos) {
    const std::size_t at = text.find(plain);
    if (at != std::string::npos) text.replace(at, plain.size(), "Usage: interlock " + command + " ");
  }
  return text;
}

std::string usage() { return program_help(); }

}  // namespace interlock

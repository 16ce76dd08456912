#include "cli/trace_commands.h"

#include <algorithm>

#include "cli/load_spec.h"
#include "model/input_file.h"
#include "model/lower.h"
#include "model/time_format.h"
#include "model/utf8.h"
#include "solver/analysis/explain.h"
#include "solver/explicit/explicit_engine.h"
#include "solver/trace/replay.h"
#include "solver/trace/simulate.h"
#include "solver/trace/trace_formats.h"
#include "solver/trace/trace_itf.h"

namespace interlock {

int run_simulate(const Options& options, std::ostream& out, std::ostream& err) {
  RunContext context(options.limits, options.quiet ? nullptr : &err);
  Model model = load_spec(options.spec, options.lower, context);
  for (const Param& p : model.params)
    if (!p.value) throw InputError(options.spec + ": error: parameter '" + p.name + "' has no value; simulate needs one (--set " + p.name + "=VALUE)\n");
  Simulation sim = simulate(model, options.seed, options.steps, &context);
  TraceHeader header{options.spec, "", ""};
  if (options.trace == "text")
    out << "interlock simulate: " << model.file << " (system " << model.system << "), seed " << options.seed << "\n";
  else
    err << "interlock simulate: seed " << options.seed << ", " << sim.trace.steps.size() << " steps\n";
  if (sim.trace.states.empty()) {
    err << "interlock simulate: the initial state fails: " << sim.fault.message << "\n";
    return 2;
  }
  out << format_trace(model, sim.trace, options.trace, header);
  if (sim.end == Simulation::End::Stopped) {
    err << "interlock simulate: stopped after " << sim.trace.steps.size() << " of " << options.steps << " steps: " << sim.stopped << "\n";
    return 3;
  }
  if (sim.end == Simulation::End::Violated) {
    int64_t now = 0;
    for (const Step& s : sim.trace.steps) now += s.elapsed();
    err << "interlock simulate: " << (sim.trace.steps.empty() ? "the initial state" : "step " + std::to_string(sim.trace.steps.size()))
        << " (time " << wall_time(model, now) << ") breaks " << sim.violated << "; the run stops there\n";
    return 1;
  }
  return sim.end == Simulation::End::Fault ? 2 : 0;
}

int run_replay(const Options& options, std::ostream& out, std::ostream& err) {
  RunContext context(options.limits, options.quiet ? nullptr : &err);
  Model model = load_spec(options.spec, options.lower, context);
  constexpr std::size_t kMaxTraceBytes = std::size_t{64} << 20;
  const std::string text = read_input_file(options.trace_file, "trace file", kMaxTraceBytes);
  ItfRun run = parse_trace_itf(model, text, options.trace_file);
  Model fixed = with_params(model, run.params);
  for (const Param& p : fixed.params)
    if (!p.value) throw InputError(options.trace_file + ": error: the trace gives no value for parameter '" + p.name + "', and the spec has none\n");
  StateRunCheck check = check_state_run(fixed, run.states, &context);
  out << "interlock replay: " << terminal_safe(options.trace_file) << " against " << model.file << " (system " << model.system << ")\n";
  // A parameter given with --set is the spec's as asked: a trace made with another value is not
  // one of its runs (the trace's own values are used only where the command line says nothing).
  for (std::size_t k = 0; k < model.params.size(); ++k) {  // with_params keeps the spec's order
    const Param& asked = model.params[k];
    const Param& made = fixed.params[k];
    if (asked.value == made.value || set_on_command_line(options.lower, asked.name).empty()) continue;
    out << "not a run of this spec: the trace was made with " << asked.name << " = " << time_value(model, made.time, *made.value)
        << ", and --set asks for " << asked.name << " = " << time_value(model, asked.time, *asked.value) << "\n";
    return 1;
  }
  if (!check.stopped.empty()) {
    out << "unknown: the check stopped (" << check.stopped << "); the steps before were possible\n";
    return 3;
  }
  if (!check.problem.empty()) {
    out << "not a run of this spec: " << check.problem << "\n";
    return 1;
  }
  std::string loop;
  if (run.loop >= 0) {
    loop = run.states.back() == run.states[static_cast<std::size_t>(run.loop)]
               ? "; its last state is state " + std::to_string(run.loop) + ", so the loop closes"
               : "; but its last state is not state " + std::to_string(run.loop) + ", where the loop should close";
    if (run.states.back() != run.states[static_cast<std::size_t>(run.loop)]) {
      out << "not a lasso of this spec" << loop << "\n";
      return 1;
    }
  }
  out << "a run of this spec: every one of its " << check.steps.size() << " steps is possible" << loop << "\n";
  return 0;
}

namespace {

// "time 55", or with a calendar "01:50".
std::string explain_time(const Model& model, int64_t t) {
  return model.calendar == Calendar::None ? "time " + std::to_string(t) : wall_time(model, t);
}

std::string decided_text(const StepDecision& d) {
  switch (d.decision) {
    case Decision::Forced: return "forced by the spec: " + d.why;
    case Decision::ValuesChosen: return "forced by the spec (" + d.why + "), which left open " + d.open;
    case Decision::Chosen: break;
  }
  return "not forced: " + d.why;
}

std::string count_text(std::size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

int run_explain(const Options& options, std::ostream& out, std::ostream& err) {
  RunContext context(options.limits, options.quiet ? nullptr : &err);
  Model model = load_spec(options.spec, options.lower, context);
  const int index = model.find_property(options.props.front());
  if (index < 0) throw InputError(options.spec + ": error: no property named '" + options.props.front() + "'\n");
  const Property& property = model.properties[static_cast<std::size_t>(index)];
  if (!explainable(property))
    throw InputError(options.spec + ":" + std::to_string(property.loc.line) + ":" + std::to_string(property.loc.col) + ": error: '" +
                     property.name + "' is a " + property_kind_name(property.kind) +
                     " property; explain cuts counterexamples to invariants, deadlock_free and responses down to their causes\n");
  PropertyResult result = ExplicitEngine().check(model, {index}, context).at(0);
  if (result.verdict != Verdict::Violated || !result.trace) {
    out << verdict_name(result.verdict) << "  " << property.name << ": nothing to explain" << (result.detail.empty() ? "" : " (" + result.detail + ")") << "\n";
    return exit_code(result.verdict);
  }
  Explanation why = explain_violation(model, property, *result.trace);
  std::ostream& text = options.trace == "text" ? out : err;
  text << "interlock explain: " << model.file << ", " << property.name << "\n";
  const bool shortest = property.kind != Property::Kind::Response;
  text << (shortest ? "the shortest counterexample has " : "the counterexample has ") << why.original_steps
       << " steps; without the actions the violation does not need: " << why.trace.steps.size() << " steps, "
       << count_text(why.actions.size(), "action", "actions") << "\n";
  text << "  " << why.count(Decision::Forced) << " forced by the spec: nothing else could happen before time went on\n"
       << "  " << why.count(Decision::ValuesChosen) << " forced by the spec, which left open how: a choose's value, which edge, or the order within a moment\n"
       << "  " << why.count(Decision::Chosen)
       << " not forced: taken where time could pass instead, or where another machine could move first\n";
  const std::vector<const ExplainedStep*> causes = why.causes();
  const std::vector<const ExplainedStep*> undecided = why.undecided();
  if (causes.empty() && undecided.empty())
    text << "  0 causes: no single action breaks " << property.name
         << "; when things happen does (a job that runs long where it could have ended), or several actions together\n";
  else if (causes.empty())
    text << "  0 causes shown; " << count_text(undecided.size(), "action", "actions") << " undecided (below): without it "
         << property.name << " was neither broken nor met as far as the run was followed\n";
  else
    text << "  " << count_text(causes.size(), "cause: without it", "causes: without any one of them")
         << (std::any_of(causes.begin(), causes.end(), [](const ExplainedStep* c) { return c->by_order; }) ? " (or in another order)" : "")
         << ", " << property.name << " is not broken\n";
  for (const ExplainedStep* c : causes)
    text << "  cause at " << explain_time(model, c->time) << ": " << c->what << "\n    " << decided_text(c->decided) << "\n    "
         << c->why << "\n";
  for (const ExplainedStep* u : undecided)
    text << "  undecided at " << explain_time(model, u->time) << ": " << u->what << "\n    " << decided_text(u->decided) << "\n    "
         << u->why << "\n";
  constexpr std::size_t kListed = 10;  // other choices shown; a week-long run has dozens
  std::string others;
  std::size_t listed = 0, more = 0;
  for (const ExplainedStep& a : why.actions) {
    if (a.cause || a.undecided || a.decided.decision == Decision::Forced) continue;
    if (listed++ >= kListed) {
      ++more;
      continue;
    }
    others += "    " + explain_time(model, a.time) + ": " + a.what + ": " +
              (a.decided.decision == Decision::Chosen ? "not forced: " + a.decided.why : "left open " + a.decided.open) + "\n";
  }
  if (more > 0) others += "    and " + std::to_string(more) + " more (the trace below has them all)\n";
  if (!others.empty()) text << "  other choices in this run, not causes:\n" << others;
  out << format_trace(model, why.trace, options.trace, {options.spec, property.name, "violated"});
  return 1;
}

}  // namespace interlock

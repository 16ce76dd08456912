#include "cli/interactive.h"

#include <string>
#include <vector>

#include "cli/load_spec.h"
#include "model/lower.h"
#include "model/semantics.h"
#include "model/time_format.h"
#include "solver/trace/trace_formats.h"

namespace interlock {
namespace {

std::string step_text(const Model& model, const Step& step) {
  if (step.tick) return "wait " + duration_text(model, 1);  // "wait 1 min", "wait 1 minute", "wait 1 tick"
  std::string out;
  if (step.channel >= 0) out = model.channels[static_cast<std::size_t>(step.channel)].name + ": ";
  return out + describe_step_edges(model, step);
}

std::string machines_line(const Model& model, const std::vector<int32_t>& state) {
  std::string out;
  for (std::size_t s = 0; s < model.slots.size(); ++s)
    if (model.slots[s].kind == Slot::Kind::Location)
      out += (out.empty() ? "" : ", ") + model.slots[s].name + "=" + format_value(model, static_cast<int>(s), state[s]);
  return out;
}

}  // namespace

int run_interactive(const Options& options, std::istream& in, std::ostream& out, std::ostream& err) {
  RunContext context(options.limits, nullptr);
  Model model = load_spec(options.spec, options.lower, context);
  for (const Param& p : model.params)
    if (!p.value) throw InputError(options.spec + ": error: parameter '" + p.name + "' has no value; simulate needs one (--set " + p.name + "=VALUE)\n");
  Semantics sem(model);
  Trace trace;
  for (const Param& p : model.params) trace.params.emplace_back(p.name, *p.value);
  std::vector<int32_t> state;
  ModelFault fault;
  if (!sem.initial(state, fault)) throw InputError(options.spec + ": error: the initial state fails: " + fault.message + "\n");
  trace.states.push_back(state);
  out << "interlock simulate --interactive: " << options.spec << " (system " << model.system << ")\n"
      << "type a step's number, u to undo, s for the whole state, q to stop\n";
  int64_t time = 0;
  for (;;) {
    std::vector<int32_t> current = trace.states.back();
    current.resize(model.slots.size() + 1);
    std::vector<std::pair<Step, std::vector<int32_t>>> options_here;
    bool ok = sem.successors(current.data(), [&](const Step& step, const int32_t* next) {
      options_here.emplace_back(step, std::vector<int32_t>(next, next + model.slots.size()));
    }, fault);
    out << "\ntime " << wall_time(model, time) << ", step " << trace.steps.size() << ": " << machines_line(model, trace.states.back()) << "\n";
    if (!ok) out << "  the next step would fail: " << fault.message << "\n";
    if (options_here.empty()) out << "  nothing can happen here (no action, no tick)\n";
    for (std::size_t k = 0; k < options_here.size(); ++k)
      out << "  " << k + 1 << "  " << step_text(model, options_here[k].first) << "\n";
    out << "> " << std::flush;
    std::string line;
    if (context.timed_out() || !std::getline(in, line) || line == "q") break;
    if (line == "u") {
      if (trace.steps.empty()) {
        out << "nothing to undo\n";
        continue;
      }
      time -= trace.steps.back().elapsed();
      trace.steps.pop_back();
      trace.states.pop_back();
      continue;
    }
    if (line == "s") {
      for (std::size_t s = 0; s < model.slots.size(); ++s)
        out << "  " << model.slots[s].name << " = " << format_value(model, static_cast<int>(s), trace.states.back()[s]) << "\n";
      continue;
    }
    std::size_t pick = 0;
    try {
      std::size_t used = 0;
      pick = std::stoul(line, &used);
      if (used != line.size()) pick = 0;
    } catch (const std::exception&) {
      pick = 0;
    }
    if (pick < 1 || pick > options_here.size()) {
      out << "not a step: '" << line << "' (type 1 to " << options_here.size() << ", u, s or q)\n";
      continue;
    }
    const auto& [step, next] = options_here[pick - 1];
    trace.steps.push_back(step);
    trace.states.push_back(next);
    time += step.elapsed();
  }
  trace.final_note = "the run so far";
  out << "\n" << format_trace(model, trace, options.trace, {options.spec, "", ""});
  if (!context.timed_out()) return 0;
  err << "interlock simulate: stopped: " << context.stop_reason() << "\n";
  return 3;
}

}  // namespace interlock

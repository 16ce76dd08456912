#include "cli/interactive.h"

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "cli/load_spec.h"
#include "cli/session_time.h"
#include "model/lower.h"
#include "model/semantics.h"
#include "model/stuck_explanation.h"
#include "model/time_format.h"
#include "solver/property_watch.h"
#include "solver/trace/simulate.h"
#include "solver/trace/trace_formats.h"

namespace interlock {
namespace {

const char* kHelp =
    "  N            take step N of the list\n"
    "  wait [N]     let N ticks pass (1 without N), or a duration: wait 5min\n"
    "  until T      let time pass until tick T, or until a clock time: until 03:00\n"
    "  back         undo the last command (a step, or a whole wait)\n"
    "  goto STEP    return to step STEP of the history\n"
    "  s            the whole state\n"
    "  help         these commands\n"
    "  q            stop, and print the run so far\n";

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

std::string trim(const std::string& text) {
  const std::size_t first = text.find_first_not_of(" \t\r");
  if (first == std::string::npos) return "";
  return text.substr(first, text.find_last_not_of(" \t\r") - first + 1);
}

bool is_number(const std::string& text) { return !text.empty() && text.find_first_not_of("0123456789") == std::string::npos; }

// A whole number that fits, or nothing.
std::optional<std::size_t> index_of(const std::string& text) {
  if (!is_number(text) || text.size() > 9) return std::nullopt;
  return static_cast<std::size_t>(std::stoul(text));
}

// What a person typed, to quote back: bytes that are not printable ASCII as \xNN, and a long
// line cut short.
std::string quoted(const std::string& text) {
  constexpr std::size_t kShown = 60;
  std::string out;
  for (std::size_t i = 0; i < text.size() && i < kShown; ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
      continue;
    }
    const char* hex = "0123456789abcdef";
    out += std::string("\\x") + hex[c >> 4] + hex[c & 15];
  }
  return "'" + out + (text.size() > kShown ? "...'" : "'");
}

// The run a person builds: its history (which `goto` may move back and forth in), where in it they
// are, where each command began (for `back`), and what the run so far breaks.
class Session {
 public:
  Session(const Model& model, std::vector<int32_t> initial)
      : model_(model), sem_(model), watch_(sem_, PropertyWatch::breakable(model)) {
    states_.push_back(std::move(initial));
    rewatch();
  }

  std::size_t at() const { return at_; }
  std::size_t history() const { return steps_.size(); }
  const std::vector<int32_t>& state() const { return states_[at_]; }
  int64_t now() const {
    int64_t t = 0;
    for (std::size_t i = 0; i < at_; ++i) t += steps_[i].elapsed();
    return t;
  }
  const std::optional<PropertyWatch::Broken>& broken() const { return broken_; }
  const std::string& property_fault() const { return watch_.fault(); }
  Semantics& semantics() { return sem_; }

  // The possible steps here; false with a fault if one fails.
  bool options(std::vector<std::pair<Step, std::vector<int32_t>>>& out, ModelFault& fault) {
    out.clear();
    std::vector<int32_t> s = padded(state());
    return sem_.successors(s.data(), [&](const Step& step, const int32_t* next) {
      out.emplace_back(step, std::vector<int32_t>(next, next + model_.slots.size()));
    }, fault);
  }

  void begin_command() {
    drop_future();
    commands_.push_back(at_);
  }

  void take(const Step& step, const std::vector<int32_t>& next) {
    drop_future();
    steps_.push_back(step);
    states_.push_back(next);
    ++at_;
    if (!broken_) {
      std::vector<int32_t> s = padded(next);
      if (watch_.step(step, s.data())) broken_ = watch_.broken();
    }
  }

  // Lets up to `ticks` ticks pass; says how far it got and why it stopped early.
  std::string wait(int64_t ticks, const RunContext& context) {
    begin_command();
    int64_t waited = 0;
    std::string why;
    const bool was_broken = broken_.has_value();
    std::vector<int32_t> next(model_.slots.size() + 1, 0);
    while (waited < ticks) {
      if (context.timed_out()) {
        why = "stopped: " + context.stop_reason();
        break;
      }
      std::vector<int32_t> cur = padded(state());
      ModelFault fault;
      if (!sem_.tick(cur.data(), next.data(), fault)) {
        why = fault.message.empty() ? explain_stuck(sem_, cur, now(), 0).lines.front() : "a tick fails: " + fault.message;
        break;
      }
      Step tick;
      tick.tick = true;
      // Once a tick changes nothing, the rest of the wait changes nothing either: one step
      // (up to a pending deadline, so that it breaks where it passes).
      if (std::equal(cur.begin(), cur.begin() + static_cast<long>(model_.slots.size()), next.begin())) {
        tick.ticks = ticks - waited;
        if (!broken_) tick.ticks = std::max<int64_t>(1, std::min(tick.ticks, watch_.ticks_to_deadline()));
      }
      take(tick, std::vector<int32_t>(next.begin(), next.begin() + static_cast<long>(model_.slots.size())));
      waited += tick.ticks;
      if (broken_ && !was_broken) {
        why = "a property breaks";
        break;
      }
    }
    if (waited == 0) commands_.pop_back();
    if (waited == 0) return why;
    std::string out = "waited " + duration_text(model_, waited);
    if (waited < ticks) out += " of " + duration_text(model_, ticks) + ": " + why;
    return out;
  }

  // Back to where the last command began; false if there is none.
  bool back() {
    while (!commands_.empty() && commands_.back() >= at_) commands_.pop_back();
    if (commands_.empty()) return false;
    at_ = commands_.back();
    commands_.pop_back();
    rewatch();
    return true;
  }

  void go_to(std::size_t step) {
    at_ = step;
    rewatch();
  }

  // The run up to here.
  Trace trace() const {
    Trace t;
    t.steps.assign(steps_.begin(), steps_.begin() + static_cast<long>(at_));
    t.states.assign(states_.begin(), states_.begin() + static_cast<long>(at_) + 1);
    for (const Param& p : model_.params) t.params.emplace_back(p.name, *p.value);
    return t;
  }

 private:
  std::vector<int32_t> padded(const std::vector<int32_t>& s) const {
    std::vector<int32_t> out(s);
    out.resize(model_.slots.size() + 1, 0);
    return out;
  }

  // A step taken before the end of the history replaces what came after.
  void drop_future() {
    if (at_ == steps_.size()) return;
    steps_.resize(at_);
    states_.resize(at_ + 1);
    while (!commands_.empty() && commands_.back() > at_) commands_.pop_back();
  }

  // The watch follows the run up to here again (after back or goto).
  void rewatch() {
    broken_.reset();
    std::vector<int32_t> s = padded(states_[0]);
    if (watch_.start(s.data())) broken_ = watch_.broken();
    for (std::size_t i = 0; i < at_ && !broken_; ++i) {
      s = padded(states_[i + 1]);
      if (watch_.step(steps_[i], s.data())) broken_ = watch_.broken();
    }
  }

  const Model& model_;
  Semantics sem_;
  PropertyWatch watch_;
  std::vector<Step> steps_;
  std::vector<std::vector<int32_t>> states_;
  std::size_t at_ = 0;
  std::vector<std::size_t> commands_;  // where each command that is not undone began
  std::optional<PropertyWatch::Broken> broken_;
};

}  // namespace

int run_interactive(const Options& options, std::istream& in, std::ostream& out, std::ostream& err) {
  RunContext context(options.limits, nullptr);
  Model model = load_spec(options.spec, options.lower, context);
  for (const Param& p : model.params)
    if (!p.value) throw InputError(options.spec + ": error: parameter '" + p.name + "' has no value; simulate needs one (--set " + p.name + "=VALUE)\n");
  Semantics initial_sem(model);
  std::vector<int32_t> initial;
  ModelFault fault;
  if (!initial_sem.initial(initial, fault)) throw InputError(options.spec + ": error: the initial state fails: " + fault.message + "\n");
  Session session(model, initial);
  out << "interlock simulate --interactive: " << model.file << " (system " << model.system << ")\n"
      << "type a step's number, wait N, until T, back, goto STEP, s for the whole state, help, q to stop\n";
  std::vector<std::pair<Step, std::vector<int32_t>>> here;
  for (;;) {
    ModelFault step_fault;
    const bool ok = session.options(here, step_fault);
    out << "\ntime " << wall_time(model, session.now()) << ", step " << session.at() << ": " << machines_line(model, session.state()) << "\n";
    if (const auto& broken = session.broken()) {
      const std::string& name = model.properties[static_cast<std::size_t>(broken->property)].name;
      if (broken->state == session.at()) out << "  => " << broken->note << "\n";
      else out << "  (the run broke " << name << " at step " << broken->state << ")\n";
    }
    if (!session.property_fault().empty()) out << "  => " << session.property_fault() << "\n";
    if (!ok) out << "  the next step would fail: " << step_fault.message << "\n";
    if (here.empty()) out << "  nothing can happen here (no action, no tick)\n";
    bool can_wait = false;
    for (std::size_t k = 0; k < here.size(); ++k) {
      can_wait = can_wait || here[k].first.tick;
      out << "  " << k + 1 << "  " << step_text(model, here[k].first) << "\n";
    }
    if (!here.empty() && !can_wait) {
      std::vector<int32_t> s = session.state();
      out << "  (" << explain_stuck(session.semantics(), s, session.now(), 0).lines.front() << ")\n";
    }
    out << "> " << std::flush;
    std::string line;
    if (context.timed_out() || !std::getline(in, line)) break;
    line = trim(line);
    const std::size_t space = line.find_first_of(" \t");
    const std::string word = line.substr(0, space);
    const std::string arg = space == std::string::npos ? "" : trim(line.substr(space));
    if (word == "q" || word == "quit") break;
    if (word.empty()) continue;
    if (word == "help" || word == "?") {
      out << kHelp;
    } else if (word == "u" || word == "back") {
      if (!session.back()) out << "nothing to undo\n";
    } else if (word == "s" || word == "state") {
      for (std::size_t s = 0; s < model.slots.size(); ++s)
        out << "  " << model.slots[s].name << " = " << format_value(model, static_cast<int>(s), session.state()[s]) << "\n";
    } else if (word == "goto") {
      const std::optional<std::size_t> step = index_of(arg);
      if (!step || *step > session.history())
        out << "goto takes a step of the history, 0 to " << session.history() << ", not " << quoted(arg) << "\n";
      else
        session.go_to(*step);
    } else if (word == "wait" || word == "until") {
      const TimeArg t = word == "wait" ? wait_ticks(model, arg) : until_ticks(model, arg, session.now());
      if (!t.ok) out << t.error << "\n";
      else out << session.wait(t.ticks, context) << "\n";
    } else if (is_number(line)) {
      const std::optional<std::size_t> pick = index_of(line);
      if (!pick || *pick < 1 || *pick > here.size()) {
        out << "not a step: " << quoted(line) << " (type 1 to " << here.size() << ", or help)\n";
      } else {
        session.begin_command();
        session.take(here[*pick - 1].first, here[*pick - 1].second);
      }
    } else {
      out << "not a command: " << quoted(line) << " (type help for the commands)\n";
    }
  }
  Trace trace = session.trace();
  trace.final_note = "the run so far";
  const auto& broken = session.broken();
  if (broken && broken->state == session.at()) {
    note_broken(session.semantics(), *broken, trace);
  } else if (broken) {
    trace.marks.emplace_back(broken->state, broken->note);
    if (broken->trigger) trace.marks.emplace_back(*broken->trigger, "the trigger holds here, and the target does not");
  }
  out << "\n" << format_trace(model, trace, options.trace, {options.spec, "", ""});
  if (context.timed_out()) {
    err << "interlock simulate: stopped: " << context.stop_reason() << "\n";
    return 3;
  }
  return broken ? 1 : 0;
}

}  // namespace interlock

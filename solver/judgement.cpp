#include "solver/judgement.h"

#include "model/eval.h"
#include "model/semantics.h"
#include "model/time_format.h"

namespace interlock {
namespace {

bool reads_free_param(const Model& model, const Expr& e) {
  if (e.op == Expr::Op::Param && !model.params[static_cast<std::size_t>(e.value)].value) return true;
  for (const Expr& k : e.kids)
    if (reads_free_param(model, k)) return true;
  return false;
}

}  // namespace

std::optional<int64_t> wanted_bound(const Model& model, const Property& p) {
  if (!p.wanted_bound || reads_free_param(model, *p.wanted_bound)) return std::nullopt;
  std::vector<int64_t> params;
  for (const Param& q : model.params) params.push_back(q.value.value_or(0));
  const int32_t no_state = 0;  // constants and parameters read no slot
  int64_t value = 0;
  EvalFault fault = EvalFault::None;
  if (!Compiled(*p.wanted_bound, params).run(&no_state, nullptr, value, fault)) return std::nullopt;
  return value;
}

namespace {

Judgement judge_maximum(const Model& model, const Property& p, const PropertyResult& r) {
  const std::optional<int64_t> bound = wanted_bound(model, p);
  if (p.wanted != Property::Wanted::AtMost || !bound) return Judgement::Open;
  if (r.verdict == Verdict::ModelError) return Judgement::Bad;
  if (r.unbounded) return Judgement::Bad;
  if (!r.value) return r.verdict == Verdict::Holds ? Judgement::Good : Judgement::Open;  // no state: no value
  if (*r.value > *bound) return Judgement::Bad;  // exact, or a lower bound already past it
  return r.verdict == Verdict::Holds ? Judgement::Good : Judgement::Open;
}

int64_t trace_time(const Trace& t) {
  int64_t time = 0;
  for (const Step& s : t.steps) time += s.elapsed();
  return time;
}

// "at 120: shutdown!: Backup: Due -> Running + ...", from the trace's last action; waits after it
// say where the trace ends.
std::string last_action(const Model& model, const Trace& trace) {
  const int64_t end = trace_time(trace);
  for (std::size_t i = trace.steps.size(); i-- > 0;) {
    const Step& s = trace.steps[i];
    if (s.tick) continue;
    std::string text = describe_step_edges(model, s, " + ");
    if (s.channel >= 0) text = model.channels[s.channel].name + "!: " + text;
    int64_t at = 0;
    for (std::size_t j = 0; j < i; ++j) at += trace.steps[j].elapsed();
    std::string out = "at " + wall_time(model, at) + ": " + text;
    if (end > at) out += ", then time passes until " + wall_time(model, end);
    return out;
  }
  return end > 0 ? "at " + wall_time(model, end) + ", after time passes from the start" : "in the initial state";
}

// A delay as a duration; a value as its expression's kind shows it (a clock's value is a duration).
std::string shown_value(const Model& model, const Property& p, int64_t v) {
  if (p.delay) return duration_text(model, v);
  return p.a ? time_value(model, value_kind(model, *p.a), v) : std::to_string(v);
}

}  // namespace

bool reached_for_some_values(const Model& model, const PropertyResult& r) {
  return r.kind == Property::Kind::Reachable && r.verdict == Verdict::Holds && model.has_free_params();
}

std::string open_reason(const Model& model, const Property& p, const PropertyResult& r) {
  if (p.wanted != Property::Wanted::Holds || !reached_for_some_values(model, r)) return "";
  std::string values;
  if (r.trace)
    for (const auto& [name, value] : r.trace->params) {
      const int k = model.find_param(name);
      if (k >= 0 && !model.params[static_cast<std::size_t>(k)].value) values += (values.empty() ? "" : ", ") + name + " = " + std::to_string(value);
    }
  return "reachable for some values of the free parameters" + (values.empty() ? std::string() : " (the witness's: " + values + ")") +
         ", not shown for every value; check others with --set";
}

Judgement judge(const Model& model, const Property& p, const PropertyResult& r) {
  if (p.kind == Property::Kind::Maximum) return judge_maximum(model, p, r);
  if (p.wanted == Property::Wanted::Nothing) return Judgement::Open;
  if (p.wanted == Property::Wanted::Holds && reached_for_some_values(model, r)) return Judgement::Open;
  switch (r.verdict) {
    case Verdict::Unknown: return Judgement::Open;
    case Verdict::ModelError: return Judgement::Bad;
    case Verdict::Holds: return p.wanted == Property::Wanted::Holds ? Judgement::Good : Judgement::Bad;
    case Verdict::Violated: return p.wanted == Property::Wanted::Violated ? Judgement::Good : Judgement::Bad;
  }
  return Judgement::Open;
}

std::string bad_reason(const Model& model, const Property& p, const PropertyResult& r) {
  if (judge(model, p, r) != Judgement::Bad) return "";
  if (r.verdict == Verdict::ModelError) return "model fault: " + r.detail;
  const bool has_trace = r.trace && !r.trace->steps.empty();
  switch (p.kind) {
    case Property::Kind::Maximum: {
      const int64_t bound = *wanted_bound(model, p);
      if (r.unbounded) {
        std::string why = r.detail;
        if (why.rfind("unbounded: ", 0) == 0) why.erase(0, 11);
        return "unbounded, expected at most " + shown_value(model, p, bound) + (why.empty() ? "" : ": " + why);
      }
      return shown_value(model, p, *r.value) + (r.verdict == Verdict::Holds ? "" : " or more") + ", expected at most " +
             shown_value(model, p, bound);
    }
    case Property::Kind::Response:
      if (r.verdict == Verdict::Violated) return r.detail;
      return "holds, but the spec expects it to be violated";
    case Property::Kind::DeadlockFree:
      if (r.verdict == Verdict::Violated) {
        std::string out = r.trace ? "deadlock " + last_action(model, *r.trace) : "a deadlock";
        if (r.trace && !r.trace->why.empty()) out += " (" + r.trace->why.front() + ")";
        return out;
      }
      return "no deadlock, but the spec expects one";
    case Property::Kind::Reachable:
      if (r.verdict == Verdict::Violated) return "no reachable state satisfies it" + (r.stats.states ? " (" + std::to_string(r.stats.states) + " states)" : std::string());
      return has_trace ? "reached " + last_action(model, *r.trace) : "reachable";
    case Property::Kind::Invariant:
      if (r.verdict == Verdict::Violated) return has_trace ? "broken " + last_action(model, *r.trace) : "broken in the initial state";
      return "holds, but the spec expects it to be violated";
  }
  return "";
}

std::string expect_text(const Model& model, const Property& p) {
  switch (p.wanted) {
    case Property::Wanted::Nothing: return "";
    case Property::Wanted::AtMost:
      if (const std::optional<int64_t> bound = wanted_bound(model, p)) return "<= " + shown_value(model, p, *bound);
      return "<= a free parameter";
    case Property::Wanted::Holds: return p.kind == Property::Kind::Reachable ? "reachable" : "holds";
    case Property::Wanted::Violated: return p.kind == Property::Kind::Reachable ? "unreachable" : "violated";
  }
  return "";
}

const char* judgement_mark(Judgement j) {
  return j == Judgement::Good ? "✓" : j == Judgement::Bad ? "✗" : "";
}

const char* judgement_word(Judgement j) {
  return j == Judgement::Good ? "good" : j == Judgement::Bad ? "bad" : "open";
}

}  // namespace interlock

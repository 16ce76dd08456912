#include "solver/z3/response_trace.h"

#include <optional>
#include <vector>

#include "model/semantics.h"
#include "model/time_format.h"

namespace interlock {

namespace {

std::string at_time(const Model& model, int64_t t) {
  return model.calendar == Calendar::None ? "time " + std::to_string(t) : wall_time(model, t);
}

}  // namespace

ResponseCheck confirm_response_violation(const Model& fixed, const Property& property, Trace& trace) {
  ResponseCheck out;
  Semantics sem(fixed);
  const Compiled p = sem.compile(*property.a), q = sem.compile(*property.b);
  const std::size_t n = trace.states.size();
  if (n == 0 || trace.steps.size() + 1 != n) {
    out.problem = "the trace has no states or its steps do not match them";
    return out;
  }
  std::vector<bool> in_p(n), in_q(n);
  std::vector<int64_t> time(n, 0);  // ticks before each state
  for (std::size_t i = 0; i < n; ++i) {
    ModelFault fault;
    in_p[i] = sem.holds(p, trace.states[i].data(), fault);
    in_q[i] = sem.holds(q, trace.states[i].data(), fault);
    if (!fault.message.empty()) {
      out.problem = "the property cannot be evaluated in state " + std::to_string(i) + ": " + fault.message;
      return out;
    }
    if (i > 0) time[i] = time[i - 1] + trace.steps[i - 1].elapsed();
  }
  const std::string mark = "the trigger holds here, and the target does not";

  if (trace.loop_start < 0) {
    int64_t bound = 0;
    ModelFault fault;
    if (!property.within || !sem.value(sem.compile(*property.within), trace.states[0].data(), bound, fault)) {
      out.problem = "the response has no bound that can be evaluated";
      return out;
    }
    // The earliest trigger that T + 1 ticks pass after with q false in every state in between.
    for (std::size_t t = 0; t < n; ++t) {
      if (!in_p[t] || in_q[t]) continue;
      std::optional<std::size_t> end;
      for (std::size_t j = t + 1; j < n && !end; ++j) {
        if (time[j] - time[t] > bound) end = j;
        else if (in_q[j]) break;
      }
      if (!end) continue;
      trace.states.resize(*end + 1);
      trace.steps.resize(*end);
      trace.marks.emplace_back(t, mark);
      trace.final_note = duration_text(fixed, time[*end] - time[t]) + " since the trigger, and the target did not hold within " +
                         duration_text(fixed, bound);
      out.detail = "the trigger holds at " + at_time(fixed, time[t]) + " and the target does not hold within " +
                   duration_text(fixed, bound);
      return out;
    }
    out.problem = "no state of the trace starts a wait of more than " + std::to_string(bound) + " ticks";
    return out;
  }

  const std::size_t loop = static_cast<std::size_t>(trace.loop_start);
  if (loop >= n || trace.states[loop] != trace.states.back()) {
    out.problem = "the cycle does not return to the state where it begins";
    return out;
  }
  bool tick = false;
  for (std::size_t i = loop; i + 1 < n; ++i) tick = tick || trace.steps[i].tick;
  if (!tick) {
    out.problem = "no time passes on the cycle";
    return out;
  }
  std::size_t free_from = n;  // q is false from here to the end
  while (free_from > 0 && !in_q[free_from - 1]) --free_from;
  if (free_from > loop) {
    out.problem = "the target holds on the cycle";
    return out;
  }
  for (std::size_t t = free_from; t < n; ++t) {
    if (!in_p[t]) continue;
    trace.marks.emplace_back(t, mark);
    trace.final_note = "back where the cycle began: it repeats forever";
    out.detail = "from " + at_time(fixed, time[t]) + " on, time passes forever and the target never holds";
    return out;
  }
  out.problem = "no trigger before the cycle, or on it, is followed by the cycle without the target";
  return out;
}

}  // namespace interlock

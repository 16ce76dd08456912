#include "solver/analysis/explain.h"

#include <stdexcept>

#include "model/semantics.h"
#include "solver/trace/replay.h"

namespace interlock {
namespace {

// A step as a choice of the run: the same edges and values, except that a broadcast keeps only
// its emitter's edge (who receives depends on the state).
bool same_choice(const Model& model, const Step& want, const Step& got) {
  if (want.tick || got.tick) return want.tick == got.tick && want.ticks == got.ticks;
  if (want.channel != got.channel || want.edges.front() != got.edges.front()) return false;
  const bool broadcast = want.channel >= 0 && model.channels[static_cast<std::size_t>(want.channel)].broadcast;
  if (broadcast) {
    const std::size_t n = model.edges[static_cast<std::size_t>(want.edges.front())].chooses.size();
    return std::equal(want.choices.begin(), want.choices.begin() + static_cast<long>(std::min(n, want.choices.size())), got.choices.begin());
  }
  return want.edges == got.edges && want.choices == got.choices;
}

struct Outcome {
  bool violated = false;     // some state breaks the invariant
  bool time_stuck = false;   // a tick of the original run could not be taken
  std::vector<Step> taken;   // the steps actually taken, up to the violation
  std::vector<Step> owed;    // actions taken because time could not pass without them
  std::size_t owed_in_run = 0;  // how many of those came before the end of the given steps
};

class Runner {
 public:
  Runner(const Model& model, const Property& property) : model_(model), sem_(model), invariant_(sem_.compile(*property.a)) {}

  // Replays `steps`, skipping actions no longer possible, until the invariant breaks. Where a
  // tick of the run is no longer possible because the changed run now owes an action (an
  // invariant or urgency demands one), the first possible action is taken until time can pass
  // again; the same at the end of the run.
  Outcome run(const std::vector<Step>& steps) {
    Outcome out;
    ModelFault fault;
    if (!sem_.initial(state_, fault)) return out;
    state_.resize(model_.slots.size() + 1);
    if (broken()) {
      out.violated = true;
      return out;
    }
    for (const Step& want : steps) {
      if (want.tick && !settle(out)) return out;
      if (out.violated) return out;
      if (take(want, out) && broken()) {
        out.violated = true;
        return out;
      }
    }
    out.owed_in_run = out.owed.size();
    settle(out);
    return out;
  }
  // Takes the step matching `want` if possible.
  bool take(const Step& want, Outcome& out) {
    std::vector<int32_t> next;
    Step taken;
    ModelFault fault;
    sem_.successors(state_.data(), [&](const Step& step, const int32_t* n) {
      if (!next.empty() || !same_choice(model_, want, step)) return;
      next.assign(n, n + model_.slots.size() + 1);
      taken = step;
    }, fault);
    if (next.empty()) return false;
    state_ = next;
    out.taken.push_back(taken);
    return true;
  }

  // Takes owed actions until a tick is possible; false (time stuck) if none is.
  bool settle(Outcome& out) {
    for (int owed = 0; owed < kMaxOwed; ++owed) {
      std::vector<int32_t> later(model_.slots.size() + 1);
      ModelFault fault;
      if (sem_.tick(state_.data(), later.data(), fault)) return true;
      // Prefer an action after which time can pass: the one the run owes, not another
      // machine's optional move.
      Step first, freeing;
      bool found = false, frees = false;
      sem_.successors(state_.data(), [&](const Step& step, const int32_t* n) {
        if (step.tick) return;
        if (!found) {
          first = step;
          found = true;
        }
        if (frees) return;
        std::vector<int32_t> after(n, n + model_.slots.size() + 1), later(model_.slots.size() + 1);
        ModelFault f;
        if (sem_.tick(after.data(), later.data(), f)) {
          freeing = step;
          frees = true;
        }
      }, fault);
      if (!found || !take(frees ? freeing : first, out)) break;
      out.owed.push_back(out.taken.back());
      if (broken()) {
        out.violated = true;
        return true;
      }
    }
    out.time_stuck = true;
    return false;
  }

 private:
  bool broken() const {
    ModelFault f;
    bool holds = sem_.holds(invariant_, state_.data(), f);
    return f.message.empty() && !holds;
  }

  static constexpr int kMaxOwed = 64;  // actions in a row before a changed run counts as stuck
  const Model& model_;
  Semantics sem_;
  Compiled invariant_;
  std::vector<int32_t> state_;
};

}  // namespace

Explanation explain_violation(const Model& model, const Property& property, const Trace& trace) {
  if (property.kind != Property::Kind::Invariant || !property.a)
    throw std::invalid_argument("explain handles invariant violations");
  Runner runner(model, property);
  Outcome whole = runner.run(trace.steps);
  if (!whole.violated) throw std::logic_error("internal error: the trace to explain does not violate the property");
  std::vector<Step> steps = whole.taken;

  // Leave out every action that the violation does not need.
  for (std::size_t i = 0; i < steps.size();) {
    if (steps[i].tick) {
      ++i;
      continue;
    }
    std::vector<Step> without = steps;
    without.erase(without.begin() + static_cast<long>(i));
    Outcome o = runner.run(without);
    if (o.violated && !o.time_stuck && o.taken.size() < steps.size()) {
      steps = o.taken;
      continue;
    }
    ++i;
  }

  Explanation out;
  out.original_steps = trace.steps.size();
  // Classify what remains: a cause, or forced by the spec.
  int64_t time = 0;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (steps[i].tick) {
      ++time;
      continue;
    }
    std::vector<Step> without = steps;
    without.erase(without.begin() + static_cast<long>(i));
    Outcome o = runner.run(without);
    ExplainedStep e{i, describe_step_edges(model, steps[i]), "", time};
    bool retaken = false;  // the run owed this very action: it is forced, whatever comes of it
    for (const Step& owed : o.owed) retaken = retaken || same_choice(model, steps[i], owed);
    if (!retaken && !o.violated && !o.time_stuck)
      e.why = o.owed_in_run == 0 ? "without it the rest of the run goes on and the invariant holds"
                             : "without it (the run owes an action there and takes " + describe_step_edges(model, o.owed.front()) +
                                   " instead) the invariant holds";
    if (e.why.empty()) ++out.forced;
    else out.causes.push_back(e);
  }
  Replayed replayed = replay_steps(model, steps);
  if (replayed.outcome != Replayed::Outcome::Ok) throw std::logic_error("internal error: an explanation does not replay");
  out.trace = replayed.trace;
  out.trace.final_note = trace.final_note;
  for (const ExplainedStep& c : out.causes) out.trace.marks.emplace_back(c.index + 1, "a cause: " + c.why);
  return out;
}

}  // namespace interlock

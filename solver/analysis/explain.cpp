#include "solver/analysis/explain.h"

#include <algorithm>
#include <limits>
#include <optional>
#include <set>
#include <stdexcept>

#include "model/semantics.h"
#include "solver/property_watch.h"
#include "solver/trace/replay.h"
#include "solver/trace/simulate.h"

namespace interlock {
namespace {

constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();

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

std::size_t actions_in(const std::vector<Step>& steps, std::size_t end) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < end && i < steps.size(); ++i) n += steps[i].tick ? 0 : 1;
  return n;
}

struct Outcome {
  bool violated = false;     // the property is broken
  bool time_stuck = false;   // a tick of the original run could not be taken
  // A response whose trigger held and whose target has not held since, at the end: the changed
  // run neither broke the property nor kept it, it only ran out of steps to replay.
  bool pending = false;
  std::vector<Step> taken;   // the steps actually taken, up to the violation
  std::size_t prefix_end = 0;  // taken steps before the cycle's extra rounds began
  std::size_t cycle_at = kNone;  // the taken step where the given cycle began
  // Actions taken because time could not pass without them, each with the index of the given
  // step (a tick) before which it was taken: the given steps' count for their end, kNone in the
  // cycle's extra rounds.
  std::vector<std::pair<std::size_t, Step>> owed;
  std::optional<PropertyWatch::Broken> broken;
  bool avoided = false;  // the step run() was asked to avoid was possible where it was avoided
};

class Runner {
 public:
  Runner(const Model& model, int property) : model_(model), sem_(model), watch_(sem_, {property}), property_(property) {}

  // Replays `steps`, skipping actions no longer possible, until the property breaks. Where a
  // tick of the run is no longer possible because the changed run now owes an action (an
  // invariant or urgency demands one), the first possible action is taken until time can pass
  // again; the same at the end of the run. Steps from `cycle_from` on are a cycle: if the run
  // has not broken the property by their end, it takes them again, up to kExtraRounds times.
  // With `go_on`, the run then goes on as time alone takes it (ticks, and the actions it owes):
  // for a response while its trigger waits, until the target comes, the property breaks or time
  // stops; for an invariant or deadlock_free until it breaks, comes back to a state it was in, or
  // time stops. `pending`: not settled within kGoOnTicks ticks.
  // `avoid`: a step left out of the run; where the run owes an action before the given step
  // `avoid_at` (the tick after the place it had), it takes another if one is possible.
  Outcome run(const std::vector<Step>& steps, std::size_t cycle_from, bool go_on = false, const Step* avoid = nullptr,
              std::size_t avoid_at = kNone) {
    avoid_ = avoid;
    avoid_at_ = avoid_at;
    Outcome out;
    ModelFault fault;
    if (!sem_.initial(state_, fault)) return out;
    state_.resize(model_.slots.size() + 1);
    if (watch_.start(state_.data())) {
      out.violated = true;
      out.broken = watch_.broken();
      return out;
    }
    const bool whole = follow(steps, cycle_from, out);
    out.prefix_end = out.taken.size();
    if (!whole) return out;
    if (out.cycle_at != kNone) {
      const std::vector<Step> cycle(out.taken.begin() + static_cast<long>(out.cycle_at), out.taken.end());
      for (int round = 0; round < kExtraRounds && !cycle.empty(); ++round)
        if (!follow(cycle, kNone, out, false)) return out;
    }
    settle(out, out.cycle_at == kNone ? steps.size() : kNone);
    if (out.cycle_at == kNone) out.prefix_end = out.taken.size();
    if (!go_on || out.violated || out.time_stuck) return out;
    if (model_.properties[static_cast<std::size_t>(property_)].kind == Property::Kind::Response) {
      out.pending = watch_.pending_trigger(property_).has_value();
      for (std::size_t k = 0; out.pending && k < kGoOnTicks; ++k) {
        if (!settle(out, kNone) || out.violated || !take_tick(out)) break;
        out.pending = !out.violated && watch_.pending_trigger(property_).has_value();
      }
      return out;
    }
    // An invariant or deadlock_free: the run's steps are done, but time may still force a
    // violation (an invariant that ends a state three ticks later, into a bad one). Time alone
    // takes the run on (ticks, and the first action owed when time cannot pass); that continuation
    // is one run, so once it comes back to a state it was in, it keeps the property for ever. Not
    // back within kGoOnTicks ticks: nothing is shown either way. Where time stops (a timelock, a
    // step that fails) the run ends there, not broken.
    std::set<std::vector<int32_t>> seen;
    out.pending = true;
    for (std::size_t k = 0; k < kGoOnTicks && out.pending; ++k) {
      if (!settle(out, kNone) || out.violated || !seen.insert(state_).second || !take_tick(out) || out.violated)
        out.pending = false;
    }
    out.time_stuck = false;  // after the run's own steps: its end, not a step it could not take
    return out;
  }

 private:
  // Takes `steps` in turn; false once the property is broken or time is stuck.
  bool follow(const std::vector<Step>& steps, std::size_t cycle_from, Outcome& out, bool given = true) {
    for (std::size_t k = 0; k < steps.size(); ++k) {
      if (k == cycle_from) out.cycle_at = out.taken.size();
      const Step& want = steps[k];
      if (want.tick && !settle(out, given ? k : kNone)) return false;
      if (out.violated) return false;
      take(want, out);
      if (out.violated) return false;
    }
    return true;
  }

  // Takes the step matching `want` if possible: `want` itself if it is possible (a broadcast with
  // the same receivers and their values), else the same choice (a broadcast by the same emitter).
  bool take(const Step& want, Outcome& out) {
    std::vector<int32_t> next;
    Step taken;
    bool exact = false;
    ModelFault fault;
    sem_.successors(state_.data(), [&](const Step& step, const int32_t* n) {
      if (exact || !same_choice(model_, want, step)) return;
      const bool same = step.tick || (step.edges == want.edges && step.choices == want.choices);
      if (!next.empty() && !same) return;
      next.assign(n, n + model_.slots.size() + 1);
      taken = step;
      exact = same;
    }, fault);
    if (next.empty()) return false;
    state_ = next;
    out.taken.push_back(taken);
    if (watch_.step(taken, state_.data())) {
      out.violated = true;
      out.broken = watch_.broken();
    }
    return true;
  }

  // Takes the tick from here (time can pass: settle() said so).
  bool take_tick(Outcome& out) {
    std::optional<Step> tick;
    ModelFault fault;
    sem_.successors(state_.data(), [&](const Step& step, const int32_t*) {
      if (step.tick && !tick) tick = step;
    }, fault);
    return tick && take(*tick, out);
  }

  // Takes owed actions until a tick is possible; false (time stuck) if none is. `at`: where.
  bool settle(Outcome& out, std::size_t at) {
    for (int owed = 0; owed < kMaxOwed; ++owed) {
      std::vector<int32_t> later(model_.slots.size() + 1);
      ModelFault fault;
      if (sem_.tick(state_.data(), later.data(), fault)) return true;
      // Prefer an action after which time can pass, then one that a machine stopping time owes:
      // the run's debt, not another machine's optional move.
      Step first, freeing;
      bool found = false, frees = false;
      std::vector<Step> actions;
      // The step left out, where another may be owed instead (an outside tester: `S -> T` and
      // `S -> R` both due, the changed run took `S -> T` again, and it was called no cause).
      const bool avoiding = avoid_ && at == avoid_at_;
      std::optional<Step> avoided;
      sem_.successors(state_.data(), [&](const Step& step, const int32_t* n) {
        if (step.tick) return;
        if (avoiding && step == *avoid_) {
          avoided = step;
          return;
        }
        actions.push_back(step);
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
      if (found && !frees) {
        const std::vector<int32_t> here(state_.begin(), state_.begin() + static_cast<long>(model_.slots.size()));
        for (const Step& a : actions)
          if (decide_step(sem_, here, a).decision != Decision::Chosen) {
            first = a;
            break;
          }
      }
      out.avoided = out.avoided || avoided.has_value();
      if (!found && avoided) {  // nothing else could happen: the run cannot do without it
        first = *avoided;
        found = true;
      }
      if (!found || !take(frees ? freeing : first, out)) break;
      out.owed.emplace_back(at, out.taken.back());
      if (out.violated) return true;
    }
    out.time_stuck = true;
    return false;
  }

  static constexpr int kMaxOwed = 64;  // actions in a row before a changed run counts as stuck
  const Step* avoid_ = nullptr;
  std::size_t avoid_at_ = kNone;
  const Model& model_;
  Semantics sem_;
  PropertyWatch watch_;
  int property_;
  std::vector<int32_t> state_;
};

// An action of the same moment, possible where step i was taken (a timer due at the same minute,
// say), that taken first, step i after it, lets the run go on without breaking the property: the
// step it took first (as the changed run took it), or nothing.
std::optional<Step> other_first(Runner& runner, Semantics& sem, const std::vector<int32_t>& before, const std::vector<Step>& steps,
                                std::size_t i, std::size_t cycle_from) {
  const Model& model = sem.model();
  std::vector<int32_t> state = before;
  state.resize(model.slots.size() + 1);
  std::vector<Step> possible;  // the actions possible where step i was taken, but step i
  ModelFault fault;
  sem.successors(state.data(), [&](const Step& step, const int32_t*) {
    if (!step.tick && !same_choice(model, steps[i], step)) possible.push_back(step);
  }, fault);
  // Another action first: one of the trace's later actions of the same moment (moved ahead), or
  // one the trace never takes (put ahead).
  const auto try_first = [&](const Step& other, std::size_t from_trace) -> std::optional<Step> {
    std::vector<Step> moved(steps.begin(), steps.begin() + static_cast<long>(i));
    moved.push_back(other);
    for (std::size_t k = i; k < steps.size(); ++k)
      if (k != from_trace) moved.push_back(steps[k]);
    const Outcome o = runner.run(moved, cycle_from, true);
    // The claim is about this run: it took the other action first and step i right after it.
    const bool reordered = o.taken.size() > i + 1 && same_choice(model, other, o.taken[i]) && same_choice(model, steps[i], o.taken[i + 1]);
    if (reordered && !o.violated && !o.time_stuck && !o.pending) return o.taken[i];
    return std::nullopt;
  };
  std::vector<const Step*> tried;
  for (std::size_t j = i + 1; j < steps.size() && !steps[j].tick; ++j) {
    if (i < cycle_from && j >= cycle_from) break;  // not across the cycle's start
    const bool now = std::any_of(possible.begin(), possible.end(), [&](const Step& p) { return same_choice(model, steps[j], p); });
    if (!now) continue;
    tried.push_back(&steps[j]);
    if (std::optional<Step> first = try_first(steps[j], j)) return first;
  }
  // One the trace never takes must be due then (time cannot pass until its machines move), so
  // that it belongs to this moment: putting it first reorders the moment, it adds no choice.
  constexpr std::size_t kMostOthers = 8;  // actions not in the trace tried first, at most
  std::size_t others = 0;
  for (const Step& p : possible) {
    if (std::any_of(tried.begin(), tried.end(), [&](const Step* t) { return same_choice(model, *t, p); })) continue;
    if (decide_step(sem, before, p).decision == Decision::Chosen) continue;
    if (others++ == kMostOthers) break;
    if (std::optional<Step> first = try_first(p, kNone)) return first;
  }
  return std::nullopt;
}

std::string holds_text(const Property& p) {
  switch (p.kind) {
    case Property::Kind::Invariant: return "the invariant holds";
    case Property::Kind::DeadlockFree: return "no deadlock is reached";
    default: return p.name + " is no longer broken";
  }
}

// The steps without the action at `i`, and where their cycle then begins.
std::vector<Step> without(const std::vector<Step>& steps, std::size_t i, std::size_t cycle_from, std::size_t& cycle) {
  std::vector<Step> out = steps;
  out.erase(out.begin() + static_cast<long>(i));
  cycle = cycle_from == kNone || i >= cycle_from ? cycle_from : cycle_from - 1;
  if (cycle != kNone && cycle >= out.size()) cycle = kNone;
  return out;
}

}  // namespace

bool explainable(const Property& p) {
  return p.kind == Property::Kind::Invariant || p.kind == Property::Kind::DeadlockFree || p.kind == Property::Kind::Response;
}

std::size_t Explanation::count(Decision d) const {
  std::size_t n = 0;
  for (const ExplainedStep& a : actions) n += a.decided.decision == d ? 1 : 0;
  return n;
}

std::vector<const ExplainedStep*> Explanation::causes() const {
  std::vector<const ExplainedStep*> out;
  for (const ExplainedStep& a : actions)
    if (a.cause) out.push_back(&a);
  return out;
}

std::vector<const ExplainedStep*> Explanation::undecided() const {
  std::vector<const ExplainedStep*> out;
  for (const ExplainedStep& a : actions)
    if (a.undecided) out.push_back(&a);
  return out;
}

Explanation explain_violation(const Model& model, const Property& property, const Trace& trace) {
  const int index = model.find_property(property.name);
  if (!explainable(property) || index < 0)
    throw std::invalid_argument("explain handles invariants, deadlock_free and responses");
  Runner runner(model, index);
  std::size_t cycle_from = trace.loop_start >= 0 ? static_cast<std::size_t>(trace.loop_start) : kNone;
  Outcome whole = runner.run(trace.steps, cycle_from);
  if (!whole.violated) throw std::logic_error("internal error: the trace to explain does not break the property");
  std::vector<Step> steps(whole.taken.begin(), whole.taken.begin() + static_cast<long>(whole.prefix_end));
  cycle_from = whole.cycle_at < steps.size() ? whole.cycle_at : kNone;

  // Leave out every action that the violation does not need.
  for (std::size_t i = 0; i < steps.size();) {
    if (steps[i].tick) {
      ++i;
      continue;
    }
    std::size_t cycle = kNone;
    const std::vector<Step> rest = without(steps, i, cycle_from, cycle);
    Outcome o = runner.run(rest, cycle);
    if (o.violated && !o.time_stuck && actions_in(o.taken, o.prefix_end) < actions_in(steps, steps.size())) {
      steps.assign(o.taken.begin(), o.taken.begin() + static_cast<long>(o.prefix_end));
      cycle_from = o.cycle_at < steps.size() ? o.cycle_at : kNone;
      continue;
    }
    ++i;
  }

  Outcome final_run = runner.run(steps, cycle_from);
  if (!final_run.violated || !final_run.broken) throw std::logic_error("internal error: an explanation does not break the property");
  Replayed replayed = replay_steps(model, final_run.taken);
  if (replayed.outcome != Replayed::Outcome::Ok) throw std::logic_error("internal error: an explanation does not replay");

  Explanation out;
  out.original_steps = trace.steps.size();
  Semantics sem(model);
  // Classify what remains: a cause or not, and who decided it.
  int64_t time = 0;
  for (std::size_t i = 0; i < steps.size(); ++i) {
    if (steps[i].tick) {
      time += steps[i].elapsed();
      continue;
    }
    std::size_t cycle = kNone;
    const std::vector<Step> rest = without(steps, i, cycle_from, cycle);
    // What the changed run takes, owing an action, where the step was: at the first tick after
    // it (or at the end), another action than this one if one is possible. If it is this very
    // action, the run cannot do without it.
    std::size_t next_tick = i;
    while (next_tick < rest.size() && !rest[next_tick].tick) ++next_tick;
    Outcome o = runner.run(rest, cycle, true, &steps[i], next_tick);
    ExplainedStep e;
    e.index = i;
    e.what = describe_step_edges(model, steps[i]);
    e.time = time;
    e.decided = decide_step(sem, replayed.trace.states[i], steps[i]);
    std::vector<Step> instead;
    for (const auto& [at, owed] : o.owed)
      if (at == next_tick) instead.push_back(owed);
    // All that could happen there: a run cannot do without it, even if a changed run, replaying
    // the steps after it, happens to take the same edge a step later. A broadcast by the same
    // emitter is the same action where its receivers only follow the state (they take other
    // edges because the run changed), another where this very step was possible too.
    bool retaken = e.decided.alone;
    for (const Step& owed : instead) retaken = retaken || owed == steps[i] || (!o.avoided && same_choice(model, steps[i], owed));
    // Not broken, and not merely undecided: a run that goes on kGoOnTicks ticks with the trigger
    // still waiting shows nothing either way.
    e.cause = !retaken && !o.violated && !o.time_stuck && !o.pending;
    e.undecided = !retaken && !o.violated && !o.time_stuck && o.pending;
    if (e.undecided)
      e.why = property.kind == Property::Kind::Response
                  ? "without it the trigger still waited " + std::to_string(kGoOnTicks) +
                        " ticks after the run's end: whether it is a cause was not decided"
                  : "without it the run, taken on by time alone for " + std::to_string(kGoOnTicks) +
                        " ticks after its end, neither broke the property nor came back to a state it was in: whether it "
                        "is a cause was not decided";
    // A forced step the run can do without is one whose moment among the actions of the same
    // instant mattered: the spec left that order open.
    if (e.cause && e.decided.decision == Decision::Forced) {
      e.decided.decision = Decision::ValuesChosen;
      e.decided.open = "the order (other actions of the same moment could come first)";
    }
    if (e.cause)
      e.why = instead.empty() ? "without it the rest of the run goes on and " + holds_text(property)
                              : "without it (the run owes an action there and takes " + describe_step_edges(model, instead.front()) +
                                    " instead) " + holds_text(property);
    // A step the run cannot do without may still be a cause by its order: two timers due at one
    // minute, and the one that fires first takes the lock the other then misses.
    std::optional<Step> first;
    if (!e.cause && !e.undecided) first = other_first(runner, sem, replayed.trace.states[i], steps, i, cycle_from);
    if (first) {
      e.cause = true;
      e.by_order = true;
      if (e.decided.decision == Decision::Forced) {
        e.decided.decision = Decision::ValuesChosen;
        e.decided.open = "the order (other actions of the same moment could come first)";
      }
      e.why = "had " + describe_step_edges(model, *first) + " come first at the same moment, " + holds_text(property);
    }
    out.actions.push_back(std::move(e));
  }
  // The run's end: actions it owed after its last step, and the cycle taken again until it
  // closed. They are in the trace shown, so they are counted and said who decided them; none is
  // a cause (the run took them to end as it did).
  for (std::size_t k = steps.size(); k < final_run.taken.size(); ++k) {
    const Step& step = final_run.taken[k];
    if (step.tick) {
      time += step.elapsed();
      continue;
    }
    ExplainedStep e;
    e.index = k;
    e.what = describe_step_edges(model, step);
    e.time = time;
    e.decided = decide_step(sem, replayed.trace.states[k], step);
    out.actions.push_back(std::move(e));
  }

  out.trace = replayed.trace;
  note_broken(sem, *final_run.broken, out.trace);
  for (const ExplainedStep& a : out.actions)
    if (a.cause || a.undecided) out.trace.marks.emplace_back(a.index + 1, (a.cause ? "a cause: " : "undecided: ") + a.why);
  return out;
}

}  // namespace interlock

#include "solver/analysis/step_decision.h"

#include <algorithm>
#include <set>

#include "model/joined.h"
#include "model/stuck_explanation.h"

namespace interlock {
namespace {

std::vector<int> instances_of(const Model& model, const Step& step) {
  std::vector<int> out;
  for (int e : step.edges) {
    const int i = model.edges[static_cast<std::size_t>(e)].instance;
    if (std::find(out.begin(), out.end(), i) == out.end()) out.push_back(i);
  }
  return out;
}

// "d=2, marked=1": the values the step's `choose` clauses took.
std::string values_text(const Model& model, const Step& step) {
  std::vector<std::string> out;
  std::size_t k = 0;
  for (int e : step.edges)
    for (const ChooseVar& c : model.edges[static_cast<std::size_t>(e)].chooses) {
      if (k < step.choices.size()) out.push_back(c.name + "=" + std::to_string(step.choices[k]));
      ++k;
    }
  return joined(out, ", ");
}

// Why machine `instance` lets no time pass in `state`, or "" if it does not stop time:
// urgency, a due `asap` edge among the possible steps, or its invariant after one tick.
std::string stops_time(Semantics& sem, const std::vector<int32_t>& state, const std::vector<Step>& actions, int instance) {
  const Model& model = sem.model();
  const Instance& inst = model.instances[static_cast<std::size_t>(instance)];
  const Location& loc = inst.locations[static_cast<std::size_t>(state[static_cast<std::size_t>(inst.location_slot)])];
  if (loc.urgent) return inst.name + " is in the urgent state " + loc.name;
  for (const Step& a : actions)
    for (int e : a.edges) {
      const Edge& edge = model.edges[static_cast<std::size_t>(e)];
      if (edge.asap && edge.instance == instance)
        return "the asap edge " + inst.name + ": " + loc.name + " -> " + inst.locations[static_cast<std::size_t>(edge.dst)].name + " is due";
    }
  if (!loc.invariant) return "";
  std::vector<int32_t> later(state);
  later.resize(model.slots.size() + 1, 0);
  for (std::size_t s = 0; s < model.slots.size(); ++s)
    if (model.slots[s].kind == Slot::Kind::Clock && later[s] < model.slots[s].hi) ++later[s];
  ModelFault fault;
  if (sem.holds(sem.compile(*loc.invariant), later.data(), fault) || !fault.message.empty()) return "";
  return inst.name + "." + loc.name + "'s invariant " + expr_text(model, *loc.invariant, instance) + " stops time";
}

}  // namespace

const char* decision_name(Decision d) {
  switch (d) {
    case Decision::Forced: return "forced";
    case Decision::ValuesChosen: return "forced, values chosen";
    case Decision::Chosen: return "chosen";
  }
  return "?";
}

StepDecision decide_step(Semantics& sem, const std::vector<int32_t>& given, const Step& step) {
  const Model& model = sem.model();
  std::vector<int32_t> state(given);
  state.resize(model.slots.size() + 1, 0);
  StepDecision out;
  std::vector<Step> actions;
  bool can_tick = false;
  ModelFault fault;
  sem.successors(state.data(), [&](const Step& s, const int32_t*) {
    if (s.tick) can_tick = true;
    else actions.push_back(s);
  }, fault);
  if (can_tick) {
    out.why = "time could pass instead";
    return out;
  }
  out.alone = actions.size() == 1;
  // The machines that stop time, and which of them move in this step.
  std::vector<std::string> ours, others;
  const std::vector<int> moving = instances_of(model, step);
  for (std::size_t i = 0; i < model.instances.size(); ++i) {
    const std::string why = stops_time(sem, state, actions, static_cast<int>(i));
    if (why.empty()) continue;
    const bool moves = std::find(moving.begin(), moving.end(), static_cast<int>(i)) != moving.end();
    (moves ? ours : others).push_back(why);
  }
  // What else could happen here: other values of the same edges, and other moves of the machines
  // that move in this step (an outside tester: B's other edge `P -> R` was left out
  // when only A stopped time, and the step was called forced).
  std::set<std::vector<int64_t>> values;
  std::size_t other_moves = 0, unrelated = 0;
  for (const Step& a : actions) {
    if (a == step) continue;
    if (a.edges == step.edges && a.channel == step.channel) {
      values.insert(a.choices);
      continue;
    }
    bool related = false;  // (the machines that stop time and move are among those that move)
    for (int i : instances_of(model, a)) related = related || std::find(moving.begin(), moving.end(), i) != moving.end();
    ++(related ? other_moves : unrelated);
  }
  if (ours.empty()) {
    // Time cannot pass, so something must happen: if only this edge can, the step is forced,
    // whichever machine stops time (an outside tester: B's only possible move, with A urgent and
    // waiting for it, was called "not forced").
    if (other_moves == 0 && unrelated == 0) {
      out.why = "time could not pass" + (others.empty() ? std::string() : " (" + joined(others, "; ") + ")") +
                " and nothing but this step's edges could move";
      out.decision = values.empty() ? Decision::Forced : Decision::ValuesChosen;
      if (!values.empty()) out.open = values_text(model, step) + " (one of " + std::to_string(values.size() + 1) + " possible values)";
      return out;
    }
    out.why = others.empty() ? "time could not pass, but not because of the machines that move"
                             : "time could not pass (" + joined(others, "; ") + "), but another action than this one was possible";
    return out;
  }
  out.why = joined(ours, "; ");
  if (values.empty() && other_moves == 0) {
    out.decision = Decision::Forced;
    return out;
  }
  out.decision = Decision::ValuesChosen;
  std::vector<std::string> open;
  if (!values.empty()) open.push_back(values_text(model, step) + " (one of " + std::to_string(values.size() + 1) + " possible values)");
  if (other_moves > 0)
    open.push_back("this step (one of " + std::to_string(other_moves + 1) + " ways " + (moving.size() == 1 ? "that machine" : "those machines") +
                   " could move)");
  out.open = joined(open, "; ");
  return out;
}

}  // namespace interlock

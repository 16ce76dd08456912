#include "solver/trace/step_effects.h"

#include <algorithm>
#include <optional>

#include "model/arith.h"

namespace interlock {
namespace {

using Op = Expr::Op;

// Evaluates an expression as the compiled evaluator does (model/eval.h: && || => and ?: short-
// circuit, arithmetic checked), noting each slot it reads, an array element as the element.
class Evaluator {
 public:
  Evaluator(const std::vector<std::optional<int64_t>>& params, const std::vector<int64_t>& scratch)
      : params_(params), scratch_(scratch) {}

  // False if the expression cannot be evaluated (a fault, a parameter without a value).
  bool run(const Expr& e, const std::vector<int32_t>& state, int64_t& out, std::vector<int>& reads) const {
    switch (e.op) {
      case Op::Const: out = e.value; return true;
      case Op::Param:
        if (e.value < 0 || static_cast<std::size_t>(e.value) >= params_.size() || !params_[e.value]) return false;
        out = *params_[e.value];
        return true;
      case Op::Slot:
        if (e.value < 0 || static_cast<std::size_t>(e.value) >= state.size()) return false;
        out = state[e.value];
        reads.push_back(static_cast<int>(e.value));
        return true;
      case Op::Element: {
        int64_t i = 0;
        if (!run(e.kids[0], state, i, reads) || i < 0 || i >= e.size) return false;
        const int64_t slot = e.value + i;
        if (static_cast<std::size_t>(slot) >= state.size()) return false;
        out = state[slot];
        reads.push_back(static_cast<int>(slot));
        return true;
      }
      case Op::Choose:
        if (e.value < 0 || static_cast<std::size_t>(e.value) >= scratch_.size()) return false;
        out = scratch_[e.value];
        return true;
      case Op::Neg: {
        int64_t v = 0;
        return run(e.kids[0], state, v, reads) && apply_binary(Op::Sub, 0, v, out) == ArithError::None;
      }
      case Op::Not: {
        int64_t v = 0;
        if (!run(e.kids[0], state, v, reads)) return false;
        out = !v;
        return true;
      }
      case Op::And:
      case Op::Or:
      case Op::Implies: {
        int64_t a = 0;
        if (!run(e.kids[0], state, a, reads)) return false;
        if (e.op == Op::And && !a) { out = 0; return true; }
        if (e.op == Op::Or && a) { out = 1; return true; }
        if (e.op == Op::Implies && !a) { out = 1; return true; }
        int64_t b = 0;
        if (!run(e.kids[1], state, b, reads)) return false;
        out = b != 0;
        return true;
      }
      case Op::Ite: {
        int64_t c = 0;
        if (!run(e.kids[0], state, c, reads)) return false;
        return run(e.kids[c ? 1 : 2], state, out, reads);
      }
      default: {
        int64_t a = 0, b = 0;
        if (e.kids.size() != 2 || !run(e.kids[0], state, a, reads) || !run(e.kids[1], state, b, reads)) return false;
        return apply_binary(e.op, a, b, out) == ArithError::None;
      }
    }
  }

 private:
  const std::vector<std::optional<int64_t>>& params_;
  const std::vector<int64_t>& scratch_;
};

// The effects of one action taken from `before`; empty (not known) if it cannot be reproduced.
StepEffects action_effects(const Model& model, const Evaluator& eval, std::vector<int64_t>& scratch, const Step& step,
                           const std::vector<int32_t>& before, const std::vector<int32_t>& after) {
  StepEffects out;
  std::vector<int> reads;
  // A read of another machine's variable or a global one, once per value in a step.
  // `except`: a variable whose value the assignment that read it shows already ("mark := Unmarked
  // (unchanged)" says what `mark := mark == ... ? ... : mark` read).
  auto note_reads = [&](int edge, const std::vector<int32_t>& state, int64_t except = -1) {
    const int own = model.edges[static_cast<std::size_t>(edge)].instance;
    for (int slot : reads) {
      const Slot& s = model.slots[static_cast<std::size_t>(slot)];
      // Clocks are time, not data: the wall clock a timer's guard reads is in the time column.
      if (s.instance == own || s.kind == Slot::Kind::Clock || slot == except) continue;
      const int64_t value = state[static_cast<std::size_t>(slot)];
      // Shown already: read before, or written by this step (the read shows nothing new).
      bool seen = false;
      for (auto e = out.items.rbegin(); e != out.items.rend() && !seen; ++e) {
        if (e->slot != slot) continue;
        seen = e->value == value;
        if (e->kind == StepEffect::Kind::Assign) break;  // the latest assignment decides
      }
      if (!seen) out.items.push_back({StepEffect::Kind::Read, edge, slot, value, false});
    }
    reads.clear();
  };
  // Each edge's choose values (the step's, edge by edge), its choose ranges and its guard, all
  // on the state before the step.
  std::vector<std::size_t> offsets;
  std::size_t offset = 0;
  for (int edge : step.edges) {
    if (edge < 0 || static_cast<std::size_t>(edge) >= model.edges.size()) return {};
    const Edge& e = model.edges[static_cast<std::size_t>(edge)];
    offsets.push_back(offset);
    if (offset + e.chooses.size() > step.choices.size()) return {};
    for (std::size_t k = 0; k < e.chooses.size(); ++k) {
      const ChooseVar& c = e.chooses[k];
      int64_t lo = 0, hi = 0;
      if (!eval.run(c.lo, before, lo, reads) || !eval.run(c.hi, before, hi, reads)) return {};
      scratch[static_cast<std::size_t>(c.scratch)] = step.choices[offset + k];
    }
    if (e.guard) {
      int64_t allowed = 0;
      if (!eval.run(*e.guard, before, allowed, reads) || !allowed) return {};
    }
    note_reads(edge, before);
    offset += e.chooses.size();
  }
  // The updates in order, each on the state the earlier ones left.
  std::vector<int32_t> next = before;
  for (std::size_t k = 0; k < step.edges.size(); ++k) {
    const int edge = step.edges[k];
    const Edge& e = model.edges[static_cast<std::size_t>(edge)];
    for (std::size_t c = 0; c < e.chooses.size(); ++c)
      scratch[static_cast<std::size_t>(e.chooses[c].scratch)] = step.choices[offsets[k] + c];
    for (const Update& u : e.updates) {
      int64_t slot = u.target.value;
      if (u.target.op == Op::Element) {
        int64_t i = 0;
        if (!eval.run(u.target.kids[0], next, i, reads) || i < 0 || i >= u.target.size) return {};
        slot += i;
      } else if (u.target.op != Op::Slot) {
        return {};
      }
      if (slot < 0 || static_cast<std::size_t>(slot) >= model.slots.size()) return {};
      int64_t v = 0;
      if (!eval.run(u.value, next, v, reads)) return {};
      const Slot& s = model.slots[static_cast<std::size_t>(slot)];
      if (s.kind == Slot::Kind::Clock) {
        if (v < 0) return {};
        v = std::min(v, s.hi);
      } else if (v < s.lo || v > s.hi) {
        return {};
      }
      const bool unchanged = next[static_cast<std::size_t>(slot)] == v;
      note_reads(edge, next, unchanged ? slot : -1);
      out.items.push_back({StepEffect::Kind::Assign, edge, static_cast<int>(slot), v, unchanged});
      next[static_cast<std::size_t>(slot)] = static_cast<int32_t>(v);
    }
  }
  for (int edge : step.edges) {
    const Edge& e = model.edges[static_cast<std::size_t>(edge)];
    next[static_cast<std::size_t>(model.instances[static_cast<std::size_t>(e.instance)].location_slot)] = e.dst;
  }
  // Not the step the trace took from here: show the diff instead. (A clock the step did not reset
  // may differ: a search that holds dead clocks at 0, model/dead_clocks.h.)
  if (after.size() != next.size()) return {};
  for (std::size_t s = 0; s < next.size(); ++s) {
    if (next[s] == after[s]) continue;
    const bool reset = std::any_of(out.items.begin(), out.items.end(), [&](const StepEffect& e) {
      return e.kind == StepEffect::Kind::Assign && static_cast<std::size_t>(e.slot) == s;
    });
    if (model.slots[s].kind != Slot::Kind::Clock || reset) return {};
  }
  out.known = true;
  return out;
}

}  // namespace

std::vector<StepEffects> trace_effects(const Model& model, const Trace& trace) {
  std::vector<StepEffects> out(trace.steps.size());
  std::vector<std::optional<int64_t>> params(model.params.size());
  for (std::size_t p = 0; p < model.params.size(); ++p) params[p] = model.params[p].value;
  for (const auto& [name, value] : trace.params) {
    const int p = model.find_param(name);
    if (p >= 0) params[static_cast<std::size_t>(p)] = value;
  }
  std::vector<int64_t> scratch(static_cast<std::size_t>(model.scratch_count) + 1, 0);
  const Evaluator eval(params, scratch);
  for (std::size_t i = 0; i < trace.steps.size(); ++i) {
    const Step& step = trace.steps[i];
    if (step.tick) {
      out[i].known = true;
      continue;
    }
    if (i + 1 >= trace.states.size() || trace.states[i].size() < model.slots.size()) continue;
    std::vector<int32_t> before(trace.states[i].begin(), trace.states[i].begin() + static_cast<std::ptrdiff_t>(model.slots.size()));
    std::vector<int32_t> after(trace.states[i + 1].begin(), trace.states[i + 1].begin() + static_cast<std::ptrdiff_t>(
                                                                std::min(model.slots.size(), trace.states[i + 1].size())));
    out[i] = action_effects(model, eval, scratch, step, before, after);
  }
  return out;
}

std::string effect_text(const Model& model, const StepEffect& effect) {
  const Slot& s = model.slots[static_cast<std::size_t>(effect.slot)];
  const std::string value = format_value(model, effect.slot, effect.value);
  if (effect.kind == StepEffect::Kind::Read) return "read " + s.name + " = " + value;
  return s.name + " := " + value + (effect.unchanged ? " (unchanged)" : "");
}

std::vector<std::string> effects_list(const Model& model, const StepEffects& effects, const std::vector<int32_t>& before,
                                      const std::vector<int32_t>& after) {
  std::vector<std::string> out;
  if (effects.known) {
    for (const StepEffect& e : effects.items) out.push_back(effect_text(model, e));
    return out;
  }
  for (std::size_t s = 0; s < model.slots.size() && s < before.size() && s < after.size(); ++s) {
    const Slot& slot = model.slots[s];
    if (slot.kind == Slot::Kind::Location || before[s] == after[s]) continue;
    if (slot.kind == Slot::Kind::Clock && after[s] > before[s]) continue;  // only resets are news
    out.push_back(slot.name + " := " + format_value(model, static_cast<int>(s), after[s]));
  }
  return out;
}

std::string effects_text(const Model& model, const StepEffects& effects, const std::vector<int32_t>& before,
                         const std::vector<int32_t>& after, const std::string& separator) {
  std::string out;
  for (const std::string& e : effects_list(model, effects, before, after)) out += (out.empty() ? "" : separator) + e;
  return out;
}

}  // namespace interlock

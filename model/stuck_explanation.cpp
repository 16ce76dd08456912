#include "model/stuck_explanation.h"

#include <algorithm>
#include <optional>

#include "model/time_format.h"

namespace interlock {
namespace {

using Op = Expr::Op;

int precedence(Op op) {
  switch (op) {
    case Op::Ite: return 1;
    case Op::Implies: return 2;
    case Op::Or: return 3;
    case Op::And: return 4;
    case Op::Eq: case Op::Ne: return 5;
    case Op::Lt: case Op::Le: case Op::Gt: case Op::Ge: return 6;
    case Op::Add: case Op::Sub: return 7;
    case Op::Mul: case Op::Div: case Op::Mod: return 8;
    case Op::Neg: case Op::Not: return 9;
    default: return 10;
  }
}

const char* op_text(Op op) {
  switch (op) {
    case Op::Implies: return " => ";
    case Op::Or: return " || ";
    case Op::And: return " && ";
    case Op::Eq: return " == ";
    case Op::Ne: return " != ";
    case Op::Lt: return " < ";
    case Op::Le: return " <= ";
    case Op::Gt: return " > ";
    case Op::Ge: return " >= ";
    case Op::Add: return " + ";
    case Op::Sub: return " - ";
    case Op::Mul: return " * ";
    case Op::Div: return " / ";
    case Op::Mod: return " % ";
    default: return " ? ";
  }
}

// `A.S1`, as lowered: the location slot of A compared with a state's number.
bool is_location_test(const Model& model, const Expr& e) {
  return e.op == Op::Eq && e.kids.size() == 2 && e.kids[0].op == Op::Slot &&
         model.slots[e.kids[0].value].kind == Slot::Kind::Location && e.kids[1].is_const();
}

std::string slot_name(const Model& model, int slot, int own) {
  const Slot& s = model.slots[slot];
  if (own >= 0 && s.instance == own && s.kind != Slot::Kind::Location) {
    const std::string prefix = model.instances[own].name + ".";
    if (s.name.rfind(prefix, 0) == 0) return s.name.substr(prefix.size());
  }
  return s.name;
}

std::string array_name(const Model& model, int first, int own) {
  std::string name = slot_name(model, first, own);
  const std::size_t bracket = name.rfind('[');
  return bracket == std::string::npos ? name : name.substr(0, bracket);
}

std::string choose_name(const Model& model, int64_t scratch) {
  for (const Edge& edge : model.edges)
    for (const ChooseVar& c : edge.chooses)
      if (c.scratch == scratch) return c.name;
  return "?";
}

std::string text(const Model& model, const Expr& e, int own, const ConstantText* constant = nullptr) {
  auto kid = [&](const Expr& k, bool paren) {
    std::string t = text(model, k, own, constant);
    return paren ? "(" + t + ")" : t;
  };
  const int p = precedence(e.op);
  switch (e.op) {
    case Op::Const:
      if (e.type == ValueType::Bool) return e.value ? "true" : "false";
      if (e.type == ValueType::Int && constant && *constant) {
        std::string shown = (*constant)(e);
        if (!shown.empty()) return shown;
      }
      if (e.type == ValueType::Enum && e.enum_id >= 0 && e.value >= 0 &&
          e.value < static_cast<int64_t>(model.enums[e.enum_id].values.size()))
        return model.enums[e.enum_id].values[e.value];
      return std::to_string(e.value);
    case Op::Param: return model.params[e.value].name;
    case Op::Slot: return slot_name(model, static_cast<int>(e.value), own);
    case Op::Element: return array_name(model, static_cast<int>(e.value), own) + "[" + text(model, e.kids[0], own, constant) + "]";
    case Op::Choose: return choose_name(model, e.value);
    case Op::Neg: return "-" + kid(e.kids[0], precedence(e.kids[0].op) < p);
    case Op::Not: return "!" + kid(e.kids[0], precedence(e.kids[0].op) < p && !is_location_test(model, e.kids[0]));
    case Op::Ite:
      return kid(e.kids[0], precedence(e.kids[0].op) <= p) + " ? " + kid(e.kids[1], precedence(e.kids[1].op) <= p) +
             " : " + kid(e.kids[2], precedence(e.kids[2].op) < p);
    default: break;
  }
  if (is_location_test(model, e)) {
    const Slot& s = model.slots[e.kids[0].value];
    return s.name + "." + format_value(model, static_cast<int>(e.kids[0].value), e.kids[1].value);
  }
  // Left-nested chains need no parentheses; `a => b` nests to the right.
  const bool right_assoc = e.op == Op::Implies;
  const Expr& l = e.kids[0];
  const Expr& r = e.kids[1];
  const bool lp = precedence(l.op) < p || (right_assoc && precedence(l.op) == p);
  const bool rp = precedence(r.op) < p || (!right_assoc && precedence(r.op) == p && !is_location_test(model, r));
  return kid(l, lp && !is_location_test(model, l)) + op_text(e.op) + kid(r, rp);
}

class Explainer {
 public:
  Explainer(Semantics& sem) : sem_(sem), model_(sem.model()), scratch_(static_cast<std::size_t>(model_.scratch_count) + 1, 0) {}

  StuckExplanation run(const std::vector<int32_t>& state, int64_t now, std::size_t max_edge_lines) {
    StuckExplanation out;
    const std::size_t n = model_.slots.size();
    std::vector<int32_t> cur(std::max(state.size(), n + 1), 0), next(cur.size(), 0);
    std::copy(state.begin(), state.end(), cur.begin());
    // Follow time until it stops or changes nothing (every clock at its saturation value).
    int64_t waited = 0;
    bool forever = false;
    std::string fault;
    for (;;) {
      ModelFault f;
      if (waited >= (INT64_C(1) << 20)) break;
      if (!sem_.tick(cur.data(), next.data(), f)) {
        fault = f.message;
        break;
      }
      if (std::equal(cur.begin(), cur.begin() + static_cast<std::ptrdiff_t>(n), next.begin())) {
        forever = true;
        break;
      }
      cur.swap(next);
      ++waited;
    }
    std::string time;
    if (forever) {
      time = "time passes for ever and no edge becomes enabled";
      if (waited > 0)
        time += "; the edges after " + duration_text(model_, waited) + " (at " + wall_time(model_, now + waited) +
                "), when the clocks have stopped changing:";
    } else if (!fault.empty()) {
      time = "time cannot pass: a tick cannot be evaluated: " + fault;
    } else {
      const std::string why = time_stop(cur.data());
      if (waited == 0) time = "time cannot pass: " + why;
      else
        time = "time passes " + duration_text(model_, waited) + " (until " + wall_time(model_, now + waited) + "), then " +
               why + "; the edges then:";
    }
    out.lines.push_back(time);

    std::vector<std::string> edges;
    for (std::size_t i = 0; i < model_.instances.size(); ++i) {
      const Instance& inst = model_.instances[i];
      const int32_t loc = cur[inst.location_slot];
      bool any = false;
      for (int e : inst.edges) {
        const Edge& edge = model_.edges[e];
        if (edge.src != loc) continue;
        any = true;
        edges.push_back(edge_title(e) + " is disabled: " + edge_reason(static_cast<int>(i), e, cur.data()));
      }
      if (!any) edges.push_back(inst.name + ": no edge leaves " + inst.locations[loc].name);
    }
    const std::size_t shown = std::min(edges.size(), max_edge_lines);
    out.lines.insert(out.lines.end(), edges.begin(), edges.begin() + static_cast<std::ptrdiff_t>(shown));
    if (shown < edges.size()) out.lines.push_back("and " + std::to_string(edges.size() - shown) + " more");
    return out;
  }

 private:
  struct Choice {
    bool found = false;
    std::vector<int64_t> values;  // the first choose values under which the guard holds
    std::string empty_range;      // set when the first choose range is empty
    std::string fault;
  };

  std::string value_of_slot(int slot, int64_t v) const {
    const Slot& s = model_.slots[slot];
    if (s.kind != Slot::Kind::Clock) return format_value(model_, slot, v);
    const int64_t shown = std::min(v, s.hi);  // a saturated clock is "at least" its saturation value
    return (v >= s.hi ? ">= " : "") + (model_.tick_seconds > 0 ? duration_text(model_, shown) : std::to_string(shown));
  }

  // "c = 721, locked = true, B in S1": what `e` reads in `state`, each once.
  void collect(const Expr& e, const int32_t* state, int own, std::vector<std::string>& out) const {
    std::string item;
    if (is_location_test(model_, e)) {
      const int slot = static_cast<int>(e.kids[0].value);
      item = model_.slots[slot].name + " in " + format_value(model_, slot, state[slot]);
    } else if (e.op == Op::Slot) {
      const int slot = static_cast<int>(e.value);
      const std::string v = value_of_slot(slot, state[slot]);
      item = slot_name(model_, slot, own) + (v.rfind(">=", 0) == 0 ? " " : " = ") + v;  // "c >= 722": saturated
    } else if (e.op == Op::Param) {
      const Param& p = model_.params[e.value];
      item = p.name + " = " + time_value(model_, p.time, sem_.param_values()[e.value]);
    } else if (e.op == Op::Element) {
      Compiled index = sem_.compile(e.kids[0]);
      int64_t i = 0;
      EvalFault f = EvalFault::None;
      if (index.run(state, scratch_.data(), i, f) && i >= 0 && i < e.size) {
        const int slot = static_cast<int>(e.value + i);
        item = array_name(model_, static_cast<int>(e.value), own) + "[" + std::to_string(i) + "] = " +
               format_value(model_, slot, state[slot]);
      }
      collect(e.kids[0], state, own, out);
    } else {
      for (const Expr& k : e.kids) collect(k, state, own, out);
      return;
    }
    if (!item.empty() && std::find(out.begin(), out.end(), item) == out.end()) out.push_back(item);
  }

  std::string values(const Expr& e, const int32_t* state, int own) const {
    std::vector<std::string> items;
    collect(e, state, own, items);
    std::string out;
    for (const std::string& s : items) out += (out.empty() ? "" : ", ") + s;
    return out.empty() ? "" : " (" + out + ")";
  }

  std::string edge_title(int e) const {
    const Edge& edge = model_.edges[e];
    const Instance& inst = model_.instances[edge.instance];
    std::string out = inst.name + ": " + inst.locations[edge.src].name + " -> " + inst.locations[edge.dst].name;
    if (edge.sync == SyncKind::Emit) out += " emit " + model_.channels[edge.channel].name + "!";
    if (edge.sync == SyncKind::Receive) out += " on " + model_.channels[edge.channel].name + "?";
    if (edge.asap) out += " (asap)";
    return out;
  }

  // The guard and choose ranges of edge `e`, as Semantics::enumerate_choices reads them.
  void choices(int e, std::size_t k, const int32_t* state, Choice& c, int64_t& budget) const {
    const Edge& edge = model_.edges[e];
    if (c.found || !c.fault.empty() || budget <= 0) return;
    if (k == edge.chooses.size()) {
      --budget;
      int64_t v = 1;
      EvalFault f = EvalFault::None;
      if (edge.guard && !guard(e).run(state, scratch_.data(), v, f)) {
        c.fault = std::string(describe(f)) + " in its guard";
        return;
      }
      if (v) {
        c.found = true;
        for (const ChooseVar& ch : edge.chooses) c.values.push_back(scratch_[ch.scratch]);
      }
      return;
    }
    const ChooseVar& ch = edge.chooses[k];
    int64_t lo = 0, hi = 0;
    EvalFault f = EvalFault::None;
    if (!sem_.compile(ch.lo).run(state, scratch_.data(), lo, f) || !sem_.compile(ch.hi).run(state, scratch_.data(), hi, f)) {
      c.fault = std::string(describe(f)) + " in a choose range";
      return;
    }
    if (hi < lo) {
      if (k == 0) {
        Expr both;
        both.op = Op::Add;
        both.kids = {ch.lo, ch.hi};
        c.empty_range = "its choose range " + ch.name + " in " + text(model_, ch.lo, edge.instance) + ".." +
                        text(model_, ch.hi, edge.instance) + " is empty" + values(both, state, edge.instance);
      }
      return;
    }
    for (int64_t v = lo; v <= hi && !c.found && c.fault.empty() && budget > 0; ++v) {
      scratch_[ch.scratch] = v;
      choices(e, k + 1, state, c, budget);
    }
  }

  // Compiled once: a `choose` may ask for a guard thousands of times.
  const Compiled& guard(int e) const {
    if (guards_.empty()) guards_.resize(model_.edges.size());
    std::optional<Compiled>& g = guards_[static_cast<std::size_t>(e)];
    if (!g) g = sem_.compile(*model_.edges[e].guard);
    return *g;
  }

  Choice enabled(int e, const int32_t* state) const {
    Choice c;
    int64_t budget = kMaxChooseValues;
    choices(e, 0, state, c, budget);
    return c;
  }

  // An edge of another machine than `instance`, at its current state, on `channel`, of `kind`,
  // whose guard holds: (edge, its choose values).
  std::optional<std::pair<int, std::vector<int64_t>>> partner(int channel, int instance, SyncKind kind,
                                                              const int32_t* state, int only = -1) const {
    for (std::size_t j = 0; j < model_.instances.size(); ++j) {
      if (static_cast<int>(j) == instance || (only >= 0 && static_cast<int>(j) != only)) continue;
      const Instance& inst = model_.instances[j];
      for (int e : inst.edges) {
        const Edge& edge = model_.edges[e];
        if (edge.src != state[inst.location_slot] || edge.sync != kind || edge.channel != channel) continue;
        Choice c = enabled(e, state);
        if (c.found) return std::make_pair(e, c.values);
      }
    }
    return std::nullopt;
  }

  // Whether asap edge `e` is due in `state` (Semantics::asap_due).
  bool due(int e, const int32_t* state) const {
    const Edge& edge = model_.edges[e];
    if (state[model_.instances[edge.instance].location_slot] != edge.src) return false;
    if (!enabled(e, state).found) return false;
    if (edge.sync == SyncKind::Receive) return partner(edge.channel, edge.instance, SyncKind::Emit, state).has_value();
    if (edge.sync == SyncKind::Emit && !model_.channels[edge.channel].broadcast)
      return partner(edge.channel, edge.instance, SyncKind::Receive, state).has_value();
    return true;
  }

  std::string invariant_text(std::size_t i, int32_t loc) const {
    return text(model_, *model_.instances[i].locations[loc].invariant, static_cast<int>(i));
  }

  // Whether instance i's invariant is false in `state`; a fault counts as false (a model error).
  bool invariant_false(std::size_t i, const int32_t* state) const {
    const Instance& inst = model_.instances[i];
    const Location& loc = inst.locations[state[inst.location_slot]];
    if (!loc.invariant) return false;
    int64_t v = 0;
    EvalFault f = EvalFault::None;
    return !sem_.compile(*loc.invariant).run(state, scratch_.data(), v, f) || !v;
  }

  // Why no tick is possible in `state` (Semantics::tick): urgency, due `asap` edges, invariants.
  std::string time_stop(const int32_t* state) const {
    std::vector<std::string> why;
    for (std::size_t i = 0; i < model_.instances.size(); ++i) {
      const Instance& inst = model_.instances[i];
      const Location& loc = inst.locations[state[inst.location_slot]];
      if (loc.urgent) why.push_back(inst.name + " is in the urgent state " + loc.name);
    }
    for (std::size_t e = 0; e < model_.edges.size(); ++e)
      if (model_.edges[e].asap && due(static_cast<int>(e), state))
        why.push_back("the asap edge " + edge_title(static_cast<int>(e)) + " is due");
    std::vector<int32_t> later(state, state + model_.slots.size() + 1);
    for (std::size_t s = 0; s < model_.slots.size(); ++s)
      if (model_.slots[s].kind == Slot::Kind::Clock && later[s] < model_.slots[s].hi) ++later[s];
    for (std::size_t i = 0; i < model_.instances.size(); ++i) {
      if (!invariant_false(i, later.data())) continue;
      const Instance& inst = model_.instances[i];
      const int32_t loc = state[inst.location_slot];
      why.push_back(inst.name + "." + inst.locations[loc].name + "'s invariant " + invariant_text(i, loc) +
                    " stops it" + values(*inst.locations[loc].invariant, state, static_cast<int>(i)));
    }
    if (why.empty()) return "no reason found (please report this)";
    std::string out;
    for (const std::string& w : why) out += (out.empty() ? "" : "; ") + w;
    return out;
  }

  std::string edge_reason(int instance, int e, const int32_t* state) {
    const Edge& edge = model_.edges[e];
    Choice c = enabled(e, state);
    if (!c.fault.empty()) return "evaluating it fails: " + c.fault;
    if (!c.found) {
      if (!c.empty_range.empty()) return c.empty_range;
      if (!edge.guard) return "no value of its choose is possible";
      std::string every;
      for (const ChooseVar& ch : edge.chooses) every += (every.empty() ? "" : ", ") + ch.name;
      return "its guard " + text(model_, *edge.guard, instance) + " is false" +
             (every.empty() ? "" : " for every " + every) + values(*edge.guard, state, instance);
    }
    Step step;
    std::string with;
    auto add = [&](int edge_index, const std::vector<int64_t>& values) {
      step.edges.push_back(edge_index);
      step.choices.insert(step.choices.end(), values.begin(), values.end());
    };
    if (edge.sync != SyncKind::None) {
      const Channel& ch = model_.channels[edge.channel];
      step.channel = edge.channel;
      if (edge.sync == SyncKind::Emit && !ch.broadcast) {
        auto p = partner(edge.channel, instance, SyncKind::Receive, state);
        if (!p) return "its channel " + ch.name + " has no partner: no other machine can take an `on " + ch.name + "?` edge";
        add(e, c.values);
        add(p->first, p->second);
        with = describe_edge(model_, p->first, p->second.data(), p->second.size());
      } else if (edge.sync == SyncKind::Receive) {
        auto p = partner(edge.channel, instance, SyncKind::Emit, state);
        if (!p) return "its channel " + ch.name + " has no partner: no other machine can take an `emit " + ch.name + "!` edge";
        add(p->first, p->second);
        with = describe_edge(model_, p->first, p->second.data(), p->second.size());
        const int emitter = model_.edges[p->first].instance;
        for (std::size_t j = 0; j < model_.instances.size(); ++j) {
          if (static_cast<int>(j) == emitter) continue;
          if (static_cast<int>(j) == instance) add(e, c.values);
          else if (ch.broadcast)
            if (auto r = partner(edge.channel, emitter, SyncKind::Receive, state, static_cast<int>(j))) add(r->first, r->second);
          if (!ch.broadcast && static_cast<int>(j) == instance) break;
        }
      } else {  // a broadcast: every other machine that can receive does
        add(e, c.values);
        for (std::size_t j = 0; j < model_.instances.size(); ++j)
          if (static_cast<int>(j) != instance)
            if (auto r = partner(edge.channel, instance, SyncKind::Receive, state, static_cast<int>(j))) {
              add(r->first, r->second);
              with += (with.empty() ? "" : " and ") + describe_edge(model_, r->first, r->second.data(), r->second.size());
            }
      }
    } else {
      add(e, c.values);
    }
    std::string prefix;
    if (!edge.chooses.empty()) {
      for (std::size_t k = 0; k < edge.chooses.size(); ++k)
        prefix += (prefix.empty() ? "" : ", ") + edge.chooses[k].name + "=" + std::to_string(c.values[k]);
      prefix = "with " + prefix;
    }
    if (!with.empty()) prefix += (prefix.empty() ? "with " : " and ") + with;
    if (!prefix.empty()) prefix += ", ";
    std::vector<int32_t> next(model_.slots.size() + 1, 0);
    ModelFault f;
    if (!sem_.effect(state, step, next.data(), f)) return prefix + "taking it fails: " + f.message;
    std::vector<std::string> why;
    for (std::size_t j = 0; j < model_.instances.size(); ++j) {
      if (!invariant_false(j, next.data())) continue;
      const Instance& inst = model_.instances[j];
      const int32_t loc = next[inst.location_slot];
      const std::string inv = invariant_text(j, loc);
      const std::string vals = values(*inst.locations[loc].invariant, next.data(), static_cast<int>(j));
      if (static_cast<int>(j) == instance && loc == edge.dst)
        why.push_back("the target invariant " + inv + " is false" + vals);
      else
        why.push_back(inst.name + "." + inst.locations[loc].name + "'s invariant " + inv + " would be false" + vals);
    }
    if (why.empty()) return prefix + "no invariant is false after it (please report this)";
    std::string out;
    for (const std::string& w : why) out += (out.empty() ? "" : "; ") + w;
    return prefix + out;
  }

  Semantics& sem_;
  const Model& model_;
  mutable std::vector<int64_t> scratch_;
  mutable std::vector<std::optional<Compiled>> guards_;
};

}  // namespace

std::string expr_text(const Model& model, const Expr& e, int own) { return text(model, e, own); }

std::string expr_text(const Model& model, const Expr& e, int own, const ConstantText& constant) {
  return text(model, e, own, &constant);
}

StuckExplanation explain_stuck(Semantics& semantics, const std::vector<int32_t>& state, int64_t now,
                               std::size_t max_edge_lines) {
  return Explainer(semantics).run(state, now, max_edge_lines);
}

}  // namespace interlock

#include "model/semantics.h"

#include <algorithm>

#include "model/time_format.h"

namespace interlock {

namespace {


std::string free_params_message(const Model& model) {
  std::string names;
  for (const auto& p : model.params)
    if (!p.value) names += (names.empty() ? "" : ", ") + p.name;
  return names;
}

}  // namespace

Semantics::Semantics(const Model& model) : model_(model) {
  std::string missing = free_params_message(model);
  if (!missing.empty())
    throw InputError(model.file + ": error: the explicit engine needs a value for every parameter; "
                     "no value for: " + missing + " (give one with --set NAME=VALUE, or use a symbolic engine)\n");
  for (const auto& p : model.params) params_.push_back(*p.value);

  for (const Edge& e : model.edges) {
    CompiledEdge c;
    if (e.guard) c.guard = compile(*e.guard);
    for (const auto& ch : e.chooses) {
      c.choose_bounds.emplace_back(compile(ch.lo), compile(ch.hi));
      c.choose_scratch.push_back(ch.scratch);
    }
    for (const auto& u : e.updates) {
      CompiledEdge::Assign a;
      a.element = u.target.op == Expr::Op::Element;
      a.slot = static_cast<int>(u.target.value);
      a.size = u.target.size;
      if (a.element) a.index = compile(u.target.kids[0]);
      a.value = compile(u.value);
      a.loc = u.loc;
      c.updates.push_back(std::move(a));
    }
    edges_.push_back(std::move(c));
  }
  std::size_t n = model.instances.size();
  invariants_.resize(n);
  urgent_.resize(n);
  std::vector<std::vector<std::vector<int>>> internal(n), emitting(n), receiving(n);
  for (std::size_t i = 0; i < n; ++i) {
    const Instance& inst = model.instances[i];
    std::size_t locs = inst.locations.size();
    invariants_[i].resize(locs);
    urgent_[i].resize(locs);
    internal[i].resize(locs);
    emitting[i].resize(locs);
    receiving[i].resize(locs);
    for (std::size_t l = 0; l < locs; ++l) {
      if (inst.locations[l].invariant) invariants_[i][l] = compile(*inst.locations[l].invariant);
      urgent_[i][l] = inst.locations[l].urgent;
    }
    for (int e : inst.edges) {
      const Edge& edge = model.edges[e];
      auto& bucket = edge.sync == SyncKind::None ? internal : edge.sync == SyncKind::Emit ? emitting : receiving;
      bucket[i][edge.src].push_back(e);
    }
  }
  int keys = 0;
  for (std::size_t i = 0; i < n; ++i) {
    location_base_.push_back(keys);
    keys += static_cast<int>(model.instances[i].locations.size());
  }
  auto flatten = [&](const std::vector<std::vector<std::vector<int>>>& nested, EdgeTable& table) {
    table.begin.push_back(0);
    for (const auto& per_instance : nested)
      for (const auto& per_location : per_instance) {
        table.edges.insert(table.edges.end(), per_location.begin(), per_location.end());
        table.begin.push_back(static_cast<uint32_t>(table.edges.size()));
      }
  };
  flatten(internal, internal_);
  flatten(emitting, emitting_);
  flatten(receiving, receiving_);
  for (std::size_t s = 0; s < model.slots.size(); ++s)
    if (model.slots[s].kind == Slot::Kind::Clock) {
      clock_slots_.push_back(static_cast<int>(s));
      clock_hi_.push_back(static_cast<int32_t>(model.slots[s].hi));
    }
  for (const Instance& inst : model.instances) location_slot_.push_back(inst.location_slot);
  receivers_of_.resize(model.channels.size());
  emitters_of_.resize(model.channels.size());
  for (std::size_t i = 0; i < n; ++i)
    for (int e : model.instances[i].edges) {
      const Edge& edge = model.edges[e];
      if (edge.sync == SyncKind::None) continue;
      auto& list = (edge.sync == SyncKind::Receive ? receivers_of_ : emitters_of_)[static_cast<std::size_t>(edge.channel)];
      if (list.empty() || list.back() != static_cast<int>(i)) list.push_back(static_cast<int>(i));
    }
  for (std::size_t e = 0; e < model.edges.size(); ++e) {
    asap_.push_back(model.edges[e].asap);
    if (model.edges[e].asap) asap_edges_.push_back(static_cast<int>(e));
  }
  invariant_reads_clock_.resize(n);
  for (std::size_t i = 0; i < n; ++i)
    for (const Compiled& inv : invariants_[i]) {
      bool clock = false;
      for (int slot : inv.reads()) clock = clock || model.slots[slot].kind == Slot::Kind::Clock;
      invariant_reads_clock_[i].push_back(clock);
    }
  readers_.resize(model.slots.size());
  for (std::size_t i = 0; i < n; ++i) {
    std::vector<int> reads;
    for (const Compiled& inv : invariants_[i]) {
      std::vector<int> r = inv.reads();
      reads.insert(reads.end(), r.begin(), r.end());
    }
    std::sort(reads.begin(), reads.end());
    reads.erase(std::unique(reads.begin(), reads.end()), reads.end());
    for (int slot : reads) readers_[slot].push_back(static_cast<int>(i));
  }
  checked_mark_.assign(n, 0);
  scratch_.assign(static_cast<std::size_t>(model.scratch_count) + 1, 0);
  next_.resize(model.slots.size() + 1);
  options_.resize(n);
}

std::string describe_step_edges(const Model& model, const Step& step, const char* separator) {
  std::string out;
  std::size_t offset = 0;
  for (std::size_t k = 0; k < step.edges.size(); ++k) {
    if (k) out += separator;
    const std::size_t known = offset < step.choices.size() ? step.choices.size() - offset : 0;
    out += describe_edge(model, step.edges[k], step.choices.data() + std::min(offset, step.choices.size()), known);
    offset += model.edges[static_cast<std::size_t>(step.edges[k])].chooses.size();
  }
  return out;
}

bool Semantics::value(const Compiled& c, const int32_t* state, int64_t& out, ModelFault& fault) const {
  EvalFault f = EvalFault::None;
  if (!c.run(state, scratch_.data(), out, f)) {
    fault.message = describe(f);
    return false;
  }
  return true;
}

bool Semantics::invariant_holds(std::size_t i, const int32_t* state, bool& ok, ModelFault& fault) const {
  const Compiled& inv = invariants_[i][state[location_slot_[i]]];
  if (inv.empty()) return true;
  int64_t v = 0;
  EvalFault f = EvalFault::None;
  if (!inv.run(state, scratch_.data(), v, f)) {
    const Instance& inst = model_.instances[i];
    const Location& loc = inst.locations[state[inst.location_slot]];
    fault.message = std::string(describe(f)) + " in the invariant of " + inst.name + "." + loc.name;
    fault.loc = loc.loc;
    return false;
  }
  if (!v) ok = false;
  return true;
}

bool Semantics::invariants_hold(const int32_t* state, bool& ok, ModelFault& fault) const {
  ok = true;
  for (std::size_t i = 0; i < invariants_.size(); ++i)
    if (!invariant_holds(i, state, ok, fault)) return false;
  return true;
}

bool Semantics::initial(std::vector<int32_t>& out, ModelFault& fault) const {
  out.assign(model_.slots.size(), 0);
  fault.in_initial = true;
  // Initial values read only constants and parameters, so any order works.
  for (std::size_t s = 0; s < model_.slots.size(); ++s) {
    Compiled c(model_.initial[s], params_);
    int64_t v = 0;
    EvalFault f = EvalFault::None;
    if (!c.run(out.data(), scratch_.data(), v, f)) {
      fault.message = std::string(describe(f)) + " in the initial value of " + model_.slots[s].name;
      fault.loc = model_.slots[s].loc;
      return false;
    }
    const Slot& slot = model_.slots[s];
    if (v < slot.lo || v > slot.hi) {
      fault.message = "initial value " + std::to_string(v) + " of " + slot.name + " is outside its range " +
                      std::to_string(slot.lo) + ".." + std::to_string(slot.hi);
      fault.loc = slot.loc;
      return false;
    }
    out[s] = static_cast<int32_t>(v);
  }
  for (std::size_t i = 0; i < model_.assumes.size(); ++i) {
    Compiled c(model_.assumes[i], params_);
    int64_t v = 0;
    EvalFault f = EvalFault::None;
    if (!c.run(out.data(), scratch_.data(), v, f) || !v) {
      // An assumption that cannot be evaluated is not false: say why.
      fault.message = f != EvalFault::None ? std::string("this assumption cannot be evaluated with the parameter values: ") + describe(f)
                                           : "the parameter values break this assumption";
      fault.loc = model_.assume_locs[i];
      return false;
    }
  }
  bool ok = true;
  if (!invariants_hold(out.data(), ok, fault)) return false;
  if (!ok) {
    fault.message = "the initial state breaks a state invariant";
    return false;
  }
  fault.in_initial = false;
  return true;
}

void Semantics::hold_dead_clocks(DeadClocks dead) {
  dead_ = dead;
  dead_at_.assign(static_cast<std::size_t>(location_base_.empty() ? 0 : location_base_.back() +
                                           static_cast<int>(model_.instances.back().locations.size())), {});
  for (std::size_t i = 0; i < dead.size(); ++i)
    for (std::size_t l = 0; l < dead[i].size(); ++l) dead_at_[key(i, static_cast<int32_t>(l))] = std::move(dead[i][l]);
}

bool Semantics::some_choice_enabled(int edge, const int32_t* state, bool& enabled, ModelFault& fault) const {
  enabled = false;
  return enumerate_choices(edge, 0, state, [&] { enabled = true; }, fault);
}

bool Semantics::partner_enabled(int channel, int instance, SyncKind kind, const int32_t* state, bool& enabled,
                                ModelFault& fault) const {
  enabled = false;
  const EdgeTable& table = kind == SyncKind::Emit ? emitting_ : receiving_;
  for (int j : (kind == SyncKind::Emit ? emitters_of_ : receivers_of_)[static_cast<std::size_t>(channel)]) {
    if (j == instance) continue;
    for (int e : table.at(key(static_cast<std::size_t>(j), state[location_slot_[j]]))) {
      if (model_.edges[e].channel != channel) continue;
      if (!some_choice_enabled(e, state, enabled, fault)) return false;
      if (enabled) return true;
    }
  }
  return true;
}

// Emitting guards first, as successors() evaluates a receiver's guard only once an emitter on
// its channel is enabled.
bool Semantics::asap_due(const int32_t* state, bool& due, ModelFault& fault) const {
  due = false;
  for (int e : asap_edges_) {
    const Edge& edge = model_.edges[e];
    if (state[location_slot_[edge.instance]] != edge.src) continue;
    const bool rendezvous = edge.sync != SyncKind::None && !model_.channels[edge.channel].broadcast;
    bool yes = false;
    if (edge.sync == SyncKind::Receive) {
      if (!partner_enabled(edge.channel, edge.instance, SyncKind::Emit, state, yes, fault)) return false;
      if (yes && !some_choice_enabled(e, state, yes, fault)) return false;
    } else {
      if (!some_choice_enabled(e, state, yes, fault)) return false;
      if (yes && rendezvous && !partner_enabled(edge.channel, edge.instance, SyncKind::Receive, state, yes, fault))
        return false;
    }
    if (yes) {
      due = true;
      return true;
    }
  }
  return true;
}

bool Semantics::tick(const int32_t* state, int32_t* next, ModelFault& fault) const {
  if (!asap_edges_.empty()) {
    bool due = false;
    if (!asap_due(state, due, fault) || due) return false;
  }
  return advance(state, 1, next, fault);
}

// One tick (from tick()) or a whole wait (from delay(), see semantics.h) in one go.
bool Semantics::advance(const int32_t* state, int64_t ticks, int32_t* next, ModelFault& fault) const {
  const std::size_t n = location_slot_.size();
  for (std::size_t i = 0; i < n; ++i)
    if (urgent_[i][state[location_slot_[i]]]) return false;
  std::copy(state, state + model_.slots.size(), next);
  for (std::size_t c = 0; c < clock_slots_.size(); ++c) {
    const int64_t later = static_cast<int64_t>(next[clock_slots_[c]]) + std::min<int64_t>(ticks, clock_hi_[c]);
    next[clock_slots_[c]] = static_cast<int32_t>(std::min<int64_t>(later, clock_hi_[c]));
  }
  if (!dead_at_.empty())
    for (std::size_t i = 0; i < n; ++i)
      for (int slot : dead_at_[key(i, state[location_slot_[i]])]) next[slot] = 0;
  // Only clocks changed, and the state before held every invariant. Each that reads a clock is
  // evaluated, a false one too (see emit_action).
  bool ok = true;
  for (std::size_t i = 0; i < n; ++i) {
    if (!invariant_reads_clock_[i][state[location_slot_[i]]]) continue;
    if (!invariant_holds(i, next, ok, fault)) {
      fault.step = Step{};
      fault.step.tick = true;
      fault.step.ticks = ticks;
      return false;
    }
  }
  return ok;
}

bool Semantics::delay(const int32_t* state, int64_t ticks, int32_t* next, ModelFault& fault) const {
  if (ticks <= 1) return tick(state, next, fault);
  if (!asap_edges_.empty()) {
    // Every instant of the wait must let time pass. Once a tick changes nothing (every clock
    // saturated or dead), the rest of the wait is that same tick again.
    const std::size_t slots = model_.slots.size();
    std::vector<int32_t> now(state, state + slots), later(slots + 1);
    for (int64_t k = 0; k < ticks; ++k) {
      if (!tick(now.data(), later.data(), fault)) {
        if (!fault.message.empty()) fault.step.ticks = ticks;
        return false;
      }
      if (std::equal(now.begin(), now.end(), later.begin())) break;
      std::copy(later.begin(), later.begin() + static_cast<std::ptrdiff_t>(slots), now.begin());
    }
    std::copy(now.begin(), now.end(), next);
    return true;
  }
  return advance(state, ticks, next, fault);
}

void Semantics::report_guard_fault(int edge, EvalFault f, ModelFault& fault) const {
  fault.message = std::string(describe(f)) + " in a guard";
  fault.loc = model_.edges[edge].guard->loc;
  set_fault_step(edge, edges_[edge].choose_scratch.size(), fault);
}

// The failing step: `edge` with the first `known` of its choose values (those chosen so far).
void Semantics::set_fault_step(int edge, std::size_t known, ModelFault& fault) const {
  fault.step = Step{};
  fault.step.edges = {edge};
  for (std::size_t k = 0; k < known; ++k) fault.step.choices.push_back(scratch_[edges_[edge].choose_scratch[k]]);
}

inline bool Semantics::guard_allows(int edge, const int32_t* state, bool& allowed, ModelFault& fault) const {
  const Compiled& guard = edges_[edge].guard;
  allowed = true;
  if (guard.empty()) return true;
  int64_t v = 0;
  EvalFault f = EvalFault::None;
  if (!guard.run(state, scratch_.data(), v, f)) {
    report_guard_fault(edge, f, fault);
    return false;
  }
  allowed = v != 0;
  return true;
}

inline void Semantics::start_step(int channel, int edge) {
  step_.tick = false;
  step_.channel = channel;
  step_.edges.assign(1, edge);
  step_.choices.clear();
}

template <class Body>
bool Semantics::enumerate_choices(int edge, std::size_t k, const int32_t* state, Body&& body, ModelFault& fault) const {
  const CompiledEdge& c = edges_[edge];
  if (k == c.choose_bounds.size()) {
    bool allowed = false;
    if (!guard_allows(edge, state, allowed, fault)) return false;
    if (allowed) body();
    return true;
  }
  int64_t lo = 0, hi = 0;
  EvalFault f = EvalFault::None;
  if (!c.choose_bounds[k].first.run(state, scratch_.data(), lo, f) ||
      !c.choose_bounds[k].second.run(state, scratch_.data(), hi, f)) {
    fault.message = std::string(describe(f)) + " in a choose range";
    fault.loc = model_.edges[edge].loc;
    set_fault_step(edge, k, fault);
    return false;
  }
  if (hi < lo) return true;
  const __int128 count = static_cast<__int128>(hi) - lo + 1;
  if (count > kMaxChooseValues) {
    const std::string amount = count > INT64_MAX ? std::string("over 2^63") : std::to_string(static_cast<int64_t>(count));
    fault.message = "a choose range of " + amount + " values (at most " + std::to_string(kMaxChooseValues) + " are allowed)";
    fault.loc = model_.edges[edge].loc;
    set_fault_step(edge, k, fault);
    return false;
  }
  for (int64_t i = 0; i < static_cast<int64_t>(count); ++i) {
    scratch_[c.choose_scratch[k]] = lo + i;
    if (!enumerate_choices(edge, k + 1, state, body, fault)) return false;
  }
  return true;
}

bool Semantics::run_updates(int edge, const int64_t* choices, int32_t* next, ModelFault& fault) {
  const CompiledEdge& c = edges_[edge];
  for (std::size_t k = 0; k < c.choose_scratch.size(); ++k) scratch_[c.choose_scratch[k]] = choices[k];
  for (const auto& a : c.updates) {
    int slot = a.slot;
    EvalFault f = EvalFault::None;
    if (a.element) {
      int64_t i = 0;
      if (!a.index.run(next, scratch_.data(), i, f)) {
        fault.message = std::string(describe(f)) + " in an assignment's index";
        fault.loc = a.loc;
        return false;
      }
      if (i < 0 || i >= a.size) {
        fault.message = "index " + std::to_string(i) + " is outside the array " + array_name(model_.slots[a.slot].name) +
                        " (0.." + std::to_string(a.size - 1) + ")";
        fault.loc = a.loc;
        return false;
      }
      slot += static_cast<int>(i);
    }
    int64_t v = 0;
    if (!a.value.run(next, scratch_.data(), v, f)) {
      fault.message = std::string(describe(f)) + " in an assignment";
      fault.loc = a.loc;
      return false;
    }
    const Slot& s = model_.slots[slot];
    if (s.kind == Slot::Kind::Clock) {
      if (v < 0) {
        fault.message = "clock " + s.name + " reset to a negative value " + std::to_string(v);
        fault.loc = a.loc;
        return false;
      }
      v = std::min(v, s.hi);  // beyond every constant it is compared with: indistinguishable
    } else if (v < s.lo || v > s.hi) {
      fault.message = "assignment " + s.name + " := " + std::to_string(v) + " is outside its range " +
                      std::to_string(s.lo) + ".." + std::to_string(s.hi);
      fault.loc = a.loc;
      return false;
    }
    next[slot] = static_cast<int32_t>(v);
    written_.push_back(slot);
  }
  return true;
}

// Takes an action whose guards are known to hold: updates in order (emitter first), then the
// location changes, then every invariant must hold in the new state or the action is disabled.
bool Semantics::emit_action(const int32_t* state, Sink sink, ModelFault& fault) {
  int32_t* next = next_.data();
  std::copy(state, state + model_.slots.size(), next);
  written_.clear();
  std::size_t offset = 0;
  for (int e : step_.edges) {
    if (!run_updates(e, step_.choices.data() + offset, next, fault)) {
      fault.step = step_;
      return false;
    }
    offset += edges_[e].choose_scratch.size();
  }
  if (++check_generation_ == 0) {  // wrapped: forget every old mark
    std::fill(checked_mark_.begin(), checked_mark_.end(), 0);
    check_generation_ = 1;
  }
  bool ok = true;
  auto check = [&](int instance) {
    if (checked_mark_[instance] == check_generation_) return true;
    checked_mark_[instance] = check_generation_;
    return invariant_holds(static_cast<std::size_t>(instance), next, ok, fault);
  };
  changed_ = written_;
  for (int e : step_.edges) {
    const Edge& edge = model_.edges[e];
    next[location_slot_[edge.instance]] = edge.dst;
    changed_.push_back(location_slot_[edge.instance]);
    if (dead_at_.empty()) continue;
    for (int slot : dead_at_[key(static_cast<std::size_t>(edge.instance), edge.dst)]) {
      if (next[slot] == 0) continue;
      next[slot] = 0;
      changed_.push_back(slot);
    }
  }
  // The state before held every invariant; only these can have changed: those of the machines
  // that moved, and those that read a slot the step changed (a variable, a clock, or the location
  // of a machine that moved). Each is evaluated, a false one too, so that whether the step fails
  // (an invariant that cannot be evaluated) does not depend on the order (docs/language.md).
  bool evaluated = true;
  for (std::size_t k = 0; k < step_.edges.size() && evaluated; ++k)
    if (!check(model_.edges[step_.edges[k]].instance)) evaluated = false;
  for (std::size_t w = 0; w < changed_.size() && evaluated; ++w)
    for (int instance : readers_[changed_[w]])
      if (evaluated && !check(instance)) evaluated = false;
  if (!evaluated) {
    fault.step = step_;
    return false;
  }
  if (ok) sink(step_, next);
  return true;
}

bool Semantics::successors(const int32_t* state, Sink sink, ModelFault& fault) {
  const std::size_t n = model_.instances.size();
  auto save_choices = [&](int edge, std::vector<int64_t>& into) {
    for (int s : edges_[edge].choose_scratch) into.push_back(scratch_[s]);
  };
  bool failed = false;
  bool due = false;  // an `asap` edge can be taken: no tick (asap_due says the same)
  for (std::size_t i = 0; i < n && !failed; ++i) {
    int loc = state[location_slot_[i]];
    for (int e : internal_.at(key(i, loc))) {
      if (edges_[e].choose_scratch.empty()) {  // the common case, without the callback
        bool allowed = false;
        if (!guard_allows(e, state, allowed, fault)) return false;
        if (!allowed) continue;
        due = due || asap_[e];
        start_step(-1, e);
        if (!emit_action(state, sink, fault)) return false;
        continue;
      }
      auto take_internal = [&] {  // for each choose value that enables the edge
        if (failed) return;
        due = due || asap_[e];
        start_step(-1, e);
        save_choices(e, step_.choices);
        if (!emit_action(state, sink, fault)) failed = true;
      };
      bool ok = enumerate_choices(e, 0, state, take_internal, fault);
      if (!ok || failed) return false;
    }
    for (int e : emitting_.at(key(i, loc))) {
      const int chan = model_.edges[e].channel;
      const bool broadcast = model_.channels[chan].broadcast;
      std::vector<int64_t>& emitter_choices = emitter_choices_;
      auto take_emitter = [&] {  // for each choose value that enables the emitting edge
        if (failed) return;
        emitter_choices.clear();
        save_choices(e, emitter_choices);
        if (!broadcast) {
          for (int receiver : receivers_of_[chan]) {
            if (failed) return;
            const std::size_t j = static_cast<std::size_t>(receiver);
            if (j == i) continue;
            for (int r : receiving_.at(key(j, state[location_slot_[j]]))) {
              if (model_.edges[r].channel != chan) continue;
              bool inner = enumerate_choices(r, 0, state, [&] {
                if (failed) return;
                due = due || asap_[e] || asap_[r];
                step_.tick = false;
                step_.channel = chan;
                step_.edges.assign({e, r});
                step_.choices = emitter_choices;
                save_choices(r, step_.choices);
                if (!emit_action(state, sink, fault)) failed = true;
              }, fault);
              if (!inner) failed = true;
              if (failed) return;
            }
          }
          return;
        }
        // Broadcast: every other machine with an enabled receiving edge moves; each such machine
        // picks one of its enabled receiving edges (and choose values).
        due = due || asap_[e];
        option_choices_.clear();
        std::vector<std::size_t>& participants = participants_;
        participants.clear();
        for (int receiver : receivers_of_[chan]) {
          if (failed) return;
          const std::size_t j = static_cast<std::size_t>(receiver);
          options_[j].clear();
          if (j == i) continue;
          for (int r : receiving_.at(key(j, state[location_slot_[j]]))) {
            if (model_.edges[r].channel != chan) continue;
            bool inner = enumerate_choices(r, 0, state, [&] {
              due = due || asap_[r];
              options_[j].push_back({r, option_choices_.size()});
              save_choices(r, option_choices_);
            }, fault);
            if (!inner) { failed = true; return; }
          }
          if (!options_[j].empty()) participants.push_back(j);
        }
        std::vector<std::size_t>& pick = picks_;
        pick.assign(participants.size(), 0);
        for (;;) {
          start_step(chan, e);
          step_.choices = emitter_choices;
          for (std::size_t p = 0; p < participants.size(); ++p) {
            const Option& o = options_[participants[p]][pick[p]];
            step_.edges.push_back(o.edge);
            std::size_t count = edges_[o.edge].choose_scratch.size();
            step_.choices.insert(step_.choices.end(), option_choices_.begin() + static_cast<std::ptrdiff_t>(o.first_choice),
                                 option_choices_.begin() + static_cast<std::ptrdiff_t>(o.first_choice + count));
          }
          if (!emit_action(state, sink, fault)) { failed = true; return; }
          std::size_t p = 0;
          while (p < pick.size() && ++pick[p] == options_[participants[p]].size()) pick[p++] = 0;
          if (p == pick.size()) break;
        }
      };
      bool ok = enumerate_choices(e, 0, state, take_emitter, fault);
      if (!ok || failed) return false;
    }
  }
  if (failed) return false;
  std::vector<int32_t>& later = next_;
  if (!due && advance(state, 1, later.data(), fault)) {
    changed_ = clock_slots_;
    step_.tick = true;
    step_.channel = -1;
    step_.edges.clear();
    step_.choices.clear();
    sink(step_, later.data());
  } else if (!fault.message.empty()) {
    return false;
  }
  return true;
}

Applied Semantics::apply(const int32_t* state, const Step& step, int32_t* next, ModelFault& fault) {
  if (step.tick && step.ticks != 1) {
    if (step.ticks < 1) return Applied::Disabled;
    if (delay(state, step.ticks, next, fault)) return Applied::Taken;
    return fault.message.empty() ? Applied::Disabled : Applied::Fault;
  }
  bool found = false;
  bool ok = successors(state, [&](const Step& s, const int32_t* succ) {
    if (found || !(s == step)) return;
    std::copy(succ, succ + model_.slots.size(), next);
    found = true;
  }, fault);
  if (!ok) return Applied::Fault;
  return found ? Applied::Taken : Applied::Disabled;
}

bool Semantics::effect(const int32_t* state, const Step& step, int32_t* next, ModelFault& fault) {
  std::copy(state, state + model_.slots.size(), next);
  written_.clear();
  std::size_t offset = 0;
  for (int e : step.edges) {
    if (offset + edges_[e].choose_scratch.size() > step.choices.size()) {
      fault.message = "a step without a value for every choose";
      return false;
    }
    if (!run_updates(e, step.choices.data() + offset, next, fault)) return false;
    offset += edges_[e].choose_scratch.size();
  }
  for (int e : step.edges) next[location_slot_[model_.edges[e].instance]] = model_.edges[e].dst;
  return true;
}

std::string Semantics::describe_step(const Step& step) const {
  if (step.tick) return step.ticks == 1 ? "a tick" : "a wait of " + duration_text(model_, step.ticks);
  return describe_step_edges(model_, step);
}

}  // namespace interlock

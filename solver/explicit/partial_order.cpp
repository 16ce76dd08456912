#include "solver/explicit/partial_order.h"

namespace interlock {

namespace {

bool test(const std::vector<uint64_t>& set, int m) { return (set[static_cast<std::size_t>(m) >> 6] >> (m & 63)) & 1; }
void add(std::vector<uint64_t>& set, int m) { set[static_cast<std::size_t>(m) >> 6] |= uint64_t{1} << (m & 63); }

bool is_location_slot(const Model& model, const Expr& e) {
  return e.op == Expr::Op::Slot && model.slots[static_cast<std::size_t>(e.value)].kind == Slot::Kind::Location;
}

// What a property reads, with the tests `M.L` (location slot == constant) kept apart: a move
// changes such a test only if it enters or leaves L.
struct PropertyReads {
  std::vector<bool> slots;
  std::vector<std::pair<int, int64_t>> location_tests;  // (location slot, location)
};

void collect_reads(const Model& model, const Expr& e, PropertyReads& out) {
  if ((e.op == Expr::Op::Eq || e.op == Expr::Op::Ne) && e.kids.size() == 2) {
    const Expr& a = e.kids[0];
    const Expr& b = e.kids[1];
    if (is_location_slot(model, a) && b.is_const()) {
      out.location_tests.emplace_back(static_cast<int>(a.value), b.value);
      return;
    }
    if (is_location_slot(model, b) && a.is_const()) {
      out.location_tests.emplace_back(static_cast<int>(b.value), a.value);
      return;
    }
  }
  if (e.op == Expr::Op::Slot || e.op == Expr::Op::Element) {
    mark_reads(e, out.slots);
    return;
  }
  for (const Expr& k : e.kids) collect_reads(model, k, out);
}

bool reads_a_clock(const Model& model, const std::vector<bool>& reads) {
  for (std::size_t s = 0; s < reads.size(); ++s)
    if (reads[s] && model.slots[s].kind == Slot::Kind::Clock) return true;
  return false;
}

}  // namespace

PartialOrder::PartialOrder(const Semantics& semantics) : semantics_(&semantics), model_(semantics.model()) {}

std::unique_ptr<PartialOrder> PartialOrder::build(const Semantics& semantics, const std::vector<int>& properties) {
  if (semantics.model().instances.size() < 2) return nullptr;
  std::unique_ptr<PartialOrder> por(new PartialOrder(semantics));
  por->prepare(properties);
  return por;
}

std::unique_ptr<PartialOrder> PartialOrder::copy_for(const Semantics& semantics) const {
  std::unique_ptr<PartialOrder> copy(new PartialOrder(*this));
  copy->semantics_ = &semantics;
  copy->analysed_ = copy->chosen_ = 0;
  copy->memo_ = AnalysisMemo();
  return copy;
}

void PartialOrder::prepare(const std::vector<int>& properties) {
  const Model& m = model_;
  const std::size_t machines = m.instances.size();
  const std::size_t slots = m.slots.size();
  words_ = (machines + 63) / 64;
  for (std::size_t i = 0; i < machines; ++i) {
    location_base_.push_back(static_cast<int>(locations_.size()));
    for (const Location& loc : m.instances[i].locations) {
      LocationFacts facts;
      facts.urgent = loc.urgent;
      locations_.push_back(std::move(facts));
    }
  }
  edges_from_.resize(locations_.size());
  std::vector<Footprint> prints;
  writers_.assign(slots, std::vector<uint64_t>(words_, 0));
  for (std::size_t e = 0; e < m.edges.size(); ++e) {
    const Edge& edge = m.edges[e];
    edges_from_[static_cast<std::size_t>(location_base_[static_cast<std::size_t>(edge.instance)] + edge.src)].push_back(static_cast<int>(e));
    prints.push_back(footprint_of(m, {static_cast<int>(e)}));
    for (std::size_t s = 0; s < slots; ++s)
      if (prints.back().writes[s]) add(writers_[s], edge.instance);
  }
  for (std::size_t s = 0; s < slots; ++s)
    if (m.slots[s].kind == Slot::Kind::Clock) {
      clock_slots_.push_back(static_cast<int>(s));
      clock_hi_.push_back(static_cast<int32_t>(m.slots[s].hi));
    }

  // Locations whose invariant can stop time on its own: it reads a clock, and nothing it reads is
  // written by another machine (so only the machine's own actions, or a tick, change it).
  std::vector<bool> clock_invariant_reads(slots);
  for (std::size_t i = 0; i < machines; ++i) {
    const Instance& inst = m.instances[i];
    for (std::size_t l = 0; l < inst.locations.size(); ++l) {
      const Location& loc = inst.locations[l];
      if (!loc.invariant) continue;
      std::vector<bool> reads(slots);
      mark_reads(*loc.invariant, reads);
      if (!reads_a_clock(m, reads)) continue;
      for (std::size_t s = 0; s < slots; ++s) clock_invariant_reads[s] = clock_invariant_reads[s] || reads[s];
      bool own = true;
      for (std::size_t s = 0; s < slots && own; ++s) {
        if (!reads[s]) continue;
        for (std::size_t w = 0; w < words_; ++w) {
          uint64_t others = writers_[s][w];
          if (w == i / 64) others &= ~(uint64_t{1} << (i & 63));
          if (others) own = false;
        }
      }
      LocationFacts& facts = locations_[static_cast<std::size_t>(location_base_[i]) + l];
      facts.can_block_time = own;
      if (own) facts.clock_invariant = semantics_->compile(*loc.invariant);
    }
  }

  PropertyReads visible{std::vector<bool>(slots), {}};
  for (int k : properties) {
    const Property& p = m.properties[static_cast<std::size_t>(k)];
    if (p.a) collect_reads(m, *p.a, visible);
    if (p.b) collect_reads(m, *p.b, visible);
  }

  const std::vector<bool> asap = asap_reads(m);
  const std::vector<std::vector<bool>> inv_reads = invariant_reads(m);
  const DeadClocks& dead = semantics_->dead_clocks();
  auto dead_at = [&](std::size_t instance, int location) -> std::vector<int> {
    if (instance >= dead.size() || static_cast<std::size_t>(location) >= dead[instance].size()) return {};
    return dead[instance][static_cast<std::size_t>(location)];
  };
  auto invariant_reads_clock = [&](const Location& loc) {
    if (!loc.invariant) return false;
    std::vector<bool> reads(slots);
    mark_reads(*loc.invariant, reads);
    return reads_a_clock(m, reads);
  };

  edges_.resize(m.edges.size());
  for (std::size_t e = 0; e < m.edges.size(); ++e) {
    const Edge& edge = m.edges[e];
    const Instance& inst = m.instances[static_cast<std::size_t>(edge.instance)];
    EdgeFacts& f = edges_[e];
    f.machine = edge.instance;
    f.channel = edge.channel;
    f.sync = edge.sync;
    f.broadcast = edge.channel >= 0 && m.channels[static_cast<std::size_t>(edge.channel)].broadcast;
    f.guard_known = !edge.guard || !reads_choose(*edge.guard);
    if (edge.guard && f.guard_known) f.guard = semantics_->compile(*edge.guard);
    f.guard_writers.assign(words_, 0);
    if (edge.guard) {
      std::vector<bool> reads(slots);
      mark_reads(*edge.guard, reads);
      for (std::size_t s = 0; s < slots; ++s)
        if (reads[s])
          for (std::size_t w = 0; w < words_; ++w) f.guard_writers[w] |= writers_[s][w];
      f.guard_reads_clock = reads_a_clock(m, reads);
    }
    const Footprint& print = prints[e];
    // Time and this edge commute: see the header.
    bool tick_free = commutes_with_delay(m, print, {static_cast<int>(e)}, asap) && !inst.locations[static_cast<std::size_t>(edge.src)].urgent &&
                     !invariant_reads_clock(inst.locations[static_cast<std::size_t>(edge.src)]) &&
                     !invariant_reads_clock(inst.locations[static_cast<std::size_t>(edge.dst)]) &&
                     dead_at(static_cast<std::size_t>(edge.instance), edge.src) == dead_at(static_cast<std::size_t>(edge.instance), edge.dst);
    for (std::size_t s = 0; s < slots && tick_free; ++s)
      if (print.writes[s] && clock_invariant_reads[s]) tick_free = false;  // it would change whether time may pass
    f.commutes_with_tick = tick_free;
    // Visible: it may change what a property reads.
    bool shows = false;
    for (std::size_t s = 0; s < slots && !shows; ++s) {
      if (!print.writes[s] || !visible.slots[s]) continue;
      shows = static_cast<int>(s) != inst.location_slot || edge.src != edge.dst;
    }
    for (const auto& [slot, location] : visible.location_tests)
      if (slot == inst.location_slot && (edge.src == location) != (edge.dst == location)) shows = true;
    f.visible = shows;
    f.interferes.assign(words_, 0);
    f.partners.assign(words_, 0);
  }
  // What a broadcast does depends on every machine that could receive it (where it is, what its
  // guards read): its emitting edge is compared as the whole action, with every receiving edge.
  std::vector<Footprint> actions = prints;
  for (std::size_t e = 0; e < m.edges.size(); ++e) {
    if (!edges_[e].broadcast || edges_[e].sync != SyncKind::Emit) continue;
    std::vector<int> action{static_cast<int>(e)};
    for (std::size_t r = 0; r < m.edges.size(); ++r)
      if (m.edges[r].channel == m.edges[e].channel && m.edges[r].sync == SyncKind::Receive && m.edges[r].instance != m.edges[e].instance)
        action.push_back(static_cast<int>(r));
    actions[e] = footprint_of(m, action);
  }
  for (std::size_t e = 0; e < m.edges.size(); ++e) {
    EdgeFacts& f = edges_[e];
    for (std::size_t g = 0; g < m.edges.size(); ++g) {
      const EdgeFacts& o = edges_[g];
      if (o.machine == f.machine || test(f.interferes, o.machine)) continue;
      const bool same_channel = f.channel >= 0 && f.channel == o.channel;
      if (same_channel && o.sync != f.sync) add(f.partners, o.machine);
      if (same_channel || !independent(actions[e], actions[g], inv_reads)) add(f.interferes, o.machine);
    }
    // The partner loop above skips machines already marked interfering: find the rest.
    if (f.channel < 0) continue;
    for (std::size_t g = 0; g < m.edges.size(); ++g) {
      const EdgeFacts& o = edges_[g];
      if (o.machine != f.machine && o.channel == f.channel && o.sync != f.sync) add(f.partners, o.machine);
    }
  }
  for (std::size_t e = 0; e < m.edges.size(); ++e) {
    const EdgeFacts& f = edges_[e];
    const bool never_blocked_by_guard = !f.guard_known || !m.edges[e].guard || f.guard_reads_clock;
    const bool needs_partner = f.channel >= 0 && !(f.broadcast && f.sync == SyncKind::Emit);
    if (!f.commutes_with_tick && never_blocked_by_guard && !needs_partner)
      locations_[static_cast<std::size_t>(location_base_[static_cast<std::size_t>(f.machine)] + m.edges[e].src)].needs_frozen_time = true;
  }
  guarded_from_.resize(edges_from_.size());
  for (std::size_t l = 0; l < edges_from_.size(); ++l)
    for (int e : edges_from_[l])
      if (edges_[static_cast<std::size_t>(e)].guard_known && m.edges[static_cast<std::size_t>(e)].guard)
        guarded_from_[l].push_back(e);
  guard_stamp_.assign(m.edges.size(), 0);
  guard_is_false_.assign(m.edges.size(), 0);
  for (auto* set : {&candidates_, &in_set_, &frozen_, &stays_, &wanted_, &frozen_stays_, &base_}) set->assign(words_, 0);
  ticked_.resize(slots + 1);
}

std::span<const int> PartialOrder::edges_at(int machine, const int32_t* state) const {
  const int location = state[model_.instances[static_cast<std::size_t>(machine)].location_slot];
  return edges_from_[static_cast<std::size_t>(location_base_[static_cast<std::size_t>(machine)] + location)];
}

bool PartialOrder::guard_false(int edge, const int32_t* state) {
  const std::size_t e = static_cast<std::size_t>(edge);
  if (guard_stamp_[e] != stamp_) {
    const EdgeFacts& f = edges_[e];
    guard_is_false_[e] = f.guard_known && semantics_->is_false(f.guard, state);
    guard_stamp_[e] = stamp_;
  }
  return guard_is_false_[e] != 0;
}

// The edge's guard is false now and stays false while only the machines outside `stays` act (and
// while time stands still, if `time_frozen`).
bool PartialOrder::guard_blocked(int edge, const int32_t* state, const std::vector<uint64_t>& stays, bool time_frozen) {
  const EdgeFacts& f = edges_[static_cast<std::size_t>(edge)];
  if (f.guard_reads_clock && !time_frozen) return false;
  for (std::size_t w = 0; w < words_; ++w)
    if (f.guard_writers[w] & ~stays[w]) return false;
  return guard_false(edge, state);
}

// The edge cannot be taken while only machines outside `stays` act: its guard is blocked, or it
// needs a partner on its channel and every possible partner is a frozen machine whose edges on
// that channel are blocked by their guards (a member of the set counts: it does not act until the
// set does).
bool PartialOrder::edge_blocked(int edge, const int32_t* state, const std::vector<uint64_t>& stays, bool time_frozen) {
  if (guard_blocked(edge, state, stays, time_frozen)) return true;
  const EdgeFacts& f = edges_[static_cast<std::size_t>(edge)];
  if (f.channel < 0 || (f.broadcast && f.sync == SyncKind::Emit)) return false;  // a broadcast needs no receiver
  for (std::size_t w = 0; w < words_; ++w) {
    for (uint64_t bits = f.partners[w]; bits; bits &= bits - 1) {
      const int r = static_cast<int>(w * 64) + __builtin_ctzll(bits);
      if (!test(stays, r)) return false;
      for (int g : edges_at(r, state)) {
        const EdgeFacts& o = edges_[static_cast<std::size_t>(g)];
        if (o.channel == f.channel && o.sync != f.sync && !guard_blocked(g, state, stays, time_frozen)) return false;
      }
    }
  }
  return true;
}

// The machines outside the set that cannot act until the set does: the largest such set, found
// by starting from all and dropping any with an edge that is not blocked given the rest. Being
// frozen only gets easier as the set grows, so the machines frozen for the empty set (`base_`)
// stay frozen for any: only the others are looked at.
void PartialOrder::find_frozen(const int32_t* state, const std::vector<uint64_t>& in_set, bool time_frozen,
                               std::vector<uint64_t>& frozen) {
  const int machines = static_cast<int>(model_.instances.size());
  std::vector<uint64_t>& stays = frozen_stays_;
  for (std::size_t w = 0; w < words_; ++w) {
    frozen[w] = ~in_set[w];
    stays[w] = ~uint64_t{0};
  }
  for (bool changed = true; changed;) {
    changed = false;
    for (int q = 0; q < machines; ++q) {
      if (!test(frozen, q) || test(base_, q)) continue;
      for (int e : edges_at(q, state)) {
        if (edge_blocked(e, state, stays, time_frozen)) continue;
        frozen[static_cast<std::size_t>(q) >> 6] &= ~(uint64_t{1} << (q & 63));
        stays[static_cast<std::size_t>(q) >> 6] &= ~(uint64_t{1} << (q & 63));
        changed = true;
        break;
      }
    }
  }
}

// Whether the machine alone keeps time from passing, and goes on doing so until it acts.
bool PartialOrder::blocks_time(int machine, const int32_t* state) {
  const LocationFacts& facts = location_of(machine, state);
  if (facts.urgent) return true;
  if (!facts.can_block_time) return false;
  if (!ticked_ready_) {  // the clocks one tick later, as Semantics::tick makes them
    const std::size_t slots = model_.slots.size();
    std::copy(state, state + slots, ticked_.begin());
    for (std::size_t c = 0; c < clock_slots_.size(); ++c) {
      const int slot = clock_slots_[c];
      ticked_[static_cast<std::size_t>(slot)] = std::min(state[slot] + 1, clock_hi_[c]);
    }
    const DeadClocks& dead = semantics_->dead_clocks();
    for (std::size_t i = 0; i < dead.size(); ++i) {
      const int location = state[model_.instances[i].location_slot];
      if (static_cast<std::size_t>(location) >= dead[i].size()) continue;
      for (int slot : dead[i][static_cast<std::size_t>(location)]) ticked_[static_cast<std::size_t>(slot)] = 0;
    }
    ticked_ready_ = true;
  }
  return semantics_->is_false(facts.clock_invariant, ticked_.data());
}

bool PartialOrder::keeps_at_least(std::span<const Action> actions, const std::vector<uint64_t>& in_set, std::size_t n) const {
  std::size_t kept = 0;
  for (const Action& a : actions)
    for (int e : a.edges)
      if (test(in_set, model_.edges[static_cast<std::size_t>(e)].instance)) {
        if (++kept >= n) return true;
        break;
      }
  return false;
}

// Everything analyse() reads of the state: the machines' locations (which edges it looks at, and
// their locations' facts), whether each guard there is false, whether each machine keeps time
// from passing one tick on (read only without a tick), and the actions with their edges.
void PartialOrder::make_key(const int32_t* state, std::span<const Action> actions, bool tick) {
  key_.clear();
  key_.push_back(tick ? 1 : 0);
  const int machines = static_cast<int>(model_.instances.size());
  for (int m = 0; m < machines; ++m) key_.push_back(state[model_.instances[static_cast<std::size_t>(m)].location_slot]);
  uint32_t bits = 0;
  int used = 0;
  auto put = [&](bool bit) {
    bits |= static_cast<uint32_t>(bit) << used;
    if (++used == 32) {
      key_.push_back(static_cast<int32_t>(bits));
      bits = 0;
      used = 0;
    }
  };
  for (int m = 0; m < machines; ++m) {
    const int location = key_[static_cast<std::size_t>(m) + 1];
    for (int e : guarded_from_[static_cast<std::size_t>(location_base_[static_cast<std::size_t>(m)] + location)])
      put(guard_false(e, state));
  }
  if (!tick)
    for (int m = 0; m < machines; ++m) {
      const LocationFacts& facts = location_of(m, state);
      put((facts.urgent || facts.can_block_time) && blocks_time(m, state));
    }
  if (used > 0) key_.push_back(static_cast<int32_t>(bits));
  for (const Action& a : actions) {
    key_.push_back(static_cast<int32_t>(a.edges.size()));
    key_.insert(key_.end(), a.edges.begin(), a.edges.end());
  }
}

bool PartialOrder::choose(const int32_t* state, std::span<const Action> actions, bool tick, std::vector<uint8_t>& keep) {
  if (++stamp_ == 0) {  // after 2^32 states: no stamp may look current
    std::fill(guard_stamp_.begin(), guard_stamp_.end(), 0);
    stamp_ = 1;
  }
  ticked_ready_ = false;
  // A proper subset of the successors must be kept: with one action and no tick there is none
  // (and with none, nothing to explore).
  if (actions.empty() || (actions.size() == 1 && !tick)) return false;
  ++analysed_;
  make_key(state, actions, tick);
  if (const std::vector<uint8_t>* answer = memo_.find(key_)) {
    const bool reduced = (*answer)[0] != 0;
    if (reduced) keep.assign(answer->begin() + 1, answer->end());
    chosen_ += reduced;
    return reduced;
  }
  const bool reduced = analyse(state, actions, tick, keep);
  memo_.remember(reduced, keep);
  chosen_ += reduced;
  return reduced;
}

bool PartialOrder::analyse(const int32_t* state, std::span<const Action> actions, bool tick, std::vector<uint8_t>& keep) {
  const int machines = static_cast<int>(model_.instances.size());

  // Without a tick, some machine must keep time standing still while the set acts.
  int blocker = -1;
  if (!tick) {
    for (int b = 0; b < machines && blocker < 0; ++b)
      if (blocks_time(b, state)) blocker = b;
    if (blocker < 0) return false;
  }
  const bool time_frozen = !tick;
  // Where time may pass, a machine with a live edge that cannot commute with a tick is no start
  // (nor a member, below): if every machine that can act is such, nothing is reduced.
  std::vector<uint64_t>& candidates = candidates_;
  std::fill(candidates.begin(), candidates.end(), 0);
  bool any = false;
  for (const Action& a : actions)
    for (int e : a.edges) {
      const int machine = model_.edges[static_cast<std::size_t>(e)].instance;
      if (tick && location_of(machine, state).needs_frozen_time) continue;
      add(candidates, machine);
      any = true;
    }
  if (!any) return false;
  std::fill(base_.begin(), base_.end(), 0);
  std::fill(in_set_.begin(), in_set_.end(), 0);
  find_frozen(state, in_set_, time_frozen, frozen_);
  base_ = frozen_;

  std::size_t best = actions.size() + (tick ? 1 : 0);
  std::vector<uint8_t>& pick = pick_;
  pick.assign(actions.size(), 0);
  std::vector<uint64_t>& in_set = in_set_;
  std::vector<uint64_t>& frozen = frozen_;
  std::vector<uint64_t>& stays = stays_;
  std::vector<uint64_t>& wanted = wanted_;
  for (int p = 0; p < machines; ++p) {
    if (!test(candidates, p)) continue;
    std::fill(in_set.begin(), in_set.end(), 0);
    add(in_set, p);
    if (!tick && !blocks_time(p, state)) add(in_set, blocker);
    bool ok = true;
    for (bool grew = true; grew && ok;) {
      grew = false;
      // The set only grows, and so do the actions it keeps: once they are as many as the best
      // set's, this one cannot be better.
      if (keeps_at_least(actions, in_set, best)) {
        ok = false;
        break;
      }
      find_frozen(state, in_set, time_frozen, frozen);
      for (std::size_t w = 0; w < words_; ++w) {
        stays[w] = in_set[w] | frozen[w];
        wanted[w] = 0;
      }
      for (int m = 0; m < machines && ok; ++m) {
        if (!test(in_set, m)) continue;
        for (int e : edges_at(m, state)) {
          if (edge_blocked(e, state, stays, time_frozen)) continue;
          const EdgeFacts& f = edges_[static_cast<std::size_t>(e)];
          if (tick && !f.commutes_with_tick) {
            ok = false;
            break;
          }
          for (std::size_t w = 0; w < words_; ++w) wanted[w] |= f.interferes[w] & ~stays[w];
        }
      }
      for (std::size_t w = 0; w < words_ && ok; ++w)
        if (wanted[w]) {
          in_set[w] |= wanted[w];
          grew = true;
        }
    }
    if (!ok) continue;
    std::size_t kept = 0;
    for (std::size_t k = 0; k < actions.size() && ok; ++k) {
      bool inside = false, outside = false, visible = false;
      for (int e : actions[k].edges) {
        if (test(in_set, model_.edges[static_cast<std::size_t>(e)].instance)) inside = true;
        else outside = true;
        visible = visible || edges_[static_cast<std::size_t>(e)].visible;
      }
      pick[k] = inside;
      if (!inside) continue;
      if (outside || visible) ok = false;  // a partner outside the set: not expected, never relied on
      ++kept;
    }
    if (!ok || kept >= best) continue;
    best = kept;
    keep = pick;
    if (best == 1) break;
  }
  return best < actions.size() + (tick ? 1 : 0);
}

}  // namespace interlock

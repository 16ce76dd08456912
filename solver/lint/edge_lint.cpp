// The static part of lint (lint.h): edges that nothing forces. docs/engines.md, "Lint", says what
// each rule claims and why it is sound to claim it; every doubt is resolved towards silence.
#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <tuple>

#include "model/intervals.h"
#include "model/semantics.h"
#include "solver/lint/lint.h"
#include "solver/lint/lint_names.h"
#include "solver/lint/surely.h"

namespace interlock {
namespace {

using Op = Expr::Op;

bool is_clock(const Model& model, const Expr& e) {
  return (e.op == Op::Slot || e.op == Op::Element) && model.slots[static_cast<std::size_t>(e.value)].kind == Slot::Kind::Clock;
}

bool reads_clock(const Model& model, const Expr& e) {
  if (is_clock(model, e)) return true;
  for (const Expr& k : e.kids)
    if (reads_clock(model, k)) return true;
  return false;
}

bool is_comparison(Op op) { return op == Op::Lt || op == Op::Le || op == Op::Gt || op == Op::Ge || op == Op::Eq || op == Op::Ne; }

Op mirrored(Op op) {  // a op b  ==  b mirrored(op) a
  switch (op) {
    case Op::Lt: return Op::Gt;
    case Op::Le: return Op::Ge;
    case Op::Gt: return Op::Lt;
    case Op::Ge: return Op::Le;
    default: return op;
  }
}

// `clock op bound`, the clock on the left, negations applied.
struct ClockAtom {
  const Expr* clock;
  Op op;
  const Expr* bound;
  int slot() const { return static_cast<int>(clock->value); }
};

// Splits a condition into the conjuncts it is true exactly when all are: comparisons of a clock
// with a clock-free bound, and clock-free conditions. False when a clock is read in any other way
// (under `||`, in a `?:`): the condition's shape is then not understood, and nothing is claimed.
bool split(const Model& model, const Expr& e, bool negate, std::vector<ClockAtom>& clocks, std::vector<const Expr*>& others) {
  if ((e.op == Op::And && !negate) || (e.op == Op::Or && negate))
    return split(model, e.kids[0], negate, clocks, others) && split(model, e.kids[1], negate, clocks, others);
  if (e.op == Op::Not) return split(model, e.kids[0], !negate, clocks, others);
  if (!reads_clock(model, e)) {
    others.push_back(&e);
    return true;
  }
  if (!is_comparison(e.op) || e.kids.size() != 2) return false;
  const bool left = is_clock(model, e.kids[0]), right = is_clock(model, e.kids[1]);
  if (left == right || reads_clock(model, e.kids[left ? 1 : 0])) return false;
  Op op = negate ? negated_comparison(e.op) : e.op;
  if (right) op = mirrored(op);
  clocks.push_back({left ? &e.kids[0] : &e.kids[1], op, left ? &e.kids[1] : &e.kids[0]});
  return true;
}

struct Bounds {
  __int128 lo, hi;
};

class EdgeLint {
 public:
  EdgeLint(const Model& model, const SpecText& text) : model_(model), text_(text), names_(model) {
    written_by_.resize(model.slots.size());
    for (const Edge& edge : model.edges)
      for (const Update& u : edge.updates) {
        const int count = u.target.op == Op::Element ? u.target.size : 1;
        for (int k = 0; k < count; ++k) written_by_[static_cast<std::size_t>(u.target.value + k)].insert(edge.instance);
      }
    for (const Slot& s : model.slots) timed_ = timed_ || s.kind == Slot::Kind::Clock;
    if (!model.has_free_params()) semantics_ = std::make_unique<Semantics>(model);
    // For time_may_wait_for(): what each edge changes, who reads each slot, the states that stop time.
    std::vector<int>& location_slot = location_slot_;
    location_slot.assign(model.instances.size(), 0);
    for (std::size_t s = 0; s < model.slots.size(); ++s)
      if (model.slots[s].kind == Slot::Kind::Location && model.slots[s].instance >= 0)
        location_slot[static_cast<std::size_t>(model.slots[s].instance)] = static_cast<int>(s);
    // Per slot, the machines whose invariants read it: a way out that writes it may be forbidden.
    invariant_readers_ = invariant_readers(model);
    readers_.resize(model.slots.size());
    changes_.resize(model.edges.size());
    for (std::size_t g = 0; g < model.edges.size(); ++g) {
      const Edge& edge = model.edges[g];
      changes_[g].push_back(location_slot[static_cast<std::size_t>(edge.instance)]);
      for (const Update& u : edge.updates) {
        const int count = u.target.op == Op::Element ? u.target.size : 1;
        for (int k = 0; k < count; ++k) changes_[g].push_back(static_cast<int>(u.target.value + k));
      }
      // What it reads to decide whether it can go, and what it writes: its guard, its updates'
      // values and indexes, its choose ranges.
      std::vector<bool> reads(model.slots.size(), false);
      if (edge.guard) mark_reads(*edge.guard, reads);
      for (const Update& u : edge.updates) {
        mark_reads(u.value, reads);
        for (const Expr& index : u.target.kids) mark_reads(index, reads);
      }
      for (const ChooseVar& c : edge.chooses) {
        mark_reads(c.lo, reads);
        mark_reads(c.hi, reads);
      }
      for (std::size_t s = 0; s < reads.size(); ++s)
        if (reads[s]) readers_[s].push_back(static_cast<int>(g));
      if (edge.sync != SyncKind::None) on_channel_[edge.channel].push_back(static_cast<int>(g));
    }
    for (std::size_t i = 0; i < model.instances.size(); ++i) {
      const Instance& inst = model.instances[i];
      for (std::size_t l = 0; l < inst.locations.size(); ++l) {
        const Location& loc = inst.locations[l];
        // An `asap` edge out of it stops time too, while it is due (docs/language.md).
        std::vector<const Expr*> asap_guards;
        bool asap = false;
        for (int o : inst.edges) {
          const Edge& out = model.edges[static_cast<std::size_t>(o)];
          if (out.src != static_cast<int>(l) || !out.asap) continue;
          asap = true;
          if (out.guard) asap_guards.push_back(&*out.guard);
        }
        if (!loc.urgent && !asap && !(loc.invariant && reads_clock(model, *loc.invariant))) continue;
        Stopper stop{static_cast<int>(i), static_cast<int>(l), {}, {}, {}};
        std::vector<bool> reads(model.slots.size(), false);
        if (loc.invariant) mark_reads(*loc.invariant, reads);
        for (const Expr* guard : asap_guards) mark_reads(*guard, reads);
        for (int o : inst.edges) {
          const Edge& out = model.edges[static_cast<std::size_t>(o)];
          if (out.src != static_cast<int>(l)) continue;
          stop.exits.push_back(o);
          // A way out may be closed by its target's invariant until the edge is taken.
          const std::optional<Expr>& target = inst.locations[static_cast<std::size_t>(out.dst)].invariant;
          if (target) mark_reads(*target, reads);
        }
        for (std::size_t s = 0; s < reads.size(); ++s)
          if (reads[s]) stop.stop_reads.push_back(static_cast<int>(s));
        stoppers_.push_back(std::move(stop));
      }
    }
  }

  // Each edge's warning is said for its copy ("P[2]: ..."); a warning every copy of an indexed
  // machine gives in the same words is said once, for the machine ("P: ...").
  std::vector<LintWarning> run() {
    struct Said {
      std::vector<std::pair<std::size_t, LintWarning>> copies;  // with their edges, in the order found
      std::set<int> instances;                                 // the copies that give it
      std::string machine_message;                             // the words with the machine's name
      int copies_of_machine = 1;
    };
    std::vector<Said> said;
    std::map<std::tuple<int, int, std::string>, std::size_t> at;  // (line, col, machine_message) -> said
    for (std::size_t e = 0; e < model_.edges.size(); ++e) {
      std::optional<LintWarning> w = check(static_cast<int>(e));
      if (!w || text_.suppressed(w->loc)) continue;
      const int instance = model_.edges[e].instance;
      const std::string words = w->message.substr(names_.copy_edge(static_cast<int>(e)).size());
      const std::string machine_message = names_.edge(static_cast<int>(e)) + words;
      const auto [it, fresh] = at.try_emplace({w->loc.line, w->loc.col, machine_message}, said.size());
      if (fresh) said.push_back({{}, {}, machine_message, names_.copies(instance)});
      said[it->second].copies.emplace_back(e, std::move(*w));
      said[it->second].instances.insert(instance);
    }
    std::vector<std::pair<std::size_t, LintWarning>> kept;  // in the order of the edges, as found
    for (Said& s : said) {
      if (static_cast<int>(s.instances.size()) == s.copies_of_machine) {
        kept.push_back(std::move(s.copies.front()));
        kept.back().second.message = s.machine_message;
      } else {
        for (auto& w : s.copies) kept.push_back(std::move(w));
      }
    }
    std::stable_sort(kept.begin(), kept.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    std::vector<LintWarning> out;
    for (auto& [edge, w] : kept) out.push_back(std::move(w));
    return out;
  }

 private:
  // A state that stops time (an invariant on a clock, urgent, or an `asap` edge out of it): what
  // decides when it does and whether it can leave (its invariant, its `asap` guards, its ways
  // out's targets' invariants), the edges out of it, and whether it surely has a way out of its
  // own (found once for each state that may wait, when asked).
  struct Stopper {
    int instance, location;
    std::vector<int> stop_reads, exits;
    // Per machine and state that may wait (an edge's source): whether it surely has a way out then.
    mutable std::map<std::pair<int, int>, bool> leaves;
  };

  std::optional<LintWarning> check(int e) {
    const Edge& edge = model_.edges[static_cast<std::size_t>(e)];
    const Instance& inst = model_.instances[static_cast<std::size_t>(edge.instance)];
    const Location& src = inst.locations[static_cast<std::size_t>(edge.src)];
    if (edge.asap || src.urgent || !edge.guard || interlock::never_enabled(model_, e)) return std::nullopt;
    if (edge.sync != SyncKind::None) {
      const bool broadcast = model_.channels[static_cast<std::size_t>(edge.channel)].broadcast;
      // A broadcast receiver moves whenever the sender sends and it can: the sender decides when.
      if (broadcast && edge.sync == SyncKind::Receive) return std::nullopt;
      if (!broadcast && partner_may_force(edge)) return std::nullopt;
    }
    std::vector<ClockAtom> clocks;
    std::vector<const Expr*> others;
    if (!split(model_, *edge.guard, false, clocks, others)) return std::nullopt;
    std::vector<ClockAtom> bounds;  // the source state's invariant: clock upper bounds
    if (src.invariant) {
      std::vector<const Expr*> ignored;
      if (!split(model_, *src.invariant, false, bounds, ignored)) return std::nullopt;
    }
    if (!clocks.empty()) {
      // The invariant makes the machine leave the state, and it has another way out of its own:
      // this edge is one of the ways, not a job that may never run (a timer firing at once or
      // within its random delay).
      if (!bounds.empty() && other_way_out(e)) return std::nullopt;
      return skippable(e, clocks, bounds);
    }
    if (!bounds.empty() || edge.src == edge.dst || !timed_ || !reads_shared(*edge.guard, edge.instance)) return std::nullopt;
    // A guard true in every state waits for nothing, as no guard (copy 2's `tok == 3 || i == 2`).
    if (interlock::always_enabled(model_, e)) return std::nullopt;
    // Another machine may stop time until this edge is taken (a watchdog whose way out needs it).
    if (time_may_wait_for(e)) return std::nullopt;
    LintWarning w;
    w.kind = LintWarning::Kind::WaitsForever;
    w.loc = edge.loc;
    w.message = names_.copy_edge(e) + " may wait for ever with " + text_.expr(model_, *edge.guard, edge.instance, true) +
                " true: nothing forces it once it can be taken (add 'asap' if it is taken as soon as it can be)";
    return w;
  }

  // Rule 1: some clock upper bound of the guard closes as time passes, and neither the source
  // state's invariant nor any other machine's invariant on that clock stops time before it does.
  std::optional<LintWarning> skippable(int e, const std::vector<ClockAtom>& clocks, const std::vector<ClockAtom>& bounds) {
    const Edge& edge = model_.edges[static_cast<std::size_t>(e)];
    IntervalEval eval(model_, &edge);
    if (clocks_contradict(clocks, eval)) return std::nullopt;
    for (const ClockAtom& a : clocks) {
      if (a.op != Op::Le && a.op != Op::Lt && a.op != Op::Eq) continue;
      // The window closes when the clock reaches `closing`: K + 1 for c <= K and c == K, K for c < K.
      const Range k = eval.eval(*a.bound);
      const int close_offset = a.op == Op::Lt ? 0 : 1;
      if (k.hi + close_offset <= 0) continue;  // never open: clocks are never negative
      if (eval.may_fault()) return std::nullopt;
      bool time_reaches = true;  // time can pass until the window closes, whatever each bound says
      for (const ClockAtom& b : bounds) time_reaches = time_reaches && bound_allows(b, a, k, close_offset);
      for (std::size_t i = 0; i < model_.instances.size() && time_reaches; ++i) {
        if (static_cast<int>(i) == edge.instance) continue;
        for (const Location& l : model_.instances[i].locations) {
          if (!l.invariant || !time_reaches) continue;
          std::vector<ClockAtom> others;
          std::vector<const Expr*> ignored;
          if (!split(model_, *l.invariant, false, others, ignored)) { time_reaches = false; break; }
          for (const ClockAtom& b : others)
            if (b.slot() == a.slot()) time_reaches = time_reaches && bound_allows(b, a, k, close_offset);
        }
      }
      if (!time_reaches) continue;
      if (time_may_wait_for(e)) return std::nullopt;  // as in check(): last, it costs the most
      const Instance& inst = model_.instances[static_cast<std::size_t>(edge.instance)];
      const std::string clock = text_.expr(model_, *a.clock, edge.instance, true);
      std::string bound = text_.expr(model_, *a.bound, edge.instance, true);
      if (a.bound->op == Op::Ite) bound = "(" + bound + ")";
      const char* op = a.op == Op::Le ? " <= " : a.op == Op::Lt ? " < " : " == ";
      // An invariant is a fix only on the machine's own clock: another machine's clock (a wall
      // clock) may be past the bound whenever this machine enters the state.
      const bool own = model_.slots[static_cast<std::size_t>(a.slot())].instance == edge.instance;
      LintWarning w;
      w.kind = LintWarning::Kind::Skippable;
      w.loc = edge.loc;
      w.message = names_.copy_edge(e) + " can be skipped: when " + clock + op + bound + " passes, nothing forces it (add 'asap'" +
                  (own ? ", or an invariant " + clock + (a.op == Op::Lt ? " < " : " <= ") + bound + " on " +
                             inst.locations[static_cast<std::size_t>(edge.src)].name
                       : std::string()) +
                  ")";
      return w;
    }
    return std::nullopt;
  }

  // Whether the invariant bound `b` (clock <= B or clock < B) surely lets time pass until the
  // guard's atom `a` is false: b bounds another clock (then it may stop time first: unsure, so
  // no), or B (minus one for <) is at least a's closing value for every value both may take.
  // `k`: the range of a's bound (with its edge's choose values).
  bool bound_allows(const ClockAtom& b, const ClockAtom& a, Range k, int close_offset) {
    if (b.op != Op::Le && b.op != Op::Lt) return false;
    if (b.slot() != a.slot()) return false;
    Bounds diff{};  // B - K
    if (same_expr(*b.bound, *a.bound)) {
      diff = {0, 0};
    } else {
      IntervalEval eval(model_, nullptr);
      const Range bb = eval.eval(*b.bound);
      if (eval.may_fault()) return false;
      diff = {bb.lo - k.hi, bb.hi - k.lo};
    }
    // The largest value the bound allows minus the closing value, at its smallest.
    return diff.lo - (b.op == Op::Lt ? 1 : 0) - close_offset >= 0;
  }

  // Some clock's lower and upper bounds in the guard leave it no value for sure.
  bool clocks_contradict(const std::vector<ClockAtom>& clocks, IntervalEval& eval) {
    std::map<int, Bounds> at;  // clock slot -> [largest lower bound, smallest upper bound], for sure
    for (const ClockAtom& a : clocks) {
      const Range k = eval.eval(*a.bound);
      auto [it, fresh] = at.try_emplace(a.slot(), Bounds{0, model_.slots[static_cast<std::size_t>(a.slot())].hi});
      (void)fresh;
      Bounds& b = it->second;
      if (a.op == Op::Ge || a.op == Op::Eq) b.lo = std::max(b.lo, k.lo);
      if (a.op == Op::Gt) b.lo = std::max(b.lo, k.lo + 1);
      if (a.op == Op::Le || a.op == Op::Eq) b.hi = std::min(b.hi, k.hi);
      if (a.op == Op::Lt) b.hi = std::min(b.hi, k.hi - 1);
    }
    if (eval.may_fault()) return true;  // not understood: claim nothing
    for (const auto& [slot, b] : at)
      if (b.lo > b.hi) return true;
    return false;
  }

  // Another edge out of the same state that the machine can take on its own, with no partner:
  // internal, or a broadcast it sends.
  bool other_way_out(int e) const {
    const Edge& edge = model_.edges[static_cast<std::size_t>(e)];
    for (int o : model_.instances[static_cast<std::size_t>(edge.instance)].edges) {
      const Edge& other = model_.edges[static_cast<std::size_t>(o)];
      const bool own = other.sync == SyncKind::None ||
                       (other.sync == SyncKind::Emit && model_.channels[static_cast<std::size_t>(other.channel)].broadcast);
      if (o != e && other.src == edge.src && own && !interlock::never_enabled(model_, o)) return true;
    }
    return false;
  }

  // A rendezvous partner could force the pair: an `asap` edge on the other side, or one out of an
  // urgent state or a state whose invariant bounds a clock.
  bool partner_may_force(const Edge& edge) const {
    const SyncKind other = edge.sync == SyncKind::Emit ? SyncKind::Receive : SyncKind::Emit;
    for (const Edge& p : model_.edges) {
      if (p.channel != edge.channel || p.sync != other || p.instance == edge.instance) continue;
      const Location& l = model_.instances[static_cast<std::size_t>(p.instance)].locations[static_cast<std::size_t>(p.src)];
      if (p.asap || l.urgent || (l.invariant && reads_clock(model_, *l.invariant))) return true;
    }
    return false;
  }

  // Whether another machine may stop time until edge `e` is taken: one of its states stops time
  // (an invariant on a clock, or urgent) and a way out of it, or the invariant itself, depends on
  // what `e` changes, directly or through other edges that do (found as a fixpoint: the states
  // and variables `e` changes, then what every edge that reads them, in its guard, updates or
  // chooses, or that is on the channel of one taken, changes). Then `e` may be
  // forced by that state, and lint claims nothing: an outside tester's watchdog (an invariant
  // d <= 5 left only `when Job.Running`) made an edge lint called skippable the only way on.
  bool time_may_wait_for(int e) const {
    // Past this many edges the search below (linear in the model, per edge) is not made: any
    // state elsewhere that stops time counts as one that may wait.
    constexpr std::size_t kMaxEdges = 4096;
    const Edge& edge = model_.edges[static_cast<std::size_t>(e)];
    if (model_.edges.size() > kMaxEdges) {
      for (const Stopper& stop : stoppers_)
        if (stop.instance != edge.instance) return true;
      return false;
    }
    std::vector<char> changed(model_.slots.size(), 0), influenced(model_.edges.size(), 0);
    std::vector<int> work;
    std::vector<char> channel_taken(model_.channels.size(), 0);
    std::vector<int> edges_to_take{e};
    // An edge taken: what it changes, and every edge on its channel (a partner moves with it).
    auto take = [&](int g) {
      if (influenced[static_cast<std::size_t>(g)]) return;
      influenced[static_cast<std::size_t>(g)] = 1;
      for (int s : changes_[static_cast<std::size_t>(g)])
        if (!changed[static_cast<std::size_t>(s)]) {
          changed[static_cast<std::size_t>(s)] = 1;
          work.push_back(s);
        }
      const Edge& taken = model_.edges[static_cast<std::size_t>(g)];
      if (taken.sync != SyncKind::None && !channel_taken[static_cast<std::size_t>(taken.channel)]) {
        channel_taken[static_cast<std::size_t>(taken.channel)] = 1;
        for (int partner : on_channel_.at(taken.channel)) edges_to_take.push_back(partner);
      }
    };
    while (!edges_to_take.empty() || !work.empty()) {
      if (!edges_to_take.empty()) {
        const int g = edges_to_take.back();
        edges_to_take.pop_back();
        take(g);
        continue;
      }
      const int s = work.back();
      work.pop_back();
      for (int g : readers_[static_cast<std::size_t>(s)]) take(g);
    }
    for (const Stopper& stop : stoppers_) {
      if (stop.instance == edge.instance) continue;
      bool needs = false;
      for (int s : stop.stop_reads) needs = needs || changed[static_cast<std::size_t>(s)];
      for (int o : stop.exits) needs = needs || influenced[static_cast<std::size_t>(o)];
      if (needs && !always_leaves(stop, edge.instance, edge.src)) return true;
    }
    return false;
  }

  // Whether machine `i` in its state `l` surely has a way out of its own (an edge needing no
  // partner, whose target's invariant holds once it is taken) at every moment it stops time (its
  // invariant's last moment, an `asap` guard true, or every moment in an urgent state), whatever
  // the values of what its invariant and those edges read: then it never waits on another
  // machine to let time pass. Found by trying every value (within kMaxTries evaluations);
  // whatever cannot be tried (another clock read, a free parameter, a choose value, an `asap`
  // edge with a partner, too many values) counts as no.
  // The edge waited for is not taken yet: its machine `waiting` is in its source state `at`
  // throughout (a target invariant that reads that machine's state is read so).
  bool always_leaves(const Stopper& stop, int waiting, int at) const {
    const auto key = std::make_pair(waiting, at);
    auto known = stop.leaves.find(key);
    if (known == stop.leaves.end()) known = stop.leaves.emplace(key, try_every_value(stop.instance, stop.location, waiting, at)).first;
    return known->second;
  }

  bool try_every_value(int i, int l, int waiting, int at) const {
    constexpr uint64_t kMaxTries = 1u << 20;
    const Instance& inst = model_.instances[static_cast<std::size_t>(i)];
    const Location& loc = inst.locations[static_cast<std::size_t>(l)];
    if (!semantics_) return false;
    std::vector<int> exits;
    std::vector<const Edge*> asap;  // due where its guard holds
    std::vector<bool> reads(model_.slots.size(), false);
    for (int o : inst.edges) {
      const Edge& out = model_.edges[static_cast<std::size_t>(o)];
      if (out.src != l) continue;
      const bool own = out.sync == SyncKind::None ||
                       (out.sync == SyncKind::Emit && model_.channels[static_cast<std::size_t>(out.channel)].broadcast);
      if (!own) {
        if (out.asap) return false;  // due when a partner can take part: not tried
        continue;
      }
      if (out.guard && reads_choose(*out.guard)) return false;
      if (out.asap) asap.push_back(&out);
      if (out.guard) mark_reads(*out.guard, reads);
      if (!lets_time_pass(out)) continue;  // time stays stopped after it: no way out
      if (!others_allow(out)) return false;  // another machine's invariant may forbid it: not tried
      exits.push_back(o);
      // A way out only if the target's invariant holds after it (a watchdog's alarm state may
      // forbid being entered yet): what that reads, and what the edge writes it from.
      const Location& target = inst.locations[static_cast<std::size_t>(out.dst)];
      if (!target.invariant) continue;
      for (const ChooseVar& c : out.chooses) {
        if (reads_choose(c.lo) || reads_choose(c.hi)) return false;
        mark_reads(c.lo, reads);
        mark_reads(c.hi, reads);
      }
      mark_reads(*target.invariant, reads);
      for (const Update& u : out.updates) {
        mark_reads(u.value, reads);
        for (const Expr& index : u.target.kids) mark_reads(index, reads);
      }
    }
    if (exits.empty()) return false;
    if (loc.invariant) {
      if (reads_choose(*loc.invariant)) return false;
      mark_reads(*loc.invariant, reads);
    }
    const std::size_t pinned = static_cast<std::size_t>(location_slot_[static_cast<std::size_t>(waiting)]);
    reads[pinned] = false;  // not tried over its range: the waiting machine is where it waits
    int clock = -1;
    std::vector<std::size_t> varied;
    uint64_t tries = 1;
    for (std::size_t s = 0; s < reads.size(); ++s) {
      if (!reads[s]) continue;
      const Slot& slot = model_.slots[s];
      if (slot.kind == Slot::Kind::Clock) {
        if (clock >= 0) return false;  // two clocks: which runs out first is not tried
        clock = static_cast<int>(s);
        continue;
      }
      varied.push_back(s);
      tries *= static_cast<uint64_t>(slot.hi - slot.lo + 1);
      if (tries > kMaxTries) return false;
    }
    const int64_t clock_hi = clock >= 0 ? model_.slots[static_cast<std::size_t>(clock)].hi : 0;
    if (tries * static_cast<uint64_t>(clock_hi + 1) > kMaxTries) return false;
    const Compiled invariant = loc.invariant ? semantics_->compile(*loc.invariant) : semantics_->compile(Expr::constant(1, ValueType::Bool));
    auto compiled = [&](const std::optional<Expr>& e) { return semantics_->compile(e ? *e : Expr::constant(1, ValueType::Bool)); };
    std::vector<Compiled> guards, asap_guards;
    std::vector<WayOut> ways;
    for (int o : exits) {
      const Edge& out = model_.edges[static_cast<std::size_t>(o)];
      const std::optional<Expr>& target = inst.locations[static_cast<std::size_t>(out.dst)].invariant;
      guards.push_back(compiled(out.guard));
      WayOut way{o, target.has_value(), compiled(target), {}};
      if (way.bound)
        for (const ChooseVar& c : out.chooses) way.chooses.emplace_back(semantics_->compile(c.lo), semantics_->compile(c.hi));
      ways.push_back(std::move(way));
    }
    for (const Edge* out : asap) asap_guards.push_back(compiled(out->guard));
    std::vector<int32_t> after(model_.slots.size() + 1, 0);
    std::vector<int32_t> state(model_.slots.size() + 1, 0);
    for (std::size_t s = 0; s < model_.slots.size(); ++s) state[s] = static_cast<int32_t>(model_.slots[s].lo);
    state[pinned] = at;
    for (uint64_t t = 0; t < tries; ++t) {
      uint64_t rest = t;
      for (std::size_t s : varied) {
        const uint64_t size = static_cast<uint64_t>(model_.slots[s].hi - model_.slots[s].lo + 1);
        state[s] = static_cast<int32_t>(model_.slots[s].lo + static_cast<int64_t>(rest % size));
        rest /= size;
      }
      for (int64_t v = 0; v <= clock_hi; ++v) {
        if (clock >= 0) state[static_cast<std::size_t>(clock)] = static_cast<int32_t>(v);
        ModelFault fault;
        const bool inside = semantics_->holds(invariant, state.data(), fault);
        if (!fault.message.empty()) return false;
        if (!inside) break;  // later values are not reached in this state
        bool stops = loc.urgent;
        for (const Compiled& g : asap_guards) {
          stops = stops || semantics_->holds(g, state.data(), fault);
          if (!fault.message.empty()) return false;
        }
        if (!stops && clock >= 0 && v < clock_hi) {  // time stops where the next value is outside
          state[static_cast<std::size_t>(clock)] = static_cast<int32_t>(v + 1);
          stops = !semantics_->holds(invariant, state.data(), fault);
          state[static_cast<std::size_t>(clock)] = static_cast<int32_t>(v);
          if (!fault.message.empty()) return false;
        }
        if (!stops) continue;
        bool leaves = false;
        for (std::size_t k = 0; k < exits.size() && !leaves; ++k) {
          if (!semantics_->holds(guards[k], state.data(), fault)) {
            if (!fault.message.empty()) return false;
            continue;
          }
          if (!ways[k].bound) {
            leaves = true;
            continue;
          }
          const Landing landing = lands(ways[k], state.data(), after);
          if (landing == Landing::Unsure) return false;
          leaves = landing == Landing::Yes;
        }
        if (!leaves) return false;
      }
    }
    return true;
  }

  // Whether time may pass once `out` is taken, as far as its own machine says: not into an urgent
  // state or one with an `asap` edge out of it (which may be due at once: a zero-time loop).
  bool lets_time_pass(const Edge& out) const {
    const Instance& inst = model_.instances[static_cast<std::size_t>(out.instance)];
    if (inst.locations[static_cast<std::size_t>(out.dst)].urgent) return false;
    for (int o : inst.edges) {
      const Edge& next = model_.edges[static_cast<std::size_t>(o)];
      if (next.src == out.dst && next.asap) return false;
    }
    return true;
  }

  // Whether no other machine's invariant can forbid `out` (every machine's invariant must hold
  // after an action, docs/language.md): nothing it writes is read by an invariant, and, on a
  // broadcast, no receiver moves with it.
  bool others_allow(const Edge& out) const {
    auto read_by_others = [&](std::size_t slot) {
      const std::vector<int>& readers = invariant_readers_[slot];
      return std::any_of(readers.begin(), readers.end(), [&](int r) { return r != out.instance; });
    };
    if (read_by_others(static_cast<std::size_t>(location_slot_[static_cast<std::size_t>(out.instance)]))) return false;
    for (const Update& u : out.updates) {
      const int count = u.target.op == Op::Element ? u.target.size : 1;
      for (int k = 0; k < count; ++k)
        if (read_by_others(static_cast<std::size_t>(u.target.value + k))) return false;
    }
    if (out.sync == SyncKind::Emit) {
      const auto receivers = on_channel_.find(out.channel);
      if (receivers != on_channel_.end())
        for (int g : receivers->second)
          if (model_.edges[static_cast<std::size_t>(g)].sync == SyncKind::Receive) return false;
    }
    return true;
  }

  // An edge out of a state that stops time: whether its target has an invariant, that invariant
  // and its `choose` bounds, compiled.
  struct WayOut {
    int edge;
    bool bound;
    Compiled target;
    std::vector<std::pair<Compiled, Compiled>> chooses;
  };

  // Whether the way out, its guard holding in `state`, lands where its target's invariant holds
  // (or faults), for some values of its `choose` clauses (each tried, within kMaxChoices in all).
  enum class Landing { Yes, No, Unsure };
  Landing lands(const WayOut& way, const int32_t* state, std::vector<int32_t>& after) const {
    constexpr int64_t kMaxChoices = 1 << 12;
    std::vector<int64_t> lo, size;
    int64_t tries = 1;
    for (const auto& [low, high] : way.chooses) {
      int64_t l = 0, h = 0;
      ModelFault fault;
      if (!semantics_->value(low, state, l, fault) || !semantics_->value(high, state, h, fault)) return Landing::Unsure;
      if (h < l) return Landing::No;  // no value to choose: the edge is not enabled
      if (static_cast<__int128>(h) - l >= kMaxChoices) return Landing::Unsure;
      lo.push_back(l);
      size.push_back(h - l + 1);
      tries *= h - l + 1;
      if (tries > kMaxChoices) return Landing::Unsure;
    }
    Step step;
    step.edges = {way.edge};
    step.choices.resize(way.chooses.size());
    for (int64_t t = 0; t < tries; ++t) {
      int64_t rest = t;
      for (std::size_t c = 0; c < lo.size(); ++c) {
        step.choices[c] = lo[c] + rest % size[c];
        rest /= size[c];
      }
      // A fault (an update out of range, an invariant that cannot be evaluated) ends the run
      // there: it waits on nobody either.
      ModelFault fault;
      if (!semantics_->effect(state, step, after.data(), fault)) return Landing::Yes;
      if (semantics_->holds(way.target, after.data(), fault) || !fault.message.empty()) return Landing::Yes;
    }
    return Landing::No;
  }

  // Whether `e` reads what another machine than `instance` changes: its state, or a variable one
  // of its edges writes.
  bool reads_shared(const Expr& e, int instance) const {
    std::vector<bool> reads(model_.slots.size(), false);
    mark_reads(e, reads);
    for (std::size_t s = 0; s < reads.size(); ++s) {
      if (!reads[s]) continue;
      const Slot& slot = model_.slots[s];
      if (slot.kind == Slot::Kind::Location && slot.instance != instance) return true;
      for (int writer : written_by_[s])
        if (writer != instance) return true;
    }
    return false;
  }

  const Model& model_;
  const SpecText& text_;
  LintNames names_;
  std::vector<std::set<int>> written_by_;  // per slot: the instances whose edges write it
  bool timed_ = false;                     // the model has a clock
  std::unique_ptr<Semantics> semantics_;   // to try values in always_leaves(); none with free parameters
  std::vector<int> location_slot_;         // per instance: the slot of its state
  std::vector<std::vector<int>> invariant_readers_;  // per slot: the instances whose invariants read it
  std::vector<Stopper> stoppers_;
  std::vector<std::vector<int>> readers_;  // per slot: the edges whose guard, updates or chooses read it
  std::map<int, std::vector<int>> on_channel_;  // per channel: the edges that send or receive on it
  std::vector<std::vector<int>> changes_;  // per edge: its machine's state and the slots it writes
};

}  // namespace

std::vector<LintWarning> lint_edges(const Model& model, const SpecText& text) { return EdgeLint(model, text).run(); }

}  // namespace interlock

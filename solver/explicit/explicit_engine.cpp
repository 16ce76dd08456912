#include "solver/explicit/explicit_engine.h"

#include <deque>
#include <optional>

#include "model/cone.h"
#include "model/stuck_explanation.h"
#include "model/time_format.h"
#include "solver/explicit/condition_memo.h"
#include "solver/explicit/delay_properties.h"
#include "solver/explicit/explorer.h"
#include "solver/explicit/value_maximum.h"
#include "solver/trace/replay.h"

namespace interlock {
namespace {

// Finds the first state (in BFS order) from which no action is ever possible: follows ticks from
// each action-less state until an action appears (fine), time cannot pass (a timelock) or time
// passes forever without an action. Memoised, so each state is followed once. The tick
// successors are those the search recorded: in the transition graph, if there is one, or else
// its quiet ticks (Explorer::record_quiet_ticks()).
class DeadlockSearch {
 public:
  DeadlockSearch(const Explorer& explorer, RunContext& context, const TransitionGraph* graph)
      : ex_(explorer), context_(context), graph_(graph) {}

  enum class Result { None, Found, Limit };

  Result run(uint32_t& deadlocked) {
    const uint64_t states = ex_.store().size();
    memo_.assign(states, kUnknown);
    std::vector<uint32_t> chain;
    for (uint64_t i = 0; i < states; ++i) {
      if ((i & 4095) == 0 && context_.timed_out()) return Result::Limit;
      if (memo_[i] != kUnknown || ex_.has_action(static_cast<uint32_t>(i))) continue;
      chain.clear();
      uint32_t j = static_cast<uint32_t>(i);
      uint8_t verdict = kDead;
      for (;;) {
        if (ex_.has_action(j) || memo_[j] == kLive) { verdict = kLive; break; }
        if (memo_[j] == kDead || memo_[j] == kOnChain) { verdict = kDead; break; }  // known, or a cycle of ticks
        memo_[j] = kOnChain;
        chain.push_back(j);
        const uint32_t tick = graph_ ? graph_->tick[j] : ex_.quiet_tick(j);
        if (tick == TransitionGraph::kNoTick) break;  // time cannot pass and nothing can act
        j = tick;
      }
      for (uint32_t c : chain) memo_[c] = verdict;
      if (verdict == kDead) {
        deadlocked = static_cast<uint32_t>(i);
        return Result::Found;
      }
    }
    return Result::None;
  }

 private:
  static constexpr uint8_t kUnknown = 0, kLive = 1, kDead = 2, kOnChain = 3;
  const Explorer& ex_;
  RunContext& context_;
  const TransitionGraph* graph_;
  std::vector<uint8_t> memo_;
};

uint64_t mb_up(uint64_t bytes) { return (bytes + (uint64_t{1} << 20) - 1) >> 20; }

std::string fault_detail(const Model& model, const ModelFault& fault) {
  std::string where = fault.loc.line > 0 ? " at " + model.file + ":" + std::to_string(fault.loc.line) + ":" + std::to_string(fault.loc.col) : "";
  return fault.message + where;
}

// Checks the properties on `model`, which may be reduced to the properties' cone of influence,
// with its dead clocks held at 0.
std::vector<PropertyResult> check_states(const Model& model, const std::vector<int>& properties,
                                         RunContext& context, const std::string& name, DeadClocks dead,
                                         bool reductions = false) {
  Semantics semantics(model);
  semantics.hold_dead_clocks(std::move(dead));
  std::vector<PropertyResult> results(properties.size());
  struct Watch {
    std::size_t result;
    bool reachable;
    Compiled cond;
  };
  // Properties that need every reachable state: a maximum over states (ValueMaximum), and the
  // delay questions (responses, maxima of a delay) that also need the recorded transitions.
  // The conditions of the delay questions, each evaluated once per state however many questions
  // share it (a response and the maximum of the same delay, say).
  struct Condition {
    const Expr* expr;
    std::vector<std::size_t> results;  // the properties that ask: a failure to evaluate is theirs
    Compiled compiled;
    std::vector<bool> values;  // per state
    bool failed = false;
  };
  struct Delay {
    std::size_t result;
    DelayQuestion question;
    const Condition* p;
    const Condition* q;
  };
  std::deque<Condition> conditions;  // the questions point into it
  auto condition = [&](const Expr& e, std::size_t result) {
    for (Condition& c : conditions)
      if (same_expr(*c.expr, e)) {
        c.results.push_back(result);
        return &c;
      }
    conditions.push_back({&e, {result}, semantics.compile(e), {}, false});
    return &conditions.back();
  };
  std::vector<Watch> watches;
  std::vector<ValueMaximum> extremes;
  std::vector<uint32_t> best_state;  // per maximum: the first state with its best value
  std::vector<Delay> delays;
  std::optional<std::size_t> deadlock;
  for (std::size_t r = 0; r < properties.size(); ++r) {
    const Property& p = model.properties[properties[r]];
    results[r] = PropertyResult(p, name);
    switch (p.kind) {
      case Property::Kind::Invariant:
      case Property::Kind::Reachable:
        watches.push_back({r, p.kind == Property::Kind::Reachable, semantics.compile(*p.a)});
        break;
      case Property::Kind::DeadlockFree:
        deadlock = r;
        break;
      case Property::Kind::Response:
      case Property::Kind::Maximum:
        if (p.kind == Property::Kind::Maximum && !p.delay) {
          extremes.emplace_back(semantics, p, r);
          best_state.push_back(0);
          break;
        }
        const Condition* from = condition(*p.a, r);
        const Condition* to = condition(*p.b, r);
        Delay d{r, {&from->values, &to->values, -1}, from, to};
        if (p.within) d.question.within = within_bound(semantics, *p.within);
        delays.push_back(std::move(d));
        break;
    }
  }
  std::vector<std::optional<uint32_t>> found(watches.size());
  std::size_t open = watches.size();
  const bool every_state = !extremes.empty() || !delays.empty();
  if (open == 0 && !deadlock && !every_state) return results;

  Explorer explorer(semantics, context);
  TransitionGraph graph;
  if (!delays.empty()) explorer.record_transitions(&graph);
  // Deadlock freedom follows the tick successors of the states without an action: without the
  // graph the search notes them (4 bytes each) as it computes them.
  if (deadlock && delays.empty()) explorer.record_quiet_ticks();
  // Symmetry reduction, also for delays: the graph of representatives has, from each state, the
  // same runs up to a permutation of the copies, which no checked condition tells apart
  // (docs/engines.md, "Symmetry reduction").
  const CoverageRequest* request = context.limits().coverage.get();
  std::unique_ptr<Symmetry> symmetry;
  if (reductions && context.limits().symmetry)
    symmetry = Symmetry::detect(model, properties, semantics.dead_clocks(), request ? &request->watch : nullptr);
  if (symmetry) explorer.use_symmetry(symmetry.get());
  // Partial-order reduction: not with the transition graph either, nor when lint wants to know
  // every edge and state the whole space has (docs/engines.md says why each).
  std::unique_ptr<PartialOrder> por;
  std::string por_unused;  // why --por on was not used, said in the stats line
  if (context.limits().partial_order) {
    if (!reductions) por_unused = "--reduce off";
    else if (!delays.empty()) por_unused = "a response or delay property is checked (its transition graph needs every edge)";
    else if (request) por_unused = "lint is on (it needs every state and edge: --lint off)";
    else if (!(por = PartialOrder::build(semantics, properties))) por_unused = "one machine, no orders to leave out";
  }
  if (por) explorer.use_partial_order(por.get());
  if (!context.limits().partial_order_asked) por_unused.clear();  // on by default: where it applies
  // A property whose own formula cannot be evaluated in a reachable state gets a model error of
  // its own, with the trace to that state; the search goes on for the others.
  struct PropertyFault {
    std::size_t result;
    ModelFault fault;
    uint32_t state;
  };
  std::vector<PropertyFault> property_faults;
  std::vector<bool> property_failed(results.size(), false);
  auto fail = [&](const ModelFault& f, std::size_t result, uint32_t index) {
    if (property_failed[result]) return;
    property_failed[result] = true;
    property_faults.push_back({result, f, index});
  };
  ModelFault f;  // filled by an evaluation that fails, then handed to `fail` and cleared
  // Lint's watched conditions (solver/coverage.h): each evaluated until it is true once.
  std::vector<Compiled> watch_code;
  std::vector<Coverage::Seen> watched;
  std::vector<std::size_t> watch_open;  // the watches not yet seen true or failed
  if (request) {
    for (const Expr& e : request->watch) watch_code.push_back(semantics.compile(e));
    watched.assign(watch_code.size(), Coverage::Seen::Never);
    for (std::size_t k = 0; k < watch_code.size(); ++k) watch_open.push_back(k);
  }
  // The conditions' and watches' values, remembered by what they read (solver/explicit/
  // condition_memo.h): most states agree with one seen before on every slot those read.
  // Conditions first, then watches; by pointer, as the per-state loops below index them.
  std::vector<Condition*> condition_list;
  std::vector<const Expr*> memo_exprs;
  std::vector<const Compiled*> memo_code;
  for (Condition& c : conditions) {
    condition_list.push_back(&c);
    memo_exprs.push_back(c.expr);
    memo_code.push_back(&c.compiled);
  }
  for (const Watch& w : watches) {
    memo_exprs.push_back(&*model.properties[static_cast<std::size_t>(properties[w.result])].a);
    memo_code.push_back(&w.cond);
  }
  const std::size_t first_watch = condition_list.size();
  const std::unique_ptr<ConditionMemo> memo = ConditionMemo::for_formulas(explorer.layout(), model.slots.size(), memo_exprs);
  std::vector<uint8_t> values(memo_exprs.size());
  std::vector<ModelFault> faults(memo_exprs.size());
  std::vector<int32_t> unpacked(explorer.layout().slots() + 1);
  Explorer::Outcome outcome = explorer.run_packed([&](uint32_t index, const uint8_t* packed) {
    bool is_unpacked = false;
    auto state = [&] {
      if (!is_unpacked) explorer.layout().unpack(packed, unpacked.data());
      is_unpacked = true;
      return unpacked.data();
    };
    for (std::size_t k = 0; k < watch_open.size();) {
      const std::size_t w = watch_open[k];
      ModelFault wf;
      const bool value = semantics.holds(watch_code[w], state(), wf);
      if (!wf.message.empty() || value) {
        watched[w] = wf.message.empty() ? Coverage::Seen::Somewhere : Coverage::Seen::Unknown;
        watch_open[k] = watch_open.back();
        watch_open.pop_back();
        continue;
      }
      ++k;
    }
    for (std::size_t m = 0; m < extremes.size(); ++m) {
      const ValueMaximum::Seen seen = extremes[m].see(semantics, state(), f);
      if (seen == ValueMaximum::Seen::NewBest) best_state[m] = index;
      if (seen == ValueMaximum::Seen::Failed) {
        fail(f, extremes[m].result(), index);
        f = ModelFault{};
      }
    }
    // Every value, decided properties' too (so that the memo holds them all); a state where one
    // cannot be evaluated is not remembered, and its faults are reported as they arise below.
    const uint8_t* known = memo ? memo->find(packed) : nullptr;
    if (!known) {
      bool clean = true;
      for (std::size_t k = 0; k < memo_code.size(); ++k) {
        faults[k] = ModelFault{};
        values[k] = semantics.holds(*memo_code[k], state(), faults[k]);
        clean = clean && faults[k].message.empty();
      }
      if (clean && memo) memo->remember(values.data());
      known = values.data();
    }
    for (std::size_t k = 0; k < first_watch; ++k) {
      Condition& c = *condition_list[k];
      if (c.failed) {
        c.values.push_back(false);
        continue;
      }
      if (known == values.data() && !faults[k].message.empty()) {
        c.failed = true;
        for (std::size_t result : c.results) fail(faults[k], result, index);
      }
      c.values.push_back(known[k] != 0);
    }
    for (std::size_t w = 0; w < watches.size(); ++w) {
      if (found[w] || property_failed[watches[w].result]) continue;
      const std::size_t k = first_watch + w;
      if (known == values.data() && !faults[k].message.empty()) {
        fail(faults[k], watches[w].result, index);
        --open;
        continue;
      }
      if ((known[k] != 0) == watches[w].reachable) {
        found[w] = index;
        --open;
      }
    }
    return open == 0 && !deadlock && !every_state;
  });

  const bool complete = outcome == Explorer::Outcome::Complete;
  // A search that left some orders out (partial-order reduction) may reach a state by more steps.
  const std::string shortest = explorer.reduced_states() > 0 ? "a" : "a shortest";
  for (const PropertyFault& pf : property_faults) {
    PropertyResult& res = results[pf.result];
    res.verdict = Verdict::ModelError;
    ModelFault located = pf.fault;
    if (located.loc.line == 0) located.loc = model.properties[static_cast<std::size_t>(properties[pf.result])].loc;
    res.detail = fault_detail(model, located) + " in property '" + res.property + "'";
    res.trace = explorer.trace_to(pf.state);
    res.trace->final_note = "'" + res.property + "' cannot be evaluated here: " + pf.fault.message;
  }
  for (std::size_t w = 0; w < watches.size(); ++w) {
    PropertyResult& res = results[watches[w].result];
    if (property_failed[watches[w].result]) continue;
    if (found[w]) {
      res.verdict = watches[w].reachable ? Verdict::Holds : Verdict::Violated;
      res.trace = explorer.trace_to(*found[w]);
      res.trace->final_note = watches[w].reachable ? "reaches " + res.property : "violates " + res.property;
      res.detail = watches[w].reachable ? "reachable (" + shortest + " witness)" : shortest + " counterexample";
    } else if (complete) {
      res.verdict = watches[w].reachable ? Verdict::Violated : Verdict::Holds;
      res.detail = watches[w].reachable ? "no reachable state satisfies the condition" : "";
    }
  }

  uint32_t dead_state = 0;
  DeadlockSearch::Result dl = DeadlockSearch::Result::None;
  DeadlockSearch search(explorer, context, delays.empty() ? nullptr : &graph);
  if (deadlock && complete) dl = search.run(dead_state);
  if (deadlock) {
    PropertyResult& res = results[*deadlock];
    if (complete && dl == DeadlockSearch::Result::None) {
      res.verdict = Verdict::Holds;
    } else if (complete && dl == DeadlockSearch::Result::Found) {
      res.verdict = Verdict::Violated;
      res.trace = explorer.trace_to(dead_state);
      res.trace->final_note = "deadlock: from here no action is possible, now or after any delay";
      res.trace->stuck = true;
      res.detail = shortest + " trace to a deadlocked state";
    } else if (dl == DeadlockSearch::Result::Limit) {
      res.detail = "stopped while searching for deadlocks (" + context.stop_reason() + ")";
      res.stopped_by_limit = true;
    }
  }

  if (complete) {
    for (std::size_t m = 0; m < extremes.size(); ++m)
      if (!extremes[m].failed())
        extremes[m].answer(model, extremes[m].best() ? std::optional<Trace>(explorer.trace_to(best_state[m])) : std::nullopt,
                           results[extremes[m].result()]);
    std::vector<const Delay*> answerable;
    for (const Delay& d : delays)
      if (!d.p->failed && !d.q->failed) answerable.push_back(&d);
    if (!answerable.empty()) {
      // The analyses copy the graph a few times over: --memory is checked before they are made,
      // and the run's stop (the process guard's memory stop too) between them.
      DelayCache analyses;
      std::vector<const DelayQuestion*> questions;
      for (const Delay* d : answerable) questions.push_back(&d->question);
      const uint64_t in_use = explorer.store().memory_bytes() + graph.memory_bytes();
      uint64_t wanted = 0;
      const bool stopped_before = context.timed_out();
      const bool made = !stopped_before && prepare_delay_analyses(graph, questions, analyses, [&](uint64_t bytes) {
        wanted = bytes;
        return !context.over_memory(in_use + bytes);
      });
      for (const Delay* d : answerable) {
        PropertyResult& res = results[d->result];
        if (made && !context.timed_out()) {
          answer_delay(explorer, graph, d->question, res, analyses);
          continue;
        }
        res.stopped_by_limit = true;
        if (stopped_before || made)
          res.detail = std::string(made ? "stopped in" : "stopped before") + " the delay analysis (" + context.stop_reason() + ")";
        else  // whole MB rounded up: the total is over the limit exactly when the bytes are
          res.detail = "not analysed: with the delay analysis (up to " + std::to_string(mb_up(wanted)) +
                       " MB) the run may take " + std::to_string(mb_up(in_use + wanted)) + " MB, past the memory limit of " +
                       std::to_string(context.limits().memory_mb) + " MB";
      }
    }
  }

  Stats stats = explorer.stats();
  stats.por_note = por_unused;
  if (request && complete) {
    auto coverage = std::make_shared<Coverage>();
    coverage->states = stats.states;
    coverage->orbits = symmetry != nullptr;
    coverage->edges_taken = explorer.edges_taken();
    coverage->edges_taken.resize(model.edges.size());
    if (symmetry) symmetry->close_watched(watched);
    coverage->watched = std::move(watched);
    stats.coverage = std::move(coverage);
  }
  // A fault of the model itself (a step that fails) ends the search: every property it leaves
  // undecided shares it.
  const bool faulted = outcome == Explorer::Outcome::Fault;
  for (auto& res : results) {
    res.stats = stats;
    if (res.verdict != Verdict::Unknown || (complete && !faulted)) continue;
    if (faulted) {
      const ModelFault& f = explorer.fault();
      res.verdict = Verdict::ModelError;
      res.detail = fault_detail(model, f);
      if (!f.in_initial) {
        uint32_t at = explorer.fault_state();
        res.trace = explorer.trace_to(at);
        if (!f.step.edges.empty() || f.step.tick) {
          std::string what = semantics.describe_step(f.step);
          res.trace->final_note = "next step (" + what + ") fails: " + f.message;
        } else {
          res.trace->final_note = "fails here: " + f.message;
        }
      }
    } else if (res.detail.empty()) {
      res.detail = explorer.limit_reason().empty() ? "search stopped" : explorer.limit_reason();
      res.stopped_by_limit = true;
    }
  }
  return results;
}


}  // namespace

std::vector<PropertyResult> with_why(const Model& model, std::vector<PropertyResult> results) {
  std::optional<Semantics> semantics;
  for (PropertyResult& r : results) {
    if (!r.trace || !r.trace->stuck || r.trace->states.empty()) continue;
    if (!semantics) semantics.emplace(model);
    int64_t now = 0;
    for (const Step& s : r.trace->steps) now += s.elapsed();
    r.trace->why = explain_stuck(*semantics, r.trace->states.back(), now).lines;
  }
  return results;
}

// How often a lasso's cycle may be taken again on the whole model to come back to a state it was
// in (solver/trace/replay.h, close_cycle).
constexpr std::size_t kCycleRounds = 4096;

void lift_to_whole(const Model& whole, Trace& trace) {
  // Every step of the reduced model is possible on the whole model, and none fails (cone.h says why).
  Replayed full = replay_steps(whole, trace.steps);
  if (full.outcome != Replayed::Outcome::Ok)
    throw std::logic_error("internal error: a trace of the reduced model does not replay on the whole model");
  trace.states = std::move(full.trace.states);
  if (trace.loop_start >= 0 && !close_cycle(whole, trace, kCycleRounds))
    trace.final_note += " (in what the property reads: variables and clocks it does not read take more than " +
                        std::to_string(kCycleRounds) + " rounds of the cycle to come back)";
}

std::vector<PropertyResult> ExplicitEngine::check(const Model& model, const std::vector<int>& properties,
                                                  RunContext& context) {
  if (!reduce_ || !context.limits().reduce) return with_why(model, check_states(model, properties, context, name(), {}));
  // Two reductions that keep every verdict: variables nothing checked reads are dropped
  // (model/cone.h), and clocks are held at 0 where their value cannot matter (model/dead_clocks.h).
  Cone cone = cone_of_influence(model, properties);
  DeadClocks dead = dead_clocks(cone.model, properties);
  const bool reduced = !cone.dropped.empty() || any_dead(dead);
  std::vector<PropertyResult> results =
      check_states(cone.model, properties, context, name(), std::move(dead), /*reductions=*/true);
  if (!reduced) return with_why(model, std::move(results));
  for (PropertyResult& r : results)
    if (r.trace) lift_to_whole(model, *r.trace);
  return with_why(model, std::move(results));
}

}  // namespace interlock

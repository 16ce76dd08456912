#include "solver/distributed/distributed_delays.h"

#include <algorithm>
#include <memory>
#include <optional>

#include "solver/distributed/state_names.h"
#include "solver/explicit/condition_memo.h"
#include "solver/explicit/delay_analysis.h"
#include "solver/explicit/delay_properties.h"
#include "solver/explicit/path_trace.h"

namespace interlock {
namespace {

// A trigger or target, evaluated once in each local state however many questions share it.
struct Condition {
  const Expr* expr;
  std::vector<uint8_t> values;  // per local state
  uint64_t failed_at = kNoState;  // the first local state where it cannot be evaluated
  ModelFault fault;
};

std::size_t condition_of(std::vector<Condition>& conditions, const Expr& e) {
  for (std::size_t c = 0; c < conditions.size(); ++c)
    if (same_expr(*conditions[c].expr, e)) return c;
  conditions.push_back({&e, {}, kNoState, {}});
  return conditions.size() - 1;
}

// Each condition's value in every local state; as in one process, values are remembered by the
// bits of the state the conditions read (solver/explicit/condition_memo.h), and a condition is
// no longer evaluated after the first state where it fails.
void evaluate(DelaySearchView& view, std::vector<Condition>& conditions) {
  std::vector<Compiled> code;
  std::vector<const Expr*> exprs;
  for (Condition& c : conditions) {
    code.push_back(view.semantics.compile(*c.expr));
    exprs.push_back(c.expr);
    c.values.assign(view.states, 0);
  }
  const std::unique_ptr<ConditionMemo> memo = ConditionMemo::for_formulas(view.layout, view.semantics.model().slots.size(), exprs);
  std::vector<uint8_t> values(conditions.size());
  std::vector<int32_t> state(view.layout.slots() + 1);
  for (uint32_t i = 0; i < view.states; ++i) {
    const uint8_t* packed = view.state(i);
    const uint8_t* known = memo ? memo->find(packed) : nullptr;
    if (!known) {
      view.layout.unpack(packed, state.data());
      bool clean = true;
      for (std::size_t c = 0; c < conditions.size(); ++c) {
        Condition& cond = conditions[c];
        values[c] = 0;
        if (cond.failed_at != kNoState) continue;  // its answer is that fault
        ModelFault fault;
        values[c] = view.semantics.holds(code[c], state.data(), fault) ? 1 : 0;
        if (!fault.message.empty()) {
          cond.failed_at = i;
          cond.fault = fault;
          clean = false;
        }
      }
      if (clean && memo) memo->remember(values.data());
      known = values.data();
    }
    for (std::size_t c = 0; c < conditions.size(); ++c) conditions[c].values[i] = known[c];
  }
}

// The question's starts on this rank (by local index, in the order found), then over all ranks.
DelayStarts starts_of(DelaySearchView& view, const std::vector<uint8_t>& trigger, const DelayGraph::Analysis& a,
                      int64_t within) {
  DelayStarts mine;
  for (uint32_t i = 0; i < view.states; ++i) {
    if (!trigger[i]) continue;
    switch (a.kind[i]) {
      case DelayGraph::kOutside: mine.see(i, 0, false, within); break;
      case DelayGraph::kLeaves: mine.see(i, a.wait[i], false, within); break;
      case DelayGraph::kForever: mine.see(i, DelayAnalysis::kUnbounded, false, within); break;
      case DelayGraph::kStops: mine.see(i, a.wait[i], true, within); break;
    }
  }
  const MPI_Comm comm = view.exchange.comm();
  DelayStarts all;
  all.any = all_max(mine.any ? 1 : 0, comm) != 0;
  all.unbounded = view.first_of(mine.unbounded);
  all.over = view.first_of(mine.over);
  all.stops = view.first_of(mine.stops);
  all.worst = static_cast<int64_t>(all_max(mine.worst_at != DelayStarts::kNone ? static_cast<uint64_t>(mine.worst) : 0, comm));
  all.worst_at = view.first_of(mine.worst_at != DelayStarts::kNone && mine.worst == all.worst ? mine.worst_at : DelayStarts::kNone);
  return all;
}

// Collective: a value its owner holds for a state, on every rank.
template <typename T, typename Fn>
T from_owner(DelaySearchView& view, uint64_t name, Fn value) {
  T v{};
  if (rank_of(name) == view.exchange.rank()) v = value(index_of(name));
  MPI_Bcast(&v, sizeof v, MPI_BYTE, rank_of(name), view.exchange.comm());
  return v;
}

// Collective: the shortest way to `start`, then `walk` from there, as one trace (on rank 0).
std::optional<DelayTrace> trace_of(DelaySearchView& view, uint64_t start, const DelayGraph::Walk& walk) {
  std::vector<std::vector<uint8_t>> path = view.path_to(start);
  const std::size_t start_step = path.size() - 1;
  for (std::size_t k = 1; k < walk.states.size(); ++k) path.push_back(view.packed_of(walk.states[k]));
  if (view.exchange.rank() != 0) return std::nullopt;
  auto at = [&](std::size_t k) { return path[k].data(); };
  DelayTrace out;
  out.start_step = start_step;
  out.timelock = walk.ended;
  out.trace = walk.loop_start >= 0
                  ? lasso_through(view.semantics, view.layout, view.symmetry, path.size(), start_step + static_cast<std::size_t>(walk.loop_start), at)
                  : trace_through(view.semantics, view.layout, view.symmetry, path.size(), at);
  return out;
}

}  // namespace

void answer_delays(DelaySearchView& view, DelayGraph* graph, const std::vector<DelayProperty>& delays,
                   std::vector<PropertyResult>& results, const std::function<void(Trace&)>& finish_trace,
                   const std::function<void(std::size_t, const ModelFault&, uint64_t)>& condition_fault) {
  std::vector<Condition> conditions;
  std::vector<std::pair<std::size_t, std::size_t>> asks;  // per delay: its trigger's and its target's condition
  for (const DelayProperty& d : delays) {
    const std::size_t p = condition_of(conditions, *d.property->a);
    asks.emplace_back(p, condition_of(conditions, *d.property->b));
  }
  evaluate(view, conditions);

  // Grouped by target: the analysis of a region is made once for all the questions about it.
  std::vector<std::size_t> order(delays.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t x, std::size_t y) { return asks[x].second < asks[y].second; });
  std::optional<DelayGraph::Analysis> analysis;
  std::size_t analysed = SIZE_MAX;
  for (std::size_t k : order) {
    const DelayProperty& d = delays[k];
    PropertyResult& result = results[d.result];
    const auto [p, q] = asks[k];
    // As in one process: the first state where the trigger or the target cannot be evaluated
    // (when both fail there, the one first met among the properties' conditions).
    const uint64_t local_fault = std::min(conditions[p].failed_at, conditions[q].failed_at);
    const uint64_t fault_at = view.first_of(local_fault);
    if (fault_at != kNoState) {
      const bool trigger = conditions[p].failed_at == local_fault && (conditions[q].failed_at != local_fault || p < q);
      condition_fault(d.result, conditions[trigger ? p : q].fault, fault_at);
      continue;
    }
    if (!graph) continue;
    if (analysed != q) {
      analysis.reset();
      std::vector<uint8_t> region(view.states);
      for (uint32_t i = 0; i < view.states; ++i) region[i] = !conditions[q].values[i];
      analysis = graph->analyse(region, view.context);
      analysed = q;
    }
    const DelayGraph::Analysis& a = *analysis;
    if (a.timed_out) {
      result.detail = "stopped while analysing the delays between ranks (" + view.context.stop_reason() + ")";
      result.stopped_by_limit = true;
      continue;
    }
    const DelayStarts starts = starts_of(view, conditions[p].values, a, d.within);
    const bool over_unbounded =
        starts.over != DelayStarts::kNone &&
        from_owner<uint8_t>(view, starts.over, [&](uint32_t i) { return static_cast<uint8_t>(a.kind[i] == DelayGraph::kForever); });
    const DelayChoice choice = choose_delay_answer(starts, over_unbounded);
    int64_t wait = starts.worst;
    // Walks along a longest wait end where the run leaves the region, or after `most` + 1 ticks.
    auto longest = [&](int64_t most) {
      return graph->walk(choice.start, [&](uint32_t i) { return a.longest_next[i]; }, [&](uint64_t next, uint64_t ticks) {
        return (next & DelayGraph::kExitBit) != 0 || static_cast<int64_t>(ticks) > most;
      });
    };
    auto never = [](uint64_t, uint64_t) { return false; };
    std::optional<DelayTrace> trace;
    switch (choice.answer) {
      case DelayAnswer::Vacuous:
        break;
      case DelayAnswer::Forever:
        trace = trace_of(view, choice.start, graph->walk(choice.start, [&](uint32_t i) { return a.forever_next[i]; }, never));
        break;
      case DelayAnswer::TooLong:
        wait = from_owner<int64_t>(view, choice.start, [&](uint32_t i) { return a.wait[i]; });
        trace = trace_of(view, choice.start, longest(d.within));
        break;
      case DelayAnswer::TimeStops:
        trace = trace_of(view, choice.start, graph->walk(choice.start, [&](uint32_t i) { return a.stop_next[i]; }, never));
        break;
      case DelayAnswer::Bounded:
        if (result.kind == Property::Kind::Maximum && wait > 0) trace = trace_of(view, choice.start, longest(wait));
        break;
    }
    if (view.exchange.rank() != 0) continue;
    write_delay_answer(view.semantics.model(), d.within, choice.answer, wait, std::move(trace), result);
    if (result.trace) finish_trace(*result.trace);
  }
}

}  // namespace interlock

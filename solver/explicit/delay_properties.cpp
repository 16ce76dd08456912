#include "solver/explicit/delay_properties.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <functional>
#include <stdexcept>
#include <thread>

#include "model/diagnostics.h"
#include "model/time_format.h"


namespace interlock {
namespace {

// The shortest way to `start`, then `run` from there, as one trace.
DelayTrace trace_through(Explorer& explorer, uint32_t start, const DelayAnalysis::Run& run) {
  std::vector<uint32_t> path = explorer.path_to(start);
  DelayTrace out;
  out.start_step = path.size() - 1;
  out.timelock = run.timelock;
  path.insert(path.end(), run.states.begin() + 1, run.states.end());
  out.trace = run.loop_start >= 0 ? explorer.trace_lasso(path, out.start_step + static_cast<std::size_t>(run.loop_start))
                                  : explorer.trace_along(path);
  return out;
}

int64_t time_at(const Trace& trace, std::size_t step) {
  int64_t t = 0;
  for (std::size_t i = 0; i < step && i < trace.steps.size(); ++i) t += trace.steps[i].elapsed();
  return t;
}

// "time 1490", or with a calendar "day 2 00:50".
std::string at_time(const Model& model, const Trace& trace, std::size_t step) {
  const int64_t t = time_at(trace, step);
  return model.calendar == Calendar::None ? "time " + std::to_string(t) : wall_time(model, t);
}


// Runs the tasks on up to as many threads as the machine has cores, and passes on the first
// exception one of them throws.
void run_in_parallel(const std::vector<std::function<void()>>& tasks) {
  std::atomic<std::size_t> next{0};
  std::vector<std::exception_ptr> errors(tasks.size());
  auto work = [&] {
    for (std::size_t k = next++; k < tasks.size(); k = next++) {
      try {
        tasks[k]();
      } catch (...) {
        errors[k] = std::current_exception();
      }
    }
  };
  const std::size_t cores = std::max(1u, std::thread::hardware_concurrency());
  std::vector<std::thread> helpers;
  for (std::size_t t = 1; t < std::min(cores, tasks.size()); ++t) helpers.emplace_back(work);
  work();
  for (std::thread& t : helpers) t.join();
  for (const std::exception_ptr& e : errors)
    if (e) std::rethrow_exception(e);
}

}  // namespace

uint64_t delay_analysis_bytes(const TransitionGraph& graph, const std::vector<bool>& region) {
  uint64_t states = 0, edges = 0;
  for (uint32_t s = 0; s < region.size(); ++s)
    if (region[s]) {
      ++states;
      edges += graph.successors(s).size();
    }
  // Per state of the graph: its component, the search's parent, the region's numbering; per state
  // of the region: its offsets, counts and lists (about ten words); per edge: the region graph,
  // Tarjan's copy of it and its sources.
  return 16 * uint64_t{graph.states()} + 48 * states + 16 * edges;
}

bool prepare_delay_analyses(const TransitionGraph& graph, const std::vector<const DelayQuestion*>& questions,
                            DelayCache& cache, const std::function<bool(uint64_t)>& fits) {
  // The questions not yet in the cache, one per pair of conditions.
  std::vector<const DelayQuestion*> fresh;
  auto known = [&](const DelayQuestion* q) {
    for (const DelayCache::Entry& e : cache.entries)
      if (e.p == q->p && e.q == q->q) return true;
    for (const DelayQuestion* f : fresh)
      if (f->p == q->p && f->q == q->q) return true;
    return false;
  };
  for (const DelayQuestion* q : questions)
    if (!known(q)) fresh.push_back(q);
  if (fresh.empty()) return true;

  // Only the states a run from a start can visit before q matter: the analysis covers those.
  std::vector<std::vector<bool>> regions(fresh.size());
  std::vector<std::function<void()>> tasks;
  for (std::size_t k = 0; k < fresh.size(); ++k)
    tasks.push_back([&, k] {
      const std::vector<bool>& p = *fresh[k]->p;
      const std::vector<bool>& q = *fresh[k]->q;
      std::vector<bool> outside_q(q.size());
      std::vector<uint32_t> starts;
      for (std::size_t s = 0; s < q.size(); ++s) {
        outside_q[s] = !q[s];
        if (p[s] && !q[s]) starts.push_back(static_cast<uint32_t>(s));
      }
      regions[k] = reachable_within(graph, starts, outside_q);
    });
  run_in_parallel(tasks);

  // One analysis per region: questions whose regions are equal share it.
  std::vector<std::shared_ptr<const DelayAnalysis>> shared(fresh.size());
  std::vector<std::size_t> built;  // indexes into fresh whose analysis is made here
  for (std::size_t k = 0; k < fresh.size(); ++k) {
    for (const DelayCache::Entry& e : cache.entries)
      if (e.region == regions[k]) shared[k] = e.analysis;
    bool same_as_built = false;
    for (std::size_t b : built) same_as_built = same_as_built || regions[b] == regions[k];
    if (!shared[k] && !same_as_built) built.push_back(k);
  }
  if (fits) {
    uint64_t bytes = 0;
    for (std::size_t b : built) bytes += delay_analysis_bytes(graph, regions[b]);
    if (!fits(bytes)) return false;
  }
  tasks.clear();
  for (std::size_t b : built)
    tasks.push_back([&, b] { shared[b] = std::make_shared<const DelayAnalysis>(graph, regions[b]); });
  run_in_parallel(tasks);
  for (std::size_t k = 0; k < fresh.size(); ++k)
    for (std::size_t b : built)
      if (!shared[k] && regions[b] == regions[k]) shared[k] = shared[b];
  for (std::size_t k = 0; k < fresh.size(); ++k)
    cache.entries.push_back({fresh[k]->p, fresh[k]->q, std::move(regions[k]), std::move(shared[k])});
  return true;
}

int64_t within_bound(const Semantics& semantics, const Expr& e) {
  std::vector<int32_t> none(semantics.model().slots.size() + 1, 0);
  int64_t v = 0;
  ModelFault fault;
  if (!semantics.value(semantics.compile(e), none.data(), v, fault))
    throw InputError(semantics.model().file + ":" + std::to_string(e.loc.line) + ":" + std::to_string(e.loc.col) +
                     ": error: the 'within' bound cannot be evaluated: " + fault.message + "\n");
  if (v < 0)
    throw InputError(semantics.model().file + ":" + std::to_string(e.loc.line) + ":" + std::to_string(e.loc.col) +
                     ": error: the 'within' bound is negative (" + std::to_string(v) + ")\n");
  return v;
}

void DelayStarts::see(uint64_t state, int64_t waits, bool can_stop, int64_t within) {
  any = true;
  if (waits == DelayAnalysis::kUnbounded) {
    if (unbounded == kNone) unbounded = state;
    if (within >= 0 && over == kNone) over = state;
    return;
  }
  if (within >= 0 && waits > within && over == kNone) over = state;  // before any unbounded one
  if (can_stop && stops == kNone) stops = state;
  if (worst_at == kNone || waits > worst) {
    worst = waits;
    worst_at = state;
  }
}

DelayChoice choose_delay_answer(const DelayStarts& starts, bool over_unbounded) {
  if (!starts.any) return {DelayAnswer::Vacuous, DelayStarts::kNone};
  // The earliest violation: an unbounded wait where the first start over the bound is one.
  if (starts.over != DelayStarts::kNone && over_unbounded) return {DelayAnswer::Forever, starts.over};
  if (starts.unbounded != DelayStarts::kNone && starts.over == DelayStarts::kNone) return {DelayAnswer::Forever, starts.unbounded};
  if (starts.over != DelayStarts::kNone) return {DelayAnswer::TooLong, starts.over};
  if (starts.stops != DelayStarts::kNone) return {DelayAnswer::TimeStops, starts.stops};
  return {DelayAnswer::Bounded, starts.worst_at};
}

void write_delay_answer(const Model& model, int64_t within, DelayAnswer answer, int64_t wait,
                        std::optional<DelayTrace> run, PropertyResult& result) {
  auto ticks = [&](int64_t n) { return duration_with_ticks(model, n); };
  const bool is_maximum = result.kind == Property::Kind::Maximum;
  auto needs_trace = [&] {
    if (!run) throw std::logic_error("internal error: a delay answer without its trace");
    run->trace.marks.emplace_back(run->start_step, "the trigger holds here, and the target does not");
    return at_time(model, run->trace, run->start_step);
  };
  switch (answer) {
    case DelayAnswer::Vacuous:
      result.verdict = Verdict::Holds;
      result.detail = is_maximum ? "no reachable state satisfies the starting condition, so there is no delay"
                                 : "vacuously: no reachable state satisfies the trigger";
      return;
    case DelayAnswer::Forever: {
      const std::string from = needs_trace();
      result.detail = "from " + from + " on, time passes forever and the target never holds";
      if (within >= 0) result.detail = "the trigger holds at " + from + " and then time passes forever without the target";
      run->trace.final_note = "back where the cycle began: it repeats forever";
      result.trace = std::move(run->trace);
      result.unbounded = true;
      result.verdict = is_maximum ? Verdict::Holds : Verdict::Violated;
      if (is_maximum) result.detail = "unbounded: " + result.detail;
      return;
    }
    case DelayAnswer::TooLong: {
      const std::string from = needs_trace();
      result.detail = "the trigger holds at " + from + " and the target does not hold within " +
                      duration_text(model, within) + " (the longest wait from there is " + ticks(wait) + ")";
      // (The target may hold in the last state, reached by the tick that ends the bound.)
      run->trace.final_note = duration_text(model, within + 1) + " since the trigger, and the target did not hold within " +
                              duration_text(model, within);
      result.trace = std::move(run->trace);
      result.verdict = Verdict::Violated;
      result.value = wait;
      if (model.tick_seconds > 0) result.value_text = duration_text(model, wait);
      return;
    }
    case DelayAnswer::TimeStops: {
      const std::string from = needs_trace();
      run->trace.final_note = run->timelock ? "time stops here: no action and no tick is possible (a timelock)"
                                            : "a cycle of actions that takes no time: it can repeat forever";
      run->trace.stuck = run->timelock;
      result.detail = "cannot decide: from " + from + " a run can stop time before the target holds, and such runs are not real runs";
      result.trace = std::move(run->trace);
      result.verdict = Verdict::Unknown;
      return;
    }
    case DelayAnswer::Bounded:
      result.verdict = Verdict::Holds;
      result.value = wait;
      if (model.tick_seconds > 0) result.value_text = duration_text(model, wait);
      if (!is_maximum) {
        result.detail = "the longest wait is " + ticks(wait);
      } else if (wait > 0) {
        const std::string from = needs_trace();
        result.detail = ticks(wait) + ", from " + from + " to the end of this trace";
        run->trace.final_note = "the target holds, " + duration_text(model, wait) + " after the start";
        result.trace = std::move(run->trace);
      } else {
        result.detail = ticks(0) + ": whenever the start holds, the target holds in the same instant (no time passes)";
      }
      return;
  }
}

void answer_delay(Explorer& explorer, const TransitionGraph& graph, const DelayQuestion& question,
                  PropertyResult& result, DelayCache& cache) {
  const std::vector<bool>& p = *question.p;
  const std::vector<bool>& q = *question.q;
  DelayStarts starts;  // none: the answer is vacuous
  const DelayAnalysis* analysis = nullptr;
  if (std::find(p.begin(), p.end(), true) != p.end()) {
    prepare_delay_analyses(graph, {&question}, cache);
    for (const DelayCache::Entry& e : cache.entries)
      if (e.p == question.p && e.q == question.q) analysis = e.analysis.get();
    // In breadth-first order: the first start of each kind has the shortest prefix.
    for (uint32_t s = 0; s < p.size(); ++s) {
      if (!p[s]) continue;
      if (q[s]) starts.see(s, 0, false, question.within);
      else starts.see(s, analysis->worst(s), analysis->time_can_stop(s), question.within);
    }
  }
  const bool over_unbounded = starts.over != DelayStarts::kNone &&
                              analysis->worst(static_cast<uint32_t>(starts.over)) == DelayAnalysis::kUnbounded;
  const DelayChoice choice = choose_delay_answer(starts, over_unbounded);
  const uint32_t start = static_cast<uint32_t>(choice.start);
  std::optional<DelayTrace> trace;
  int64_t wait = starts.worst;
  switch (choice.answer) {
    case DelayAnswer::Vacuous:
      break;
    case DelayAnswer::Forever:
      trace = trace_through(explorer, start, analysis->forever(start));
      break;
    case DelayAnswer::TooLong:
      wait = analysis->worst(start);
      trace = trace_through(explorer, start, analysis->longest(start, question.within));
      break;
    case DelayAnswer::TimeStops:
      trace = trace_through(explorer, start, analysis->to_time_stop(start));
      break;
    case DelayAnswer::Bounded:
      if (result.kind == Property::Kind::Maximum && wait > 0) trace = trace_through(explorer, start, analysis->longest(start, wait));
      break;
  }
  write_delay_answer(explorer.semantics().model(), question.within, choice.answer, wait, std::move(trace), result);
}

}  // namespace interlock

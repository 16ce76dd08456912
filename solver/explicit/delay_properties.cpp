#include "solver/explicit/delay_properties.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <functional>
#include <thread>

#include "model/time_format.h"


namespace interlock {
namespace {

// The shortest way to `start`, then `run` from there, as one trace.
Trace trace_through(Explorer& explorer, uint32_t start, const DelayAnalysis::Run& run, std::size_t& start_step) {
  std::vector<uint32_t> path = explorer.path_to(start);
  start_step = path.size() - 1;
  path.insert(path.end(), run.states.begin() + 1, run.states.end());
  Trace trace = run.loop_start >= 0 ? explorer.trace_lasso(path, start_step + static_cast<std::size_t>(run.loop_start))
                                     : explorer.trace_along(path);
  trace.marks.emplace_back(start_step, "the trigger holds here, and the target does not");
  return trace;
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

void prepare_delay_analyses(const TransitionGraph& graph, const std::vector<const DelayQuestion*>& questions,
                            DelayCache& cache) {
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
  if (fresh.empty()) return;

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
  tasks.clear();
  for (std::size_t b : built)
    tasks.push_back([&, b] { shared[b] = std::make_shared<const DelayAnalysis>(graph, regions[b]); });
  run_in_parallel(tasks);
  for (std::size_t k = 0; k < fresh.size(); ++k)
    for (std::size_t b : built)
      if (!shared[k] && regions[b] == regions[k]) shared[k] = shared[b];
  for (std::size_t k = 0; k < fresh.size(); ++k)
    cache.entries.push_back({fresh[k]->p, fresh[k]->q, std::move(regions[k]), std::move(shared[k])});
}

void answer_delay(Explorer& explorer, const TransitionGraph& graph, const DelayQuestion& question,
                  PropertyResult& result, DelayCache& cache) {
  const Model& model = explorer.semantics().model();
  auto ticks = [&](int64_t n) { return duration_with_ticks(model, n); };
  const bool is_maximum = result.kind == Property::Kind::Maximum;
  const std::vector<bool>& p = *question.p;
  const std::vector<bool>& q = *question.q;
  bool any_start = false;
  for (std::size_t s = 0; s < p.size() && !any_start; ++s) any_start = p[s];
  if (!any_start) {
    result.verdict = Verdict::Holds;
    result.detail = is_maximum ? "no reachable state satisfies the starting condition, so there is no delay"
                               : "vacuously: no reachable state satisfies the trigger";
    return;
  }
  prepare_delay_analyses(graph, {&question}, cache);
  const DelayAnalysis* found = nullptr;
  for (const DelayCache::Entry& e : cache.entries)
    if (e.p == question.p && e.q == question.q) found = e.analysis.get();
  const DelayAnalysis& analysis = *found;

  // The first start (in breadth-first order, so with the shortest prefix) of each kind of answer.
  constexpr uint32_t kNone = UINT32_MAX;
  uint32_t unbounded = kNone, over = kNone, stops = kNone, worst_at = kNone;
  int64_t worst = 0;
  for (uint32_t s = 0; s < p.size(); ++s) {
    if (!p[s]) continue;
    if (q[s]) {
      if (worst_at == kNone) worst_at = s;
      continue;
    }
    const int64_t w = analysis.worst(s);
    if (w == DelayAnalysis::kUnbounded) {
      if (unbounded == kNone) unbounded = s;
      if (question.within >= 0 && over == kNone) over = s;
      continue;
    }
    if (question.within >= 0 && w > question.within && over == kNone) over = s;  // before any unbounded one
    if (analysis.time_can_stop(s) && stops == kNone) stops = s;
    if (worst_at == kNone || w > worst) {
      worst = w;
      worst_at = s;
    }
  }

  std::size_t start_step = 0;
  if (over != kNone && analysis.worst(over) == DelayAnalysis::kUnbounded) unbounded = over;  // the earliest violation
  if (unbounded != kNone && (over == kNone || over == unbounded)) {
    Trace trace = trace_through(explorer, unbounded, analysis.forever(unbounded), start_step);
    result.detail = "from " + at_time(model, trace, start_step) + " on, time passes forever and the target never holds";
    if (question.within >= 0) result.detail = "the trigger holds at " + at_time(model, trace, start_step) + " and then time passes forever without the target";
    trace.final_note = "back where the cycle began: it repeats forever";
    result.trace = std::move(trace);
    result.unbounded = true;
    result.verdict = is_maximum ? Verdict::Holds : Verdict::Violated;
    if (is_maximum) result.detail = "unbounded: " + result.detail;
    return;
  }
  if (over != kNone) {
    Trace trace = trace_through(explorer, over, analysis.longest(over, question.within), start_step);
    result.detail = "the trigger holds at " + at_time(model, trace, start_step) + " and the target does not hold within " +
                    duration_text(model, question.within) + " (the longest wait from there is " + ticks(analysis.worst(over)) + ")";
    // (The target may hold in the last state, reached by the tick that ends the bound.)
    trace.final_note = duration_text(model, question.within + 1) + " since the trigger, and the target did not hold within " +
                       duration_text(model, question.within);
    result.trace = std::move(trace);
    result.verdict = Verdict::Violated;
    result.value = analysis.worst(over);
    if (model.tick_seconds > 0) result.value_text = duration_text(model, *result.value);
    return;
  }
  if (stops != kNone) {
    DelayAnalysis::Run run = analysis.to_time_stop(stops);
    Trace trace = trace_through(explorer, stops, run, start_step);
    trace.final_note = run.timelock ? "time stops here: no action and no tick is possible (a timelock)"
                                    : "a cycle of actions that takes no time: it can repeat forever";
    trace.stuck = run.timelock;
    result.detail = "cannot decide: from " + at_time(model, trace, start_step) +
                    " a run can stop time before the target holds, and such runs are not real runs";
    result.trace = std::move(trace);
    result.verdict = Verdict::Unknown;
    return;
  }
  result.verdict = Verdict::Holds;
  result.value = worst;
  if (model.tick_seconds > 0) result.value_text = duration_text(model, worst);
  if (is_maximum) {
    if (worst > 0) {
      Trace trace = trace_through(explorer, worst_at, analysis.longest(worst_at, worst), start_step);
      result.detail = ticks(worst) + ", from " + at_time(model, trace, start_step) + " to the end of this trace";
      trace.final_note = "the target holds, " + duration_text(model, worst) + " after the start";
      result.trace = std::move(trace);
    } else {
      result.detail = ticks(0) + ": the target always holds at the moment the start does";
    }
  } else {
    result.detail = "the longest wait is " + ticks(worst);
  }
}

}  // namespace interlock

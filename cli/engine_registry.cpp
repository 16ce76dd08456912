#include "cli/engine_registry.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <new>
#include <optional>
#include <thread>

#include "solver/explicit/explicit_engine.h"
#include "solver/z3/bmc_engine.h"
#include "solver/z3/chc_engine.h"
#include "solver/z3/kind_engine.h"

namespace interlock {

std::unique_ptr<Engine> make_engine(const std::string& name) {
  if (name == "explicit") return std::make_unique<ExplicitEngine>();
  if (name == "bmc") return std::make_unique<BmcEngine>();
  if (name == "chc") return std::make_unique<ChcEngine>();
  if (name == "kind") return std::make_unique<KInductionEngine>();
  return nullptr;
}

std::vector<std::string> engine_names() { return {"explicit", "bmc", "kind", "chc"}; }

std::vector<PropertyResult> run_engine(Engine& engine, const Model& model, const std::vector<int>& properties,
                                       RunContext& context) {
  try {
    return engine.check(model, properties, context);
  } catch (const std::bad_alloc&) {
    throw;  // out of memory, stopping or not: said as such by the command line
  } catch (const std::exception&) {
    if (!context.timed_out()) throw;
    std::vector<PropertyResult> stopped;
    for (int index : properties) {
      PropertyResult r(model.properties[static_cast<std::size_t>(index)], engine.name());
      r.detail = "stopped (" + context.stop_reason() + ")";
      r.stopped_by_limit = true;
      stopped.push_back(std::move(r));
    }
    return stopped;
  }
}

namespace {

// An invariant or a response on chc and, beside it, k-induction for a short while (it proves
// small finite systems and finds shallow violations, where Spacer may struggle with division or
// a `choose`; it gives up at once on a response without `within`): the first that decides wins
// and stops the other.
PropertyResult prove(const Model& model, int index, double seconds) {
  const Property& p = model.properties[static_cast<std::size_t>(index)];
  if (p.kind == Property::Kind::Response && !p.within) {  // k-induction has nothing to add
    Limits limits;
    limits.timeout_seconds = seconds;
    RunContext own(limits, nullptr);
    ChcEngine chc;
    return run_engine(chc, model, {index}, own).at(0);
  }
  std::atomic<bool> decided{false};
  Limits kind_limits;
  kind_limits.timeout_seconds = std::min(seconds, kAutoKindSeconds);
  std::optional<PropertyResult> by_kind;
  std::exception_ptr kind_failed;  // an internal error there is one here
  std::thread kind([&] {
    RunContext own(kind_limits, nullptr);
    own.cancel_with(&decided);
    try {
      // A call that a stop interrupts (chc decided, or k-induction's own time ran out) is that
      // stop (run_engine()), not a fault, and must not stop chc.
      KInductionEngine engine;
      PropertyResult r = run_engine(engine, model, {index}, own).at(0);
      if (r.verdict != Verdict::Unknown) decided = true;
      by_kind = std::move(r);
    } catch (...) {
      kind_failed = std::current_exception();
      decided = true;
    }
  });
  struct Join {  // if chc throws, k-induction is stopped and its thread joined all the same
    std::thread& t;
    std::atomic<bool>& stop;
    ~Join() {
      stop = true;
      if (t.joinable()) t.join();
    }
  } join{kind, decided};
  Limits chc_limits;
  chc_limits.timeout_seconds = seconds;
  RunContext own(chc_limits, nullptr);
  own.cancel_with(&decided);
  ChcEngine chc;
  PropertyResult by_chc = run_engine(chc, model, {index}, own).at(0);  // as above
  const bool chc_decided = by_chc.verdict != Verdict::Unknown && !decided.exchange(true);
  kind.join();
  if (kind_failed) std::rethrow_exception(kind_failed);
  if (chc_decided) return by_chc;
  if (by_kind && by_kind->verdict != Verdict::Unknown) return *by_kind;
  by_chc.detail += "; k-induction: " + (by_kind ? by_kind->detail : std::string("not run"));
  return by_chc;
}

// One property on a symbolic engine with its own time budget, so that one hard property cannot
// starve the rest; nullopt for the kinds only the explicit engine checks.
// A reachable property that bmc found no witness for: the provers try the invariant `!c`. Proven,
// no state satisfies c for any allowed value (unreachable); violated, its counterexample is a
// witness, replayed like every trace.
PropertyResult reachable_by_proof(const Model& model, int index, double seconds, PropertyResult searched) {
  const Property& p = model.properties[static_cast<std::size_t>(index)];
  Model negated = model;
  Property never;
  never.kind = Property::Kind::Invariant;
  never.name = p.name;
  never.loc = p.loc;
  Expr not_c;
  not_c.op = Expr::Op::Not;
  not_c.type = ValueType::Bool;
  not_c.loc = p.a->loc;
  not_c.kids.push_back(*p.a);
  never.a = std::move(not_c);
  negated.properties.push_back(std::move(never));
  PropertyResult proof = prove(negated, static_cast<int>(negated.properties.size() - 1), seconds);
  if (proof.verdict == Verdict::Unknown || proof.verdict == Verdict::ModelError) {
    searched.detail += "; proving it unreachable: " + proof.detail;
    return proof.verdict == Verdict::ModelError ? proof : searched;
  }
  PropertyResult r = proof;
  r.kind = Property::Kind::Reachable;
  if (proof.verdict == Verdict::Holds) {
    r.verdict = Verdict::Violated;
    r.detail = "no reachable state satisfies the condition, for every parameter value allowed (" + proof.engine +
               " proves its negation: " + proof.detail + ")";
  } else {
    r.verdict = Verdict::Holds;
    r.detail = "reachable: the witness is " + proof.engine + "'s counterexample to its negation";
    if (r.trace) r.trace->final_note = "satisfies " + p.name;
  }
  return r;
}

bool checked_symbolically(const Property& p) {
  return p.kind == Property::Kind::Invariant || p.kind == Property::Kind::Response || p.kind == Property::Kind::Reachable;
}

std::optional<PropertyResult> check_symbolic(const Model& model, int index, double seconds) {
  const Property& p = model.properties[index];
  if (!checked_symbolically(p)) return std::nullopt;
  if (p.kind != Property::Kind::Reachable) return prove(model, index, seconds);
  Limits limits;
  limits.timeout_seconds = seconds / 2;  // the other half for the provers, if bmc finds no witness
  RunContext own(limits, nullptr);
  BmcEngine bmc;
  PropertyResult searched = run_engine(bmc, model, {index}, own).at(0);
  if (searched.verdict != Verdict::Unknown) return searched;
  return reachable_by_proof(model, index, seconds / 2, std::move(searched));
}

}  // namespace

std::vector<PropertyResult> check_auto(const Model& model, const std::vector<int>& properties, RunContext& context,
                                       const std::function<void(const std::vector<PropertyResult>&)>& progress) {
  auto report = [&](const std::vector<PropertyResult>& results) {
    if (progress) progress(results);
  };
  const bool all_fixed = !model.has_free_params();
  const double timeout = context.limits().timeout_seconds;
  if (all_fixed) {
    // The explicit engine first; when it hits --memory or --timeout (given half of the time),
    // the properties it left open go to the symbolic engines with the rest of the time.
    const bool limited = context.limits().memory_mb > 0 || timeout > 0;
    if (!limited) return ExplicitEngine().check(model, properties, context);
    Limits first = context.limits();
    if (timeout > 0) first.timeout_seconds = timeout / 2;
    RunContext explicit_context(first, nullptr);
    std::vector<PropertyResult> results = ExplicitEngine().check(model, properties, explicit_context);
    report(results);
    std::size_t open = 0;  // stopped by the limit, not yet tried here
    for (const PropertyResult& r : results) open += r.stopped_by_limit;
    for (std::size_t r = 0; r < results.size(); ++r) {
      if (!results[r].stopped_by_limit) continue;  // other unknowns stand (runs that stop time, say)
      // Each open property has an equal share of the time left, and what one leaves is the next's.
      const double left = timeout > 0 ? timeout - context.elapsed() : kAutoSecondsPerProperty * static_cast<double>(open);
      const double share = left / static_cast<double>(open--);
      if (left <= 0) continue;
      std::optional<PropertyResult> symbolic = check_symbolic(model, properties[r], share);
      if (!symbolic) continue;
      symbolic->detail = (symbolic->detail.empty() ? "" : symbolic->detail + "; ") + "the explicit engine stopped first, after " +
                         std::to_string(results[r].stats.states) + " states (" + results[r].detail + ")";
      results[r] = *symbolic;
      report(results);
    }
    return results;
  }
  // --timeout bounds the whole run: each property has an equal share of the time left, and what
  // one leaves is the next's.
  std::size_t open = 0;
  for (int index : properties) open += checked_symbolically(model.properties[static_cast<std::size_t>(index)]);
  std::vector<PropertyResult> results;
  for (int index : properties) {
    const Property& p = model.properties[static_cast<std::size_t>(index)];
    if (checked_symbolically(p) && context.timed_out()) {
      PropertyResult stopped(p, "auto");
      stopped.detail = "not checked: " + context.stop_reason();
      stopped.stopped_by_limit = true;
      results.push_back(stopped);
      report(results);
      --open;
      continue;
    }
    const double seconds = timeout > 0 && open > 0 ? (timeout - context.elapsed()) / static_cast<double>(open) : kAutoSecondsPerProperty;
    if (checked_symbolically(p)) --open;
    std::optional<PropertyResult> r = check_symbolic(model, index, seconds);
    if (r) {
      results.push_back(*r);
      report(results);
      continue;
    }
    PropertyResult pending(model.properties[index], "auto");
    pending.detail = "with free parameters only invariant, reachable and response properties are checked; give every "
                     "parameter a value (--set) for the explicit engine";
    results.push_back(pending);
  }
  return results;
}

}  // namespace interlock

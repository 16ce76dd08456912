#include "solver/explicit_engine.h"

#include <optional>

#include "solver/explorer.h"

namespace interlock {
namespace {

// Finds the first state (in BFS order) from which no action is ever possible: follows ticks from
// each action-less state until an action appears (fine), time cannot pass (a timelock) or time
// passes forever without an action. Memoised, so each state is followed once.
class DeadlockSearch {
 public:
  DeadlockSearch(Explorer& explorer, RunContext& context) : ex_(explorer), context_(context) {}

  enum class Result { None, Found, Limit, Fault };

  Result run(uint32_t& deadlocked) {
    const StateStore& store = ex_.store();
    memo_.assign(store.size(), kUnknown);
    const Semantics& sem = ex_.semantics();
    std::vector<int32_t> state(ex_.layout().slots() + 1), later(ex_.layout().slots() + 1);
    std::vector<uint8_t> packed(ex_.layout().buffer_bytes());
    std::vector<uint32_t> chain;
    for (uint64_t i = 0; i < store.size(); ++i) {
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
        ex_.layout().unpack(store.state(j), state.data());
        ModelFault fault;
        if (!sem.tick(state.data(), later.data(), fault)) {
          if (!fault.message.empty()) { fault_ = fault; fault_state_ = j; return Result::Fault; }
          verdict = kDead;  // time cannot pass and nothing can act
          break;
        }
        ex_.layout().pack(later.data(), packed.data());
        uint32_t k = store.find(packed.data());
        if (k == StateStore::kNotFound) throw std::logic_error("internal error: a tick leads outside the explored states");
        j = k;
      }
      for (uint32_t c : chain) memo_[c] = verdict;
      if (verdict == kDead) {
        deadlocked = static_cast<uint32_t>(i);
        return Result::Found;
      }
    }
    return Result::None;
  }

  ModelFault fault_;
  uint32_t fault_state_ = 0;

 private:
  static constexpr uint8_t kUnknown = 0, kLive = 1, kDead = 2, kOnChain = 3;
  Explorer& ex_;
  RunContext& context_;
  std::vector<uint8_t> memo_;
};

std::string fault_detail(const Model& model, const ModelFault& fault) {
  std::string where = fault.loc.line > 0 ? " at " + model.file + ":" + std::to_string(fault.loc.line) + ":" + std::to_string(fault.loc.col) : "";
  return fault.message + where;
}

}  // namespace

std::vector<PropertyResult> ExplicitEngine::check(const Model& model, const std::vector<int>& properties,
                                                  RunContext& context) {
  Semantics semantics(model);
  std::vector<PropertyResult> results(properties.size());
  struct Watch {
    std::size_t result;
    bool reachable;
    Compiled cond;
  };
  std::vector<Watch> watches;
  std::optional<std::size_t> deadlock;
  for (std::size_t r = 0; r < properties.size(); ++r) {
    const Property& p = model.properties[properties[r]];
    results[r] = PropertyResult(p, name());
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
        results[r].verdict = Verdict::Unknown;
        results[r].detail = std::string("not checked yet: ") + property_kind_name(p.kind) +
                            " properties are parsed and type-checked, but no engine checks them in this version";
        break;
    }
  }
  std::vector<std::optional<uint32_t>> found(watches.size());
  std::size_t open = watches.size();
  if (open == 0 && !deadlock) return results;

  Explorer explorer(semantics, context);
  ModelFault eval_fault;
  uint32_t eval_fault_state = 0;
  bool eval_failed = false;
  Explorer::Outcome outcome = explorer.run([&](uint32_t index, const int32_t* state) {
    for (std::size_t w = 0; w < watches.size(); ++w) {
      if (found[w]) continue;
      ModelFault f;
      bool value = semantics.holds(watches[w].cond, state, f);
      if (!f.message.empty()) {
        eval_failed = true;
        eval_fault = f;
        eval_fault.message += " in property '" + results[watches[w].result].property + "'";
        eval_fault_state = index;
        return true;
      }
      if (value == watches[w].reachable) {
        found[w] = index;
        --open;
      }
    }
    return open == 0 && !deadlock;
  });

  const bool complete = outcome == Explorer::Outcome::Complete;
  for (std::size_t w = 0; w < watches.size(); ++w) {
    PropertyResult& res = results[watches[w].result];
    if (found[w]) {
      res.verdict = watches[w].reachable ? Verdict::Holds : Verdict::Violated;
      res.trace = explorer.trace_to(*found[w]);
      res.trace->final_note = watches[w].reachable ? "reaches " + res.property : "violates " + res.property;
      res.detail = watches[w].reachable ? "reachable (a shortest witness)" : "a shortest counterexample";
    } else if (complete) {
      res.verdict = watches[w].reachable ? Verdict::Violated : Verdict::Holds;
      res.detail = watches[w].reachable ? "no reachable state satisfies the condition" : "";
    }
  }

  uint32_t dead_state = 0;
  DeadlockSearch::Result dl = DeadlockSearch::Result::None;
  DeadlockSearch search(explorer, context);
  if (deadlock && complete) dl = search.run(dead_state);
  if (deadlock) {
    PropertyResult& res = results[*deadlock];
    if (complete && dl == DeadlockSearch::Result::None) {
      res.verdict = Verdict::Holds;
    } else if (complete && dl == DeadlockSearch::Result::Found) {
      res.verdict = Verdict::Violated;
      res.trace = explorer.trace_to(dead_state);
      res.trace->final_note = "deadlock: from here no action is possible, now or after any delay";
      res.detail = "a shortest trace to a deadlocked state";
    } else if (dl == DeadlockSearch::Result::Limit) {
      res.detail = "timeout while searching for deadlocks";
    }
  }

  Stats stats = explorer.stats();
  const bool faulted = outcome == Explorer::Outcome::Fault || eval_failed || dl == DeadlockSearch::Result::Fault;
  for (auto& res : results) {
    res.stats = stats;
    if (res.verdict != Verdict::Unknown) continue;
    if (res.kind == Property::Kind::Response || res.kind == Property::Kind::Maximum) continue;
    if (faulted) {
      const ModelFault& f = eval_failed ? eval_fault : dl == DeadlockSearch::Result::Fault ? search.fault_ : explorer.fault();
      res.verdict = Verdict::ModelError;
      res.detail = fault_detail(model, f);
      if (!f.in_initial) {
        uint32_t at = eval_failed ? eval_fault_state : dl == DeadlockSearch::Result::Fault ? search.fault_state_ : explorer.fault_state();
        res.trace = explorer.trace_to(at);
        if (!f.step.edges.empty() || f.step.tick) {
          std::string what = f.step.tick ? "a tick" : semantics.describe_edge(f.step.edges[0], f.step.choices.data());
          res.trace->final_note = "next step (" + what + ") fails: " + f.message;
        } else {
          res.trace->final_note = "fails here: " + f.message;
        }
      }
    } else if (res.detail.empty()) {
      res.detail = explorer.limit_reason().empty() ? "search stopped" : explorer.limit_reason();
    }
  }
  return results;
}

}  // namespace interlock

#include "solver/explorer.h"

#include <algorithm>
#include <cstring>
#include <sstream>

namespace interlock {

Explorer::Explorer(Semantics& semantics, RunContext& context)
    : semantics_(semantics), context_(context), layout_(semantics.model()), store_(layout_.bytes()) {}

std::vector<int32_t> Explorer::unpacked(uint32_t index) const {
  std::vector<int32_t> s(layout_.slots() + 1);
  layout_.unpack(store_.state(index), s.data());
  s.resize(layout_.slots());
  return s;
}

Stats Explorer::stats() const {
  Stats s;
  s.states = store_.size();
  s.transitions = transitions_;
  s.depth = depth_;
  s.seconds = seconds_;
  s.store_bytes = store_.memory_bytes();
  s.peak_rss_bytes = peak_rss_bytes();
  s.state_bytes = store_.state_bytes();
  return s;
}

Explorer::Outcome Explorer::run(FunctionRef<bool(uint32_t, const int32_t*)> on_new) {
  const double start = context_.elapsed();
  auto finish = [&](Outcome o) {
    seconds_ = context_.elapsed() - start;
    return o;
  };
  std::vector<int32_t> current;
  if (!semantics_.initial(current, fault_)) return finish(Outcome::Fault);
  current.resize(layout_.slots() + 1);
  std::vector<uint8_t> packed(layout_.bytes());
  layout_.pack(current.data(), packed.data());
  store_.insert(packed.data(), StateStore::kNoParent);
  has_action_.assign(1, 0);
  if (on_new(0, current.data())) return finish(Outcome::Stopped);

  const int max_depth = context_.limits().depth;
  uint64_t level_end = 1;
  bool stop = false;
  for (uint64_t i = 0; i < store_.size(); ++i) {
    if (i == level_end) {
      ++depth_;
      level_end = store_.size();
      if (max_depth > 0 && depth_ >= max_depth) {
        limit_reason_ = "depth limit " + std::to_string(max_depth) + " reached";
        return finish(Outcome::Limit);
      }
    }
    if ((i & 1023) == 0) {
      if (context_.timed_out()) {
        limit_reason_ = "timeout after " + std::to_string(context_.limits().timeout_seconds) + " s";
        return finish(Outcome::Limit);
      }
      if (context_.over_memory(store_.memory_bytes())) {
        limit_reason_ = "memory limit of " + std::to_string(context_.limits().memory_mb) + " MB reached";
        return finish(Outcome::Limit);
      }
      context_.progress([&] {
        std::ostringstream line;
        double secs = context_.elapsed() - start;
        line << store_.size() << " states, " << static_cast<uint64_t>(store_.size() / std::max(secs, 1e-9))
             << " states/s, depth " << depth_ << ", " << store_.memory_bytes() / (1024 * 1024) << " MB";
        return line.str();
      });
    }
    layout_.unpack(store_.state(static_cast<uint32_t>(i)), current.data());
    const uint32_t parent = static_cast<uint32_t>(i);
    bool acted = false;
    bool ok = semantics_.successors(current.data(), [&](const Step& step, const int32_t* next) {
      if (stop) return;
      ++transitions_;
      if (!step.tick) acted = true;
      if (store_.full()) {
        stop = true;
        limit_reason_ = "more than 3 * 2^30 states";
        return;
      }
      layout_.pack(next, packed.data());
      auto [index, inserted] = store_.insert(packed.data(), parent);
      if (!inserted) return;
      if ((index >> 6) >= has_action_.size()) has_action_.push_back(0);
      if (on_new(index, next)) stop = true;
    }, fault_);
    if (acted) has_action_[i >> 6] |= uint64_t{1} << (i & 63);
    if (!ok) {
      fault_state_ = parent;
      return finish(Outcome::Fault);
    }
    expanded_ = i + 1;
    if (stop) return finish(limit_reason_.empty() ? Outcome::Stopped : Outcome::Limit);
  }
  return finish(Outcome::Complete);
}

Trace Explorer::trace_to(uint32_t index) {
  std::vector<uint32_t> path;
  for (uint32_t i = index; i != StateStore::kNoParent; i = store_.parent(i)) path.push_back(i);
  std::reverse(path.begin(), path.end());
  Trace trace;
  for (const auto& p : semantics_.model().params)
    if (p.value) trace.params.emplace_back(p.name, *p.value);
  trace.states.push_back(unpacked(path[0]));
  std::vector<uint8_t> packed(layout_.bytes());
  for (std::size_t k = 1; k < path.size(); ++k) {
    const uint8_t* want = store_.state(path[k]);
    std::vector<int32_t> from = trace.states.back();
    from.resize(layout_.slots() + 1);
    bool found = false;
    ModelFault fault;
    semantics_.successors(from.data(), [&](const Step& step, const int32_t* next) {
      if (found) return;
      layout_.pack(next, packed.data());
      if (std::memcmp(packed.data(), want, layout_.bytes()) != 0) return;
      trace.steps.push_back(step);
      found = true;
    }, fault);
    if (!found) throw std::logic_error("internal error: a stored parent link has no matching step");
    trace.states.push_back(unpacked(path[k]));
  }
  return trace;
}

}  // namespace interlock

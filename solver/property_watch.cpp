#include "solver/property_watch.h"

#include <algorithm>
#include <limits>

#include "model/time_format.h"

namespace interlock {
namespace {

// States a response remembers while its trigger is pending, and states the deadlock memo keeps:
// beyond these a very long run stops looking for cycles (it misses some, never invents one).
constexpr std::size_t kMaxSeen = std::size_t{1} << 22;
constexpr std::size_t kMaxDeadMemo = std::size_t{1} << 20;

}  // namespace

std::size_t PropertyWatch::KeyHash::operator()(const Key& k) const {
  uint64_t h = 1469598103934665603ull;  // FNV-1a over the values
  for (int32_t v : k.slots) {
    h ^= static_cast<uint32_t>(v);
    h *= 1099511628211ull;
  }
  return static_cast<std::size_t>(h);
}

bool PropertyWatch::breakable(const Property& p) {
  return p.kind == Property::Kind::Invariant || p.kind == Property::Kind::DeadlockFree || p.kind == Property::Kind::Response;
}

std::vector<int> PropertyWatch::breakable(const Model& model) {
  std::vector<int> out;
  for (std::size_t i = 0; i < model.properties.size(); ++i)
    if (breakable(model.properties[i])) out.push_back(static_cast<int>(i));
  return out;
}

PropertyWatch::PropertyWatch(Semantics& semantics, const std::vector<int>& properties)
    : sem_(semantics), model_(semantics.model()) {
  const std::size_t n = model_.slots.size();
  buffer_.assign(n + 1, 0);
  later_.assign(n + 1, 0);
  for (int i : properties) {
    const Property& p = model_.properties[static_cast<std::size_t>(i)];
    if (p.kind == Property::Kind::Invariant) invariants_.emplace_back(i, sem_.compile(*p.a));
    if (p.kind == Property::Kind::DeadlockFree) deadlock_ = i;
    if (p.kind != Property::Kind::Response) continue;
    Response r;
    r.property = i;
    r.trigger = sem_.compile(*p.a);
    r.target = sem_.compile(*p.b);
    if (p.within) {
      ModelFault fault;
      if (!sem_.value(sem_.compile(*p.within), buffer_.data(), r.within, fault) || r.within < 0)
        throw InputError(model_.file + ":" + std::to_string(p.loc.line) + ":" + std::to_string(p.loc.col) + ": error: the 'within' bound of '" +
                         p.name + "' cannot be evaluated" + (fault.message.empty() ? " (it is negative)" : ": " + fault.message) + "\n");
    }
    responses_.push_back(std::move(r));
  }
}

PropertyWatch::Key PropertyWatch::key(const int32_t* state) const {
  return Key{std::vector<int32_t>(state, state + model_.slots.size())};
}

void PropertyWatch::found(int property, std::string note) {
  if (broken_) return;
  Broken b;
  b.property = property;
  b.state = index_;
  b.note = std::move(note);
  broken_ = std::move(b);
}

bool PropertyWatch::start(const int32_t* state) {
  index_ = 0;
  now_ = 0;
  last_tick_ = 0;
  ticked_ = false;
  broken_.reset();
  fault_.clear();
  for (Response& r : responses_) {
    r.pending = false;
    r.seen.clear();
  }
  return check_state(state);
}

bool PropertyWatch::step(const Step& step, const int32_t* state) {
  if (broken_) return true;
  ++index_;
  if (step.tick) {
    now_ += step.elapsed();
    last_tick_ = index_;
    ticked_ = true;
    for (Response& r : responses_) {
      if (!r.pending || r.within < 0 || now_ - r.since <= r.within) continue;
      found(r.property, "violates " + model_.properties[static_cast<std::size_t>(r.property)].name + ": " +
                            duration_text(model_, now_ - r.since) + " since its trigger held, and its target has not held");
      broken_->trigger = r.trigger_state;
      return true;
    }
  }
  return check_state(state);
}

bool PropertyWatch::check_state(const int32_t* state) {
  fault_.clear();
  std::copy(state, state + model_.slots.size(), buffer_.begin());
  const int32_t* s = buffer_.data();
  for (const auto& [index, compiled] : invariants_) {
    ModelFault fault;
    const bool holds = sem_.holds(compiled, s, fault);
    const std::string& name = model_.properties[static_cast<std::size_t>(index)].name;
    if (!fault.message.empty()) {
      if (fault_.empty()) fault_ = "'" + name + "' cannot be evaluated here: " + fault.message;
      continue;
    }
    if (!holds) {
      found(index, "violates " + name);
      return true;
    }
  }
  if (deadlock_ >= 0 && deadlocked(s)) {
    found(deadlock_, "deadlock: from here no action is possible, now or after any delay");
    broken_->stuck = true;
    return true;
  }
  for (Response& r : responses_) {
    const std::string& name = model_.properties[static_cast<std::size_t>(r.property)].name;
    ModelFault fault;
    const bool target = sem_.holds(r.target, s, fault);
    const bool trigger = fault.message.empty() && !target && !r.pending && sem_.holds(r.trigger, s, fault);
    if (!fault.message.empty()) {
      if (fault_.empty()) fault_ = "'" + name + "' cannot be evaluated here: " + fault.message;
      r.pending = false;
      r.seen.clear();
      continue;
    }
    if (target) {
      r.pending = false;
      r.seen.clear();
      continue;
    }
    if (trigger) {
      r.pending = true;
      r.since = now_;
      r.trigger_state = index_;
      r.seen.clear();
      r.seen.emplace(key(s), index_);
      continue;
    }
    if (!r.pending) continue;
    Key k = key(s);
    auto it = r.seen.find(k);
    if (it == r.seen.end()) {
      if (r.seen.size() < kMaxSeen) r.seen.emplace(std::move(k), index_);
      continue;
    }
    // Back in a state of the wait: with time passed on the way, the cycle can repeat forever.
    if (ticked_ && last_tick_ > it->second) {
      found(r.property, "violates " + name + ": back where the cycle began, which repeats forever without its target");
      broken_->trigger = r.trigger_state;
      broken_->loop_start = static_cast<int>(it->second);
      return true;
    }
  }
  return false;
}

bool PropertyWatch::has_action(const int32_t* state, bool& known) {
  bool any = false;
  ModelFault fault;
  known = sem_.successors(state, [&](const Step& step, const int32_t*) { any = any || !step.tick; }, fault);
  return any;
}

// No action now, and time either cannot pass or passes to states with no action until it changes
// nothing any more (every clock saturated). A fault on the way leaves the answer unknown: no.
bool PropertyWatch::deadlocked(const int32_t* state) {
  const std::size_t n = model_.slots.size();
  std::vector<int32_t> cur(state, state + n + 1), next(n + 1, 0);
  std::vector<Key> chain;
  bool dead = false, known = true;
  for (;;) {
    Key k = key(cur.data());
    auto it = dead_.find(k);
    if (it != dead_.end()) {
      dead = it->second;
      break;
    }
    const bool acts = has_action(cur.data(), known);
    if (!known) break;
    chain.push_back(std::move(k));
    if (acts) break;
    ModelFault fault;
    if (!sem_.tick(cur.data(), next.data(), fault)) {
      known = fault.message.empty();
      dead = known;  // time cannot pass and nothing can act: a timelock
      break;
    }
    if (std::equal(cur.begin(), cur.begin() + static_cast<std::ptrdiff_t>(n), next.begin())) {
      dead = true;  // time passes for ever and nothing becomes possible
      break;
    }
    cur.swap(next);
  }
  if (!known) return false;
  if (dead_.size() + chain.size() > kMaxDeadMemo) dead_.clear();
  for (Key& k : chain) dead_.emplace(std::move(k), dead);
  return dead;
}

int64_t PropertyWatch::ticks_to_deadline() const {
  int64_t out = std::numeric_limits<int64_t>::max();
  for (const Response& r : responses_)
    if (r.pending && r.within >= 0) out = std::min(out, r.since + r.within + 1 - now_);
  return std::max<int64_t>(out, 0);
}

std::optional<std::size_t> PropertyWatch::pending_trigger(int property) const {
  for (const Response& r : responses_)
    if (r.property == property && r.pending) return r.trigger_state;
  return std::nullopt;
}

uint64_t PropertyWatch::bytes() const {
  const uint64_t per_state = model_.slots.size() * sizeof(int32_t) + sizeof(Key) + 4 * sizeof(void*);
  uint64_t states = dead_.size();
  for (const Response& r : responses_) states += r.seen.size();
  return states * per_state;
}

}  // namespace interlock

#include "solver/z3/response_monitor.h"

#include <functional>
#include <stdexcept>

#include "model/intervals.h"
#include "model/semantics.h"

namespace interlock {

namespace {
constexpr int64_t kLivenessCap = INT64_C(1) << 62;  // beyond any count of states worth proving about
}  // namespace

namespace {

std::string bound_failure(const Model& model, const Property& property) {
  if (!property.within) return "";
  z3::context ctx;
  Encoding enc(ctx, model);
  SymState none;
  const Encoding::Condition bound = enc.property(*property.within, none);
  z3::solver solver(ctx, z3::solver::simple());
  solver.add(enc.parameters_ok() && (bound.fault || bound.holds < 0));
  const z3::check_result r = solver.check();
  if (r == z3::unsat) return "";
  if (r == z3::unknown) return "unknown: the solver cannot tell whether the 'within' bound can always be evaluated (" +
                               solver.reason_unknown() + ")";
  const std::vector<std::pair<std::string, int64_t>> values = enc.decode_params(solver.get_model());
  std::string at;
  for (std::size_t i = 0; i < values.size(); ++i)
    if (!model.params[i].value) at += (at.empty() ? " at " : " ") + values[i].first + "=" + std::to_string(values[i].second);
  // As the explicit engine evaluates it (solver/explicit/explicit_engine.cpp), at those values.
  const Model fixed = with_params(model, values);
  Semantics sem(fixed);
  const std::vector<int32_t> state(fixed.slots.size() + 1, 0);
  int64_t v = 0;
  ModelFault fault;
  if (!sem.value(sem.compile(*property.within), state.data(), v, fault))
    return "the 'within' bound cannot be evaluated" + at + ": " + fault.message;
  if (v < 0) return "the 'within' bound is negative (" + std::to_string(v) + ")" + at;
  throw std::logic_error("internal error: the 'within' bound of '" + property.name + "' fails symbolically, not explicitly");
}

}  // namespace

bool settle_bound(const Model& model, const Property& property, PropertyResult& res) {
  const std::string failure = bound_failure(model, property);
  if (failure.empty()) return true;
  const bool unknown = failure.rfind("unknown: ", 0) == 0;
  res.verdict = unknown ? Verdict::Unknown : Verdict::ModelError;
  res.detail = unknown ? failure.substr(9) : model.file + ":" + std::to_string(property.within->loc.line) + ":" +
                                                  std::to_string(property.within->loc.col) + ": " + failure;
  return false;
}

std::vector<bool> ResponseProduct::observed_slots(const Model& model, const Property& property) {
  std::vector<bool> reads(model.slots.size(), false);
  mark_reads(*property.a, reads);
  mark_reads(*property.b, reads);
  return reads;
}

ResponseProduct::ResponseProduct(z3::context& ctx, const Model& model, const Property& property, Bound bound, bool cycles)
    : ctx_(ctx),
      model_(model),
      property_(property),
      kind_(bound),
      cycles_(cycles),
      observed_(observed_slots(model, property)),
      enc_(ctx, model, &observed_),
      bound_(ctx.int_val(0)) {
  if (property.kind != Property::Kind::Response || !property.a || !property.b)
    throw std::logic_error("internal error: a response observer for a property that is not a response");
  if (bound == Bound::Within) {
    if (!property.within) throw std::logic_error("internal error: a bounded observer for an unbounded response");
    SymState none;
    bound_ = enc_.property(*property.within, none).holds;
    const Range r = IntervalEval(model, nullptr).eval(*property.within);
    bound_top_ = static_cast<int64_t>(std::min<__int128>(std::max<__int128>(r.hi, 0), kLivenessCap));
    enc_.decode_delays_up_to(bound_top_ + 1);
  } else if (bound == Bound::Liveness) {
    // More ticks than the model has states: the product of the slots' ranges.
    __int128 states = 1;
    for (const Slot& slot : model.slots) states = std::min<__int128>(states * (slot.hi - slot.lo + 1), kLivenessCap);
    bound_top_ = static_cast<int64_t>(states);
    bound_ = ctx.int_val(bound_top_);
  }
  find_atoms();
}

void ResponseProduct::find_atoms() {
  auto is_clock = [&](const Expr& x) { return x.op == Expr::Op::Slot && model_.slots[x.value].kind == Slot::Kind::Clock; };
  auto reads_clock = [&](const Expr& x) {
    std::vector<bool> reads(model_.slots.size());
    mark_reads(x, reads);
    for (std::size_t i = 0; i < reads.size(); ++i)
      if (reads[i] && model_.slots[i].kind == Slot::Kind::Clock) return true;
    return false;
  };
  std::function<void(const Expr&)> walk = [&](const Expr& x) {
    using Op = Expr::Op;
    const bool comparison = x.op == Op::Lt || x.op == Op::Le || x.op == Op::Gt || x.op == Op::Ge || x.op == Op::Eq || x.op == Op::Ne;
    for (int side = 0; comparison && side < 2; ++side) {
      const Expr& clock = x.kids[side];
      const Expr& other = x.kids[1 - side];
      if (!is_clock(clock)) continue;
      if (reads_clock(other)) single_ticks_ = true;
      atoms_.emplace_back(static_cast<int>(clock.value), other);
      return;
    }
    if (is_clock(x)) single_ticks_ = true;  // a clock read some other way
    for (const Expr& k : x.kids) walk(k);
  };
  walk(*property_.a);
  walk(*property_.b);
}

ResponseProduct::State ResponseProduct::state(int step) {
  State x{enc_.state(step), ctx_.int_const(Encoding::name('m', {step, 0}).c_str()), ctx_.int_val(0), ctx_.int_val(0), {}};
  if (kind_ != Bound::None) x.waited = ctx_.int_const(Encoding::name('m', {step, 1}).c_str());
  if (cycles_) {
    x.copied = ctx_.int_const(Encoding::name('m', {step, 2}).c_str());
    for (std::size_t i = 0; i < x.s.size(); ++i) x.copy.push_back(ctx_.int_const(Encoding::name('k', {step, static_cast<long>(i)}).c_str()));
  }
  return x;
}

z3::expr ResponseProduct::in_ranges(const State& x) {
  z3::expr r = enc_.in_ranges(x.s) && x.pending >= 0 && x.pending <= 1;
  if (kind_ != Bound::None) r = r && x.waited >= 0 && x.waited <= bound_ + 1;
  if (cycles_) r = r && x.copied >= 0 && x.copied <= 1 && enc_.in_ranges(x.copy);
  return r;
}

z3::expr ResponseProduct::initial(const State& x) {
  z3::expr init = enc_.initial(x.s) && x.pending == z3::ite(trigger(x.s), ctx_.int_val(1), ctx_.int_val(0)) && x.waited == 0;
  if (!cycles_) return init;
  z3::expr_vector same(ctx_);  // no copy yet: it holds the initial state, to keep it in range
  for (std::size_t i = 0; i < x.s.size(); ++i) same.push_back(x.copy[i] == x.s[i]);
  return init && x.copied == 0 && z3::mk_and(same);
}

z3::expr ResponseProduct::unchanged_at(const z3::expr& pending, const SymState& u) {
  return z3::ite(pending == 1, !target(u), !trigger(u));
}

z3::expr ResponseProduct::transition(int step, const State& from, const State& to, Encoding::InvariantPlacement placement) {
  z3::expr_vector all(ctx_);
  all.push_back(enc_.transition(step, from.s, to.s, placement));
  const z3::expr delay = enc_.is_delay(step);
  const z3::expr d = enc_.delay_length(step);
  // A delay stops where the observer would see p or q change (see the header).
  if (single_ticks_) {
    all.push_back(z3::implies(delay, d == 1));
  } else {
    for (const auto& [clock, bound] : atoms_) {
      const z3::expr b = enc_.property(bound, from.s).holds;  // clock-free: the same all through the delay
      for (int past : {0, 1}) {
        const z3::expr k = b + past - from.s[static_cast<std::size_t>(clock)];
        all.push_back(z3::implies(delay && k > 0 && k < d, unchanged_at(from.pending, enc_.later(from.s, k))));
      }
    }
  }
  const z3::expr waits = from.pending == 1;
  z3::expr violated = ctx_.bool_val(false);
  z3::expr waited = ctx_.int_val(0);
  if (kind_ != Bound::None) {
    const z3::expr sum = from.waited + z3::ite(delay, d, ctx_.int_val(0));
    waited = z3::ite(sum > bound_ + 1, bound_ + 1, sum);
    violated = waits && waited > bound_;
  }
  const z3::expr still = violated || (!target(to.s) && (waits || trigger(to.s)));
  all.push_back(to.pending == z3::ite(still, ctx_.int_val(1), ctx_.int_val(0)));
  if (kind_ != Bound::None) all.push_back(to.waited == z3::ite(still && waits, waited, ctx_.int_val(0)));
  if (cycles_) {
    // The copy is taken (an input of the step) only where a trigger waits; once it is, every
    // step is an action and a trigger waits after it.
    const z3::expr take = from.copied == 0 && ctx_.bool_const(Encoding::name('w', {step}).c_str());
    all.push_back(z3::implies(take, waits));
    all.push_back(to.copied == z3::ite(from.copied == 1 || take, ctx_.int_val(1), ctx_.int_val(0)));
    for (std::size_t i = 0; i < from.s.size(); ++i) all.push_back(to.copy[i] == z3::ite(take, from.s[i], from.copy[i]));
    all.push_back(z3::implies(to.copied == 1, !delay && to.pending == 1));
  }
  return z3::mk_and(all);
}

z3::expr ResponseProduct::cycle_closed(const State& x) {
  if (!cycles_) return ctx_.bool_val(false);
  z3::expr_vector same(ctx_);
  for (std::size_t i = 0; i < x.s.size(); ++i) same.push_back(x.copy[i] == x.s[i]);
  return x.copied == 1 && z3::mk_and(same);
}

z3::expr ResponseProduct::path_rules(int step, const State& before, const State& middle) {
  z3::expr rules = enc_.canonical_order(step);
  if (enc_.delays_merge() && !single_ticks_)
    rules = rules && !(enc_.is_delay(step) && enc_.is_delay(step + 1) && before.pending == middle.pending);
  return rules;
}

z3::expr ResponseProduct::violated(const State& x) {
  if (kind_ == Bound::None) return ctx_.bool_val(false);
  return x.pending == 1 && x.waited > bound_;
}

z3::expr ResponseProduct::fault(int step, const State& x) {
  return enc_.fault(step, x.s) || enc_.property(*property_.a, x.s).fault || enc_.property(*property_.b, x.s).fault;
}

z3::expr ResponseProduct::time_stops(int step, const State& x) {
  return x.pending == 1 && !target(x.s) && !enc_.tick_possible(x.s, step) && !enc_.some_action(x.s, step);
}

z3::expr ResponseProduct::consistent(const State& x) {
  z3::expr facts = x.pending >= 0 && x.pending <= 1;
  if (kind_ == Bound::None) return facts && z3::implies(x.pending == 1, !target(x.s));
  return facts && x.waited >= 0 && x.waited <= bound_ + 1 && z3::implies(x.pending == 0, x.waited == 0) &&
         z3::implies(x.pending == 1 && x.waited <= bound_, !target(x.s));
}

std::vector<z3::expr> ResponseProduct::terms(const State& x) const {
  std::vector<z3::expr> out = x.s;
  out.push_back(x.pending);
  if (kind_ != Bound::None) out.push_back(x.waited);
  if (cycles_) {
    out.push_back(x.copied);
    out.insert(out.end(), x.copy.begin(), x.copy.end());
  }
  return out;
}

z3::expr ResponseProduct::same_waiting(const State& a, const State& b) {
  z3::expr_vector all(ctx_);
  for (std::size_t i = 0; i < a.s.size(); ++i) all.push_back(a.s[i] == b.s[i]);
  all.push_back(a.pending == 1);
  all.push_back(b.pending == 1);
  return z3::mk_and(all);
}

}  // namespace interlock

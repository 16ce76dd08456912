#include "solver/z3/encoding.h"

#include <algorithm>
#include <functional>
#include <stdexcept>

#include "model/independence.h"

namespace interlock {

namespace {
constexpr int64_t kExpandChoices = 64;  // a receiver's choose range expanded instead of quantified
constexpr int64_t kLongestExpandedDelay = 100'000;  // a longer wait is one step of many ticks
constexpr std::size_t kMaxGroupsPaired = 2000;       // action groups compared pairwise for independence

bool reads_op(const Expr& e, Expr::Op op) {
  if (e.op == op) return true;
  for (const Expr& k : e.kids)
    if (reads_op(k, op)) return true;
  return false;
}
}  // namespace

std::string Encoding::name(char prefix, std::initializer_list<long> numbers) {
  std::string out(1, prefix);
  bool first = true;
  for (long n : numbers) {
    if (!first) out += '_';
    out += std::to_string(n);
    first = false;
  }
  return out;
}

Encoding::Encoding(z3::context& ctx, const Model& model, const std::vector<bool>* observed)
    : ctx_(ctx), model_(model), observed_(observed != nullptr), facts_(interlock::static_facts(model)) {
  find_bounded_inputs();
  for (const Param& p : model.params) {
    std::string param_name = "p_";
    param_name += p.name;
    params_.push_back(ctx_.int_const(param_name.c_str()));
  }
  for (std::size_t e = 0; e < model.edges.size(); ++e) {
    const Edge& edge = model.edges[e];
    if (edge.sync == SyncKind::None) groups_.push_back({Group::Kind::Internal, {static_cast<int>(e)}, -1, {}});
    if (edge.sync != SyncKind::Emit) continue;
    const bool broadcast = model.channels[edge.channel].broadcast;
    if (!broadcast) {
      for (std::size_t r = 0; r < model.edges.size(); ++r) {
        const Edge& recv = model.edges[r];
        if (recv.sync == SyncKind::Receive && recv.channel == edge.channel && recv.instance != edge.instance)
          groups_.push_back({Group::Kind::Rendezvous, {static_cast<int>(e), static_cast<int>(r)}, edge.channel, {}});
      }
      continue;
    }
    Group g{Group::Kind::Broadcast, {static_cast<int>(e)}, edge.channel, {}};
    for (std::size_t i = 0; i < model.instances.size(); ++i) {
      if (static_cast<int>(i) == edge.instance) continue;
      std::vector<int> edges;
      for (int r : model.instances[i].edges)
        if (model.edges[r].sync == SyncKind::Receive && model.edges[r].channel == edge.channel) edges.push_back(r);
      if (!edges.empty()) g.receivers.emplace_back(static_cast<int>(i), std::move(edges));
    }
    groups_.push_back(std::move(g));
  }
  std::vector<Footprint> footprints;
  std::vector<bool> seen_by_monitor(groups_.size(), false);
  const bool monotone = invariants_monotone_in_time(model);
  const std::vector<bool> asap = asap_reads(model);
  for (std::size_t gi = 0; gi < groups_.size(); ++gi) {
    std::vector<int> edges = groups_[gi].edges;
    for (const auto& receiver : groups_[gi].receivers) edges.insert(edges.end(), receiver.second.begin(), receiver.second.end());
    footprints.push_back(footprint_of(model, edges));
    for (std::size_t slot = 0; observed && slot < observed->size(); ++slot)
      if ((*observed)[slot] && footprints.back().writes[slot]) seen_by_monitor[gi] = true;
    if (seen_by_monitor[gi]) continue;
    if (monotone && commutes_with_delay(model, footprints.back(), edges, asap)) before_delays_.push_back(static_cast<int>(gi));
  }
  find_asap_atoms();
  for (const Slot& slot : model.slots)
    if (slot.kind == Slot::Kind::Clock) longest_useful_delay_ = std::max(longest_useful_delay_, slot.hi);
  // Independent pairs only prune bmc's search; past kMaxGroupsPaired groups comparing every pair
  // would cost more than it saves (a machine of 100,000 edges took minutes here).
  independent_below_.resize(groups_.size());
  if (groups_.size() > kMaxGroupsPaired) return;
  const std::vector<std::vector<bool>> invariants = invariant_reads(model);
  for (std::size_t i = 0; i < groups_.size(); ++i)
    for (std::size_t j = 0; j < i; ++j)
      if (!seen_by_monitor[i] && !seen_by_monitor[j] && independent(footprints[i], footprints[j], invariants))
        independent_below_[i].push_back(static_cast<int>(j));
}

SymState Encoding::state(int step) {
  SymState s;
  for (std::size_t i = 0; i < model_.slots.size(); ++i)
    s.push_back(ctx_.int_const(name('s', {step, static_cast<long>(i)}).c_str()));
  return s;
}

SymState Encoding::assert_start(z3::solver& solver) {
  SymState s = state(0);
  solver.add(parameters_ok());
  solver.add(in_ranges(s));
  solver.add(initial(s));
  return s;
}

z3::expr Encoding::assumption_fault() {
  z3::expr_vector all = parameter_ranges();
  SymState none;
  z3::expr_vector faults(ctx_);
  z3::expr before = ctx_.bool_val(true);  // the assumptions so far hold, as Semantics::initial reads them in order
  for (const Expr& a : model_.assumes) {
    const Condition c = property(a, none);
    faults.push_back(before && c.fault);
    before = before && c.holds && !c.fault;
  }
  all.push_back(faults.empty() ? ctx_.bool_val(false) : z3::mk_or(faults));
  return z3::mk_and(all);
}

z3::expr Encoding::parameters_ok() {
  z3::expr_vector all = parameter_ranges();
  SymState none;
  for (const Expr& a : model_.assumes) all.push_back(condition(a, none));
  return z3::mk_and(all);
}

z3::expr_vector Encoding::parameter_ranges() {
  z3::expr_vector all(ctx_);
  for (std::size_t i = 0; i < params_.size(); ++i) {
    const Param& p = model_.params[i];
    if (p.value) {
      all.push_back(params_[i] == ctx_.int_val(static_cast<int64_t>(*p.value)));
    } else {
      all.push_back(params_[i] >= ctx_.int_val(static_cast<int64_t>(p.lo)));
      all.push_back(params_[i] <= ctx_.int_val(static_cast<int64_t>(p.hi)));
    }
  }
  return all;
}

z3::expr Encoding::in_ranges(const SymState& s) {
  z3::expr_vector all(ctx_);
  for (std::size_t i = 0; i < s.size(); ++i) {
    all.push_back(s[i] >= ctx_.int_val(static_cast<int64_t>(model_.slots[i].lo)));
    all.push_back(s[i] <= ctx_.int_val(static_cast<int64_t>(model_.slots[i].hi)));
  }
  return z3::mk_and(all);
}

z3::expr Encoding::initial(const SymState& s) {
  z3::expr_vector all(ctx_);
  std::map<int, z3::expr> none;
  for (std::size_t i = 0; i < s.size(); ++i) {
    Value v = translate(model_.initial[i], Env{&s, &none, nullptr});
    all.push_back(!v.fault);
    all.push_back(s[i] == as_int(v, model_.slots[i].type == ValueType::Bool ? ValueType::Bool : ValueType::Int));
  }
  all.push_back(invariants(s));
  return z3::mk_and(all);
}

z3::expr Encoding::initial_fault() {
  // The initial values read only constants and parameters: the state they make is a term.
  std::map<int, z3::expr> none;
  SymState init;
  z3::expr_vector bad(ctx_);
  for (std::size_t i = 0; i < model_.slots.size(); ++i) {
    const Slot& slot = model_.slots[i];
    Value v = translate(model_.initial[i], Env{&init, &none, nullptr});
    z3::expr value = as_int(v, slot.type == ValueType::Bool ? ValueType::Bool : ValueType::Int);
    bad.push_back(v.fault || value < ctx_.int_val(static_cast<int64_t>(slot.lo)) || value > ctx_.int_val(static_cast<int64_t>(slot.hi)));
    init.push_back(value);
  }
  bad.push_back(!invariants(init));
  return parameters_ok() && z3::mk_or(bad);
}

z3::expr Encoding::condition(const Expr& cond, const SymState& s) {
  Condition c = property(cond, s);
  return c.holds && !c.fault;
}

Encoding::Condition Encoding::property(const Expr& cond, const SymState& s) {
  std::map<int, z3::expr> none;
  Value v = translate(cond, Env{&s, &none, nullptr});
  return {v.value, v.fault};
}

z3::expr Encoding::slot_value(const SymState& s, int slot) {
  if (model_.slots[slot].type == ValueType::Bool) return s[slot] == 1;
  return s[slot];
}

z3::expr Encoding::as_int(const Value& v, ValueType type) {
  if (type == ValueType::Bool || v.value.is_bool()) return z3::ite(v.value, ctx_.int_val(1), ctx_.int_val(0));
  return v.value;
}

namespace {

constexpr __int128 kMin64 = INT64_MIN, kMax64 = INT64_MAX;

Range join(Range a, Range b) { return {std::min(a.lo, b.lo), std::max(a.hi, b.hi)}; }
bool contains(Range r, __int128 v) { return r.lo <= v && v <= r.hi; }
bool fits_64(Range r) { return r.lo >= kMin64 && r.hi <= kMax64; }
Range clamp_64(Range r) { return {std::max(r.lo, kMin64), std::min(r.hi, kMax64)}; }

// `a || b` and `a && b` without terms for what is known already: most faults are `false`.
z3::expr either(const z3::expr& a, const z3::expr& b) {
  if (a.is_false() || b.is_true()) return b;
  if (b.is_false() || a.is_true()) return a;
  return a || b;
}
z3::expr both(const z3::expr& a, const z3::expr& b) {
  if (a.is_true() || b.is_false()) return b;
  if (b.is_true() || a.is_false()) return a;
  return a && b;
}

}  // namespace

// Integer operators as the explicit evaluator computes them (model/arith.h): 64-bit results or a
// fault, division truncating toward zero, the remainder with the dividend's sign.
Encoding::Value Encoding::arithmetic(const Expr& e, const Value& a, const Value& b) {
  using Op = Expr::Op;
  z3::expr fault = either(a.fault, b.fault);
  auto overflow = [&](const z3::expr& v, Range r) {
    if (!fits_64(r)) fault = either(fault, v < ctx_.int_val(INT64_MIN) || v > ctx_.int_val(INT64_MAX));
    return Value{v, fault, clamp_64(r)};
  };
  switch (e.op) {
    case Op::Add: return overflow(a.value + b.value, {a.range.lo + b.range.lo, a.range.hi + b.range.hi});
    case Op::Sub: return overflow(a.value - b.value, {a.range.lo - b.range.hi, a.range.hi - b.range.lo});
    case Op::Mul: {
      int64_t k = 0;
      if (!a.value.is_numeral_i64(k) && !b.value.is_numeral_i64(k)) nonlinear_ = true;
      const __int128 p[4] = {a.range.lo * b.range.lo, a.range.lo * b.range.hi, a.range.hi * b.range.lo, a.range.hi * b.range.hi};
      return overflow(a.value * b.value, {*std::min_element(p, p + 4), *std::max_element(p, p + 4)});
    }
    default: break;
  }
  // Div and Mod. A divisor that is a number keeps the term linear (Spacer takes no other).
  const z3::expr& x = a.value;
  const z3::expr& y = b.value;
  if (contains(b.range, 0)) fault = either(fault, y == 0);
  if (contains(a.range, kMin64) && contains(b.range, -1)) fault = either(fault, x == ctx_.int_val(INT64_MIN) && y == -1);
  int64_t k = 0;
  z3::expr ax = z3::ite(x >= 0, x, -x);
  z3::expr q = ax;
  if (y.is_numeral_i64(k) && k != 0) {
    const int64_t magnitude = k < 0 ? -k : k;
    z3::expr quotient = ax / ctx_.int_val(magnitude);
    q = k > 0 ? z3::ite(x >= 0, quotient, -quotient) : z3::ite(x >= 0, -quotient, quotient);
  } else {
    nonlinear_ = true;
    z3::expr ay = z3::ite(y >= 0, y, -y);
    q = z3::ite((x >= 0) == (y >= 0), ax / ay, -(ax / ay));
  }
  const __int128 m = std::max(a.range.lo < 0 ? -a.range.lo : a.range.lo, a.range.hi < 0 ? -a.range.hi : a.range.hi);
  if (e.op == Op::Div) return {q, fault, clamp_64({-m, m})};
  return {x - y * q, fault, clamp_64({-m, m})};
}

Encoding::Value Encoding::translate(const Expr& e, const Env& env) {
  using Op = Expr::Op;
  z3::expr no = ctx_.bool_val(false);
  const Range boolean{0, 1};
  switch (e.op) {
    case Op::Const:
      if (e.type == ValueType::Bool) return {ctx_.bool_val(e.value != 0), no, boolean};
      return {ctx_.int_val(static_cast<int64_t>(e.value)), no, {e.value, e.value}};
    case Op::Param: {
      // A parameter with a value is that number: products of such stay linear for the solvers.
      const Param& p = model_.params[static_cast<std::size_t>(e.value)];
      if (p.value) return {ctx_.int_val(static_cast<int64_t>(*p.value)), no, {*p.value, *p.value}};
      return {params_.at(e.value), no, {p.lo, p.hi}};
    }
    case Op::Slot: {
      if (!env.s || env.s->empty()) throw std::logic_error("a state read where no state exists");
      const Slot& slot = model_.slots[static_cast<std::size_t>(e.value)];
      return {slot_value(*env.s, static_cast<int>(e.value)), no, {slot.lo, slot.hi}};
    }
    case Op::Choose: {
      Range r{kMin64, kMax64};
      if (env.edge) r = clamp_64(IntervalEval(model_, env.edge).eval(e));
      return {env.chooses->at(static_cast<int>(e.value)), no, r};
    }
    case Op::Element: {
      Value index = translate(e.kids[0], env);
      int first = static_cast<int>(e.value);
      z3::expr out = slot_value(*env.s, first);
      Range r{model_.slots[first].lo, model_.slots[first].hi};
      for (int k = e.size - 1; k >= 1; --k) {
        out = z3::ite(index.value == k, slot_value(*env.s, first + k), out);
        r = join(r, {model_.slots[first + k].lo, model_.slots[first + k].hi});
      }
      z3::expr fault = index.fault;
      if (index.range.lo < 0 || index.range.hi >= e.size) fault = either(fault, index.value < 0 || index.value >= e.size);
      return {out, fault, r};
    }
    case Op::Neg: {
      Value a = translate(e.kids[0], env);
      Range r{-a.range.hi, -a.range.lo};
      z3::expr fault = a.fault;
      if (!fits_64(r)) fault = either(fault, a.value == ctx_.int_val(INT64_MIN));
      return {-a.value, fault, clamp_64(r)};
    }
    case Op::Not: {
      Value a = translate(e.kids[0], env);
      return {!a.value, a.fault, boolean};
    }
    case Op::Ite: {
      // Only the branch taken is evaluated.
      Value c = translate(e.kids[0], env), a = translate(e.kids[1], env), b = translate(e.kids[2], env);
      z3::expr branch_fault = a.fault.is_false() && b.fault.is_false() ? no : z3::ite(c.value, a.fault, b.fault);
      return {z3::ite(c.value, a.value, b.value), either(c.fault, branch_fault), join(a.range, b.range)};
    }
    // && || => evaluate their right side only when the left does not decide.
    case Op::And: {
      Value a = translate(e.kids[0], env), b = translate(e.kids[1], env);
      return {a.value && b.value, either(a.fault, both(a.value, b.fault)), boolean};
    }
    case Op::Or: {
      Value a = translate(e.kids[0], env), b = translate(e.kids[1], env);
      return {a.value || b.value, either(a.fault, both(!a.value, b.fault)), boolean};
    }
    case Op::Implies: {
      Value a = translate(e.kids[0], env), b = translate(e.kids[1], env);
      return {z3::implies(a.value, b.value), either(a.fault, both(a.value, b.fault)), boolean};
    }
    default: break;
  }
  Value a = translate(e.kids[0], env), b = translate(e.kids[1], env);
  z3::expr fault = either(a.fault, b.fault);
  switch (e.op) {
    case Op::Add: case Op::Sub: case Op::Mul: case Op::Div: case Op::Mod: return arithmetic(e, a, b);
    case Op::Lt: return {a.value < b.value, fault, boolean};
    case Op::Le: return {a.value <= b.value, fault, boolean};
    case Op::Gt: return {a.value > b.value, fault, boolean};
    case Op::Ge: return {a.value >= b.value, fault, boolean};
    case Op::Eq: return {a.value == b.value, fault, boolean};
    case Op::Ne: return {a.value != b.value, fault, boolean};
    default: throw std::logic_error("unknown operator in the symbolic encoding");
  }
}

z3::expr Encoding::choose_input(int step, int scratch) {
  return ctx_.int_const(name('c', {step, scratch}).c_str());
}

z3::expr Encoding::receiver_selector(int step, int group, int machine) {
  return ctx_.int_const(name('r', {step, group, machine}).c_str());
}

// Z3 4.8.12, with relevancy off as bmc runs it, can search without end over a choose input that
// no constraint bounds because its edge is not taken (a random spec's depth-1 question took over
// 60 s; with the bounds, under 0.1 s). The bounds cost the KB drop about a fifth more time.
void Encoding::find_bounded_inputs() {
  for (const Edge& e : model_.edges) {
    IntervalEval intervals(model_, &e);
    for (const ChooseVar& c : e.chooses) {
      const Range lo = intervals.eval(c.lo), hi = intervals.eval(c.hi);
      if (intervals.may_fault() || lo.lo > hi.hi || lo.lo < INT64_MIN || hi.hi > INT64_MAX) continue;
      bounded_inputs_.push_back({c.scratch, static_cast<int64_t>(lo.lo), static_cast<int64_t>(hi.hi)});
    }
  }
}

z3::expr Encoding::input_bounds(int step) {
  z3::expr_vector all(ctx_);
  for (const BoundedInput& b : bounded_inputs_) {
    const z3::expr v = choose_input(step, b.scratch);
    all.push_back(v >= ctx_.int_val(b.lo) && v <= ctx_.int_val(b.hi));
  }
  return z3::mk_and(all);
}

std::map<int, z3::expr> Encoding::chooses_of(int edge, int step) {
  std::map<int, z3::expr> out;
  for (const ChooseVar& c : model_.edges[edge].chooses) out.emplace(c.scratch, choose_input(step, c.scratch));
  return out;
}

// The edge's location matches, its choose values lie in their ranges and its guard holds.
z3::expr Encoding::enabled(int edge, const SymState& s, const std::map<int, z3::expr>& chooses, z3::expr& fault) {
  const Edge& e = model_.edges[edge];
  const Instance& inst = model_.instances[e.instance];
  z3::expr_vector all(ctx_);
  all.push_back(s[inst.location_slot] == e.src);
  Env env{&s, &chooses, &e};
  for (const ChooseVar& c : e.chooses) {
    Value lo = translate(c.lo, env), hi = translate(c.hi, env);
    const z3::expr& v = chooses.at(c.scratch);
    all.push_back(v >= lo.value && v <= hi.value);
    fault = either(fault, either(lo.fault, hi.fault));
  }
  if (e.guard) {
    Value g = translate(*e.guard, env);
    all.push_back(g.value);
    fault = either(fault, g.fault);
  }
  return z3::mk_and(all);
}

z3::expr Encoding::try_fault(int edge, const SymState& s, const std::map<int, z3::expr>& chooses) {
  const Edge& e = model_.edges[edge];
  Env env{&s, &chooses, &e};
  z3::expr_vector faults(ctx_);
  z3::expr chosen = ctx_.bool_val(true);  // the choose values so far lie in their ranges
  for (const ChooseVar& c : e.chooses) {
    Value lo = translate(c.lo, env), hi = translate(c.hi, env);
    z3::expr bad = either(lo.fault, hi.fault);
    // More than kMaxChooseValues values is a fault (model/semantics.cpp).
    if (hi.range.hi - lo.range.lo >= kMaxChooseValues)
      bad = either(bad, hi.value - lo.value >= ctx_.int_val(kMaxChooseValues));
    const z3::expr fails = both(chosen, bad);
    if (!fails.is_false()) faults.push_back(fails);
    const z3::expr& v = chooses.at(c.scratch);
    chosen = both(chosen, v >= lo.value && v <= hi.value);
  }
  if (e.guard) {
    const z3::expr fails = both(chosen, translate(*e.guard, env).fault);
    if (!fails.is_false()) faults.push_back(fails);
  }
  z3::expr any = faults.empty() ? ctx_.bool_val(false) : z3::mk_or(faults);
  if (any.is_false()) return any;
  return s[model_.instances[e.instance].location_slot] == e.src && any;
}

// Whether some choice of the edge's choose values enables it (for broadcast receivers, which
// must take part whenever they can).
z3::expr Encoding::some_choice_enabled(int edge, const SymState& s, int step) {
  const Edge& e = model_.edges[edge];
  z3::expr fault = ctx_.bool_val(false);
  if (e.chooses.empty()) {
    std::map<int, z3::expr> none;
    return enabled(edge, s, none, fault) && !fault;
  }
  // When nothing reads the chosen values (an `asap` edge choosing a duration, say), the lower
  // bounds serve for all: no quantifier, which Spacer handles badly.
  bool read = e.guard && reads_op(*e.guard, Expr::Op::Choose);
  for (const ChooseVar& c : e.chooses) read = read || reads_op(c.lo, Expr::Op::Choose) || reads_op(c.hi, Expr::Op::Choose);
  if (!read) {
    std::map<int, z3::expr> lowest;
    std::map<int, z3::expr> none;
    for (const ChooseVar& c : e.chooses) lowest.emplace(c.scratch, translate(c.lo, Env{&s, &none, nullptr}).value);
    z3::expr f = ctx_.bool_val(false);
    z3::expr en = enabled(edge, s, lowest, f);
    return en && !f;
  }
  bool small = e.chooses.size() == 1 && e.chooses[0].lo.is_const() && e.chooses[0].hi.is_const() &&
               e.chooses[0].hi.value - e.chooses[0].lo.value < kExpandChoices;
  if (small) {
    z3::expr_vector any(ctx_);
    for (int64_t v = e.chooses[0].lo.value; v <= e.chooses[0].hi.value; ++v) {
      std::map<int, z3::expr> fixed;
      fixed.emplace(e.chooses[0].scratch, ctx_.int_val(static_cast<int64_t>(v)));
      z3::expr f = ctx_.bool_val(false);
      z3::expr en = enabled(edge, s, fixed, f);
      any.push_back(en && !f);
    }
    return z3::mk_or(any);
  }
  std::map<int, z3::expr> bound;
  z3::expr_vector vars(ctx_);
  for (const ChooseVar& c : e.chooses) {
    z3::expr v = ctx_.int_const(name('q', {step, edge, c.scratch}).c_str());
    bound.emplace(c.scratch, v);
    vars.push_back(v);
  }
  z3::expr f = ctx_.bool_val(false);
  z3::expr en = enabled(edge, s, bound, f);
  return z3::exists(vars, en && !f);
}

void Encoding::apply_updates(int edge, SymState& cur, const std::map<int, z3::expr>& chooses, const z3::expr& active,
                             z3::expr& fault) {
  const Edge& e = model_.edges[edge];
  for (const Update& u : e.updates) {
    Env env{&cur, &chooses, &e};
    const bool element = u.target.op == Expr::Op::Element;
    // The explicit semantics evaluates the index first, then the value.
    Value index = element ? translate(u.target.kids[0], env) : Value{ctx_.int_val(0), ctx_.bool_val(false), {0, 0}};
    Value v = translate(u.value, env);
    const int first = static_cast<int>(u.target.value);
    const Slot& slot = model_.slots[first];
    z3::expr value = as_int(v, slot.type == ValueType::Bool ? ValueType::Bool : ValueType::Int);
    z3::expr bad = either(index.fault, v.fault);
    if (element && (index.range.lo < 0 || index.range.hi >= u.target.size))
      bad = either(bad, index.value < 0 || index.value >= u.target.size);
    if (slot.kind == Slot::Kind::Clock) {
      if (v.range.lo < 0) bad = either(bad, value < 0);
      value = z3::ite(value > ctx_.int_val(static_cast<int64_t>(slot.hi)), ctx_.int_val(static_cast<int64_t>(slot.hi)), value);
    } else if (slot.type == ValueType::Int && (v.range.lo < slot.lo || v.range.hi > slot.hi)) {
      bad = either(bad, value < ctx_.int_val(static_cast<int64_t>(slot.lo)) || value > ctx_.int_val(static_cast<int64_t>(slot.hi)));
    }
    fault = either(fault, both(active, bad));
    if (!element) {
      cur[first] = active.is_true() ? value : z3::ite(active, value, cur[first]);
      continue;
    }
    SymState before = cur;
    for (int k = 0; k < u.target.size; ++k) cur[first + k] = z3::ite(both(active, index.value == k), value, before[first + k]);
  }
}

z3::expr Encoding::invariants(const SymState& s) {
  z3::expr_vector all(ctx_);
  std::map<int, z3::expr> none;
  for (const Instance& inst : model_.instances) {
    for (std::size_t l = 0; l < inst.locations.size(); ++l) {
      if (!inst.locations[l].invariant) continue;
      Value v = translate(*inst.locations[l].invariant, Env{&s, &none, nullptr});
      all.push_back(z3::implies(s[inst.location_slot] == static_cast<int>(l), both(v.value, !v.fault)));
    }
  }
  return z3::mk_and(all);
}

z3::expr Encoding::invariant_fault(const SymState& s) {
  z3::expr_vector any(ctx_);
  std::map<int, z3::expr> none;
  for (const Instance& inst : model_.instances)
    for (std::size_t l = 0; l < inst.locations.size(); ++l) {
      if (!inst.locations[l].invariant) continue;
      Value v = translate(*inst.locations[l].invariant, Env{&s, &none, nullptr});
      if (!v.fault.is_false()) any.push_back(s[inst.location_slot] == static_cast<int>(l) && v.fault);
    }
  return any.empty() ? ctx_.bool_val(false) : z3::mk_or(any);
}

SymState Encoding::later(const SymState& s, const z3::expr& k) {
  SymState out = s;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (model_.slots[i].kind != Slot::Kind::Clock) continue;
    z3::expr cap = ctx_.int_val(static_cast<int64_t>(model_.slots[i].hi));
    out[i] = z3::ite(s[i] + k >= cap, cap, s[i] + k);
  }
  return out;
}

SymState Encoding::after_one_tick(const SymState& s) {
  SymState out = s;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (model_.slots[i].kind != Slot::Kind::Clock) continue;
    z3::expr cap = ctx_.int_val(static_cast<int64_t>(model_.slots[i].hi));
    out[i] = z3::ite(s[i] >= cap, cap, s[i] + 1);
  }
  return out;
}

z3::expr Encoding::no_urgent(const SymState& s) {
  z3::expr_vector all(ctx_);
  for (const Instance& inst : model_.instances)
    for (std::size_t l = 0; l < inst.locations.size(); ++l)
      if (inst.locations[l].urgent) all.push_back(s[inst.location_slot] != static_cast<int>(l));
  return z3::mk_and(all);
}

void Encoding::find_asap_atoms() {
  for (std::size_t e = 0; e < model_.edges.size(); ++e) {
    const Edge& edge = model_.edges[e];
    if (!may_be_due(model_, edge)) continue;
    std::vector<int> partners;
    const bool rendezvous = edge.sync == SyncKind::Emit && !model_.channels[static_cast<std::size_t>(edge.channel)].broadcast;
    if (rendezvous || edge.sync == SyncKind::Receive) {
      const SyncKind other = edge.sync == SyncKind::Emit ? SyncKind::Receive : SyncKind::Emit;
      for (std::size_t p = 0; p < model_.edges.size(); ++p) {
        const Edge& q = model_.edges[p];
        if (q.sync == other && q.channel == edge.channel && q.instance != edge.instance) partners.push_back(static_cast<int>(p));
      }
    }
    asap_.emplace_back(static_cast<int>(e), partners);
  }
  auto is_clock = [&](const Expr& x) { return x.op == Expr::Op::Slot && model_.slots[x.value].kind == Slot::Kind::Clock; };
  auto reads_clock = [&](const Expr& x) {
    std::vector<bool> reads(model_.slots.size());
    mark_reads(x, reads);
    for (std::size_t i = 0; i < reads.size(); ++i)
      if (reads[i] && model_.slots[i].kind == Slot::Kind::Clock) return true;
    return false;
  };
  auto add_atom = [&](int clock, const Expr& bound) {
    if (reads_op(bound, Expr::Op::Choose) || reads_clock(bound)) asap_single_ticks_ = true;
    for (const auto& [c, b] : asap_atoms_)
      if (c == clock && same_expr(b, bound)) return;
    asap_atoms_.emplace_back(clock, bound);
  };
  std::function<void(const Expr&)> walk = [&](const Expr& x) {
    using Op = Expr::Op;
    const bool comparison = x.op == Op::Lt || x.op == Op::Le || x.op == Op::Gt || x.op == Op::Ge || x.op == Op::Eq || x.op == Op::Ne;
    if (comparison && is_clock(x.kids[0])) return add_atom(static_cast<int>(x.kids[0].value), x.kids[1]);
    if (comparison && is_clock(x.kids[1])) return add_atom(static_cast<int>(x.kids[1].value), x.kids[0]);
    if (is_clock(x)) asap_single_ticks_ = true;  // a clock read some other way
    for (const Expr& k : x.kids) walk(k);
  };
  auto scan = [&](int edge) {
    const Edge& e = model_.edges[static_cast<std::size_t>(edge)];
    if (e.guard) walk(*e.guard);
    for (const ChooseVar& c : e.chooses)
      if (reads_clock(c.lo) || reads_clock(c.hi)) asap_single_ticks_ = true;
  };
  for (const auto& [edge, partners] : asap_) {
    scan(edge);
    for (int p : partners) scan(p);
  }
}

z3::expr Encoding::asap_due(const SymState& s, int step) {
  z3::expr_vector any(ctx_);
  for (const auto& [edge, partners] : asap_) {
    const Edge& e = model_.edges[static_cast<std::size_t>(edge)];
    z3::expr self = some_choice_enabled(edge, s, step);
    if (e.sync == SyncKind::None || (e.sync == SyncKind::Emit && model_.channels[static_cast<std::size_t>(e.channel)].broadcast)) {
      any.push_back(self);
      continue;
    }
    z3::expr_vector partner(ctx_);
    for (int p : partners) partner.push_back(some_choice_enabled(p, s, step));
    if (!partner.empty()) any.push_back(self && z3::mk_or(partner));
  }
  return any.empty() ? ctx_.bool_val(false) : z3::mk_or(any);
}

// Between the instants where some clock comparison of an `asap` guard changes, nothing that
// decides whether an edge is due changes (locations and variables stay, parameters are fixed), so
// checking the start and those instants inside the wait checks every instant of it.
z3::expr Encoding::no_asap_during(const SymState& from, const z3::expr& d, int step) {
  z3::expr_vector all(ctx_);
  all.push_back(!asap_due(from, step));
  if (asap_single_ticks_) {
    all.push_back(d == 1);
    return z3::mk_and(all);
  }
  std::map<int, z3::expr> none;
  for (const auto& [clock, bound] : asap_atoms_) {
    Value b = translate(bound, Env{&from, &none, nullptr});
    for (int past : {0, 1}) {
      z3::expr k = b.value + past - from[static_cast<std::size_t>(clock)];
      all.push_back(z3::implies(k > 0 && k < d, !asap_due(later(from, k), step)));
    }
  }
  return z3::mk_and(all);
}

Encoding::GroupStep Encoding::group_step(std::size_t gi, int step, const SymState& from) {
  const Group& grp = groups_[gi];
  z3::expr fault = ctx_.bool_val(false);
  z3::expr yes = ctx_.bool_val(true);
  SymState cur = from;
  z3::expr_vector en(ctx_);
  // The emitter (or the internal edge) and, for a rendezvous, the receiver.
  std::vector<std::map<int, z3::expr>> chooses;
  for (int e : grp.edges) chooses.push_back(chooses_of(e, step));
  for (std::size_t k = 0; k < grp.edges.size(); ++k) en.push_back(enabled(grp.edges[k], from, chooses[k], fault));
  for (std::size_t k = 0; k < grp.edges.size(); ++k) apply_updates(grp.edges[k], cur, chooses[k], yes, fault);
  if (grp.kind == Group::Kind::Broadcast) {
    for (const auto& [machine, edges] : grp.receivers) {
      z3::expr sel = receiver_selector(step, static_cast<int>(gi), machine);
      z3::expr_vector any(ctx_);
      for (int r : edges) any.push_back(some_choice_enabled(r, from, step));
      en.push_back(sel >= 0 && sel <= static_cast<int>(edges.size()));
      en.push_back((sel == 0) == !z3::mk_or(any));
      for (std::size_t m = 0; m < edges.size(); ++m) {
        std::map<int, z3::expr> rc = chooses_of(edges[m], step);
        z3::expr f = ctx_.bool_val(false);
        z3::expr on = sel == static_cast<int>(m + 1);
        en.push_back(z3::implies(on, enabled(edges[m], from, rc, f)));
        fault = either(fault, both(on, f));
        apply_updates(edges[m], cur, rc, on, fault);
      }
    }
  }
  // Then the machines that move enter their targets.
  for (int e : grp.edges) cur[model_.instances[model_.edges[e].instance].location_slot] = ctx_.int_val(model_.edges[e].dst);
  if (grp.kind == Group::Kind::Broadcast) {
    for (const auto& [machine, edges] : grp.receivers) {
      z3::expr sel = receiver_selector(step, static_cast<int>(gi), machine);
      int slot = model_.instances[machine].location_slot;
      for (std::size_t m = 0; m < edges.size(); ++m)
        cur[slot] = z3::ite(sel == static_cast<int>(m + 1), ctx_.int_val(model_.edges[edges[m]].dst), cur[slot]);
    }
  }
  return {z3::mk_and(en), fault, cur};
}

z3::expr Encoding::transition(int step, const SymState& from, const SymState& to, InvariantPlacement placement) {
  z3::expr_vector options(ctx_);
  const bool per_step = placement == InvariantPlacement::PerStep;
  z3::expr g = selector(step);
  auto finish = [&](const SymState& cur, const z3::expr& en, const z3::expr& fault, int id) {
    z3::expr_vector all(ctx_);
    all.push_back(g == id);
    all.push_back(en);
    if (!fault.is_false()) all.push_back(!fault);
    if (per_step) all.push_back(invariants(to));
    for (std::size_t i = 0; i < cur.size(); ++i) all.push_back(to[i] == cur[i]);
    options.push_back(z3::mk_and(all));
  };
  for (std::size_t gi = 0; gi < groups_.size(); ++gi) {
    GroupStep taken = group_step(gi, step, from);
    finish(taken.effect, taken.enabled, taken.fault, static_cast<int>(gi) + 1);
  }
  // A delay of d >= 1 ticks.
  z3::expr d = delay(step);
  z3::expr_vector en(ctx_);
  en.push_back(d >= 1);
  en.push_back(no_urgent(from));
  if (!asap_.empty()) en.push_back(no_asap_during(from, d, step));
  finish(later(from, d), z3::mk_and(en), ctx_.bool_val(false), 0);
  if (per_step) return z3::mk_or(options);
  return z3::mk_or(options) && invariants(to);
}

z3::expr Encoding::tick_possible(const SymState& s, int step) {
  const SymState next = after_one_tick(s);
  z3::expr possible = no_urgent(s) && (invariants(next) || invariant_fault(next));
  if (!asap_.empty()) possible = possible && !asap_due(s, step);
  return possible;
}

namespace {
constexpr int64_t kWitnessRange = 4;     // a constant choose range this small is tried whole
constexpr std::size_t kWitnessSets = 16;  // at most this many sets of choose values per action
}  // namespace

z3::expr Encoding::some_action(const SymState& s, int step) {
  z3::expr_vector any(ctx_);
  // Values for the edge's choose inputs, one map per try: each range whole when it is a small
  // constant one, else its two ends (a bound may read an earlier choose of the same edge).
  auto tries_for = [&](int edge, std::vector<std::map<int, z3::expr>> tries) {
    const Edge& e = model_.edges[edge];
    for (const ChooseVar& c : e.chooses) {
      std::vector<std::map<int, z3::expr>> more;
      for (const std::map<int, z3::expr>& t : tries) {
        std::vector<z3::expr> values;
        if (c.lo.is_const() && c.hi.is_const() && c.hi.value - c.lo.value < kWitnessRange) {
          for (int64_t v = c.lo.value; v <= c.hi.value; ++v) values.push_back(ctx_.int_val(v));
        } else {
          values.push_back(translate(c.lo, Env{&s, &t, &e}).value);
          if (tries.size() * 2 <= kWitnessSets) values.push_back(translate(c.hi, Env{&s, &t, &e}).value);
        }
        for (const z3::expr& v : values) {
          std::map<int, z3::expr> next = t;
          next.insert_or_assign(c.scratch, v);
          more.push_back(std::move(next));
        }
      }
      tries = std::move(more);
    }
    return tries;
  };
  for (std::size_t gi = 0; gi < groups_.size(); ++gi) {
    const Group& grp = groups_[gi];
    GroupStep taken = group_step(gi, step, s);
    const z3::expr possible = taken.enabled && (taken.fault || invariants(taken.effect) || invariant_fault(taken.effect));
    std::vector<std::map<int, z3::expr>> tries = {{}};
    for (int e : grp.edges) tries = tries_for(e, tries);
    // Each receiving machine takes its first edge that is enabled with its lowest choose values.
    z3::expr_vector from(ctx_), to(ctx_);
    for (const auto& [machine, edges] : grp.receivers) {
      z3::expr sel = ctx_.int_val(0);
      for (std::size_t m = edges.size(); m-- > 0;) {
        std::map<int, z3::expr> low = tries_for(edges[m], {{}}).front();
        z3::expr f = ctx_.bool_val(false);
        sel = z3::ite(enabled(edges[m], s, low, f), ctx_.int_val(static_cast<int>(m + 1)), sel);
        for (const auto& [scratch, value] : low) {
          from.push_back(choose_input(step, scratch));
          to.push_back(value);
        }
      }
      from.push_back(receiver_selector(step, static_cast<int>(gi), machine));
      to.push_back(sel);
    }
    for (const std::map<int, z3::expr>& t : tries) {
      z3::expr_vector f(ctx_), v(ctx_);
      for (unsigned i = 0; i < from.size(); ++i) {
        f.push_back(from[i]);
        v.push_back(to[i]);
      }
      for (const auto& [scratch, value] : t) {
        f.push_back(choose_input(step, scratch));
        v.push_back(value);
      }
      z3::expr copy = possible;
      any.push_back(f.empty() ? copy : copy.substitute(f, v));
    }
  }
  return any.empty() ? ctx_.bool_val(false) : z3::mk_or(any);
}

z3::expr Encoding::actions_within(int step, const std::vector<bool>& usable) {
  z3::expr g = selector(step);
  z3::expr_vector options(ctx_);
  for (std::size_t gi = 0; gi < groups_.size(); ++gi) {
    const Group& grp = groups_[gi];
    bool ok = true;
    for (int e : grp.edges) ok = ok && usable[static_cast<std::size_t>(e)];
    if (!ok) continue;
    z3::expr_vector all(ctx_);
    all.push_back(g == static_cast<int>(gi) + 1);
    for (const auto& [machine, edges] : grp.receivers) {
      z3::expr sel = receiver_selector(step, static_cast<int>(gi), machine);
      for (std::size_t m = 0; m < edges.size(); ++m)
        if (!usable[static_cast<std::size_t>(edges[m])]) all.push_back(sel != static_cast<int>(m + 1));
    }
    options.push_back(z3::mk_and(all));
  }
  return options.empty() ? ctx_.bool_val(false) : z3::mk_or(options);
}

z3::expr Encoding::canonical_order(int step) {
  z3::expr now = selector(step), next = selector(step + 1);
  z3::expr_vector all(ctx_);
  for (std::size_t i = 0; i < groups_.size(); ++i) {
    if (independent_below_[i].empty()) continue;
    z3::expr_vector later(ctx_);
    for (int j : independent_below_[i]) later.push_back(next != j + 1);  // selector g is group g - 1
    all.push_back(z3::implies(now == static_cast<int>(i) + 1, z3::mk_and(later)));
  }
  // Two delays in a row are one delay of their sum: the shorter path was searched already.
  if (!asap_single_ticks_ && !observed_) all.push_back(!(now == 0 && next == 0));
  for (int a : before_delays_) all.push_back(!(now == 0 && next == a + 1));
  return z3::mk_and(all);
}

z3::expr Encoding::fault(int step, const SymState& s) {
  z3::expr_vector any(ctx_);
  auto add = [&](const z3::expr& e) {
    if (!e.is_false()) any.push_back(e);
  };
  // Internal and emitting edges are tried wherever their machine is at their source.
  for (std::size_t e = 0; e < model_.edges.size(); ++e)
    if (model_.edges[e].sync != SyncKind::Receive) add(try_fault(static_cast<int>(e), s, chooses_of(static_cast<int>(e), step)));
  for (std::size_t gi = 0; gi < groups_.size(); ++gi) {
    const Group& grp = groups_[gi];
    GroupStep taken = group_step(gi, step, s);
    // A step that can be taken fails in a guard, an update, or an invariant after it.
    add(both(taken.enabled, either(taken.fault, invariant_fault(taken.effect))));
    if (grp.kind == Group::Kind::Internal) continue;
    // Receivers are tried (every receiving edge, every choice) once the emitter is enabled.
    std::vector<int> receivers;
    if (grp.kind == Group::Kind::Rendezvous) receivers.push_back(grp.edges[1]);
    for (const auto& [machine, edges] : grp.receivers) receivers.insert(receivers.end(), edges.begin(), edges.end());
    z3::expr ignored = ctx_.bool_val(false);
    z3::expr emitter = enabled(grp.edges[0], s, chooses_of(grp.edges[0], step), ignored);
    for (int r : receivers) {
      z3::expr tried = try_fault(r, s, chooses_of(r, step));
      if (!tried.is_false()) add(emitter && tried);
    }
  }
  // A tick evaluates the invariants one tick later.
  z3::expr later = invariant_fault(after_one_tick(s));
  if (!later.is_false()) add(asap_.empty() ? no_urgent(s) && later : no_urgent(s) && !asap_due(s, step) && later);
  return any.empty() ? ctx_.bool_val(false) : z3::mk_or(any);
}

z3::expr Encoding::static_facts(const SymState& s) {
  z3::expr_vector all(ctx_);
  for (std::size_t i = 0; i < model_.instances.size(); ++i) {
    const Instance& inst = model_.instances[i];
    if (facts_.locations[i].size() == inst.locations.size()) continue;
    z3::expr_vector any(ctx_);
    for (int l : facts_.locations[i]) any.push_back(s[inst.location_slot] == l);
    all.push_back(z3::mk_or(any));
  }
  for (std::size_t slot = 0; slot < s.size(); ++slot) {
    if (!facts_.values[slot]) continue;
    z3::expr_vector any(ctx_);
    for (int64_t v : *facts_.values[slot]) any.push_back(s[slot] == ctx_.int_val(v));
    all.push_back(z3::mk_or(any));
  }
  return z3::mk_and(all);
}

z3::expr Encoding::all_distinct(const std::vector<SymState>& states) {
  z3::expr_vector all(ctx_);
  for (std::size_t i = 0; i < states.size(); ++i)
    for (std::size_t j = i + 1; j < states.size(); ++j) {
      z3::expr_vector differ(ctx_);
      for (std::size_t k = 0; k < states[i].size(); ++k) differ.push_back(states[i][k] != states[j][k]);
      all.push_back(z3::mk_or(differ));
    }
  return z3::mk_and(all);
}

std::vector<std::pair<std::string, int64_t>> Encoding::decode_params(const z3::model& m) {
  std::vector<std::pair<std::string, int64_t>> out;
  for (std::size_t i = 0; i < params_.size(); ++i) {
    int64_t v = 0;
    z3::expr value = m.eval(params_[i], true);
    if (!value.is_numeral_i64(v)) throw std::logic_error("a parameter's value is not an integer in the model");
    out.emplace_back(model_.params[i].name, v);
  }
  return out;
}

std::vector<Step> Encoding::decode_steps(const z3::model& m, int steps) {
  auto value_of = [&](const z3::expr& e) {
    int64_t v = 0;
    if (!m.eval(e, true).is_numeral_i64(v)) throw std::logic_error("a step input is not an integer in the model");
    return v;
  };
  std::vector<Step> out;
  for (int k = 0; k < steps; ++k) {
    int64_t g = value_of(selector(k));
    if (g == 0) {
      // After as many ticks as the largest saturation value, a tick changes nothing.
      const int64_t d = std::min(value_of(delay(k)), longest_useful_delay_);
      Step tick;
      tick.tick = true;
      if (d > kLongestExpandedDelay) {  // one step for the whole wait
        tick.ticks = d;
        out.push_back(tick);
        continue;
      }
      for (int64_t t = 0; t < d; ++t) out.push_back(tick);
      continue;
    }
    const Group& grp = groups_.at(static_cast<std::size_t>(g - 1));
    Step step;
    step.channel = grp.channel;
    auto add = [&](int e) {
      step.edges.push_back(e);
      for (const ChooseVar& c : model_.edges[e].chooses) step.choices.push_back(value_of(choose_input(k, c.scratch)));
    };
    for (int e : grp.edges) add(e);
    for (const auto& [machine, edges] : grp.receivers) {
      int64_t sel = value_of(receiver_selector(k, static_cast<int>(g - 1), machine));
      if (sel > 0) add(edges.at(static_cast<std::size_t>(sel - 1)));
    }
    out.push_back(step);
  }
  return out;
}

}  // namespace interlock

#include "model/timers.h"

#include <algorithm>
#include <optional>
#include <string>

#include "model/time_literals.h"
#include "model/timer_plan.h"

// The machines a timer becomes. `Wall` keeps the time since the period began:
//
//   machine Wall { clock t; state day { invariant t <= P; } init day;
//                  day -> day when t == P do t := 0 emit new_day! asap; }
//
// A timer with elapse times e0 < e1 < ... (ticks into the period) has a state `until_HH_MM` per
// elapse, left by an `asap` edge `when Wall.t == e emit c!` for the next one, so it is as
// deterministic as the calendar. With a random delay D it goes to `delaying_HH_MM` instead,
// whose invariant keeps Wall.t within e..e+D, and fires at any time there (deciding the moment
// as it comes, not choosing it in advance, gives the same runs with a state per minute instead of
// one per minute and chosen time), into the state of the first elapse after the firing (systemd
// computes the next elapse from the last trigger, so a long delay skips elapses). A
// gate `when G` skips elapses while G is false; Persistent=true turns a skipped elapse into
// `missed`, which fires as soon as G holds (with a delay: at any time in 0..D after, through
// `catching_up`, timed by the timer's clock `late`). A timer with one elapse a period waits in
// `elapsed` until the wall clock's `new_day` (`new_week`), so that it does not fire twice in one
// instant; the wall clock emits it only when such a timer exists. @reboot is `down`/`up`, firing
// each time G becomes true (at time 0 without a gate).

namespace interlock {
namespace {

using ast::Expr;
using ast::ExprP;

ExprP clone(const Expr& e) {
  auto c = std::make_unique<Expr>();
  c->kind = e.kind;
  c->time = e.time;
  c->loc = e.loc;
  c->value = e.value;
  c->name = e.name;
  c->op = e.op;
  for (const ExprP& k : e.kids) c->kids.push_back(clone(*k));
  return c;
}

// Builds expressions and edges of generated machines, every node located at the timer.
class Builder {
 public:
  explicit Builder(SourceLoc loc) : loc_(loc) {}

  ExprP num(int64_t v, ast::TimeKind time = ast::TimeKind::Plain) const {
    auto e = node(Expr::Kind::Int);
    e->value = v;
    e->time = time;
    return e;
  }
  ExprP name(const std::string& n) const {
    auto e = node(Expr::Kind::Name);
    e->name = n;
    return e;
  }
  ExprP wall_time() const {
    auto e = node(Expr::Kind::Member);
    e->name = "t";
    e->kids.push_back(name("Wall"));
    return e;
  }
  ExprP bin(const char* op, ExprP a, ExprP b) const {
    auto e = node(Expr::Kind::Binary);
    e->op = op;
    e->kids.push_back(std::move(a));
    e->kids.push_back(std::move(b));
    return e;
  }
  ExprP negate(ExprP a) const {
    auto e = node(Expr::Kind::Unary);
    e->op = "!";
    e->kids.push_back(std::move(a));
    return e;
  }
  // `a && b` where either may be absent.
  ExprP both(ExprP a, ExprP b) const {
    if (!a) return b;
    if (!b) return a;
    return bin("&&", std::move(a), std::move(b));
  }

  ast::Edge edge(const std::string& src, const std::string& dst, ExprP guard) const {
    ast::Edge e;
    e.loc = e.src_loc = e.dst_loc = e.asap_loc = loc_;
    e.src = src;
    e.dst = dst;
    e.guard = std::move(guard);
    e.asap = true;  // a timer never lets its moment pass
    return e;
  }
  ast::Assignment assign(ExprP target, ExprP value) const {
    ast::Assignment a;
    a.loc = loc_;
    a.target = std::move(target);
    a.value = std::move(value);
    return a;
  }
  ast::State state(const std::string& n, ExprP invariant = nullptr) const {
    ast::State s;
    s.name = n;
    s.loc = loc_;
    if (invariant) s.invariants.push_back(std::move(invariant));
    return s;
  }

 private:
  ExprP node(Expr::Kind kind) const {
    auto e = std::make_unique<Expr>();
    e->kind = kind;
    e->loc = loc_;
    return e;
  }
  SourceLoc loc_;
};

// What the wall clock emits as it starts a new period, for timers with one elapse a period.
std::string period_channel(bool weekly) { return weekly ? "new_week" : "new_day"; }

std::string two_digits(int64_t v) { return (v < 10 ? "0" : "") + std::to_string(v); }

// `until_02_30`, `until_Tue_02_30`, `until_02_30_15` when the tick is shorter than a minute.
std::string until_state(int64_t tick, int64_t tick_seconds, bool weekly) {
  const int64_t s = tick * tick_seconds;
  std::string name = "until_";
  if (weekly) name += std::string(weekday_name(static_cast<int>(s / kSecondsPerDay))) + "_";
  const int64_t in_day = s % kSecondsPerDay;
  name += two_digits(in_day / 3600) + "_" + two_digits(in_day / 60 % 60);
  if (tick_seconds < 60) name += "_" + two_digits(in_day % 60);
  return name;
}

class TimerMachine {
 public:
  TimerMachine(const ast::Timer& timer, const TimerPlan& plan, int64_t period, int64_t tick_seconds, bool weekly)
      : timer_(timer), plan_(plan), b_(timer.loc), period_(period), weekly_(weekly) {
    delay_ = plan.max_delay_seconds / tick_seconds;  // a delay shorter than a tick fires within the tick
    delayed_ = delay_ > 0 || !plan.delay_name.empty();
    for (int64_t e : plan.ticks) {
      names_.push_back(until_state(e, tick_seconds, weekly));
      delaying_.push_back("delaying" + names_.back().substr(std::string("until").size()));
    }
  }

  ast::Machine build() {
    m_.name = timer_.name;
    m_.loc = timer_.loc;
    m_.has_init = true;
    m_.init_loc = timer_.loc;
    if (plan_.ticks.empty()) {  // @reboot
      boot_machine();
      return std::move(m_);
    }
    for (const std::string& n : names_) m_.states.push_back(b_.state(n));
    m_.init = names_[0];
    const std::size_t k = plan_.ticks.size();
    if (k == 1) m_.states.push_back(b_.state("elapsed"));
    if (delayed_)
      for (std::size_t j = 0; j < k; ++j) {
        m_.states.push_back(b_.state(delaying_[j], b_.bin("<=", b_.wall_time(), delay_end(plan_.ticks[j], 0))));
        if (wraps(plan_.ticks[j])) m_.states.push_back(b_.state(delaying_[j] + "_next", b_.bin("<=", b_.wall_time(), delay_end(plan_.ticks[j], period_))));
      }
    if (timer_.gate && plan_.persistent) m_.states.push_back(b_.state("missed"));

    for (std::size_t j = 0; j < k; ++j) {
      const int64_t e = plan_.ticks[j];
      const std::string after = k == 1 ? "elapsed" : names_[(j + 1) % k];
      // The elapse, with the gate open.
      ast::Edge fire = b_.edge(names_[j], delayed_ ? delaying_[j] : after, b_.both(gate(), at(e)));
      if (!delayed_) fire.syncs.push_back(emit());
      m_.edges.push_back(std::move(fire));
      // The elapse, with the gate shut: skipped, or remembered.
      if (timer_.gate)
        m_.edges.push_back(b_.edge(names_[j], plan_.persistent ? "missed" : after, b_.both(b_.negate(gate()), at(e))));
    }
    if (k == 1) m_.edges.push_back(on_new_period("elapsed", names_[0]));  // re-armed as the period ends
    if (delayed_)
      for (std::size_t j = 0; j < k; ++j) {
        std::vector<std::string> states{delaying_[j]};
        if (wraps(plan_.ticks[j])) {  // the delay goes on into the next period
          states.push_back(delaying_[j] + "_next");
          m_.edges.push_back(on_new_period(delaying_[j], states.back()));
        }
        for (std::size_t part = 0; part < states.size(); ++part) {
          const std::string& state = states[part];
          const NowRange now = delay_range(plan_.ticks[j], part == 1);
          // Fires at any time the invariant allows, into the state of the first elapse after.
          to_next_elapse(state, [&] { return gate(); }, true, false, now);
          if (timer_.gate) {  // the gate shuts while delaying: the trigger is lost, or remembered
            if (plan_.persistent) m_.edges.push_back(b_.edge(state, "missed", b_.negate(gate())));
            else to_next_elapse(state, [&] { return b_.negate(gate()); }, false, true, now);
          }
        }
      }
    if (timer_.gate && plan_.persistent) {
      if (delayed_) {
        // The catch-up fires at any time in 0..D after the gate opens, a time the wall clock
        // cannot bound (the gate may open at any time): a clock of the timer's own measures it,
        // the only timers with a second clock.
        m_.clocks.emplace_back("late", timer_.loc);
        m_.states.push_back(b_.state("catching_up", b_.bin("<=", b_.name("late"), delay_bound())));
        ast::Edge open = b_.edge("missed", "catching_up", gate());
        open.updates.push_back(b_.assign(b_.name("late"), b_.num(0)));
        m_.edges.push_back(std::move(open));
        to_next_elapse("catching_up", [&] { return gate(); }, true, false);
        m_.edges.push_back(b_.edge("catching_up", "missed", b_.negate(gate())));
      } else {
        to_next_elapse("missed", [&] { return gate(); }, true);
      }
    }
    return std::move(m_);
  }

 private:
  const ast::Timer& timer_;
  const TimerPlan& plan_;
  Builder b_;
  int64_t period_;
  bool weekly_;
  int64_t delay_ = 0;     // in ticks, besides the parameter below
  bool delayed_ = false;  // an elapse may fire late: through `delaying`
  std::vector<std::string> names_;     // until_02_30: waiting for the elapse
  std::vector<std::string> delaying_;  // delaying_02_30: elapsed, firing within the delay
  ast::Machine m_;

  ExprP gate() const { return timer_.gate ? clone(*timer_.gate) : nullptr; }
  ExprP at(int64_t e) const {
    return b_.bin("==", b_.wall_time(), b_.num(e, weekly_ ? ast::TimeKind::WeekTime : ast::TimeKind::TimeOfDay));
  }
  ast::Sync emit() const {
    ast::Sync s;
    s.emit = true;
    s.chan = timer_.emit.chan;
    s.loc = timer_.emit.loc;
    if (timer_.emit.index) s.index = clone(*timer_.emit.index);
    return s;
  }
  // The longest delay D, in ticks: a number, or the parameter plus one.
  ExprP delay_bound() const {
    ExprP ticks = b_.num(delay_, ast::TimeKind::Duration);
    if (plan_.delay_name.empty()) return ticks;
    ExprP param = b_.name(plan_.delay_name);
    param->loc = plan_.delay_loc;
    return delay_ > 0 ? b_.bin("+", std::move(param), std::move(ticks)) : std::move(param);
  }
  // The end of the delay of an elapse at `e`, e + D, less `minus` (the period, once it began anew).
  ExprP delay_end(int64_t e, int64_t minus) const {
    if (plan_.delay_name.empty()) return b_.num(e + delay_ - minus, weekly_ ? ast::TimeKind::WeekTime : ast::TimeKind::TimeOfDay);
    return b_.bin("-", b_.bin("+", b_.num(e), delay_bound()), b_.num(minus));
  }
  // Whether the delay of an elapse at `e` may reach into the next period (with a parameter: may).
  bool wraps(int64_t e) const { return !plan_.delay_name.empty() || e + delay_ >= period_; }
  // Invariants bound clocks from above only, so a delay that goes on past the period's end moves
  // to a second state with the wall clock's `new_day` (`new_week`), in the wall clock's own step.
  ast::Edge on_new_period(const std::string& src, const std::string& dst) const {
    ast::Edge e = b_.edge(src, dst, nullptr);
    e.asap = false;  // a broadcast receiver always takes part
    ast::Sync s;
    s.chan = period_channel(weekly_);
    s.loc = timer_.loc;
    e.syncs.push_back(std::move(s));
    return e;
  }

 public:
  // The wall clock must announce each new period: a timer waits for it.
  bool needs_new_period() const {
    if (plan_.ticks.empty()) return false;
    if (plan_.ticks.size() == 1) return true;
    if (delayed_)
      for (int64_t e : plan_.ticks)
        if (wraps(e)) return true;
    return false;
  }

 private:
  // The values Wall.t can have in a state (inclusive; P is the instant the period ends).
  struct NowRange {
    int64_t lo = 0, hi = 0;
    bool meets(int64_t a, int64_t b) const { return a <= hi && lo <= b; }  // [a, b] too
  };
  NowRange whole_period() const { return {0, period_}; }
  // While the elapse at `e` is delayed: e..e+D, or its part past the period's end (`next`). With
  // a parameter as the delay, any time.
  NowRange delay_range(int64_t e, bool next) const {
    if (!plan_.delay_name.empty()) return whole_period();
    if (next) return {0, e + delay_ - period_};
    return {e, std::min(e + delay_, period_)};
  }
  // Edges from `src`, taken when `condition()` holds, to the state of the first elapse strictly
  // after now (Wall.t == P is the next period's 0). With one elapse, now == e goes to `elapsed`.
  // Only elapses whose window `now` meets get an edge: a delay of a minute leaves one or two of
  // them, not one per elapse of the period.
  template <class Condition>
  void to_next_elapse(const std::string& src, Condition condition, bool fires, bool asap = true,
                      std::optional<NowRange> range = std::nullopt) {
    const NowRange now = range.value_or(whole_period());
    const std::size_t k = plan_.ticks.size();
    for (std::size_t j = 0; j < k; ++j) {
      const int64_t lo = plan_.ticks[(j + k - 1) % k], hi = plan_.ticks[j];
      const bool reachable = k == 1   ? !(now.lo == hi && now.hi == hi)
                             : lo < hi ? now.meets(lo, hi - 1)
                                       : now.meets(lo, period_) || now.meets(0, hi - 1);
      if (!reachable) continue;
      ExprP window;  // Wall.t in [previous elapse, this elapse), wrapping over the period's end
      if (k == 1) window = b_.bin("!=", b_.wall_time(), b_.num(hi));
      else if (lo < hi) window = b_.bin("&&", b_.bin(">=", b_.wall_time(), b_.num(lo)), b_.bin("<", b_.wall_time(), b_.num(hi)));
      else window = b_.bin("||", b_.bin(">=", b_.wall_time(), b_.num(lo)), b_.bin("<", b_.wall_time(), b_.num(hi)));
      ast::Edge e = b_.edge(src, names_[j], b_.both(condition(), std::move(window)));
      e.asap = asap;
      if (fires) e.syncs.push_back(emit());
      m_.edges.push_back(std::move(e));
    }
    if (k == 1 && now.meets(plan_.ticks[0], plan_.ticks[0])) {
      ast::Edge e = b_.edge(src, "elapsed", b_.both(condition(), at(plan_.ticks[0])));
      e.asap = asap;
      if (fires) e.syncs.push_back(emit());
      m_.edges.push_back(std::move(e));
    }
  }
  void boot_machine() {
    m_.states.push_back(b_.state("down"));
    m_.states.push_back(b_.state("up"));
    m_.init = "down";
    ast::Edge boot = b_.edge("down", "up", gate());
    boot.syncs.push_back(emit());
    m_.edges.push_back(std::move(boot));
    if (timer_.gate) m_.edges.push_back(b_.edge("up", "down", b_.negate(gate())));
  }
};

ast::Machine wall_machine(int64_t period, bool weekly, bool announces, SourceLoc loc) {
  Builder b(loc);
  ast::Machine m;
  m.name = "Wall";
  m.loc = loc;
  m.clocks.emplace_back("t", loc);
  const std::string state = weekly ? "week" : "day";
  m.states.push_back(b.state(state, b.bin("<=", b.name("t"), b.num(period, ast::TimeKind::Duration))));
  m.init = state;
  m.has_init = true;
  m.init_loc = loc;
  ast::Edge wrap = b.edge(state, state, b.bin("==", b.name("t"), b.num(period, ast::TimeKind::Duration)));
  wrap.updates.push_back(b.assign(b.name("t"), b.num(0)));
  if (announces) {
    ast::Sync s;
    s.emit = true;
    s.chan = period_channel(weekly);
    s.loc = loc;
    wrap.syncs.push_back(std::move(s));
  }
  m.edges.push_back(std::move(wrap));
  return m;
}

// The timer's channel: declared by the spec as a broadcast channel, or declared here.
bool declare_channel(ast::Spec& spec, const ast::Timer& timer, Diagnostics& diags) {
  for (const ast::Chan& c : spec.chans) {
    if (c.name != timer.emit.chan) continue;
    if (!c.broadcast) {
      diags.error(timer.emit.loc, "timer '" + timer.name + "' emits '" + c.name +
                                      "', which is not a broadcast channel: a timer waits for no receiver; declare it 'broadcast chan " +
                                      c.name + ";'");
      return false;
    }
    return true;
  }
  if (timer.emit.index) {
    diags.error(timer.emit.loc, "channel array '" + timer.emit.chan + "' is not declared: declare it 'broadcast chan " +
                                    timer.emit.chan + "[N];'");
    return false;
  }
  ast::Chan c;
  c.name = timer.emit.chan;
  c.loc = timer.emit.loc;
  c.broadcast = true;
  spec.chans.push_back(std::move(c));
  return true;
}

void report_weekday_literals(const ast::Spec& spec, Diagnostics& diags) {
  if (spec.calendar == Calendar::Week) return;
  const std::string unit = spec.time_unit.empty() ? "minutes" : spec.time_unit;
  for (const auto& [loc, shown] : spec.weekday_literals)
    diags.error(loc, "'" + shown + "' names a day of the week, but this spec's days are not a week: write 'system NAME in " + unit +
                         ", weekly;'");
}

}  // namespace

void expand_timers(ast::Spec& spec, Diagnostics& diags) {
  if (spec.timers.empty()) {
    report_weekday_literals(spec, diags);
    return;
  }
  const int64_t tick_seconds = seconds_per_tick(spec.time_unit);
  if (tick_seconds == 0) {
    diags.error(spec.timers.front().loc, "a timer needs clock time: write 'system " + spec.system_name +
                                             " in minutes;' (or seconds, or hours)");
    return;
  }
  std::vector<std::optional<TimerPlan>> plans;
  bool weekly = spec.calendar == Calendar::Week;
  for (const ast::Timer& t : spec.timers) {
    plans.push_back(read_timer(t, diags));
    if (!plans.back() || !plans.back()->elapses.weekly()) continue;
    if (spec.calendar == Calendar::Day) {
      diags.error(t.loc, "timer '" + t.name + "' names days of the week, but the system says its days are 'daily': write 'weekly'");
      return;
    }
    weekly = true;
  }
  if (spec.calendar == Calendar::None) spec.calendar = weekly ? Calendar::Week : Calendar::Day;
  report_weekday_literals(spec, diags);
  const int64_t period_seconds = weekly ? kSecondsPerWeek : kSecondsPerDay;
  const int64_t period = period_seconds / tick_seconds;
  // The timers' wall clock is a machine named Wall: any other global of that name would clash
  // with it, and the error would point at the timer.
  std::vector<std::pair<SourceLoc, const char*>> walls;
  auto note = [&](const std::string& name, SourceLoc loc, const char* what) {
    if (name == "Wall") walls.emplace_back(loc, what);
  };
  for (const ast::Machine& m : spec.machines) note(m.name, m.loc, "machine");
  for (const ast::Var& v : spec.vars) note(v.name, v.loc, "variable");
  for (const ast::Const& c : spec.consts) note(c.name, c.loc, "constant");
  for (const ast::Param& p : spec.params) note(p.name, p.loc, "parameter");
  for (const ast::Chan& c : spec.chans) note(c.name, c.loc, "channel");
  for (const ast::Timer& t : spec.timers) {
    note(t.name, t.loc, "timer");
    const bool declared = std::any_of(spec.chans.begin(), spec.chans.end(), [&](const ast::Chan& c) { return c.name == t.emit.chan; });
    if (!declared) note(t.emit.chan, t.emit.loc, "channel");  // declared by the timer
  }
  for (const ast::EnumType& t : spec.enums) {
    note(t.name, t.loc, "type");
    for (const auto& [value, loc] : t.values) note(value, loc, "value");
  }
  if (!walls.empty()) {
    for (const auto& [loc, what] : walls)
      diags.error(loc, std::string("a spec with timers has a machine 'Wall' of its own (the timers' wall clock); rename this ") + what);
    return;
  }
  std::vector<ast::Machine> machines;
  bool announces = false;  // some timer elapses once a period: the wall clock says when a period begins
  for (std::size_t i = 0; i < spec.timers.size(); ++i) {
    const ast::Timer& t = spec.timers[i];
    if (!plans[i] || !timer_ticks(t, *plans[i], tick_seconds, period_seconds, spec.time_unit.c_str(), diags)) continue;
    if (plans[i]->ticks.empty() && !plans[i]->elapses.at_boot) {
      diags.error(t.settings.front().loc, "timer '" + t.name + "' never elapses");
      continue;
    }
    if (plans[i]->max_delay_seconds / tick_seconds >= period) {
      diags.error(t.loc, "timer '" + t.name + "' may fire a whole " + (weekly ? "week" : "day") +
                             " late (RandomizedDelaySec= plus AccuracySec=); interlock needs the delay shorter than the period");
      continue;
    }
    if (!declare_channel(spec, t, diags)) continue;
    if (!plans[i]->delay_name.empty())
      spec.timer_delays.push_back({t.name, plans[i]->delay_name, plans[i]->delay_loc, plans[i]->max_delay_seconds / tick_seconds});
    TimerMachine machine(t, *plans[i], period, tick_seconds, weekly);
    announces = announces || machine.needs_new_period();
    machines.push_back(machine.build());
    spec.timer_names.push_back(t.name);
  }
  if (diags.has_errors()) return;
  if (announces) {
    for (const ast::Chan& c : spec.chans)
      if (c.name == period_channel(weekly)) {
        diags.error(c.loc, "a spec with timers uses the channel name '" + c.name + "' for the wall clock's new " +
                               (weekly ? "week" : "day") + "; rename this channel");
        return;
      }
    ast::Chan c;
    c.name = period_channel(weekly);
    c.loc = spec.timers.front().loc;
    c.broadcast = true;
    spec.chans.push_back(std::move(c));
  }
  // After the spec's own machines, so that traces and state panels show those first.
  spec.machines.push_back(wall_machine(period, weekly, announces, spec.timers.front().loc));
  for (ast::Machine& m : machines) spec.machines.push_back(std::move(m));
  spec.timer_period = period;
}

}  // namespace interlock

#include "model/time_format.h"

#include <array>
#include <cstdio>
#include <initializer_list>
#include <string_view>

namespace interlock {
namespace {

// Appends in place: GCC 12 warns falsely (-Wrestrict) about `"literal" + std::string(...)` at -O3.
std::string join(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view p : parts) out.append(p);
  return out;
}

std::string two(int64_t v) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%02d", static_cast<int>(v));
  return buf;
}

// "HH:MM" or "HH:MM:SS" for seconds into a day (0 <= seconds < a day).
std::string hh_mm(int64_t seconds) {
  std::string out = join({two(seconds / 3600), ":", two(seconds / 60 % 60)});
  if (seconds % 60 != 0) out = join({out, ":", two(seconds % 60)});
  return out;
}

}  // namespace

std::string format_duration(int64_t ticks, int64_t tick_seconds) {
  if (tick_seconds <= 0) tick_seconds = 1;
  if (ticks < 0) return join({"-", format_duration(-ticks, tick_seconds)});
  struct Part {
    int64_t seconds;
    const char* name;
  };
  static constexpr std::array<Part, 4> parts = {{{86400, "d"}, {3600, "h"}, {60, "min"}, {1, "s"}}};
  // Ticks up to 2^40 of up to an hour each stay far below 2^63 seconds.
  int64_t rest = ticks * tick_seconds;
  std::string out;
  for (const Part& p : parts) {
    if (rest >= p.seconds && rest / p.seconds > 0) {
      out = join({out, out.empty() ? "" : " ", std::to_string(rest / p.seconds), " ", p.name});
      rest %= p.seconds;
    }
  }
  if (out.empty())
    for (const Part& p : parts)
      if (p.seconds == tick_seconds) out = join({"0 ", p.name});
  return out.empty() ? "0 s" : out;
}

std::string format_time_of_day(int64_t ticks, int64_t tick_seconds) {
  if (tick_seconds <= 0) tick_seconds = 1;
  if (ticks < 0) return join({"-", format_duration(-ticks, tick_seconds)});
  const int64_t seconds = ticks * tick_seconds;
  const int64_t day = seconds / 86400;
  return join({day > 0 ? join({"day ", std::to_string(day + 1), " "}) : "", hh_mm(seconds % 86400)});
}

std::string format_week_time(int64_t ticks, int64_t tick_seconds) {
  if (tick_seconds <= 0) tick_seconds = 1;
  if (ticks < 0) return join({"-", format_duration(-ticks, tick_seconds)});
  const int64_t seconds = ticks * tick_seconds;
  const int64_t week = seconds / kSecondsPerWeek;
  const int64_t in_week = seconds % kSecondsPerWeek;
  return join({week > 0 ? join({"week ", std::to_string(week + 1), " "}) : "", weekday_name(static_cast<int>(in_week / 86400)),
               " ", hh_mm(in_week % 86400)});
}

std::string wall_time(const Model& model, int64_t ticks) {
  switch (model.calendar) {
    case Calendar::Day: return format_time_of_day(ticks, model.tick_seconds);
    case Calendar::Week: return format_week_time(ticks, model.tick_seconds);
    case Calendar::None: break;
  }
  return std::to_string(ticks);
}

std::string duration_text(const Model& model, int64_t ticks) {
  return model.tick_seconds > 0 ? format_duration(ticks, model.tick_seconds) : time_amount(model, ticks);
}

std::string duration_with_ticks(const Model& model, int64_t ticks) {
  if (model.tick_seconds <= 0) return time_amount(model, ticks);
  const std::string human = format_duration(ticks, model.tick_seconds);
  // One number in the tick's own unit ("50 min" in minutes) says it all.
  const std::string zero = format_duration(0, model.tick_seconds);  // "0 min"
  const std::string own = std::to_string(ticks) + zero.substr(1);
  if (human == own) return human;
  return human + " (" + time_amount(model, ticks) + ")";
}

std::string time_value(TimeKind kind, int64_t tick_seconds, int64_t value) {
  if (tick_seconds <= 0) return std::to_string(value);
  switch (kind) {
    case TimeKind::TimeOfDay: return format_time_of_day(value, tick_seconds);
    case TimeKind::WeekTime: return format_week_time(value, tick_seconds);
    case TimeKind::Duration: return format_duration(value, tick_seconds);
    case TimeKind::Plain: break;
  }
  return std::to_string(value);
}

std::string time_value(const Model& model, TimeKind kind, int64_t value) {
  return time_value(kind, model.tick_seconds, value);
}

TimeKind value_kind(const Model& model, const Expr& e) {
  if (model.tick_seconds <= 0) return TimeKind::Plain;
  auto is_time = [](TimeKind k) { return k == TimeKind::TimeOfDay || k == TimeKind::WeekTime; };
  switch (e.op) {
    case Expr::Op::Slot:
      return model.slots[e.value].kind == Slot::Kind::Clock ? TimeKind::Duration : TimeKind::Plain;
    case Expr::Op::Param:
      return model.params[e.value].time;
    case Expr::Op::Add:
    case Expr::Op::Sub: {
      const TimeKind a = value_kind(model, e.kids[0]), b = value_kind(model, e.kids[1]);
      if (is_time(a) && is_time(b)) return e.op == Expr::Op::Sub ? TimeKind::Duration : TimeKind::Plain;
      if (a == TimeKind::Duration && b == TimeKind::Duration) return TimeKind::Duration;
      if (is_time(a) && (b == TimeKind::Duration || b == TimeKind::Plain)) return a;
      if (is_time(b) && a == TimeKind::Duration && e.op == Expr::Op::Add) return b;
      return TimeKind::Plain;
    }
    default:
      return TimeKind::Plain;
  }
}

std::string timers_line(const Model& model) {
  if (model.timers.empty()) return "";
  std::string names;
  for (const std::string& t : model.timers) names += (names.empty() ? "" : ", ") + t;
  return std::string(model.timers.size() == 1 ? "timer " : "timers ") + names + " on one wall clock, Wall.t, repeating every " +
         (model.calendar == Calendar::Week ? "week" : "day") + " (" + std::to_string(model.timer_period) + " " + model.time_unit + ")";
}

}  // namespace interlock

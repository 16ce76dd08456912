#include "cli/session_time.h"

#include "model/time_format.h"
#include "model/time_literals.h"

namespace interlock {
namespace {

// Seconds per tick: the spec's clock time, or else its unit of time if that is one (a spec "in
// minutes" without a time literal still counts in minutes); 0 for ticks, cycles, ...
int64_t tick_seconds(const Model& model) {
  return model.tick_seconds > 0 ? model.tick_seconds : seconds_per_tick(model.time_unit);
}

// A whole non-negative number, or -1 for anything else. Past 12 digits it is surely too long a
// wait: kMaxWaitTicks + 1, which the caller refuses.
int64_t plain_number(const std::string& text) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos) return -1;
  if (text.size() > 12) return kMaxWaitTicks + 1;
  return std::stoll(text);
}

TimeArg fail(std::string why) {
  TimeArg out;
  out.error = std::move(why);
  return out;
}

TimeArg ticks(int64_t n) {
  if (n > kMaxWaitTicks) return fail("that is more than " + std::to_string(kMaxWaitTicks) + " ticks: wait less at a time");
  TimeArg out;
  out.ok = true;
  out.ticks = n;
  return out;
}

}  // namespace

TimeArg wait_ticks(const Model& model, const std::string& text) {
  const std::string accepted = tick_seconds(model) > 0 ? "a number of " + model.time_unit + " or a duration such as 5min or 1h30min"
                                                       : "a number of " + model.time_unit;
  if (text.empty()) return ticks(1);
  const int64_t n = plain_number(text);
  if (n == 0) return fail("wait 0 lets no time pass: wait takes " + accepted);
  if (n > 0) return ticks(n);
  const TimeText t = parse_time_text(text);
  if (!t.ok || t.kind != TimeKind::Duration) {
    const std::string hint = t.ok ? " (for a time of day, use until " + text + ")" : "";
    return fail("wait takes " + accepted + ", not '" + text + "'" + hint);
  }
  if (tick_seconds(model) <= 0) return fail("this spec counts time in " + model.time_unit + ", not in clock time: wait takes " + accepted);
  const std::optional<int64_t> n_ticks = literal_ticks(t.seconds, tick_seconds(model));
  if (!n_ticks) return fail("'" + text + "' is not a whole number of " + model.time_unit);
  if (*n_ticks == 0) return fail("'" + text + "' lets no time pass");
  return ticks(*n_ticks);
}

TimeArg until_ticks(const Model& model, const std::string& text, int64_t now) {
  const bool clock = model.calendar != Calendar::None && model.tick_seconds > 0;
  const std::string accepted = clock ? "a time such as 03:00" + std::string(model.calendar == Calendar::Week ? " or Tue 03:00" : "") +
                                           ", or a tick number since the start"
                                     : "a tick number since the start (this spec has no clock time of day)";
  if (text.empty()) return fail("until takes " + accepted);
  const int64_t n = plain_number(text);
  if (n >= 0) {
    if (n <= now) return fail("time " + std::to_string(n) + " has passed: it is " + std::to_string(now) + " now");
    return ticks(n - now);
  }
  const TimeText t = parse_time_text(text);
  if (!t.ok || t.kind == TimeKind::Duration) {
    const std::string hint = t.ok ? " (to let an amount of time pass, use wait " + text + ")" : "";
    return fail("until takes " + accepted + ", not '" + text + "'" + hint);
  }
  if (!clock) return fail("until takes " + accepted + ", not '" + text + "'");
  if (t.kind == TimeKind::WeekTime && model.calendar != Calendar::Week)
    return fail("'" + text + "' names a day of the week, and this spec's calendar is a day: until takes " + accepted);
  const int64_t period_seconds = t.kind == TimeKind::WeekTime ? kSecondsPerWeek : kSecondsPerDay;
  const std::optional<int64_t> at = literal_ticks(t.seconds, model.tick_seconds);
  const std::optional<int64_t> period = literal_ticks(period_seconds, model.tick_seconds);
  if (!at || !period) return fail("'" + text + "' is not a whole number of " + model.time_unit);
  const int64_t into = now % *period;
  if (into == *at) return fail("it is " + wall_time(model, now) + " now");
  return ticks((*at - into + *period) % *period);
}

}  // namespace interlock

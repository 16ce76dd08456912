#include "model/timer_plan.h"

#include <cctype>
#include <string>
#include <string_view>

#include "model/time_literals.h"

namespace interlock {
namespace {

SourceLoc at_offset(SourceLoc start, std::size_t offset) {
  return {start.line, start.col + static_cast<int>(offset)};
}

// Reports a reader's error at its place inside the setting's text.
void report(const ast::TimerSetting& setting, std::size_t value_offset, const schedules::ParseError& error,
            Diagnostics& diags) {
  diags.error(at_offset(setting.loc, value_offset + error.offset), error.message);
}

void merge(schedules::Elapses& into, const schedules::Elapses& from) {
  into.sets.insert(into.sets.end(), from.sets.begin(), from.sets.end());
  into.at_boot = into.at_boot || from.at_boot;
}

// A parameter's or constant's name (RandomizedDelaySec=RAND_DELAY), not a time span ("12h").
bool is_name(std::string_view text) {
  if (text.empty() || !(std::isalpha(static_cast<unsigned char>(text[0])) || text[0] == '_')) return false;
  for (char c : text)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
  // systemd's own unit words ("infinity") are not names of the spec.
  return text != "infinity";
}

bool read_cron(const ast::Timer& timer, TimerPlan& plan, Diagnostics& diags) {
  if (timer.settings.size() != 1) {
    diags.error(timer.settings[1].loc, "a cron timer has one schedule, as in cron \"30 2 * * *\"; for several, declare several timers");
    return false;
  }
  const ast::TimerSetting& s = timer.settings[0];
  auto parsed = schedules::parse_cron(s.text);
  if (auto* error = std::get_if<schedules::ParseError>(&parsed)) {
    report(s, 0, *error, diags);
    return false;
  }
  plan.elapses = std::get<schedules::Elapses>(parsed);
  return true;
}

bool read_systemd(const ast::Timer& timer, TimerPlan& plan, Diagnostics& diags) {
  bool ok = true, calendar = false;
  std::optional<int64_t> randomized, accuracy;
  for (const ast::TimerSetting& s : timer.settings) {
    const std::size_t eq = s.text.find('=');
    if (eq == std::string::npos) {
      diags.error(s.loc, "expected a setting 'Key=Value', as in \"OnCalendar=daily\"");
      ok = false;
      continue;
    }
    std::string_view key = std::string_view(s.text).substr(0, eq);
    std::string_view value = std::string_view(s.text).substr(eq + 1);
    const std::size_t value_at = eq + 1;
    if (key == "OnCalendar") {
      auto parsed = schedules::parse_on_calendar(value);
      if (auto* error = std::get_if<schedules::ParseError>(&parsed)) {
        report(s, value_at, *error, diags);
        ok = false;
        continue;
      }
      merge(plan.elapses, std::get<schedules::Elapses>(parsed));
      calendar = true;
    } else if (key == "RandomizedDelaySec" && is_name(value)) {
      plan.delay_name = std::string(value);
      plan.delay_loc = at_offset(s.loc, value_at);
      randomized = 0;
    } else if (key == "RandomizedDelaySec" || key == "AccuracySec") {
      auto parsed = schedules::parse_time_span_us(value);
      if (auto* error = std::get_if<schedules::ParseError>(&parsed)) {
        report(s, value_at, *error, diags);
        ok = false;
        continue;
      }
      (key == "AccuracySec" ? accuracy : randomized) = std::get<int64_t>(parsed);  // microseconds
    } else if (key == "Persistent") {
      if (value == "true" || value == "yes" || value == "1" || value == "on") plan.persistent = true;
      else if (value == "false" || value == "no" || value == "0" || value == "off") plan.persistent = false;
      else {
        diags.error(at_offset(s.loc, value_at), "Persistent= takes a boolean (true or false), not '" + std::string(value) + "'");
        ok = false;
      }
    } else {
      // Built piece by piece: GCC 12 warns (-Wrestrict, wrongly) about "'" + std::string(...) here.
      std::string message(1, '\'');
      message.append(key);
      message += "' is not a timer setting interlock reads; it reads OnCalendar=, RandomizedDelaySec=, AccuracySec= and Persistent=";
      diags.error(s.loc, message);
      ok = false;
    }
  }
  if (ok && !calendar) {
    diags.error(timer.loc, "systemd timer '" + timer.name + "' has no OnCalendar= setting: it would never elapse");
    ok = false;
  }
  plan.max_delay_seconds = timer_lateness_seconds(randomized.value_or(0), accuracy);
  return ok;
}

// "02:30:15", or "Tue 02:30:15" in a week.
std::string clock_text(int64_t seconds, int64_t period_seconds) {
  auto two = [](int64_t v) { return std::string(v < 10 ? "0" : "") + std::to_string(v); };
  const int64_t in_day = seconds % kSecondsPerDay;
  std::string text = two(in_day / 3600) + ":" + two(in_day / 60 % 60) + ":" + two(in_day % 60);
  if (period_seconds == kSecondsPerWeek) text = std::string(weekday_name(static_cast<int>(seconds / kSecondsPerDay))) + " " + text;
  return text;
}

}  // namespace

int64_t timer_lateness_seconds(int64_t randomized_us, std::optional<int64_t> accuracy_us) {
  constexpr int64_t kMicroseconds = 1000000;
  const __int128 late = static_cast<__int128>(randomized_us) +
                        accuracy_us.value_or(kSystemdDefaultAccuracySeconds * kMicroseconds);  // two spans: no overflow
  return static_cast<int64_t>(late / kMicroseconds);
}

std::optional<TimerPlan> read_timer(const ast::Timer& timer, Diagnostics& diags) {
  TimerPlan plan;
  if (timer.settings.empty()) return std::nullopt;  // the parser has reported it
  const bool ok = timer.kind == ast::Timer::Kind::Cron ? read_cron(timer, plan, diags) : read_systemd(timer, plan, diags);
  if (!ok) return std::nullopt;
  return plan;
}

bool timer_ticks(const ast::Timer& timer, TimerPlan& plan, int64_t tick_seconds, int64_t period_seconds,
                 const char* unit, Diagnostics& diags) {
  bool truncated = false;
  const std::vector<int64_t> seconds = schedules::elapse_seconds(plan.elapses, period_seconds, kMaxElapsesPerPeriod, truncated);
  if (truncated) {
    diags.error(timer.settings.front().loc, "timer '" + timer.name + "' elapses more than " + std::to_string(kMaxElapsesPerPeriod) +
                                                " times a " + (period_seconds == kSecondsPerWeek ? "week" : "day") +
                                                "; interlock models at most that many");
    return false;
  }
  plan.ticks.clear();
  for (int64_t s : seconds) {
    if (s % tick_seconds != 0) {
      diags.error(timer.settings.front().loc, "timer '" + timer.name + "' elapses at " + clock_text(s, period_seconds) +
                                                  ", which is not a whole number of " + unit + ", the unit of time of this spec");
      return false;
    }
    plan.ticks.push_back(s / tick_seconds);
  }
  return true;
}

}  // namespace interlock

// Times and durations as people read them, for every output of a spec that uses clock time
// (Model::tick_seconds, Model::calendar): "02:30", "day 2 01:50", "Tue 01:50", "1 h 5 min".
// Specs that do not use clock time keep their plain numbers.
#pragma once

#include <cstdint>
#include <string>

#include "model/model.h"

namespace interlock {

// An amount of time: "1 h 5 min", "2 d 3 h", "1 min 30 s", "0 min" (zero in the tick's unit),
// "-5 min". tick_seconds is 1, 60 or 3600.
std::string format_duration(int64_t ticks, int64_t tick_seconds);

// A time of day from midnight: "02:30" ("02:30:15" when the seconds are not zero), and past the
// first day "day 2 01:50". Negative values show as "-" and a duration.
std::string format_time_of_day(int64_t ticks, int64_t tick_seconds);

// A time of the week from Monday 00:00: "Tue 01:50", and past the first week "week 2 Tue 01:50".
std::string format_week_time(int64_t ticks, int64_t tick_seconds);

// The time since the start of a run: the trace's time column, "from 02:30 on". The plain number
// unless the spec has a calendar.
std::string wall_time(const Model& model, int64_t ticks);

// A duration in the spec's terms: "1 h 5 min" with clock time, else "65 minutes" (time_amount).
std::string duration_text(const Model& model, int64_t ticks);

// As duration_text, with the number of ticks beside it when that says more: "2 h 31 min
// (151 minutes)"; "50 min" alone.
std::string duration_with_ticks(const Model& model, int64_t ticks);

// A value of ticks of `tick_seconds` seconds written as `kind`; the plain number when
// tick_seconds is 0.
std::string time_value(TimeKind kind, int64_t tick_seconds, int64_t value);

// A value written as `kind` in this spec: "02:30", "Tue 01:50", "45 min", or the plain number.
std::string time_value(const Model& model, TimeKind kind, int64_t value);

// What an expression's values are: a clock or a difference of times is a duration, a parameter
// is what its default was written as, a time plus a duration is a time; Plain otherwise, and
// always Plain in a spec without clock time.
TimeKind value_kind(const Model& model, const Expr& e);

// "timers nightly, renew on one wall clock, Wall.t, repeating every day (1440 minutes)"; empty
// for a spec without timers.
std::string timers_line(const Model& model);

}  // namespace interlock

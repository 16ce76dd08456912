// Compiles the spec's `timer` declarations into ordinary machines on one shared wall clock, so
// that every engine, trace and proof works on them unchanged. docs/language.md, "Timers", is the
// reference; the shape of the machines is described in model/timers.cpp.
#pragma once

#include "model/ast.h"
#include "model/diagnostics.h"

namespace interlock {

// Reads each timer's schedule (model/schedules/calendar.h), chooses the period (a week when a
// timer names days of the week or the spec says `weekly`, else a day), adds the machine `Wall`
// (clock `t`, the time since the period began) and one machine per timer named after it, and
// declares each timer's channel as a broadcast channel when the spec does not. Errors are located
// in the timer's text. Also reports `Tue 02:30` in a spec whose days turned out not to be a week.
void expand_timers(ast::Spec& spec, Diagnostics& diags);

}  // namespace interlock

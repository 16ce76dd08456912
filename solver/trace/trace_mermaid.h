// A trace as a Mermaid sequence diagram: a lifeline per machine, an arrow per synchronization
// (rendezvous or broadcast, from the emitter to each receiver), a note per internal move, a note
// across all lifelines whenever time has passed, and a `loop` block around a lasso's cycle.
#pragma once

#include <string>

#include "model/model.h"
#include "solver/result.h"

namespace interlock {

std::string format_trace_mermaid(const Model& model, const Trace& trace);

}  // namespace interlock

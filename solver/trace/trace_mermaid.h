// A trace as a Mermaid sequence diagram: a lifeline per machine, an arrow per synchronization
// (rendezvous or broadcast, from the emitter to each receiver), a note per internal move, a note
// with what each action read and assigned, a note across all lifelines for each wait (a run of
// ticks, as the text timeline shows it), and a `loop` block around a lasso's cycle.
//
// A long trace is split into parts of at most `max_messages` messages (arrows and notes) each,
// at step boundaries: then the output is Markdown, a heading per part saying which steps it
// covers ("## Part 2 of 3: steps 41 to 87") over a ```mermaid block; Markdown viewers (GitHub)
// and Mermaid's own CLI render each block. A trace that fits in one part is one plain diagram.
#pragma once

#include <cstddef>
#include <string>

#include "model/model.h"
#include "solver/result.h"

namespace interlock {

constexpr std::size_t kMermaidMessagesPerPart = 60;

std::string format_trace_mermaid(const Model& model, const Trace& trace, std::size_t max_messages = kMermaidMessagesPerPart);

}  // namespace interlock

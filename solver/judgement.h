// Whether an answer is the one a correct system gives (the property's `expect`, docs/language.md
// "Properties"), and in one line why not: what `compare` marks ✓ or ✗ and writes under the table.
#pragma once

#include <optional>
#include <string>

#include "model/model.h"
#include "solver/result.h"

namespace interlock {

enum class Judgement {
  Good,  // the wanted answer
  Bad,   // the opposite, or a model fault
  Open,  // unknown, or nothing is wanted (a maximum without `expect <=`)
};

// A reachable property that holds is Good only when every parameter has a value: with free
// parameters (--free) a witness shows it reachable for its own values, not for every value, and a
// fix that switched it off for most schedules would pass. Such a cell is Open, with a word why
// (open_reason).
Judgement judge(const Model& model, const Property& property, const PropertyResult& result);

// Whether `result` shows a reachable property reached for some values of free parameters only.
bool reached_for_some_values(const Model& model, const PropertyResult& result);
// Why an Open answer is not judged, when that needs a word (reached_for_some_values); else empty.
std::string open_reason(const Model& model, const Property& property, const PropertyResult& result);

// The bound of `expect <= BOUND` at the run's parameter values; nullopt when a free parameter
// (or a fault) leaves it open.
std::optional<int64_t> wanted_bound(const Model& model, const Property& property);

// One line for a Bad answer: when and how the trace breaks the property ("at 120: shutdown!:
// Backup: Due -> Running + RSC: Transmitting -> LineDropped"), how long a wait grew, or why no
// trace exists ("no reachable state satisfies it"). Empty for Good and Open answers.
std::string bad_reason(const Model& model, const Property& property, const PropertyResult& result);

// What the property expects, as outputs say it: "holds", "unreachable", "<= 10 min"; empty for a
// maximum without a bound.
std::string expect_text(const Model& model, const Property& property);

// "✓" "✗" or "" (Open), and the plain words used where marks cannot be shown.
const char* judgement_mark(Judgement j);
const char* judgement_word(Judgement j);

}  // namespace interlock

// The reader that cron fields and OnCalendar= components share: a comma-separated list of values,
// ranges and steps over a small range of numbers (and names), read into a bit mask, or a located
// error naming the field and what it allows. Internal to the schedules library.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "model/schedules/calendar.h"

namespace interlock::schedules::detail {

// Bit v of a mask is value v; every field's values lie in 0..63.
using Mask = uint64_t;

// What a field is and what it allows.
struct FieldSpec {
  const char* what;     // "the minute field", "the hour component"
  const char* allowed;  // "0-59, '*', lists (1,30), ranges (1-5) and steps (*/15)"
  int min;
  int max;
  // Names for values (case-insensitive): names[i] is the value names_first + i.
  const char* const* names = nullptr;
  int names_count = 0;
  int names_first = 0;
  const char* names_what = nullptr;  // "a month name (jan..dec)"
};

// The dialect of the list: how a range is written and where '/' may follow.
struct ListSyntax {
  std::string_view range = "-";    // "-" (cron) or ".." (systemd)
  bool star = true;                // '*' names every value
  bool step_after_star = true;     // */15
  bool step_after_range = true;    // 1-5/2
  bool step_after_value = false;   // 0/15 (systemd: the value, then every 15 up to the maximum)
  const char* step_word = "step";  // "step" (cron) or "repetition" (systemd)
  // systemd refuses a value whose first repetition lies past the field's maximum ("0/60" minutes,
  // "30/30"): such an OnCalendar= is dropped, and the timer never fires for it.
  bool repetition_must_fit = false;
  // systemd refuses a range of one value without a repetition in the seconds ("5..5"), which it
  // reads in microseconds: a range there must span at least a second.
  bool one_value_range_refused = false;
};

struct FieldValue {
  Mask mask = 0;
  bool starts_with_star = false;  // the field's text begins with '*' (cron's DOM_STAR/DOW_STAR)
};

// Reads `text` (one field, no spaces), which starts at byte `offset` of the whole expression, so
// that an error is located in the whole text.
Parsed<FieldValue> read_field(std::string_view text, std::size_t offset, const FieldSpec& spec,
                              const ListSyntax& syntax);

// The mask with every value lo..hi set.
Mask all_of(int lo, int hi);

// "the minute field allows ...; '61' is out of range"
ParseError field_error(const FieldSpec& spec, std::size_t offset, std::size_t length, std::string_view item,
                       const std::string& problem);

bool equals_ignoring_case(std::string_view a, std::string_view b);

// Joins text and numbers. (Appending in place: GCC 12 warns falsely, -Wrestrict, about
// `"literal" + std::string(...)` chains at -O3.)
inline void append_part(std::string& out, std::string_view part) { out.append(part); }
inline void append_part(std::string& out, char part) { out.push_back(part); }
inline void append_part(std::string& out, long long part) { out += std::to_string(part); }
inline void append_part(std::string& out, int part) { out += std::to_string(part); }
inline void append_part(std::string& out, long part) { out += std::to_string(part); }
inline void append_part(std::string& out, unsigned long part) { out += std::to_string(part); }
template <class... Parts>
std::string cat(const Parts&... parts) {
  std::string out;
  (append_part(out, parts), ...);
  return out;
}

}  // namespace interlock::schedules::detail

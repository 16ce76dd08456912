// Helpers shared by the calendar readers' tests.
#pragma once

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "model/schedules/calendar.h"

namespace interlock::schedules::testing {

constexpr int64_t kDay = 86400;
constexpr int64_t kWeek = 7 * kDay;

// The schedule, or a test failure naming the error.
template <class T>
T ok(const Parsed<T>& parsed, const std::string& text) {
  if (const ParseError* e = std::get_if<ParseError>(&parsed)) {
    ADD_FAILURE() << "'" << text << "' was refused at " << e->offset << ": " << e->message;
    return T{};
  }
  return std::get<T>(parsed);
}

// The error, or a test failure saying the text was accepted.
template <class T>
ParseError error(const Parsed<T>& parsed, const std::string& text) {
  if (!std::holds_alternative<ParseError>(parsed)) {
    ADD_FAILURE() << "'" << text << "' was accepted";
    return ParseError{};
  }
  return std::get<ParseError>(parsed);
}

inline std::vector<int64_t> times(const Elapses& e, int64_t period) {
  bool truncated = false;
  std::vector<int64_t> out = elapse_seconds(e, period, 1u << 20, truncated);
  EXPECT_FALSE(truncated);
  return out;
}

}  // namespace interlock::schedules::testing

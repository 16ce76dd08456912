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

// An error a reader must give: where, how long, and a part of its message.
struct ErrorCase {
  const char* text;
  std::size_t offset;
  std::size_t length;
  const char* says;
};

template <class Parse>
void expect_errors(Parse parse, const std::vector<ErrorCase>& cases) {
  for (const ErrorCase& c : cases) {
    const ParseError e = error(parse(c.text), c.text);
    EXPECT_EQ(e.offset, c.offset) << c.text << ": " << e.message;
    EXPECT_EQ(e.length, c.length) << c.text << ": " << e.message;
    EXPECT_NE(e.message.find(c.says), std::string::npos) << c.text << ": " << e.message;
  }
}

inline std::vector<int64_t> times(const Elapses& e, int64_t period) {
  bool truncated = false;
  std::vector<int64_t> out = elapse_seconds(e, period, 1u << 20, truncated);
  EXPECT_FALSE(truncated);
  return out;
}

}  // namespace interlock::schedules::testing

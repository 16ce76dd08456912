// Bad input never crashes the readers, and every error lies within the text (or just after it).
#include <random>

#include "tests/model/schedules/schedule_test_support.h"

namespace interlock::schedules {
namespace {

template <class T>
void expect_located(const Parsed<T>& parsed, const std::string& text) {
  if (const ParseError* e = std::get_if<ParseError>(&parsed)) {
    EXPECT_GE(e->length, 1u) << text;
    EXPECT_LE(e->offset + e->length, text.size() + 1) << text << ": " << e->message;
    EXPECT_FALSE(e->message.empty()) << text;
  }
}

TEST(ScheduleReaders, RandomTextIsReadOrRefusedWithAPlace) {
  std::mt19937 rng(7);
  const std::string alphabet = "0123456789*/-,.: \t@~abcdefjmnorstuwyMSFTW\xCE\xBC\x01";
  int accepted = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const std::size_t n = rng() % 24;
    for (std::size_t i = 0; i < n; ++i) text += alphabet[rng() % alphabet.size()];
    const auto c = parse_cron(text);
    const auto o = parse_on_calendar(text);
    const auto s = parse_time_span(text);
    expect_located(c, text);
    expect_located(o, text);
    expect_located(s, text);
    accepted += std::holds_alternative<Elapses>(c) + std::holds_alternative<Elapses>(o) +
                std::holds_alternative<int64_t>(s);
  }
  EXPECT_GT(accepted, 0);
}

TEST(ScheduleReaders, MutatedGoodExpressionsAreReadOrRefusedWithAPlace) {
  std::mt19937 rng(11);
  const std::vector<std::string> seeds = {
      "*/15 9-17 * * mon-fri", "0 0,12 * * *", "@daily",   "Mon..Fri 02:30",
      "*-*-* 00,12:00:00",     "*:0/15",       "1h 30min", "2 days",
      "8..18/2:00:30"};
  const std::string inserts = "0123456789*/-,.: @~xX";
  for (int round = 0; round < 20000; ++round) {
    std::string text = seeds[rng() % seeds.size()];
    for (int k = 0; k < 1 + static_cast<int>(rng() % 3); ++k) {
      const std::size_t at = rng() % (text.size() + 1);
      switch (rng() % 3) {
        case 0:
          text.insert(at, 1, inserts[rng() % inserts.size()]);
          break;
        case 1:
          if (at < text.size()) text.erase(at, 1);
          break;
        default:
          if (at < text.size()) text[at] = inserts[rng() % inserts.size()];
          break;
      }
    }
    expect_located(parse_cron(text), text);
    expect_located(parse_on_calendar(text), text);
    expect_located(parse_time_span(text), text);
  }
}

}  // namespace
}  // namespace interlock::schedules

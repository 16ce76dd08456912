// parse_on_calendar against systemd itself: random OnCalendar= times and weekdays are given to
// `systemd-analyze calendar` (systemd's own parser, on this machine), which must refuse exactly
// those interlock refuses, and for the others list the same elapses over a week, second by
// second. (An outside tester found OnCalendar= values systemd refuses, such as `*:0/100`,
// accepted here and modelled as firing every hour.)
#include <cstdio>
#include <random>
#include <sstream>

#include "tests/model/schedules/schedule_test_support.h"

namespace interlock::schedules {
namespace {

using testing::kWeek;

// What systemd-analyze printed (stdout and stderr) for `spec`, asked for `iterations` elapses
// from Monday 2026-01-05 00:00:00 UTC on.
std::string systemd_analyze(const std::string& spec, int iterations) {
  const std::string command = "TZ=UTC systemd-analyze calendar --base-time='2026-01-04 23:59:59 UTC' --iterations=" +
                              std::to_string(iterations) + " '" + spec + "' 2>&1";
  std::string printed;
  if (FILE* pipe = ::popen(command.c_str(), "r")) {
    char buffer[4096];
    for (std::size_t n; (n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0;) printed.append(buffer, n);
    ::pclose(pipe);
  }
  return printed;
}

// The elapses systemd listed, as seconds since Monday 00:00, those of the first week only.
std::vector<int64_t> elapses_listed(const std::string& printed) {
  std::vector<int64_t> out;
  std::istringstream lines(printed);
  for (std::string line; std::getline(lines, line);) {
    const std::size_t at = line.find(" 2026-01-");
    if (at == std::string::npos || (line.find("Next elapse:") == std::string::npos && line.find("Iter.") == std::string::npos))
      continue;
    int day = 0, h = 0, m = 0, s = 0;
    if (std::sscanf(line.c_str() + at, " 2026-01-%d %d:%d:%d", &day, &h, &m, &s) != 4) continue;
    const int64_t t = (day - 5) * int64_t{86400} + h * 3600 + m * 60 + s;
    if (t >= 0 && t < kWeek) out.push_back(t);
  }
  return out;
}

// systemd 252 lists wrong elapses for a list that holds both a repetition and a range: 00:00:46,
// 00:00:47, ... first for `*:*:04/51,09..52` (04, 09, 10, ... for `*:*:04,09..52`), and 00:18
// first for `00/1:05/24,18..50` (00:05 with a weekday before it). Its own error: not compared.
bool systemd_lists_wrongly(const std::string& text) {
  std::istringstream parts(text.substr(text.find_last_of(' ') == std::string::npos ? 0 : text.find_last_of(' ') + 1));
  for (std::string part; std::getline(parts, part, ':');)
    if (part.find(',') != std::string::npos && part.find('/') != std::string::npos && part.find("..") != std::string::npos)
      return true;
  return false;
}

class Times {
 public:
  explicit Times(uint32_t seed) : rng_(seed) {}

  std::string spec() {
    std::string out;
    if (chance(0.3)) {
      static const char* weekdays[] = {"Mon..Fri", "Sat,Sun", "Tue", "Mon,Wed..Fri", "Sun", "Thu..Sat", "Mon, Tue", "Sat,Sun,"};
      out.append(weekdays[pick(0, 7)]).append(" ");
    }
    out.append(component(23)).append(":").append(component(59));
    if (chance(0.3)) out.append(":").append(component(59));
    return out;
  }

 private:
  std::mt19937 rng_;
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  bool chance(double p) { return std::bernoulli_distribution(p)(rng_); }

  // A field: '*', or a list of one or two items, each a value, a range, or either with a
  // repetition (some past the field's largest value, which systemd refuses).
  // (Appended piece by piece: GCC 12 warns wrongly, -Wrestrict, about `"*/" + std::to_string(...)`.)
  std::string component(int max) {
    if (chance(0.15)) {
      std::string star(1, '*');
      if (chance(0.2)) star.append("/").append(std::to_string(pick(1, 20)));
      return star;
    }
    std::string out = item(max);
    if (chance(0.25)) out.append(",").append(item(max));
    return out;
  }
  std::string item(int max) {
    const int lo = pick(0, max);
    std::string out = two_digits(lo);
    if (chance(0.3)) out.append("..").append(two_digits(pick(lo, max)));
    if (chance(0.4)) out.append("/").append(std::to_string(pick(1, max + 10)));
    return out;
  }
  static std::string two_digits(int v) {
    std::string out(v < 10 ? "0" : "");
    out += std::to_string(v);
    return out;
  }
};

TEST(SystemdOracle, OnCalendarRefusesWhatSystemdRefusesAndElapsesWhenItDoes) {
  int accepted = 0, refused = 0, compared = 0;
  for (uint32_t seed = 1; seed <= 300; ++seed) {
    const std::string text = Times(seed).spec();
    const Parsed<Elapses> ours = parse_on_calendar(text);
    const bool ours_ok = !std::holds_alternative<ParseError>(ours);
    // Enough iterations for the whole week, and one more to pass its end; a schedule with more
    // elapses is compared on its first 2,000.
    std::vector<int64_t> mine;
    if (ours_ok) mine = testing::times(std::get<Elapses>(ours), kWeek);
    const int iterations = static_cast<int>(std::min<std::size_t>(mine.size() + 1, 2000));
    const std::string printed = systemd_analyze(text, std::max(iterations, 1));
    const bool theirs_ok = printed.find("Failed to parse") == std::string::npos;
    ASSERT_TRUE(!theirs_ok || printed.find("Normalized form") != std::string::npos) << "systemd-analyze did not run: " << printed;
    EXPECT_EQ(ours_ok, theirs_ok) << "'" << text << "': interlock " << (ours_ok ? "accepts" : "refuses")
                                  << " it, systemd " << (theirs_ok ? "accepts" : "refuses") << " it:\n" << printed
                                  << (ours_ok ? "" : std::get<ParseError>(ours).message);
    (ours_ok ? accepted : refused) += 1;
    if (!ours_ok || !theirs_ok || systemd_lists_wrongly(text)) continue;
    std::vector<int64_t> listed = elapses_listed(printed);
    if (mine.size() > listed.size()) mine.resize(listed.size());  // past 2,000
    EXPECT_EQ(mine, listed) << "'" << text << "'";
    ++compared;
  }
  std::cout << accepted << " accepted and " << refused << " refused by both; elapses compared for " << compared << "\n";
  EXPECT_GE(refused, 30);
  EXPECT_GE(compared, 120);
}

}  // namespace
}  // namespace interlock::schedules

#include "cli/import/skeleton.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "cli/import/names.h"
#include "model/utf8.h"

namespace interlock::importer {

namespace {

constexpr int64_t kDay = 86400;
constexpr int64_t kWeek = 7 * kDay;

int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }

// Text from the input, made fit for a `//` comment of a spec: a spec is UTF-8, and a line break
// would end the comment; what would not show as itself (model/utf8.h) becomes '?' too.
std::string comment(const std::string& text) {
  std::string out = terminal_safe(text);
  std::replace(out.begin(), out.end(), '\n', '?');
  return out;
}

struct Lock {
  std::string name;  // identifier: db_lock
  std::string path;
  std::vector<std::size_t> jobs;
};

// The shortest time between two elapses in one period (the last to the first of the next
// period included), or nullopt when the timer has no calendar elapses (@reboot).
std::optional<int64_t> shortest_gap(const schedules::Elapses& elapses, int64_t period) {
  bool truncated = false;
  const std::vector<int64_t> times =
      schedules::elapse_seconds(elapses, period, std::size_t{1} << 21, truncated);
  if (times.empty()) return std::nullopt;
  int64_t gap = times.front() + period - times.back();
  for (std::size_t i = 1; i < times.size(); ++i) gap = std::min(gap, times[i] - times[i - 1]);
  return gap;
}

// flock -w's seconds, rounded up to whole seconds.
int64_t wait_seconds(const LockUse& lock) { return static_cast<int64_t>(std::ceil(lock.wait_seconds)); }

std::string lock_comment(const LockUse& lock, const std::string& name, int64_t tick) {
  switch (lock.mode) {
    case LockUse::Mode::NoWait:
      return "flock -n: when the lock " + name + " is held at its elapse, this run is skipped";
    case LockUse::Mode::Timeout: {
      std::ostringstream seconds;
      seconds << lock.wait_seconds;
      return "flock -w " + seconds.str() + ": waits up to " + duration_literal(wait_seconds(lock), tick) +
             " for the lock " + name + ", then gives this run up";
    }
    case LockUse::Mode::Wait:
      break;
  }
  return "flock: waits for the lock " + name + " as long as it takes";
}

}  // namespace

std::string duration_literal(int64_t seconds, int64_t tick_seconds) {
  seconds = ceil_div(seconds, tick_seconds) * tick_seconds;
  if (seconds == 0) return tick_seconds == 1 ? "0s" : "0min";
  std::string out;
  const int64_t units[] = {kDay, 3600, 60, 1};
  const char* names[] = {"d", "h", "min", "s"};
  for (int i = 0; i < 4; ++i) {
    if (seconds >= units[i]) {
      out += std::to_string(seconds / units[i]) + names[i];
      seconds %= units[i];
    }
  }
  return out;
}

std::string write_skeleton(const Skeleton& s) {
  const bool seconds =
      std::any_of(s.jobs.begin(), s.jobs.end(), [](const SkeletonJob& j) { return j.needs_seconds; });
  const int64_t tick = seconds ? 1 : 60;
  const bool weekly =
      std::any_of(s.jobs.begin(), s.jobs.end(), [](const SkeletonJob& j) { return j.elapses.weekly(); });
  const int64_t period = weekly ? kWeek : kDay;
  const auto lit = [&](int64_t secs) { return duration_literal(secs, tick); };

  // The locks, by file, in the order the jobs take them.
  NameTable lock_names;
  std::vector<Lock> locks;
  std::vector<int> lock_of(s.jobs.size(), -1);
  for (std::size_t j = 0; j < s.jobs.size(); ++j) {
    if (!s.jobs[j].lock) continue;
    const std::string& path = s.jobs[j].lock->path;
    auto it = std::find_if(locks.begin(), locks.end(), [&](const Lock& l) { return l.path == path; });
    if (it == locks.end()) {
      const std::size_t slash = path.rfind('/');
      const std::string base = slash == std::string::npos ? path : path.substr(slash + 1);
      locks.push_back({lock_names.unique(identifier_from(base, "lock")), path, {}});
      it = locks.end() - 1;
    }
    it->jobs.push_back(j);
    lock_of[j] = static_cast<int>(it - locks.begin());
  }
  std::vector<std::string> resource_names;
  for (const Resource& r : s.resources) resource_names.push_back(lock_names.unique(r.name));

  std::ostringstream out;
  for (const std::string& h : s.header) out << "// " << comment(h) << "\n";
  out << "system " << s.system_name << " in " << (seconds ? "seconds" : "minutes") << ", "
      << (weekly ? "weekly" : "daily") << ";\n";
  if (!s.environment.empty()) {
    out << "\n";
    for (const std::string& e : s.environment) out << "// " << comment(e) << "\n";
  }
  if (!locks.empty()) {
    out << "\n// The lock files the jobs take with flock(1): true while a job holds it.\n";
    for (const Lock& l : locks) {
      std::string users;
      for (std::size_t j : l.jobs) users += (users.empty() ? "" : ", ") + s.jobs[j].name;
      out << "var " << l.name << "_held : bool = false;  // " << comment(l.path) << ": " << users << "\n";
    }
  }

  std::vector<std::optional<int64_t>> gaps(s.jobs.size());  // in ticks
  for (std::size_t j = 0; j < s.jobs.size(); ++j) {
    const SkeletonJob& job = s.jobs[j];
    const std::string machine = machine_name(job.name);
    const std::string upper = upper_name(job.name);
    const std::string due = job.name + "_due";
    out << "\n";
    for (const std::string& line : job.source) out << "// " << comment(line) << "\n";
    std::string held;
    if (lock_of[j] >= 0) {
      held = locks[lock_of[j]].name + "_held";
      out << "// " << lock_comment(*job.lock, locks[lock_of[j]].name, tick) << ".\n";
    }
    out << "timer " << job.name << "_timer = " << job.timer << " emit " << due << "!;\n";

    const int64_t min_ticks = ceil_div(job.min_seconds, tick);
    const int64_t max_ticks = ceil_div(job.max_seconds, tick);
    const int64_t lo = std::min<int64_t>(1, min_ticks) * tick;
    const int64_t hi = std::max<int64_t>(kDay, max_ticks * tick);
    const std::string range = lit(lo) + ".." + lit(hi);
    out << "param " << upper << "_MIN : " << range << " = " << lit(job.min_seconds)
        << ";  // its shortest run\n";
    out << "param " << upper << "_MAX : " << range << " = " << lit(job.max_seconds)
        << ";  // its longest run";
    if (job.guessed) {
      out << "\n// The run time above is a guess, to be set: here or with --duration " << job.name
          << "=MIN..MAX (e.g. 20min..50min).";
    } else if (job.min_seconds % tick || job.max_seconds % tick) {
      out << " (rounded up to whole minutes)";
    }
    out << "\nassume " << upper << "_MIN <= " << upper << "_MAX;\n";

    const bool waits = job.lock && job.lock->mode != LockUse::Mode::NoWait;
    const bool skips = job.lock && job.lock->mode != LockUse::Mode::Wait;
    const int64_t wait_ticks = job.lock ? ceil_div(wait_seconds(*job.lock), tick) : 0;
    const std::string take = held.empty() ? "c := 0" : "{ " + held + " := true; c := 0; }";
    out << "machine " << machine << " {\n";
    out << "  clock c;\n";
    out << "  state Idle;\n";
    out << "  state Running { invariant c <= " << upper << "_MAX; }\n";
    if (waits) {
      if (job.lock->mode == LockUse::Mode::Timeout) {
        out << "  state Waiting { invariant c <= " << lit(wait_ticks * tick) << "; }  // for the lock\n";
      } else {
        out << "  state Waiting;  // for the lock\n";
      }
    }
    if (skips) out << "  state Skipped;  // the lock was taken: this run did not happen\n";
    out << "  init Idle;\n";
    for (const char* from : {"Idle", "Skipped"}) {
      if (std::string(from) == "Skipped" && !skips) continue;
      if (held.empty()) {
        out << "  " << from << " -> Running on " << due << "? do " << take << ";\n";
        continue;
      }
      out << "  " << from << " -> Running on " << due << "? when !" << held << " do " << take << ";\n";
      if (waits) {
        out << "  " << from << " -> Waiting on " << due << "? when " << held << " do c := 0;\n";
      } else {
        out << "  " << from << " -> Skipped on " << due << "? when " << held << ";\n";
      }
    }
    if (waits) {
      out << "  Waiting -> Running when !" << held << " asap do " << take << ";\n";
      if (skips)
        out << "  Waiting -> Skipped when " << held << " && c >= " << lit(wait_ticks * tick) << ";\n";
    }
    out << "  Running -> Idle when c >= " << upper << "_MIN";
    if (!held.empty()) out << " do " << held << " := false";
    out << ";\n}\n";

    if (const auto gap = shortest_gap(job.elapses, period)) gaps[j] = *gap / tick;
  }

  out << "\n// Properties.\n";
  for (const Lock& l : locks) {
    if (l.jobs.size() < 2) continue;
    out << "// Jobs that take " << comment(l.path) << " never run at once.\n";
    out << "invariant " << l.name << "_apart: ";
    bool first = true;
    for (std::size_t a = 0; a < l.jobs.size(); ++a) {
      for (std::size_t b = a + 1; b < l.jobs.size(); ++b) {
        out << (first ? "" : " && ") << "!(" << machine_name(s.jobs[l.jobs[a]].name) << ".Running && "
            << machine_name(s.jobs[l.jobs[b]].name) << ".Running)";
        first = false;
      }
    }
    out << ";\n";
  }
  for (std::size_t r = 0; r < s.resources.size(); ++r) {
    const Resource& res = s.resources[r];
    std::string list;
    for (const std::string& j : res.jobs) list += (list.empty() ? "" : ", ") + j;
    out << "// " << list << " share the resource " << res.name << ": they never run at once.\n";
    out << "invariant " << resource_names[r] << "_apart: ";
    for (std::size_t a = 0; a < res.jobs.size(); ++a) {
      for (std::size_t b = a + 1; b < res.jobs.size(); ++b) {
        out << (a == 0 && b == 1 ? "" : " && ") << "!(" << machine_name(res.jobs[a]) << ".Running && "
            << machine_name(res.jobs[b]) << ".Running)";
      }
    }
    out << ";\n";
  }
  out << "// Every job runs in every period: once due (out of Idle), it has run and is Idle again before\n"
         "// its next elapse can come. A run skipped under flock -n, a wait for a lock past that, or a run\n"
         "// that lasts into the next elapse breaks it.\n";
  for (std::size_t j = 0; j < s.jobs.size(); ++j) {
    const std::string m = machine_name(s.jobs[j].name);
    out << "response " << s.jobs[j].name << "_runs: !" << m << ".Idle leads_to " << m << ".Idle";
    if (gaps[j]) {
      // A tick less than the shortest gap, and less the delay a timer may add to an elapse,
      // rounded down to the tick as the timer model rounds it (model/timers.cpp).
      const int64_t jitter = s.jobs[j].jitter_seconds / tick;
      const int64_t window = std::max<int64_t>(0, *gaps[j] - jitter - 1);
      out << " within " << lit(window * tick) << ";  // elapses " << lit(*gaps[j] * tick) << " apart or more";
      if (jitter > 0) out << ", each up to " << lit(jitter * tick) << " late";
      out << "\n";
    } else {
      out << ";  // it elapses at boot, not on a calendar: it ends\n";
    }
  }
  out << "deadlock_free;\n";
  return out.str();
}

}  // namespace interlock::importer

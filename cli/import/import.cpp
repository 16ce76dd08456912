// run_import: reads the crontab or the timer units, names the jobs, applies --duration, --name and
// --resource, and writes the skeleton (cli/import/skeleton.h).
#include "cli/import/import.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <set>

#include "cli/import/crontab_file.h"
#include "cli/import/names.h"
#include "cli/import/skeleton.h"
#include "cli/import/unit_file.h"
#include "model/diagnostics.h"
#include "model/input_file.h"
#include "model/lower.h"
#include "model/output_file.h"
#include "model/timer_plan.h"
#include "model/utf8.h"

namespace interlock {

namespace {

using importer::CronFile;
using importer::SkeletonJob;

constexpr std::size_t kMaxInputBytes = 8u << 20;

[[noreturn]] void option_error(const std::string& message) {
  throw InputError("interlock import: error: " + message + "\n");
}

// Runs a reader over a file; its diagnostics, if any, end the import.
template <class Read>
auto read_located(const SourceFile& file, Read read) {
  Diagnostics diagnostics(file);
  decltype(read(diagnostics)) result{};
  try {
    result = read(diagnostics);
  } catch (const TooManyErrors&) {
  }
  if (diagnostics.has_errors()) throw InputError(diagnostics.render());
  return result;
}

std::string file_name(const std::string& path) { return std::filesystem::path(path).filename().string(); }

std::string collapse_spaces(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == ' ' || c == '\t') {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
    } else {
      out.push_back(c);
    }
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// A string of the spec language: one line of printable ASCII, no escapes (what the readers
// accept never needs one: read_crontab and read_timer refuse the rest).
std::string quoted(const std::string& text) { return "\"" + text + "\""; }

bool has_seconds(const schedules::Elapses& elapses) {
  for (const schedules::CalendarSet& s : elapses.sets) {
    for (int sec = 1; sec < 60; ++sec)
      if (s.seconds.test(sec)) return true;
  }
  return false;
}

// --name KEY=NAME, --duration JOB=..., --resource NAME=...: the part before '=' and after.
std::pair<std::string, std::string> split_option(const std::string& option, const std::string& value,
                                                 const char* form) {
  const std::size_t eq = value.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == value.size()) {
    option_error(option + " expects " + form + ", not '" + value + "'");
  }
  return {value.substr(0, eq), value.substr(eq + 1)};
}

std::string job_list(const std::vector<SkeletonJob>& jobs) {
  std::string list;
  for (const SkeletonJob& j : jobs) list += (list.empty() ? "" : ", ") + j.name;
  return list;
}

SkeletonJob* find_job(std::vector<SkeletonJob>& jobs, const std::string& name) {
  for (SkeletonJob& j : jobs)
    if (j.name == name) return &j;
  return nullptr;
}

int64_t span_or_fail(const std::string& text, const std::string& option) {
  auto parsed = schedules::parse_time_span(text);
  if (const auto* e = std::get_if<schedules::ParseError>(&parsed)) {
    option_error(option + ": '" + text + "': " + e->message);
  }
  return std::get<int64_t>(parsed);
}

void apply_durations(const ImportOptions& options, std::vector<SkeletonJob>& jobs) {
  std::set<std::string> seen;
  for (const std::string& d : options.durations) {
    const auto [job_name, range] = split_option("--duration", d, "JOB=MIN..MAX (e.g. backup=20min..50min)");
    SkeletonJob* job = find_job(jobs, job_name);
    if (!job)
      option_error("--duration names '" + job_name + "', which is not a job here (jobs: " + job_list(jobs) +
                   ")");
    if (!seen.insert(job_name).second) option_error("--duration gives " + job_name + " twice");
    const std::size_t dots = range.find("..");
    const std::string lo = dots == std::string::npos ? range : range.substr(0, dots);
    const std::string hi = dots == std::string::npos ? range : range.substr(dots + 2);
    job->min_seconds = span_or_fail(lo, "--duration " + job_name);
    job->max_seconds = span_or_fail(hi, "--duration " + job_name);
    if (job->min_seconds > job->max_seconds) {
      option_error("--duration " + d + ": the shortest run is longer than the longest");
    }
    if (job->max_seconds > 366 * int64_t{86400})
      option_error("--duration " + d + ": a run longer than a year");
    job->guessed = false;
  }
}

std::vector<importer::Resource> read_resources(const ImportOptions& options, std::vector<SkeletonJob>& jobs) {
  std::vector<importer::Resource> out;
  for (const std::string& r : options.resources) {
    const auto [name, list] = split_option("--resource", r, "NAME=JOB1,JOB2 (e.g. db=backup,vacuum)");
    importer::Resource res;
    res.name = importer::identifier_from(name, "resource");
    for (const importer::Resource& given : out)
      if (given.name == res.name) option_error("--resource " + name + " is given twice: give each resource once");
    std::size_t start = 0;
    while (start <= list.size()) {
      std::size_t comma = list.find(',', start);
      if (comma == std::string::npos) comma = list.size();
      const std::string job = list.substr(start, comma - start);
      if (!find_job(jobs, job)) {
        option_error("--resource " + name + " names '" + job +
                     "', which is not a job here (jobs: " + job_list(jobs) + ")");
      }
      if (std::find(res.jobs.begin(), res.jobs.end(), job) != res.jobs.end()) {
        option_error("--resource " + name + " names " + job + " twice");
      }
      res.jobs.push_back(job);
      start = comma + 1;
    }
    if (res.jobs.size() < 2) option_error("--resource " + r + " needs two jobs or more (NAME=JOB1,JOB2)");
    out.push_back(std::move(res));
  }
  return out;
}

// --name KEY=NAME: the names given, by key (a crontab's line number, a timer's file name).
std::map<std::string, std::string> given_names(const ImportOptions& options) {
  std::map<std::string, std::string> names;
  for (const std::string& n : options.names) {
    const auto [key, name] =
        split_option("--name", n, "LINE=NAME (a crontab's line number, or a timer unit's file name)");
    if (!names.emplace(key, name).second) option_error("--name gives " + key + " twice");
  }
  return names;
}

// Names jobs: those given with --name first, then the others after their program.
void name_jobs(std::vector<SkeletonJob>& jobs, const std::vector<std::string>& keys,
               const std::vector<std::string>& hints, const ImportOptions& options, const char* key_kind) {
  std::map<std::string, std::string> given = given_names(options);
  importer::NameTable table;
  for (std::size_t j = 0; j < jobs.size(); ++j) {
    auto it = given.find(keys[j]);
    if (it == given.end()) continue;
    const std::string name = importer::identifier_from(it->second, "job");
    if (table.taken(name))
      option_error("--name " + it->first + "=" + it->second + ": the name " + name + " is taken");
    jobs[j].name = table.unique(name);
    given.erase(it);
  }
  if (!given.empty()) {
    std::string keys_list;
    for (const std::string& k : keys) keys_list += (keys_list.empty() ? "" : ", ") + k;
    option_error("--name " + given.begin()->first + "=...: there is no job at " + key_kind + " " +
                 given.begin()->first + " (jobs are at " + keys_list + ")");
  }
  for (std::size_t j = 0; j < jobs.size(); ++j) {
    if (jobs[j].name.empty()) jobs[j].name = table.unique(importer::identifier_from(hints[j], "job"));
  }
}

importer::Skeleton from_crontab(const ImportOptions& options) {
  if (options.files.size() != 1) option_error("'import crontab' reads one crontab file");
  const std::string& path = options.files[0];
  const SourceFile file(path, read_input_file(path, "crontab", kMaxInputBytes));
  const CronFile cron = read_located(
      file, [&](Diagnostics& d) { return importer::read_crontab(file, options.system_crontab, d); });
  if (cron.jobs.empty()) throw InputError(path + ": error: no job in this crontab: nothing to import\n");
  importer::Skeleton sk;
  std::vector<std::string> keys, hints;
  for (const importer::CronJob& c : cron.jobs) {
    SkeletonJob job;
    for (const std::string& comment : c.comments) job.source.push_back(comment);
    job.source.push_back("line " + std::to_string(c.line) + ": " + c.source_line);
    job.origin = path + ":" + std::to_string(c.line);
    if (!c.user.empty()) job.source.push_back("(runs as " + c.user + ")");
    if (c.has_input) job.source.push_back("(the text after its '%' is the command's input)");
    job.timer = "cron " + quoted(collapse_spaces(c.schedule));
    job.elapses = c.elapses;
    job.lock = c.info.lock;
    sk.jobs.push_back(std::move(job));
    keys.push_back(std::to_string(c.line));
    hints.push_back(c.info.program);
  }
  name_jobs(sk.jobs, keys, hints, options, "line");
  if (cron.system)
    sk.header.push_back("Read as a system crontab (a user field after the schedule), " + cron.system_reason +
                        ".");
  sk.environment = cron.environment;
  sk.system_name = importer::not_a_keyword(importer::identifier_from(file_name(path), "crontab"));
  return sk;
}

importer::Skeleton from_systemd(const ImportOptions& options) {
  // .timer files, each followed by its .service or not.
  struct Pair {
    std::string timer, service;
  };
  std::vector<Pair> pairs;
  for (const std::string& f : options.files) {
    const std::string name = file_name(f);
    if (name.size() > 6 && name.ends_with(".timer")) {
      pairs.push_back({f, ""});
    } else if (name.size() > 8 && name.ends_with(".service")) {
      if (pairs.empty() || !pairs.back().service.empty()) {
        option_error("'" + f + "': a .service file follows the .timer file that starts it");
      }
      pairs.back().service = f;
    } else {
      option_error("'" + f + "' is neither a .timer nor a .service unit file");
    }
  }
  if (pairs.empty()) option_error("'import systemd' needs a .timer unit file");
  importer::Skeleton sk;
  std::vector<std::string> keys, hints;
  for (const Pair& p : pairs) {
    const SourceFile timer_file(p.timer, read_input_file(p.timer, "timer unit", kMaxInputBytes));
    const importer::TimerUnit timer =
        read_located(timer_file, [&](Diagnostics& d) { return importer::read_timer(timer_file, d); });
    std::string service_path = p.service;
    const std::string stem = file_name(p.timer).substr(0, file_name(p.timer).size() - 6);
    bool named = !service_path.empty();
    if (service_path.empty()) {
      const std::filesystem::path folder = std::filesystem::path(p.timer).parent_path();
      service_path = (folder / (timer.unit.empty() ? stem + ".service" : timer.unit)).string();
    }
    SkeletonJob job;
    job.origin = p.timer;
    job.source.push_back(file_name(p.timer) + ":");
    for (const std::string& line : timer.lines) job.source.push_back("  " + line);
    for (const std::string& line : timer.notes) job.source.push_back("  " + line);
    std::error_code ec;
    if (named || std::filesystem::exists(service_path, ec)) {
      const SourceFile service_file(service_path,
                                    read_input_file(service_path, "service unit", kMaxInputBytes));
      const importer::ServiceUnit service =
          read_located(service_file, [&](Diagnostics& d) { return importer::read_service(service_file, d); });
      job.source.push_back(file_name(service_path) + ":");
      for (const std::string& line : service.exec_start) job.source.push_back("  " + line);
      job.lock = service.info.lock;
    } else {
      job.source.push_back("(no " + file_name(service_path) + " beside it: the job takes no lock here)");
    }
    std::string settings;
    for (const std::string& s : timer.settings) settings += (settings.empty() ? "" : ", ") + quoted(s);
    job.timer = "systemd " + settings;
    job.elapses = timer.elapses;
    // As the timer model counts it (AccuracySec= is 1 min when not given, systemd.timer(5)).
    job.jitter_seconds = timer_lateness_seconds(timer.randomized_delay_us,
                                                timer.accuracy_given ? std::optional<int64_t>(timer.accuracy_us) : std::nullopt);
    // Only elapses need whole ticks: a timer's delays are rounded down to the tick when it fires.
    job.needs_seconds = has_seconds(timer.elapses);
    sk.jobs.push_back(std::move(job));
    keys.push_back(file_name(p.timer));
    hints.push_back(stem);
  }
  name_jobs(sk.jobs, keys, hints, options, "timer");
  sk.system_name =
      pairs.size() == 1
          ? importer::not_a_keyword(importer::identifier_from(file_name(pairs.front().timer), "timers"))
          : "timers";
  return sk;
}

// A schedule the readers accept may still be one interlock cannot model (a timer that may fire a
// whole day late, one that elapses more than 10,080 times a day): the skeleton is loaded as
// `check` would load it, and refused, naming the job's input, before anything is written.
void check_loads(const importer::Skeleton& sk, const std::string& text, const std::string& output) {
  try {
    load_model_from_text(output, text);
  } catch (const InputError& e) {
    const std::string message = e.what();
    const std::size_t at = message.find("error: ");
    const std::string reason =
        at == std::string::npos ? message.substr(0, message.find('\n'))
                                : message.substr(at + 7, message.find('\n', at) - at - 7);
    std::string origin = sk.jobs.empty() ? output : sk.jobs.front().origin;
    for (const SkeletonJob& job : sk.jobs)
      if (message.find("'" + job.name + "_timer'") != std::string::npos) origin = job.origin;
    throw InputError(origin + ": error: interlock cannot model this schedule: " + reason + "; nothing written\n");
  }
}

std::string command_text(const ImportOptions& options) {
  return options.command_line.empty() ? "interlock import " + options.kind : options.command_line;
}

}  // namespace

int run_import(const ImportOptions& options, std::ostream& out, std::ostream& err) {
  if (options.kind != "crontab" && options.kind != "systemd") {
    option_error(
        "import reads a crontab or systemd timers: 'import crontab FILE' or 'import systemd UNIT.timer'");
  }
  if (options.files.empty()) option_error("'import " + options.kind + "' needs a file to read");
  importer::Skeleton sk = options.kind == "crontab" ? from_crontab(options) : from_systemd(options);
  apply_durations(options, sk.jobs);
  sk.resources = read_resources(options, sk.jobs);
  sk.header.insert(
      sk.header.begin(),
      {"Written by `" + command_text(options) + "`.",
       "A skeleton to extend: for each job a timer, its run time as two parameters, and a machine",
       "(Idle, Running, and Waiting or Skipped when it takes a lock with flock); properties at the end.",
       "Check it with `interlock check FILE`; docs/schedules.md says what is modelled and what is not."});
  const std::string text = importer::write_skeleton(sk);
  check_loads(sk, text, options.output.empty() ? "<stdout>" : options.output);
  if (options.output.empty()) {
    out << text;
  } else {
    write_output_file(options.output, text, "the spec");
  }
  std::vector<std::string> guessed;
  for (const SkeletonJob& j : sk.jobs)
    if (j.guessed) guessed.push_back(j.name);
  err << "interlock import: " << sk.jobs.size() << (sk.jobs.size() == 1 ? " job" : " jobs") << " from "
      << terminal_safe(options.files[0] + (options.output.empty() ? "" : " written to " + options.output));
  if (!guessed.empty()) {
    std::string list;
    for (const std::string& g : guessed) list += (list.empty() ? "" : ", ") + g;
    err << "; run times are guesses for " << list << " (--duration JOB=MIN..MAX)";
  }
  err << "\n";
  return 0;
}

}  // namespace interlock

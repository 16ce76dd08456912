#include "cli/import/crontab_file.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <optional>

namespace interlock::importer {

namespace {

bool is_space(char c) { return c == ' ' || c == '\t'; }

struct Line {
  int number;
  std::size_t offset;  // of its first byte in the file
  std::string_view text;
};

// The lines of the file as cron reads them: each ends at "\n" (a "\r" before it is left out). A
// lone "\r" stays in its line (an error: see read_crontab()), and counts as a line break for the
// numbers, as SourceFile counts lines for the places of errors. A byte-order mark is left out of
// the first line (after an error: cron does not read one) so that its other mistakes are said.
std::vector<Line> lines_of(const std::string& text) {
  std::vector<Line> lines;
  std::size_t start = text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
  int number = 1;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    const std::size_t cut = end > start && end < text.size() && text[end - 1] == '\r' ? end - 1 : end;
    lines.push_back({number, start, std::string_view(text).substr(start, cut - start)});
    number += 1 + static_cast<int>(std::count(text.begin() + static_cast<std::ptrdiff_t>(start), text.begin() + static_cast<std::ptrdiff_t>(cut), '\r'));
    if (end >= text.size()) break;
    start = end + 1;
    if (start == text.size()) break;
  }
  return lines;
}

struct Field {
  std::size_t offset;  // in the line
  std::string_view text;
};

// The first `count` words of the line, and where the rest begins.
std::vector<Field> words(std::string_view line, std::size_t count, std::size_t& rest) {
  std::vector<Field> out;
  std::size_t i = 0;
  while (out.size() < count) {
    while (i < line.size() && is_space(line[i])) ++i;
    if (i >= line.size()) break;
    const std::size_t start = i;
    while (i < line.size() && !is_space(line[i])) ++i;
    out.push_back({start, line.substr(start, i - start)});
  }
  while (i < line.size() && is_space(line[i])) ++i;
  rest = i;
  return out;
}

bool is_environment(std::string_view line) {
  std::size_t i = 0;
  if (i >= line.size() || !(std::isalpha(static_cast<unsigned char>(line[i])) || line[i] == '_'))
    return false;
  while (i < line.size() && (std::isalnum(static_cast<unsigned char>(line[i])) || line[i] == '_')) ++i;
  while (i < line.size() && is_space(line[i])) ++i;
  return i < line.size() && line[i] == '=';
}

// CRON_TZ=..., the setting that moves the job times to another zone.
bool is_zone_setting(std::string_view line) {
  std::string_view name = line.substr(0, line.find('='));
  while (!name.empty() && is_space(name.back())) name.remove_suffix(1);
  return name == "CRON_TZ";
}

std::string zone_name(const std::string& setting) {
  return setting.empty() ? "the system's time zone (no CRON_TZ= before it)" : "the zone of " + setting;
}

bool is_job_start(char c) { return c == '@' || c == '*' || (c >= '0' && c <= '9'); }

std::size_t schedule_words(std::string_view line) { return line.empty() || line[0] != '@' ? 5 : 1; }

std::string trimmed(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

// /etc/crontab and /etc/cron.d/* carry a user field.
bool system_path(const std::string& path) {
  const std::filesystem::path p(path);
  const std::string parent = p.parent_path().filename().string();
  return parent == "cron.d" || (p.filename() == "crontab" && parent == "etc");
}

}  // namespace

CronFile read_crontab(const SourceFile& file, bool system, Diagnostics& diagnostics) {
  CronFile out;
  const std::vector<Line> lines = lines_of(file.text());
  const auto error = [&](std::size_t offset, const std::string& message) {
    diagnostics.error(file.location_of(offset), message);
  };
  // cron reads a line up to "\n": a lone "\r" is a byte of the line, and what follows it is no job
  // of its own. Each is said; the lines are read on as cron reads them, for their other mistakes.
  for (const Line& l : lines)
    for (std::size_t at = l.text.find('\r'); at != std::string_view::npos; at = l.text.find('\r', at + 1))
      error(l.offset + at, "a carriage return without a line feed after it: cron does not end a line there, but reads it and "
                           "what follows as part of this line; end each line with a line feed");
  // cron has no notion of a byte-order mark: its three bytes begin the first line's minute field,
  // which makes that line a syntax error, and cron refuses the whole crontab (found by an outside
  // tester: the import dropped the mark and modelled jobs that never run). The rest is read on.
  if (file.text().rfind("\xEF\xBB\xBF", 0) == 0)
    error(0, "the file begins with a byte-order mark (the bytes EF BB BF): cron reads them as part of the first line and "
             "refuses the crontab; save the file without it (e.g. sed -i '1s/^\\xEF\\xBB\\xBF//' FILE)");

  // Whether lines carry a user field: said, or seen in the path, or every job line says root.
  if (system) {
    out.system = true;
    out.system_reason = "as --system says";
  } else if (system_path(file.path())) {
    out.system = true;
    out.system_reason = "by its path (/etc/crontab or a cron.d folder)";
  } else {
    int jobs = 0, root = 0;
    for (const Line& l : lines) {
      std::size_t lead = 0;
      while (lead < l.text.size() && is_space(l.text[lead])) ++lead;
      const std::string_view t = l.text.substr(lead);
      if (t.empty() || !is_job_start(t[0])) continue;
      ++jobs;
      std::size_t rest = 0;
      const std::vector<Field> w = words(t, schedule_words(t) + 1, rest);
      if (w.size() == schedule_words(t) + 1 && w.back().text == "root") ++root;
    }
    if (jobs > 0 && root == jobs) {
      out.system = true;
      out.system_reason = "as every job line names the user root after its schedule";
    }
  }

  std::vector<std::string> comments;
  // CRON_TZ= sets the time zone the job lines after it are written in (cronie's crontab(5)). The
  // model has one clock and no time zones: jobs in one zone are modelled on that zone's clock,
  // jobs in two cannot be (07:00 in New York and 12:00 UTC are the same instant in winter).
  struct Zone {
    std::string value, setting;  // "UTC" and "line 2: CRON_TZ=UTC"; empty: the system's zone
  };
  Zone zone;                     // the CRON_TZ in force
  std::optional<Zone> jobs_zone;  // the zone of the jobs so far
  std::string refused_zone;       // the setting the last error named
  for (const Line& l : lines) {
    std::size_t lead = 0;
    while (lead < l.text.size() && is_space(l.text[lead])) ++lead;
    const std::string_view t = l.text.substr(lead);
    const std::size_t at = l.offset + lead;  // the offset of t in the file
    if (t.empty()) {
      comments.clear();
      continue;
    }
    if (t[0] == '#') {
      comments.push_back(trimmed(t));
      continue;
    }
    if (is_environment(t)) {
      const std::string setting = "line " + std::to_string(l.number) + ": " + trimmed(t);
      if (is_zone_setting(t)) {
        std::string value = trimmed(t.substr(t.find('=') + 1));
        // cron takes a value in matching quotes without them: CRON_TZ="UTC" is CRON_TZ=UTC.
        if (value.size() >= 2 && (value.front() == '"' || value.front() == '\'') && value.back() == value.front())
          value = value.substr(1, value.size() - 2);
        zone = {value, setting};
        out.environment.push_back(setting + "  (the time zone of the job times after it: the model's clock is in it)");
      } else {
        out.environment.push_back(setting + "  (an environment setting: not modelled)");
      }
      comments.clear();
      continue;
    }
    if (!is_job_start(t[0])) {
      error(at,
            "this line is not a job (five time fields, minute hour day-of-month month day-of-week, or an "
            "@word such as @daily, then " +
                std::string(out.system ? "the user and " : "") +
                "the command), an environment setting (NAME=value) or a comment (#)");
      comments.clear();
      continue;
    }
    if (!jobs_zone) {
      jobs_zone = zone;
    } else if (jobs_zone->value != zone.value) {
      if (zone.setting == refused_zone) {  // said once for each CRON_TZ line
        comments.clear();
        continue;
      }
      refused_zone = zone.setting;
      error(at, "this job's times are written in " + zone_name(zone.setting) + ", the jobs before it in " +
                    zone_name(jobs_zone->setting) +
                    ": the model has one clock and no time zones, so jobs written in different zones cannot be put "
                    "on it; import each zone's jobs apart, or write their times in one zone");
      comments.clear();
      continue;
    }
    CronJob job;
    job.line = l.number;
    job.source_line = trimmed(l.text);
    job.comments = std::move(comments);
    comments.clear();
    const std::size_t count = schedule_words(t);
    std::size_t rest = 0;
    const std::vector<Field> fields = words(t, count, rest);
    // The schedule: from its first field to the end of its last (or of the line, when short).
    const std::size_t schedule_end =
        fields.size() == count ? fields.back().offset + fields.back().text.size() : t.size();
    job.schedule = std::string(t.substr(0, schedule_end));
    // A command among the time fields (a path): the line has fewer than five of them.
    if (count == 5) {
      const auto path = std::find_if(fields.begin(), fields.end(), [](const Field& f) { return f.text[0] == '/'; });
      if (path != fields.end()) {
        error(at + path->offset, "this line has " + std::to_string(path - fields.begin()) + " time field" +
                                     (path - fields.begin() == 1 ? "" : "s") + " before the command '" +
                                     std::string(path->text) + "': a job line has five (minute hour day-of-month month "
                                     "day-of-week), then the command");
        comments.clear();
        continue;
      }
    }
    auto parsed = schedules::parse_cron(job.schedule);
    if (const auto* e = std::get_if<schedules::ParseError>(&parsed)) {
      error(at + e->offset, e->message);
      continue;
    }
    job.elapses = std::get<schedules::Elapses>(parsed);
    std::string_view command = t.substr(rest);
    std::size_t command_at = at + rest;
    if (out.system) {
      std::size_t after_user = 0;
      const std::vector<Field> user = words(command, 1, after_user);
      if (user.empty()) {
        error(at + t.size(), "the user field is missing: this is read as a system crontab (" +
                                 out.system_reason +
                                 "), where a line is the schedule, the user, then the command");
        continue;
      }
      job.user = std::string(user[0].text);
      command_at += after_user;
      command = command.substr(after_user);
    }
    while (!command.empty() && is_space(command.back())) command.remove_suffix(1);
    if (command.empty()) {
      error(at + t.size(), std::string("the command is missing: after the schedule") +
                               (out.system ? " and the user" : "") + " comes the command to run");
      continue;
    }
    // crontab(5): an unescaped '%' ends the command (the rest is its standard input); "\%" is a '%'.
    std::string shell;
    for (std::size_t i = 0; i < command.size(); ++i) {
      if (command[i] == '\\' && i + 1 < command.size() && command[i + 1] == '%') {
        shell.push_back('%');
        ++i;
      } else if (command[i] == '%') {
        job.has_input = true;
        break;
      } else {
        shell.push_back(command[i]);
      }
    }
    job.command = shell;
    auto info = read_command(shell, command_at);
    if (const auto* e = std::get_if<schedules::ParseError>(&info)) {
      error(e->offset, e->message);
      continue;
    }
    job.info = std::get<CommandInfo>(info);
    out.jobs.push_back(std::move(job));
  }
  return out;
}

}  // namespace interlock::importer

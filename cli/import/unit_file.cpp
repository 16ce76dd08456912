#include "cli/import/unit_file.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <string_view>

namespace interlock::importer {

namespace {

// A unit name as systemd.unit(5) allows it: letters, digits and : - _ . \ @, then a '.' and the
// type's suffix, at most 255 characters in all; no '/'.
bool is_unit_name(const std::string& name) {
  const std::size_t dot = name.rfind('.');
  if (name.size() > 255 || dot == std::string::npos || dot == 0 || dot + 1 == name.size()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || std::string_view(":-_.\\@").find(c) != std::string_view::npos;
  });
}

bool is_space(char c) { return c == ' ' || c == '\t'; }

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

// systemd's booleans (parse_boolean()).
std::optional<bool> boolean(const std::string& value) {
  const std::string v = lower(value);
  if (v == "1" || v == "yes" || v == "y" || v == "true" || v == "t" || v == "on") return true;
  if (v == "0" || v == "no" || v == "n" || v == "false" || v == "f" || v == "off") return false;
  return std::nullopt;
}

}  // namespace

std::vector<UnitSetting> read_unit(const SourceFile& file, Diagnostics& diagnostics) {
  std::vector<UnitSetting> out;
  const std::string& text = file.text();
  std::string section;
  std::size_t start = text.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
  int number = 0;
  while (start < text.size()) {
    // One logical line: physical lines joined where one ends in '\'.
    std::size_t end = start;
    while (end < text.size() && text[end] != '\n' && text[end] != '\r') ++end;
    ++number;
    const int first_line = number;
    const std::size_t line_start = start;
    std::string logical(text, start, end - start);
    std::size_t next =
        end < text.size()
            ? end + (text[end] == '\r' && end + 1 < text.size() && text[end + 1] == '\n' ? 2 : 1)
            : end;
    std::size_t lead = 0;
    while (lead < logical.size() && is_space(logical[lead])) ++lead;
    const bool comment = lead < logical.size() && (logical[lead] == '#' || logical[lead] == ';');
    while (!comment && !logical.empty() && logical.back() == '\\' && next < text.size()) {
      logical.back() = ' ';
      std::size_t e = next;
      while (e < text.size() && text[e] != '\n' && text[e] != '\r') ++e;
      logical.append(text, next, e - next);
      ++number;
      next =
          e < text.size() ? e + (text[e] == '\r' && e + 1 < text.size() && text[e + 1] == '\n' ? 2 : 1) : e;
    }
    start = next;
    const std::string_view line(logical);
    const std::string_view t = line.substr(lead);
    if (t.empty() || comment) continue;
    if (t[0] == '[') {
      const std::size_t close = t.find(']');
      if (close == std::string_view::npos) {
        diagnostics.error(file.location_of(line_start + lead),
                          "a section header is [Name]: this one has no ']'");
        continue;
      }
      section = std::string(t.substr(1, close - 1));
      continue;
    }
    const std::size_t eq = t.find('=');
    if (eq == std::string_view::npos) {
      diagnostics.error(
          file.location_of(line_start + lead),
          "this line is not a setting (Key=value), a section header ([Timer]) or a comment (#)");
      continue;
    }
    if (section.empty()) {
      diagnostics.error(file.location_of(line_start + lead),
                        "a setting before any section: settings go under a header such as [Timer]");
      continue;
    }
    UnitSetting s;
    s.section = section;
    std::string_view key = t.substr(0, eq);
    while (!key.empty() && is_space(key.back())) key.remove_suffix(1);
    s.key = std::string(key);
    std::size_t v = eq + 1;
    while (v < t.size() && is_space(t[v])) ++v;
    std::string_view value = t.substr(v);
    while (!value.empty() && is_space(value.back())) value.remove_suffix(1);
    s.value = std::string(value);
    s.line = first_line;
    s.key_offset = line_start + lead;
    s.value_offset = line_start + lead + v;
    s.source_line = std::string(t);  // the logical line, continuations joined
    out.push_back(std::move(s));
  }
  return out;
}

TimerUnit read_timer(const SourceFile& file, Diagnostics& diagnostics) {
  TimerUnit timer;
  const auto fail = [&](std::size_t offset, const std::string& message) {
    diagnostics.error(file.location_of(offset), message);
  };
  struct Calendar {
    std::string setting, line;
    schedules::Elapses elapses;
  };
  std::vector<Calendar> calendars;
  std::optional<std::pair<std::string, std::string>> delay, accuracy, persistent;  // setting, line
  const std::set<std::string> monotonic = {"OnActiveSec", "OnBootSec", "OnStartupSec", "OnUnitActiveSec",
                                           "OnUnitInactiveSec"};
  bool timer_section = false;
  for (const UnitSetting& s : read_unit(file, diagnostics)) {
    if (s.section != "Timer") continue;
    timer_section = true;
    // As a spec's string will hold it: runs of blanks as one space; only printable ASCII.
    std::string setting = s.key + "=";
    for (char c : s.value) {
      if (c == ' ' || c == '\t') {
        if (setting.back() != ' ') setting.push_back(' ');
      } else {
        setting.push_back(c);
      }
    }
    const auto unprintable = std::find_if(s.value.begin(), s.value.end(), [](char c) {
      return c != '\t' && (c < 0x20 || c >= 0x7f || c == '"');
    });
    if (unprintable != s.value.end()) {
      fail(s.value_offset + static_cast<std::size_t>(unprintable - s.value.begin()),
           s.key +
               "=: this value has a character a spec's string cannot hold (printable ASCII only, no '\"')");
      continue;
    }
    const std::string where = "line " + std::to_string(s.line) + ": " + s.source_line;
    if (s.key == "OnCalendar") {
      if (s.value.empty()) {  // an empty assignment resets the list
        calendars.clear();
        continue;
      }
      auto parsed = schedules::parse_on_calendar(s.value);
      if (const auto* e = std::get_if<schedules::ParseError>(&parsed)) {
        fail(s.value_offset + e->offset, "OnCalendar=: " + e->message);
        continue;
      }
      calendars.push_back({setting, where, std::get<schedules::Elapses>(parsed)});
    } else if (s.key == "RandomizedDelaySec" || s.key == "AccuracySec") {
      const bool is_delay = s.key == "RandomizedDelaySec";
      auto& slot = is_delay ? delay : accuracy;
      int64_t& microseconds = is_delay ? timer.randomized_delay_us : timer.accuracy_us;
      if (s.value.empty()) {
        slot.reset();
        microseconds = 0;
        if (!is_delay) timer.accuracy_given = false;
        continue;
      }
      auto parsed = schedules::parse_time_span_us(s.value);
      if (const auto* e = std::get_if<schedules::ParseError>(&parsed)) {
        fail(s.value_offset + e->offset, s.key + "=: " + e->message);
        continue;
      }
      microseconds = std::get<int64_t>(parsed);
      slot = std::make_pair(setting, where);
      if (!is_delay) timer.accuracy_given = true;
    } else if (s.key == "Persistent") {
      const auto value = boolean(s.value);
      if (!value) {
        fail(s.value_offset,
             "Persistent= takes a boolean (true/false, yes/no, on/off, 1/0), not '" + s.value + "'");
        continue;
      }
      timer.persistent = *value;
      persistent = std::make_pair(std::string(*value ? "Persistent=true" : "Persistent=false"), where);
    } else if (monotonic.count(s.key)) {
      fail(s.key_offset,
           s.key +
               "= (a monotonic timer, counted from boot, activation or the unit's last run) is not "
               "supported yet: only OnCalendar= timers are imported");
    } else if (s.key == "Unit") {
      if (!is_unit_name(s.value)) {
        // The service is read from the timer's folder by this name: a path would read any file.
        fail(s.value_offset, "Unit= takes a unit name (letters, digits and ':', '-', '_', '.', '\\', '@', with a "
                             "suffix such as .service, at most 255 characters), not '" + s.value + "': systemd refuses it");
        continue;
      }
      timer.unit = s.value;
      timer.notes.push_back(where + "  (the service it starts)");
    } else {
      timer.notes.push_back(where + "  (not modelled)");
    }
  }
  if (!timer_section) {
    diagnostics.error(SourceLoc{}, "no [Timer] section: this is not a timer unit");
    return timer;
  }
  if (calendars.empty() && !diagnostics.has_errors()) {
    diagnostics.error(SourceLoc{},
                      "the [Timer] section has no OnCalendar=: only calendar timers are imported");
  }
  for (const Calendar& c : calendars) {
    timer.settings.push_back(c.setting);
    timer.lines.push_back(c.line);
    for (const schedules::CalendarSet& set : c.elapses.sets) timer.elapses.sets.push_back(set);
  }
  for (const auto* slot : {&delay, &accuracy, &persistent}) {
    if (*slot) {
      timer.settings.push_back((*slot)->first);
      timer.lines.push_back((*slot)->second);
    }
  }
  return timer;
}

ServiceUnit read_service(const SourceFile& file, Diagnostics& diagnostics) {
  ServiceUnit service;
  struct Exec {
    std::string value;
    std::size_t offset;
    std::string line;
  };
  std::vector<Exec> execs;
  for (const UnitSetting& s : read_unit(file, diagnostics)) {
    if (s.section != "Service" || s.key != "ExecStart") continue;
    if (s.value.empty()) {
      execs.clear();
      continue;
    }
    execs.push_back({s.value, s.value_offset, "line " + std::to_string(s.line) + ": " + s.source_line});
  }
  for (const Exec& e : execs) {
    // The prefixes of systemd.service(5): '@', '-', ':', '+', '!', '!!'.
    std::size_t skip = 0;
    while (skip < e.value.size() && std::string_view("@-:+!").find(e.value[skip]) != std::string_view::npos)
      ++skip;
    service.exec_start.push_back(e.line);
    auto read = read_exec_start(std::string_view(e.value).substr(skip), e.offset + skip);
    if (const auto* error = std::get_if<schedules::ParseError>(&read)) {
      diagnostics.error(file.location_of(error->offset), error->message);
      continue;
    }
    const CommandInfo& info = std::get<CommandInfo>(read);
    if (info.lock && service.info.lock) {
      diagnostics.error(
          file.location_of(e.offset),
          "a second ExecStart= with flock: a job that takes more than one lock is not supported yet");
      continue;
    }
    if (info.lock) service.info.lock = info.lock;
    if (service.info.program.empty()) service.info.program = info.program;
  }
  return service;
}

}  // namespace interlock::importer

#include "solver/trace/report.h"

#include <cstdio>
#include <sstream>

#include "solver/trace/trace_text.h"

namespace interlock {

namespace {
int severity(Verdict v) {
  switch (v) {
    case Verdict::Holds: return 0;
    case Verdict::Violated: return 1;
    case Verdict::Unknown: return 2;
    case Verdict::ModelError: return 3;
  }
  return 3;
}

std::string fixed(double v, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}
}  // namespace

Verdict worst_verdict(const std::vector<PropertyResult>& results) {
  Verdict worst = Verdict::Holds;
  for (const auto& r : results)
    if (severity(r.verdict) > severity(worst)) worst = r.verdict;
  return worst;
}

std::string format_stats(const Stats& s) {
  std::ostringstream out;
  if (s.states == 0) {  // a symbolic engine: no states are enumerated
    if (s.depth > 0) out << "depth " << s.depth << ", ";
    out << fixed(s.seconds, 3) << " s, peak memory " << s.peak_rss_bytes / (1024 * 1024) << " MB";
    return out.str();
  }
  double rate = s.seconds > 0 ? static_cast<double>(s.states) / s.seconds : 0;
  out << s.states << " states, " << s.transitions << " transitions, depth " << s.depth << ", "
      << fixed(s.seconds, 3) << " s, " << static_cast<uint64_t>(rate) << " states/s, visited set "
      << fixed(static_cast<double>(s.store_bytes) / (1024.0 * 1024.0), 1) << " MB ("
      << (s.states ? fixed(static_cast<double>(s.store_bytes) / static_cast<double>(s.states), 1) : "0") << " B/state, packed state "
      << s.state_bytes << " B), peak memory " << s.peak_rss_bytes / (1024 * 1024) << " MB";
  if (s.threads > 1) out << ", " << s.threads << " threads";
  if (s.native_states) out << ", " << s.native_states << " states expanded by native code";
  if (!s.native_note.empty()) out << "; native code not used: " << s.native_note;
  if (!s.parents_note.empty()) out << "; parent links kept in memory: " << s.parents_note;
  if (!s.symmetry.empty()) out << "; symmetry: " << s.symmetry;
  if (!s.por_note.empty()) out << "; partial-order reduction not used: " << s.por_note;
  if (s.partial_order) {
    out << "; partial-order reduction: " << s.reduced_states << " states expanded in part";
    if (s.por_paused_states)
      out << ", " << s.por_paused_states << " expanded fully without a look (paused where it reduced little)";
  }
  return out.str();
}

void print_results(std::ostream& out, const Model& model, const std::vector<PropertyResult>& results,
                   ResultDetail detail) {
  std::size_t width = 0;
  for (const auto& r : results) width = std::max(width, r.property.size());
  std::vector<const PropertyResult*> shown;  // results whose trace was printed
  for (const auto& r : results) {
    std::string name = r.property;
    name.resize(width, ' ');
    // A maximum that was computed is a figure, not a pass: it is labelled "value".
    std::string verdict = r.kind == Property::Kind::Maximum && r.verdict == Verdict::Holds ? "value" : verdict_name(r.verdict);
    verdict.resize(9, ' ');
    out << verdict << " " << name << "  (" << property_kind_name(r.kind) << ", " << r.engine << " engine, ";
    if (r.stats.states > 0) out << r.stats.states << " states, ";
    else if (r.stats.depth > 0) out << "depth " << r.stats.depth << ", ";
    out << fixed(r.stats.seconds, 3) << " s)";
    if (!r.detail.empty()) out << ": " << r.detail;
    out << "\n";
    if (detail == ResultDetail::Traces && r.trace) {
      const PropertyResult* same = nullptr;
      for (const PropertyResult* earlier : shown)
        if (earlier->trace->steps == r.trace->steps && earlier->trace->states == r.trace->states) same = earlier;
      if (same) {
        out << "  (the same trace as for " << same->property << " above)\n";
      } else {
        out << format_trace_text(model, *r.trace);
        shown.push_back(&r);
      }
    }
  }
  // The explicit engine explores once for every property; symbolic engines time each line.
  if (detail != ResultDetail::VerdictsOnly && !results.empty() && results.front().stats.states) out << "explored: " << format_stats(results.front().stats) << "\n";
}

}  // namespace interlock

#include "cli/lint_sarif.h"

#include <nlohmann/json.hpp>

namespace interlock {
namespace {

using json = nlohmann::ordered_json;

struct Rule {
  LintWarning::Kind kind;
  const char* text;
};

// What each kind of warning means, for the rule list (docs/engines.md, "Lint").
constexpr Rule kRules[] = {
    {LintWarning::Kind::Skippable, "Time can disable this edge and nothing forces it to be taken first."},
    {LintWarning::Kind::WaitsForever, "The edge waits on another machine and nothing forces it once it can go."},
    {LintWarning::Kind::NeverEntered, "No reachable state is in this state."},
    {LintWarning::Kind::NeverTaken, "No reachable state takes this edge, though its source and target are entered."},
    {LintWarning::Kind::Vacuous, "The property's premise, trigger or condition is never true, so it holds vacuously."},
    {LintWarning::Kind::AtStart, "The initial state already satisfies this reachable property."},
};

}  // namespace

std::string lint_sarif(const std::string& spec, const LintReport& report) {
  json rules = json::array();
  for (const Rule& r : kRules)
    rules.push_back({{"id", lint_kind_name(r.kind)}, {"shortDescription", {{"text", r.text}}}});
  json results = json::array();
  for (const LintWarning& w : report.warnings) {
    json region = {{"startLine", w.loc.line}, {"startColumn", w.loc.col}};
    results.push_back({{"ruleId", lint_kind_name(w.kind)},
                       {"level", "warning"},
                       {"message", {{"text", w.message}}},
                       {"locations", json::array({{{"physicalLocation",
                                                    {{"artifactLocation", {{"uri", spec}}}, {"region", region}}}}})}});
  }
  json run = {{"tool", {{"driver", {{"name", "interlock lint"}, {"version", INTERLOCK_VERSION},
                                    {"rules", rules}}}}},
              {"results", results}};
  if (!report.explored && !report.not_explored.empty())
    run["invocations"] = json::array({{{"executionSuccessful", false},
                                       {"toolExecutionNotifications", json::array({{{"message", {{"text", report.not_explored}}}}})}}});
  json log = {{"version", "2.1.0"},
              {"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
              {"runs", json::array({run})}};
  return log.dump(2, ' ', true, json::error_handler_t::replace) + "\n";
}

}  // namespace interlock

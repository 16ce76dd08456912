#include "cli/json_report.h"

#include "model/time_format.h"
#include "solver/judgement.h"
#include "solver/trace/trace_itf.h"

namespace interlock {
namespace {

using json = nlohmann::ordered_json;

json stats_json(const Stats& s) {
  json out;
  out["states"] = s.states;
  out["transitions"] = s.transitions;
  out["depth"] = s.depth;
  out["seconds"] = s.seconds;
  if (s.store_bytes) out["store_bytes"] = s.store_bytes;
  if (s.peak_rss_bytes) out["peak_memory_bytes"] = s.peak_rss_bytes;
  if (s.native_states) out["native_states"] = s.native_states;
  if (!s.parents_note.empty()) out["parent_links_in_memory"] = s.parents_note;
  if (!s.symmetry.empty()) out["symmetry"] = s.symmetry;
  if (!s.por_note.empty()) out["partial_order_not_used"] = s.por_note;
  if (s.partial_order) {
    out["reduced_states"] = s.reduced_states;
    out["paused_states"] = s.por_paused_states;
  }
  if (s.threads > 1) out["threads"] = s.threads;
  return out;
}

json tool_header(const char* command, const std::string& spec) {
  json doc;
  doc["schema"] = kReportSchemaVersion;
  doc["tool"] = {{"name", "interlock"}, {"version", INTERLOCK_VERSION}};
  doc["command"] = command;
  doc["spec"] = spec;
  return doc;
}

// One parameter's answer: the condition, the assumptions applied, and every interval as shown.
json answer_json(const SynthesisResult& r) {
  json out;
  out["param"] = r.param;
  out["exact"] = r.exact();
  out["condition"] = r.condition();
  if (!r.assumptions.empty()) {
    out["assumptions"] = r.assumptions;
    out["allowed"] = r.allowed_condition();
    out["condition_assumptions_set_aside"] = r.condition_set_aside();
  }
  json intervals = json::array();
  for (const ParamInterval& i : r.shown()) {
    json item;
    item["lo"] = i.lo;
    item["hi"] = i.hi;
    item["text"] = r.interval_text(i);
    item["verdict"] = i.assumed ? verdict_name(i.verdict) : "ruled out";
    if (!i.evidence.empty()) item["evidence"] = i.evidence;
    if (!i.property.empty()) item["property"] = i.property;
    intervals.push_back(std::move(item));
  }
  out["intervals"] = std::move(intervals);
  return out;
}

}  // namespace

std::string synth_report_json(const std::string& spec, const std::vector<std::string>& properties,
                              const SynthesisResult& result, int exit_code) {
  json doc = tool_header("synth", spec);
  doc["properties"] = properties;
  doc["answer"] = answer_json(result);
  doc["exit_code"] = exit_code;
  return doc.dump(2, ' ', true, json::error_handler_t::replace) + "\n";
}

std::string relation_report_json(const std::string& spec, const std::vector<std::string>& properties,
                                 const std::vector<std::string>& params, const RelationResult& r,
                                 const std::vector<std::string>& assumed, int exit_code) {
  json doc = tool_header("synth", spec);
  doc["properties"] = properties;
  doc["params"] = params;
  json relation;
  if (!r.condition.empty()) relation["condition"] = r.condition;
  else relation["why_not"] = r.why_not;
  if (!r.condition.empty() && !assumed.empty()) relation["assumed"] = assumed;
  relation["proven"] = r.proven;
  json samples = json::array();
  for (const RelationResult::Sample& sample : r.samples)
    samples.push_back({{"where", sample.where}, {"values", sample.values}, {"tight", sample.tight}, {"answer", answer_json(sample.answer)}});
  relation["samples"] = std::move(samples);
  if (!r.outside.empty()) relation["outside_assumptions"] = r.outside;
  if (!r.unevaluable.empty()) relation["unevaluable_assumptions"] = r.unevaluable;
  doc["relation"] = std::move(relation);
  doc["exit_code"] = exit_code;
  return doc.dump(2, ' ', true, json::error_handler_t::replace) + "\n";
}

json result_json(const Model& model, const PropertyResult& r, const std::string& spec, bool trace) {
  json out;
  out["name"] = r.property;
  out["kind"] = property_kind_name(r.kind);
  out["verdict"] = verdict_name(r.verdict);
  out["engine"] = r.engine;
  if (!r.detail.empty()) out["detail"] = r.detail;
  if (r.value) out["value"] = *r.value;
  if (!r.value_text.empty()) out["value_text"] = r.value_text;
  if (r.unbounded) out["unbounded"] = true;
  if (r.stopped_by_limit) out["stopped_by_limit"] = true;
  const int index = model.find_property(r.property);
  if (index >= 0) {
    const Property& p = model.properties[static_cast<std::size_t>(index)];
    const std::string expect = expect_text(model, p);
    if (!expect.empty()) out["expect"] = expect;
    out["judgement"] = judgement_word(judge(model, p, r));
    const std::string reason = bad_reason(model, p, r);
    if (!reason.empty()) out["reason"] = reason;
  }
  out["stats"] = stats_json(r.stats);
  if (trace && r.trace) {
    const Model shown = with_params(model, r.trace->params);
    out["trace"] = json::parse(format_trace_itf(shown, *r.trace, {spec, r.property, verdict_name(r.verdict)}));
  }
  return out;
}

std::string check_report_json(const Model& model, const std::string& spec, const std::vector<PropertyResult>& results,
                              int exit_code) {
  json doc = tool_header("check", spec);
  doc["system"] = model.system;
  doc["time_unit"] = model.time_unit;
  json params = json::object(), free = json::array();
  for (const Param& p : model.params) {
    if (p.value) params[p.name] = *p.value;
    else free.push_back(p.name);
  }
  doc["parameters"] = std::move(params);
  doc["free_parameters"] = std::move(free);
  json list = json::array();
  for (const PropertyResult& r : results) list.push_back(result_json(model, r, spec, true));
  doc["results"] = std::move(list);
  doc["exit_code"] = exit_code;
  return doc.dump(2, ' ', true, json::error_handler_t::replace) + "\n";
}

}  // namespace interlock

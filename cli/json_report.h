// `check --format json` (and the per-property objects of `compare --format json`): a run's
// verdicts, values, statistics and traces as one JSON document, as docs/schema/check.schema.json
// publishes it, for a CI system or an editor.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "model/model.h"
#include "solver/analysis/synthesis.h"
#include "solver/result.h"

namespace interlock {

// One property's answer: name, kind, verdict, engine, detail, value, expect/judgement/reason and
// the search statistics; with `trace`, its trace as an ITF document (docs/trace-format.md).
nlohmann::ordered_json result_json(const Model& model, const PropertyResult& r, const std::string& spec, bool trace);

// The whole run: the tool, the spec, its parameters, every result, and the exit code.
std::string check_report_json(const Model& model, const std::string& spec, const std::vector<PropertyResult>& results,
                              int exit_code);

// `synth --format json` (docs/schema/synth.schema.json): the answer for one parameter, or for a
// parameter as a linear function of others.
std::string synth_report_json(const std::string& spec, const std::vector<std::string>& properties,
                              const SynthesisResult& result, int exit_code);
// `assumed`: the spec's assumptions the condition is an answer under, as the spec writes them.
std::string relation_report_json(const std::string& spec, const std::vector<std::string>& properties,
                                 const std::vector<std::string>& params, const RelationResult& result,
                                 const std::vector<std::string>& assumed, int exit_code);

// The schema's version: a consumer can refuse a document it does not know.
constexpr int kReportSchemaVersion = 1;

}  // namespace interlock

#include "solver/trace/trace_itf.h"

#include <nlohmann/json.hpp>

namespace interlock {
namespace {

using json = nlohmann::ordered_json;

json encode(const Model& model, int slot, int32_t value) {
  const Slot& s = model.slots[static_cast<std::size_t>(slot)];
  if (s.kind == Slot::Kind::Location || s.type == ValueType::Enum) return format_value(model, slot, value);
  if (s.type == ValueType::Bool) return value != 0;
  return json{{"#bigint", std::to_string(value)}};
}

[[noreturn]] void bad(const std::string& file, const std::string& what) {
  throw InputError(file + ": error: not an ITF trace of this spec: " + what + "\n");
}

int64_t decode_int(const json& v, const std::string& file, const std::string& name) {
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_object() && v.contains("#bigint") && v["#bigint"].is_string()) {
    const std::string& digits = v["#bigint"].get_ref<const std::string&>();
    try {
      std::size_t used = 0;
      long long n = std::stoll(digits, &used);
      if (used == digits.size()) return n;
    } catch (const std::exception&) {
    }
  }
  bad(file, "'" + name + "' is not an integer");
}

int32_t decode(const Model& model, int slot, const json& v, const std::string& file) {
  const Slot& s = model.slots[static_cast<std::size_t>(slot)];
  if (s.kind == Slot::Kind::Location || s.type == ValueType::Enum) {
    if (!v.is_string()) bad(file, "'" + s.name + "' should be a name");
    const std::string& name = v.get_ref<const std::string&>();
    for (int64_t x = s.lo; x <= s.hi; ++x)
      if (format_value(model, slot, x) == name) return static_cast<int32_t>(x);
    bad(file, "'" + s.name + "' has no value '" + name + "'");
  }
  if (s.type == ValueType::Bool) {
    if (!v.is_boolean()) bad(file, "'" + s.name + "' should be true or false");
    return v.get<bool>() ? 1 : 0;
  }
  int64_t n = decode_int(v, file, s.name);
  if (n < s.lo || n > s.hi) bad(file, "'" + s.name + "' = " + std::to_string(n) + " is outside " + std::to_string(s.lo) + ".." + std::to_string(s.hi));
  return static_cast<int32_t>(n);
}

ItfRun read_itf(const Model& model, const std::string& text, const std::string& file);

}  // namespace

std::string format_trace_itf(const Model& model, const Trace& trace, const TraceHeader& header) {
  json doc;
  json meta = {{"format", "ITF"},
               {"format-description", "https://apalache-mc.org/docs/adr/015adr-trace.html"},
               {"source", header.source},
               {"description", "interlock trace of system " + model.system +
                                   (header.property.empty() ? "" : ", property " + header.property)}};
  json own = {{"system", model.system}, {"time_unit", model.time_unit}};
  if (!header.property.empty()) own["property"] = header.property;
  if (!header.verdict.empty()) own["verdict"] = header.verdict;
  if (!trace.final_note.empty()) own["final_note"] = trace.final_note;
  meta["interlock"] = own;
  doc["#meta"] = meta;
  json params = json::array(), vars = json::array();
  for (const auto& [name, value] : trace.params) params.push_back(name);
  for (const Slot& s : model.slots) vars.push_back(s.name);
  doc["params"] = params;
  doc["vars"] = vars;
  json states = json::array();
  int64_t time = 0;
  for (std::size_t i = 0; i < trace.states.size(); ++i) {
    json state;
    json m = {{"index", i}};
    if (i > 0) {
      const Step& step = trace.steps[i - 1];
      time += step.elapsed();
      json s = {{"kind", step.tick ? "tick" : "action"}};
      if (step.tick && step.ticks != 1) s["ticks"] = step.ticks;
      if (!step.tick) {
        s["channel"] = step.channel >= 0 ? json(model.channels[static_cast<std::size_t>(step.channel)].name) : json(nullptr);
        s["edges"] = describe_step_edges(model, step);
      }
      m["step"] = s;
    }
    m["time"] = time;
    for (const auto& [at, note] : trace.marks)
      if (at == i) m["note"] = note;
    state["#meta"] = m;
    for (const auto& [name, value] : trace.params) state[name] = json{{"#bigint", std::to_string(value)}};
    for (std::size_t s = 0; s < model.slots.size(); ++s) state[model.slots[s].name] = encode(model, static_cast<int>(s), trace.states[i][s]);
    states.push_back(state);
  }
  doc["states"] = states;
  if (trace.loop_start >= 0) doc["loop"] = trace.loop_start;
  return doc.dump(2) + "\n";
}

namespace {

ItfRun read_itf(const Model& model, const std::string& text, const std::string& file) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) bad(file, "the file is not valid JSON");
  if (!doc.is_object() || !doc.contains("states") || !doc["states"].is_array()) bad(file, "no \"states\" array");
  ItfRun run;
  if (doc.contains("params")) {
    if (!doc["params"].is_array()) bad(file, "\"params\" is not an array");
    for (const json& p : doc["params"]) {
      if (!p.is_string()) bad(file, "a parameter name is not a string");
      const std::string& name = p.get_ref<const std::string&>();
      if (model.find_param(name) < 0) bad(file, "the spec has no parameter '" + name + "'");
      if (doc["states"].empty() || !doc["states"][0].is_object() || !doc["states"][0].contains(name)) bad(file, "the first state gives no value for parameter '" + name + "'");
      run.params.emplace_back(name, decode_int(doc["states"][0][name], file, name));
    }
  }
  if (doc.contains("loop")) {
    if (!doc["loop"].is_number_integer()) bad(file, "\"loop\" is not an index");
    run.loop = doc["loop"].get<int>();
    if (run.loop < 0 || static_cast<std::size_t>(run.loop) >= doc["states"].size()) bad(file, "\"loop\" is outside the states");
  }
  for (std::size_t i = 0; i < doc["states"].size(); ++i) {
    const json& st = doc["states"][i];
    if (!st.is_object()) bad(file, "state " + std::to_string(i) + " is not an object");
    std::vector<int32_t> values(model.slots.size());
    for (std::size_t s = 0; s < model.slots.size(); ++s) {
      const std::string& name = model.slots[s].name;
      if (!st.contains(name)) bad(file, "state " + std::to_string(i) + " has no value for '" + name + "'");
      values[s] = decode(model, static_cast<int>(s), st[name], file);
    }
    run.states.push_back(std::move(values));
  }
  if (run.states.empty()) bad(file, "the trace has no states");
  return run;
}

}  // namespace

ItfRun parse_trace_itf(const Model& model, const std::string& text, const std::string& file) {
  try {
    return read_itf(model, text, file);
  } catch (const json::exception& e) {  // a shape the checks below did not foresee
    bad(file, e.what());
  }
}

}  // namespace interlock

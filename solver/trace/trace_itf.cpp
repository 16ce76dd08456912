#include "solver/trace/trace_itf.h"

#include <charconv>
#include <optional>

#include <nlohmann/json.hpp>

#include "solver/trace/step_effects.h"

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

// An integer as written, read exactly: a JSON integer, or {"#bigint": "-?[0-9]+"} (ITF's way of
// writing integers of any size). `value` is empty when it does not fit 64 bits.
struct Integer {
  std::string text;
  std::optional<int64_t> value;
};

std::optional<Integer> read_integer(const json& v) {
  if (v.is_number_unsigned()) {
    const uint64_t n = v.get<uint64_t>();
    return Integer{std::to_string(n), n <= static_cast<uint64_t>(INT64_MAX) ? std::optional<int64_t>(static_cast<int64_t>(n)) : std::nullopt};
  }
  if (v.is_number_integer()) return Integer{std::to_string(v.get<int64_t>()), v.get<int64_t>()};
  if (!v.is_object() || v.size() != 1 || !v.contains("#bigint") || !v["#bigint"].is_string()) return std::nullopt;
  const std::string& digits = v["#bigint"].get_ref<const std::string&>();
  const std::size_t first = !digits.empty() && digits[0] == '-' ? 1 : 0;
  if (first == digits.size() || digits.find_first_not_of("0123456789", first) != std::string::npos) return std::nullopt;
  int64_t n = 0;
  const auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (error == std::errc() && end == digits.data() + digits.size()) return Integer{digits, n};
  return Integer{digits, std::nullopt};  // too many digits for 64 bits: outside every range
}

// `what` ("'n'", "parameter 'P'") read as an integer within lo..hi; `where` ("state 3: ")
// places it in the trace.
int64_t integer_in(const json& v, int64_t lo, int64_t hi, const std::string& file, const std::string& where, const std::string& what) {
  const std::optional<Integer> n = read_integer(v);
  if (!n) bad(file, where + what + " is not an integer");
  if (!n->value || *n->value < lo || *n->value > hi)
    bad(file, where + what + " = " + n->text + " is outside its range " + std::to_string(lo) + ".." + std::to_string(hi));
  return *n->value;
}

int32_t decode(const Model& model, int slot, const json& v, const std::string& file, const std::string& where) {
  const Slot& s = model.slots[static_cast<std::size_t>(slot)];
  if (s.kind == Slot::Kind::Location || s.type == ValueType::Enum) {
    if (!v.is_string()) bad(file, where + "'" + s.name + "' should be a name");
    const std::string& name = v.get_ref<const std::string&>();
    for (int64_t x = s.lo; x <= s.hi; ++x)
      if (format_value(model, slot, x) == name) return static_cast<int32_t>(x);
    bad(file, where + "'" + s.name + "' has no value '" + name + "'");
  }
  if (s.type == ValueType::Bool) {
    if (!v.is_boolean()) bad(file, where + "'" + s.name + "' should be true or false");
    return v.get<bool>() ? 1 : 0;
  }
  if (s.kind == Slot::Kind::Clock) {
    // Above its saturation value a clock compares as that value (the spec cannot tell them
    // apart), so a trace that counts on, from another tool, reads as interlock's.
    const std::optional<Integer> n = read_integer(v);  // no value: beyond 64 bits
    if (n && (n->value ? *n->value > s.hi : n->text[0] != '-')) return static_cast<int32_t>(s.hi);
  }
  return static_cast<int32_t>(integer_in(v, s.lo, s.hi, file, where, "'" + s.name + "'"));
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
  if (model.tick_seconds > 0) {
    // Clock time (docs/language.md): times stay integers of ticks; this says what they are.
    json clock = {{"tick_seconds", model.tick_seconds}};
    if (model.calendar != Calendar::None) clock["calendar"] = model.calendar == Calendar::Week ? "week" : "day";
    json kinds = json::object();
    for (const Param& p : model.params)
      if (p.time != TimeKind::Plain)
        kinds[p.name] = p.time == TimeKind::Duration ? "duration" : p.time == TimeKind::WeekTime ? "time of week" : "time of day";
    if (!kinds.empty()) clock["params"] = kinds;
    own["clock_time"] = clock;
  }
  if (!header.property.empty()) own["property"] = header.property;
  if (!header.verdict.empty()) own["verdict"] = header.verdict;
  if (!trace.final_note.empty()) own["final_note"] = trace.final_note;
  if (!trace.why.empty()) own["final_why"] = trace.why;
  meta["interlock"] = own;
  doc["#meta"] = meta;
  json params = json::array(), vars = json::array();
  for (const auto& [name, value] : trace.params) params.push_back(name);
  for (const Slot& s : model.slots) vars.push_back(s.name);
  doc["params"] = params;
  doc["vars"] = vars;
  json states = json::array();
  int64_t time = 0;
  const std::vector<StepEffects> effects = trace_effects(model, trace);
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
        // What the step read (from other machines and globals) and every assignment it made,
        // in order, values encoded as in the states; absent when they could not be reproduced.
        if (effects[i - 1].known) {
          json reads = json::array(), assigned = json::array();
          for (const StepEffect& e : effects[i - 1].items) {
            json x = {{"var", model.slots[static_cast<std::size_t>(e.slot)].name}, {"value", encode(model, e.slot, static_cast<int32_t>(e.value))}};
            if (e.kind == StepEffect::Kind::Read) {
              reads.push_back(x);
            } else {
              x["unchanged"] = e.unchanged;
              assigned.push_back(x);
            }
          }
          s["reads"] = reads;
          s["assignments"] = assigned;
        }
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
  return doc.dump(2, ' ', true, json::error_handler_t::replace) + "\n";  // ASCII: bytes not UTF-8 as U+FFFD, the rest escaped
}

namespace {

// How deep arrays and objects nest, outside strings. The parser builds (and frees) a nested value
// by recursion, so a file of 100,000 opening brackets overflowed the stack; a trace nests a few
// levels.
constexpr int kMostNesting = 64;
bool nests_too_deep(const std::string& text) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;  // the escaped character, whatever it is
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > kMostNesting) return true;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return false;
}

ItfRun read_itf(const Model& model, const std::string& text, const std::string& file) {
  if (nests_too_deep(text))
    bad(file, "arrays and objects nest more than " + std::to_string(kMostNesting) + " levels deep: not a trace");
  json doc;
  try {
    doc = json::parse(text);
  } catch (const json::exception& e) {  // "[json.exception.parse_error.101] parse error at line 1, ..."
    if (e.id == 406)  // a number beyond a double, "number overflow parsing '999...'"
      bad(file, "a number too large for JSON's numbers (ITF writes an integer of any size as {\"#bigint\": \"...\"})");
    const std::string why = e.what();
    const std::size_t at = why.find("] ");
    bad(file, "the file is not valid JSON (" + (at == std::string::npos ? why : why.substr(at + 2)) + ")");
  }
  if (!doc.is_object() || !doc.contains("states") || !doc["states"].is_array()) bad(file, "no \"states\" array");
  ItfRun run;
  const json& states = doc["states"];
  if (states.empty()) bad(file, "the trace has no states");
  if (!states[0].is_object()) bad(file, "state 0 is not an object");
  // The parameters: those "params" names (the first state must give them), and any other of the
  // spec's that the first state gives a value (a trace that left "params" out keeps them).
  if (doc.contains("params")) {
    if (!doc["params"].is_array()) bad(file, "\"params\" is not an array");
    for (const json& p : doc["params"]) {
      if (!p.is_string()) bad(file, "a parameter name is not a string");
      const std::string& name = p.get_ref<const std::string&>();
      if (model.find_param(name) < 0) bad(file, "the spec has no parameter '" + name + "'");
      if (!states[0].contains(name)) bad(file, "the first state gives no value for parameter '" + name + "'");
    }
  }
  for (const Param& param : model.params) {
    if (!states[0].contains(param.name)) continue;
    run.params.emplace_back(param.name, integer_in(states[0][param.name], param.lo, param.hi, file, "state 0: ", "parameter '" + param.name + "'"));
  }
  // A parameter keeps its value for the whole run: a state that gives another is not of this run.
  for (std::size_t i = 1; i < states.size(); ++i) {
    if (!states[i].is_object()) bad(file, "state " + std::to_string(i) + " is not an object");
    for (const auto& [name, value] : run.params) {
      if (!states[i].contains(name)) continue;
      const std::optional<Integer> n = read_integer(states[i][name]);
      if (!n || !n->value || *n->value != value)
        bad(file, "state " + std::to_string(i) + ": parameter '" + name + "' = " + (n ? n->text : "a non-integer") + ", where state 0 gives " +
                      std::to_string(value) + ": a parameter keeps its value for the whole run");
    }
  }
  // Clocks saturate at values the parameters set: the states are read with the trace's values.
  const Model fixed = with_params(model, run.params);
  if (doc.contains("loop")) {
    if (!doc["loop"].is_number_integer()) bad(file, "\"loop\" is not an index");
    const std::optional<Integer> loop = read_integer(doc["loop"]);
    if (!loop || !loop->value || *loop->value < 0 || static_cast<uint64_t>(*loop->value) >= states.size())
      bad(file, "\"loop\" is outside the states");
    run.loop = static_cast<int>(*loop->value);
  }
  for (std::size_t i = 0; i < states.size(); ++i) {
    const json& st = states[i];
    std::vector<int32_t> values(model.slots.size());
    for (std::size_t s = 0; s < model.slots.size(); ++s) {
      const std::string& name = model.slots[s].name;
      if (!st.contains(name)) bad(file, "state " + std::to_string(i) + " has no value for '" + name + "'");
      values[s] = decode(fixed, static_cast<int>(s), st[name], file, "state " + std::to_string(i) + ": ");
    }
    run.states.push_back(std::move(values));
  }
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

// `check --format json` and `compare --format json` against the schemas published in docs/schema/:
// every document validates, every key the tool writes is documented there, and the embedded
// traces replay.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <set>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli/commands.h"

namespace interlock {
namespace {

using json = nlohmann::json;
namespace fs = std::filesystem;

const std::string kSource = INTERLOCK_SOURCE_DIR;

json load_schema(const std::string& name) {
  std::ifstream in(kSource + "/docs/schema/" + name);
  return json::parse(in);
}

struct CliRun {
  int code;
  std::string out, err;
};

CliRun run(const std::vector<std::string>& args) {
  std::ostringstream o, e;
  const int code = run_command_line(args, o, e);
  return {code, o.str(), e.str()};
}

// The part of JSON Schema the schemas use (type, enum, required, properties, items, $ref within
// the folder, allOf, additionalProperties), and stricter on one point: a key that `properties`
// does not list is an error unless additionalProperties allows it, so nothing goes undocumented.
class Validator {
 public:
  // `strict`: keys the schema does not list are errors (off inside allOf, whose parent lists them).
  void check(const json& value, const json& schema, const std::string& file, const std::string& where, bool strict = true) {
    if (schema.contains("$ref")) {
      const std::string ref = schema["$ref"];
      const std::size_t hash = ref.find('#');
      const std::string target_file = hash == 0 ? file : ref.substr(0, hash);
      const json& root = schemas_.try_emplace(target_file, load_schema(target_file)).first->second;
      check(value, root.at(json::json_pointer(ref.substr(hash + 1))), target_file, where, strict);
      return;
    }
    std::set<std::string> allowed_keys;  // documented by a schema of allOf
    if (schema.contains("allOf"))
      for (const json& part : schema["allOf"]) {
        check(value, part, file, where, false);
        const json resolved = resolve(part, file);
        if (resolved.contains("properties"))
          for (auto it = resolved["properties"].begin(); it != resolved["properties"].end(); ++it) allowed_keys.insert(it.key());
      }
    if (schema.contains("type")) {
      EXPECT_TRUE(has_type(value, schema["type"])) << where << ": " << value.dump() << " is not " << schema["type"];
    }
    if (schema.contains("enum")) {
      bool found = false;
      for (const json& e : schema["enum"]) found = found || e == value;
      EXPECT_TRUE(found) << where << ": " << value.dump() << " not in " << schema["enum"].dump();
    }
    if (value.is_object()) {
      for (const json& key : schema.value("required", json::array()))
        EXPECT_TRUE(value.contains(key.get<std::string>())) << where << ": missing " << key;
      const json properties = schema.value("properties", json::object());
      for (const auto& [key, item] : value.items()) {
        if (properties.contains(key)) check(item, properties[key], file, where + "." + key);
        else if (schema.contains("additionalProperties") && schema["additionalProperties"].is_object())
          check(item, schema["additionalProperties"], file, where + "." + key);
        else if (strict && schema.value("additionalProperties", false) != true && !allowed_keys.contains(key))
          ADD_FAILURE() << where << ": key '" << key << "' is not in the schema";
      }
    }
    if (value.is_array() && schema.contains("items"))
      for (std::size_t i = 0; i < value.size(); ++i) check(value[i], schema["items"], file, where + "[" + std::to_string(i) + "]");
    ++checked_;
  }
  int checked() const { return checked_; }

 private:
  json resolve(const json& schema, const std::string& file) {
    if (!schema.contains("$ref")) return schema;
    const std::string ref = schema["$ref"];
    const std::size_t hash = ref.find('#');
    const std::string target_file = hash == 0 ? file : ref.substr(0, hash);
    const json& root = schemas_.try_emplace(target_file, load_schema(target_file)).first->second;
    return root.at(json::json_pointer(ref.substr(hash + 1)));
  }
  static bool has_type(const json& v, const std::string& type) {
    if (type == "object") return v.is_object();
    if (type == "array") return v.is_array();
    if (type == "string") return v.is_string();
    if (type == "integer") return v.is_number_integer();
    if (type == "number") return v.is_number();
    if (type == "boolean") return v.is_boolean();
    return false;
  }
  std::map<std::string, json> schemas_;
  int checked_ = 0;
};

TEST(JsonReport, CheckDocumentsFollowTheirSchema) {
  const json schema = load_schema("check.schema.json");
  struct Case {
    std::vector<std::string> args;
    int code;
  };
  const std::vector<Case> cases = {
      {{"check", kSource + "/tests/data/compare/original.sched", "--format", "json"}, 1},
      {{"check", kSource + "/tests/data/compare/fixes/guarded.sched", "--format", "json"}, 0},
      {{"check", kSource + "/specs/hazards/lost_update.sched", "--format", "json"}, 1},
      // Partial-order reduction asked for: used (lint off), and not used, with why (lint on).
      {{"check", kSource + "/specs/hazards/lost_update.sched", "--format", "json", "--por", "on", "--lint", "off"}, 1},
      {{"check", kSource + "/specs/hazards/lost_update.sched", "--format", "json", "--por", "on"}, 1},
      {{"check", kSource + "/specs/admin/pg_dump/flock.sched", "--format", "json"}, 0},
      {{"check", kSource + "/specs/hazards/starvation.sched", "--format", "json", "--lint", "off"}, 1},
      {{"check", kSource + "/specs/msmail/original.sched", "--format", "json", "--engine", "bmc", "--prop", "no_drop",
        "--free", "all", "--lint", "off"}, 1},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.args[1]);
    const CliRun r = run(c.args);
    EXPECT_EQ(r.code, c.code) << r.err;
    const json doc = json::parse(r.out);
    Validator v;
    v.check(doc, schema, "check.schema.json", "$");
    EXPECT_GT(v.checked(), 20);
    EXPECT_EQ(doc["exit_code"], c.code) << "the document says the exit code the run returns";
  }
}

TEST(JsonReport, FreeParametersAndJudgementsAreReported) {
  const CliRun r = run({"check", kSource + "/specs/msmail/original.sched", "--format", "json", "--engine", "bmc", "--prop",
                     "no_drop", "--free", "all", "--lint", "off"});
  const json doc = json::parse(r.out);
  EXPECT_TRUE(doc["parameters"].empty());
  EXPECT_GE(doc["free_parameters"].size(), 10u);
  const json& result = doc["results"][0];
  EXPECT_EQ(result["engine"], "bmc");
  EXPECT_EQ(result["judgement"], "bad");
  EXPECT_EQ(result["reason"].get<std::string>().rfind("broken at 0: shutdown!", 0), 0u) << result["reason"];
  EXPECT_TRUE(result["trace"]["params"].size() >= 10u) << "the trace names the schedule it found";
}

// A trace in the document is a whole ITF trace: written to a file, `replay` accepts it.
TEST(JsonReport, EmbeddedTracesReplay) {
  const std::string spec = kSource + "/specs/hazards/lost_update.sched";
  const json doc = json::parse(run({"check", spec, "--format", "json", "--lint", "off"}).out);
  int replayed = 0;
  for (const json& result : doc["results"]) {
    if (!result.contains("trace")) continue;
    const fs::path file = fs::temp_directory_path() / ("interlock_json_trace_" + std::to_string(::getpid()) + ".itf.json");
    std::ofstream(file) << result["trace"].dump();
    const CliRun replay = run({"replay", spec, file.string()});
    EXPECT_EQ(replay.code, 0) << result["name"] << ": " << replay.out << replay.err;
    fs::remove(file);
    ++replayed;
  }
  EXPECT_GE(replayed, 2) << "a counterexample and a witness";
}

TEST(JsonReport, CompareDocumentsFollowTheirSchema) {
  const json schema = load_schema("compare.schema.json");
  const CliRun r = run({"compare", kSource + "/tests/data/compare", kSource + "/specs/hazards/starvation.sched",
                     "/nonexistent.sched", "--format", "json", "--lint", "off"});
  EXPECT_EQ(r.code, 2) << "a spec could not be read";
  const json doc = json::parse(r.out);
  Validator v;
  v.check(doc, schema, "compare.schema.json", "$");
  EXPECT_GT(v.checked(), 50);
  EXPECT_TRUE(doc["specs"][3].contains("error")) << r.out;
}

TEST(JsonReport, SynthDocumentsFollowTheirSchema) {
  const json schema = load_schema("synth.schema.json");
  const CliRun one = run({"synth", kSource + "/specs/admin/pg_dump/original.sched", "--param", "DUMP_MAX", "--format", "json",
                          "--lint", "off", "--quiet"});
  EXPECT_EQ(one.code, 0) << one.err;
  const json doc = json::parse(one.out);
  Validator v;
  v.check(doc, schema, "synth.schema.json", "$");
  const json& answer = doc["answer"];
  EXPECT_EQ(answer["condition"], "DUMP_MAX in 20 min..30 min");
  EXPECT_EQ(answer["intervals"][0]["verdict"], "ruled out") << "below DUMP_MIN the dump cannot run";
  // The intervals cover the range in order, without gaps.
  for (std::size_t i = 1; i < answer["intervals"].size(); ++i)
    EXPECT_EQ(answer["intervals"][i]["lo"].get<int64_t>(), answer["intervals"][i - 1]["hi"].get<int64_t>() + 1);
  const CliRun line = run({"synth", kSource + "/tests/data/synth_line.sched", "--param", "K", "--param", "L", "--format",
                           "json", "--lint", "off", "--quiet"});
  EXPECT_EQ(line.code, 0) << line.err;
  const json relation = json::parse(line.out);
  Validator w;
  w.check(relation, schema, "synth.schema.json", "$");
  EXPECT_EQ(relation["relation"]["condition"], "K >= L + 2");
  EXPECT_EQ(relation["relation"]["proven"], true);
  EXPECT_EQ(relation["relation"]["samples"].size(), 2u);
}

// `lint --format sarif`: the same warnings as the text output, each at the same place, under a
// rule that the log declares.
TEST(JsonReport, LintAsSarifHasTheTextWarnings) {
  // The benchmark's idle schedule leaves the drain unused: three warnings of different rules.
  const std::string spec = kSource + "/specs/bench/links_1.sched";
  const CliRun text = run({"lint", spec, "--set", "BACKUP_AT=60"});
  const CliRun sarif = run({"lint", spec, "--set", "BACKUP_AT=60", "--format", "sarif"});
  EXPECT_EQ(text.code, 1);
  EXPECT_EQ(sarif.code, text.code);
  const json log = json::parse(sarif.out);
  EXPECT_EQ(log["version"], "2.1.0");
  const json& run0 = log["runs"][0];
  std::set<std::string> rules;
  for (const json& rule : run0["tool"]["driver"]["rules"]) rules.insert(rule["id"].get<std::string>());
  EXPECT_EQ(rules.size(), 6u);
  std::size_t warnings = 0;
  for (std::size_t at = text.out.find(": warning: "); at != std::string::npos; at = text.out.find(": warning: ", at + 1)) ++warnings;
  ASSERT_EQ(run0["results"].size(), warnings) << text.out;
  ASSERT_GE(warnings, 3u);
  for (const json& result : run0["results"]) {
    EXPECT_TRUE(rules.contains(result["ruleId"].get<std::string>())) << result.dump();
    const json& where = result["locations"][0]["physicalLocation"];
    EXPECT_EQ(where["artifactLocation"]["uri"], spec);
    const std::string place = spec + ":" + std::to_string(where["region"]["startLine"].get<int>()) + ":" +
                              std::to_string(where["region"]["startColumn"].get<int>()) + ": warning: " +
                              result["message"]["text"].get<std::string>();
    EXPECT_NE(text.out.find(place), std::string::npos) << place << "\n" << text.out;
  }
  EXPECT_EQ(run({"lint", spec, "--format", "json"}).code, 2) << "lint speaks text or sarif";
}

TEST(JsonReport, BadCombinationsAreUsageErrors) {
  const std::string spec = kSource + "/tests/data/tiny.sched";
  EXPECT_EQ(run({"check", spec, "--format", "xml"}).code, 2);
  EXPECT_EQ(run({"check", spec, "--format", "json", "--trace", "mermaid"}).code, 2);
  EXPECT_EQ(run({"check", spec, "--format", "markdown"}).code, 2) << "markdown is compare's";
  EXPECT_EQ(run({"synth", spec, "--param", "P", "--format", "sarif"}).code, 2);
}

}  // namespace
}  // namespace interlock

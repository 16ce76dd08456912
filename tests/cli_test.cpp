// The command line end to end: exit codes, output, the graph command.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <tuple>

#include "cli/commands.h"
#include "model/lower.h"
#include "support/test_models.h"

namespace interlock {
namespace {

const std::string kSpec = std::string(INTERLOCK_SOURCE_DIR) + "/specs/msmail/original.sched";

struct CliRun {
  int code;
  std::string out, err;
};
CliRun run(const std::vector<std::string>& args) {
  std::ostringstream o, e;
  int code = run_command_line(args, o, e);
  return {code, o.str(), e.str()};
}

TEST(Cli, CheckPrintsAVerdictPerPropertyAndTheTimeline) {
  CliRun r = run({"check", kSpec, "--prop", "no_drop", "--prop", "conflict"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("violated  no_drop"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("holds     conflict"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("explicit engine"), std::string::npos);
  EXPECT_NE(r.out.find("bcast shutdown  Backup: Due -> Running  +  Server: Up -> Down  +  RSC: Transmitting -> LineDropped"),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("=> violates no_drop"), std::string::npos);
  EXPECT_NE(r.out.find("states/s"), std::string::npos);
  EXPECT_NE(r.out.find("B/state"), std::string::npos);
}

TEST(Cli, QuietKeepsOnlyTheVerdictLines) {
  CliRun r = run({"check", kSpec, "--prop", "no_drop", "--prop", "conflict", "--quiet"});
  EXPECT_EQ(r.code, 1);
  std::istringstream lines(r.out);
  std::vector<std::string> got;
  for (std::string line; std::getline(lines, line);) got.push_back(line);
  ASSERT_EQ(got.size(), 2u) << r.out;
  EXPECT_EQ(got[0].rfind("violated  no_drop   (invariant, explicit engine, ", 0), 0u) << got[0];
  EXPECT_EQ(got[1].rfind("holds     conflict  (reachable, explicit engine, ", 0), 0u) << got[1];
  EXPECT_TRUE(r.err.empty()) << "--quiet keeps stderr clean: " << r.err;
  // With a trace format, the trace document is still the whole of stdout and the verdicts go to stderr.
  CliRun json = run({"check", kSpec, "--prop", "no_drop", "--trace", "json", "--quiet"});
  EXPECT_EQ(json.code, 1);
  EXPECT_EQ(json.out.rfind("{", 0), 0u) << json.out.substr(0, 200);
  EXPECT_EQ(json.err.rfind("violated  no_drop  (invariant", 0), 0u) << json.err;
  EXPECT_EQ(json.err.find("wrote the"), std::string::npos) << json.err;
}

// The exit code is the worst verdict, from least to most: holds, violated, unknown, model error
// (README). A violation beside an unknown exits 3: not every answer is known.
TEST(Cli, TheExitCodeIsTheWorstVerdictInTheReadmesOrder) {
  const std::string spec = testing::write_temp_spec("worst.sched", R"(
    system worst;
    var x : 0..9 = 0;
    machine M { state A; init A; A -> A when x < 9 do x := x + 1; }
    invariant early: x < 1;
    invariant late: x < 8;
    invariant fine: x <= 9;
    invariant broken: 5 / (3 - x) >= 0;
  )");
  auto code = [&](std::vector<std::string> props, const std::string& depth) {
    std::vector<std::string> args{"check", spec, "--quiet", "--lint", "off", "--depth", depth};
    for (const std::string& p : props) args.insert(args.end(), {"--prop", p});
    return run(args).code;
  };
  EXPECT_EQ(code({"fine"}, "20"), 0);
  EXPECT_EQ(code({"fine", "early"}, "20"), 1);
  EXPECT_EQ(code({"late"}, "4"), 3) << "beyond the depth: unknown";
  EXPECT_EQ(code({"early", "late"}, "4"), 3) << "violated and unknown";
  EXPECT_EQ(code({"early", "broken"}, "20"), 2) << "violated and a model error";
  EXPECT_EQ(code({"late", "broken"}, "4"), 2) << "unknown and a model error";
}

TEST(Cli, OnePropertyAndSetParameters) {
  EXPECT_EQ(run({"check", kSpec, "--prop", "server_back", "--quiet"}).code, 0);
  EXPECT_EQ(run({"check", kSpec, "--prop", "deadlock_free", "--quiet"}).code, 0);
  CliRun bad = run({"check", kSpec, "--prop", "nonesuch"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("no property named 'nonesuch'"), std::string::npos);
  EXPECT_NE(bad.err.find("no_drop"), std::string::npos) << "lists the spec's properties";
  CliRun set = run({"check", kSpec, "--prop", "no_drop", "--set", "BACKUP_AT=300"});
  EXPECT_EQ(set.code, 1);
  EXPECT_NE(set.out.find("BACKUP_AT=300"), std::string::npos) << "the trace names the parameter values";
  EXPECT_EQ(run({"check", kSpec, "--set", "BACKUP_AT=5000"}).code, 2);
  // A leading zero, as in a spec: `02` is most likely a time cut short (an outside tester: it was 2).
  for (const auto& [value, hint] : std::vector<std::pair<std::string, std::string>>{
           {"02", "integer '02' has a leading zero: did you mean 02:00?"},
           {"007", "integer '007' has a leading zero: write 7"},
           {"-05", "integer '05' has a leading zero: write -5"}}) {
    const CliRun zero = run({"check", kSpec, "--set", "BACKUP_AT=" + value});
    EXPECT_EQ(zero.code, 2) << value;
    EXPECT_NE(zero.err.find("--set BACKUP_AT=" + value + ": " + hint), std::string::npos) << zero.err;
  }
  EXPECT_NE(run({"check", kSpec, "--prop", "no_drop", "--set", "BACKUP_AT=0", "--quiet", "--lint", "off"}).code, 2)
      << "0 alone is a number";
  CliRun assume = run({"check", kSpec, "--set", "TX_MIN=20", "--set", "TX_MAX=10", "--quiet"});
  EXPECT_EQ(assume.code, 2);
  EXPECT_NE(assume.out.find("break this assumption"), std::string::npos) << assume.out;
}

TEST(Cli, ReduceOffSearchesThePlainSemantics) {
  const std::string spec = std::string(INTERLOCK_SOURCE_DIR) + "/tests/data/unread_counter.sched";
  CliRun reduced = run({"check", spec, "--quiet", "--native", "off"});
  EXPECT_EQ(reduced.code, 0) << reduced.err;
  EXPECT_NE(reduced.out.find("holds     stays  (invariant, explicit engine, 1 states"), std::string::npos) << reduced.out;
  CliRun plain = run({"check", spec, "--quiet", "--native", "off", "--reduce", "off"});
  EXPECT_EQ(plain.code, 0) << plain.err;
  EXPECT_NE(plain.out.find("holds     stays  (invariant, explicit engine, 4 states"), std::string::npos) << plain.out;
  CliRun bad = run({"check", spec, "--reduce", "maybe"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("unknown --reduce mode 'maybe'"), std::string::npos) << bad.err;
}

TEST(ExportCli, PromelaOneProcessOneDStepPerStep) {
  const std::string spec = std::string(INTERLOCK_SOURCE_DIR) + "/tests/data/tiny.sched";
  CliRun r = run({"export", "--promela", spec, "--quiet"});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  EXPECT_NE(r.out.find("active proctype interlock()"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("#define S_Light_On 1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("byte state_Light = 0;"), std::string::npos) << r.out;
  // Two edges and the tick: three d_steps; no property, no assertion of one.
  std::size_t d_steps = 0;
  for (std::size_t at = r.out.find(":: d_step"); at != std::string::npos; at = r.out.find(":: d_step", at + 1)) ++d_steps;
  EXPECT_EQ(d_steps, 3u) << r.out;
  EXPECT_EQ(r.out.find("assert(invariant_"), std::string::npos) << r.out;
}

TEST(ExportCli, RefusesWhatPromelaCannotHoldWithALocatedError) {
  const std::string spec = std::string(INTERLOCK_SOURCE_DIR) + "/tests/data/export_beyond_32_bits.sched";
  CliRun wide = run({"export", "--promela", spec});
  EXPECT_EQ(wide.code, 2);
  EXPECT_NE(wide.err.find("export_beyond_32_bits.sched:8:17: error: this expression may take values from 0 to 3000000000"),
            std::string::npos) << wide.err;
  EXPECT_NE(wide.err.find("                  ^"), std::string::npos) << "a caret under the product: " << wide.err;
  CliRun response = run({"export", "--promela", spec, "--prop", "grows"});
  EXPECT_EQ(response.code, 2);
  EXPECT_NE(response.err.find("'grows' is a response property"), std::string::npos) << response.err;
  CliRun unknown = run({"export", "--promela", spec, "--prop", "nonesuch"});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.err.find("no property named 'nonesuch'"), std::string::npos) << unknown.err;
  CliRun no_format = run({"export", spec});
  EXPECT_EQ(no_format.code, 2);
  EXPECT_NE(no_format.err.find("'export' needs a format: --promela"), std::string::npos) << no_format.err;
}

TEST(Cli, GraphWritesDotAndRefusesLargeGraphs) {
  std::string spec = std::string(INTERLOCK_SOURCE_DIR) + "/tests/data/tiny.sched";
  CliRun r = run({"graph", spec});
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out.rfind("digraph G {", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("0->1"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("Light.Off"), std::string::npos);
  EXPECT_NE(r.err.find("3 states written"), std::string::npos) << r.err;
  CliRun big = run({"graph", kSpec, "--quiet"});
  EXPECT_EQ(big.code, 3);
  EXPECT_NE(big.err.find("more than 100000 states"), std::string::npos) << big.err;
  EXPECT_NE(big.err.find("--max-states"), std::string::npos);
  EXPECT_EQ(run({"graph", spec, "--max-states", "2"}).code, 3);
  EXPECT_EQ(run({"graph", spec, "--max-states", "3"}).code, 0);
  // -o: a refused graph writes no file, and leaves one that was there as it was.
  namespace fs = std::filesystem;
  const fs::path dot = fs::temp_directory_path() / ("interlock_graph_" + std::to_string(::getpid()) + ".dot");
  fs::remove(dot);
  EXPECT_EQ(run({"graph", spec, "--max-states", "2", "-o", dot.string()}).code, 3);
  EXPECT_FALSE(fs::exists(dot)) << "an empty file was left behind";
  std::ofstream(dot) << "before\n";
  EXPECT_EQ(run({"graph", spec, "--max-states", "2", "-o", dot.string()}).code, 3);
  EXPECT_EQ(fs::file_size(dot), 7u) << "the earlier file was truncated";
  EXPECT_EQ(run({"graph", spec, "-o", dot.string()}).code, 0);
  std::ifstream written(dot);
  std::string first;
  std::getline(written, first);
  EXPECT_EQ(first, "digraph G {");
  fs::remove(dot);
}

TEST(Cli, HelpAndVersion) {
  EXPECT_EQ(run({"help"}).code, 0);
  EXPECT_NE(run({"--help"}).out.find("check "), std::string::npos);
  // Every command has its own help, with exit 0, however it is asked for.
  for (const char* command : {"check", "lint", "graph", "compare", "synth", "simulate", "replay", "explain", "export", "import"}) {
    const CliRun help = run({command, "--help"});
    EXPECT_EQ(help.code, 0) << command << help.err;
    EXPECT_NE(help.out.find(std::string("Usage: interlock ") + command), std::string::npos) << help.out;
    EXPECT_EQ(run({"help", command}).out, help.out) << command;
    EXPECT_EQ(run({command, "-h"}).out, help.out) << command;
  }
  const CliRun check = run({"check", "--help"});
  for (const char* option : {"--prop NAME", "--engine ENGINE", "--free P|all", "--format FORMAT", "--timeout S", "--quiet"})
    EXPECT_NE(check.out.find(option), std::string::npos) << option << "\n" << check.out;
  EXPECT_EQ(check.out.find("--jobs"), std::string::npos) << "compare's option is not check's: " << check.out;
  const CliRun crontab = run({"import", "crontab", "--help"});
  EXPECT_EQ(crontab.code, 0);
  EXPECT_NE(crontab.out.find("Usage: interlock import crontab"), std::string::npos) << crontab.out;
  EXPECT_NE(crontab.out.find("--system"), std::string::npos) << crontab.out;
  EXPECT_EQ(run({"check", "x.sched", "--help"}).code, 0) << "--help wins over the rest";
  EXPECT_EQ(run({"help", "frobnicate"}).code, 2);
  EXPECT_NE(run({"--version"}).out.find("interlock "), std::string::npos);
}

}  // namespace
}  // namespace interlock

namespace interlock {
namespace {

const std::string kCompareDir = std::string(INTERLOCK_SOURCE_DIR) + "/tests/data/compare";

TEST(Compare, OneRowPerSpecOneColumnPerPropertyEachCellJudged) {
  CliRun r = run({"compare", kCompareDir});
  EXPECT_EQ(r.code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string header, original, fixed;
  std::getline(lines, header);
  std::getline(lines, original);
  std::getline(lines, fixed);
  EXPECT_EQ(header.substr(0, 4), "spec");
  for (const char* column : {"never_cut", "sends", "back", "busy", "judged"}) EXPECT_NE(header.find(column), std::string::npos);
  // The folder's own spec first, then its subfolder's.
  EXPECT_NE(original.find("original.sched"), std::string::npos);
  EXPECT_NE(original.find("✗ violated [1]"), std::string::npos) << r.out;
  EXPECT_NE(original.find("✓ reachable"), std::string::npos) << r.out;
  EXPECT_NE(original.find("✗ unbounded [3]"), std::string::npos) << "busy expects <= 2: " << r.out;
  EXPECT_NE(original.find("1 ✓ 3 ✗"), std::string::npos) << r.out;
  EXPECT_NE(fixed.find("fixes/guarded.sched"), std::string::npos);
  EXPECT_EQ(fixed.find("✗ "), std::string::npos) << "no bad cell: " << fixed;
  EXPECT_NE(fixed.find("✓ 2 "), std::string::npos) << "the sender is busy two ticks at most: " << fixed;
  EXPECT_NE(fixed.find("4 ✓ 0 ✗"), std::string::npos) << fixed;
  // Every bad cell: a reason on one line, then the command that prints its trace.
  EXPECT_NE(r.out.find("[1] never_cut in " + kCompareDir + "/original.sched: broken at 3: Sender: Sending -> Cut\n"
                       "    interlock check " + kCompareDir + "/original.sched --prop never_cut\n"),
            std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[3] busy in " + kCompareDir + "/original.sched: unbounded, expected at most 2 ticks: from time 2 on"),
            std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("\033["), std::string::npos) << "no colour when stdout is not a terminal";
  const CliRun coloured = run({"compare", kCompareDir, "--color", "always"});
  EXPECT_NE(coloured.out.find("\033[31m✗ violated [1]\033[0m"), std::string::npos) << coloured.out;
  EXPECT_NE(coloured.out.find("\033[32m✓ holds\033[0m"), std::string::npos) << coloured.out;
  // Columns line up in characters, not bytes: the marks are three bytes each.
  const std::size_t busy_column = header.find("busy");
  auto column_of = [](const std::string& line, const std::string& text) {
    std::size_t chars = 0;
    const std::size_t at = line.find(text);
    for (std::size_t i = 0; i < at; ++i) chars += (static_cast<unsigned char>(line[i]) & 0xC0) != 0x80;
    return chars;
  };
  EXPECT_EQ(column_of(original, "✗ unbounded"), busy_column) << r.out;
  EXPECT_EQ(column_of(fixed, "✓ 2"), busy_column) << r.out;
}

TEST(Compare, MarkdownAndJson) {
  CliRun md = run({"compare", kCompareDir, "--format", "markdown"});
  EXPECT_EQ(md.code, 0);
  EXPECT_EQ(md.out.rfind("| spec", 0), 0u) << md.out;
  EXPECT_NE(md.out.find("| ---"), std::string::npos) << md.out;
  EXPECT_NE(md.out.find("`interlock check " + kCompareDir + "/original.sched --prop never_cut`"), std::string::npos) << md.out;
  CliRun json = run({"compare", kCompareDir, "--format", "json", "--jobs", "1"});
  EXPECT_EQ(json.code, 0);
  const nlohmann::json doc = nlohmann::json::parse(json.out);
  ASSERT_EQ(doc["specs"].size(), 2u) << json.out;
  const nlohmann::json& original = doc["specs"][0];
  EXPECT_EQ(original["system"], "original");
  EXPECT_EQ(original["time_unit"], "ticks");
  auto property = [](const nlohmann::json& spec, const std::string& name) {
    for (const auto& p : spec["properties"])
      if (p["name"] == name) return p;
    return nlohmann::json();
  };
  EXPECT_EQ(property(original, "never_cut")["judgement"], "bad");
  EXPECT_EQ(property(original, "never_cut")["expect"], "holds");
  EXPECT_EQ(property(original, "never_cut")["reason"], "broken at 3: Sender: Sending -> Cut");
  EXPECT_EQ(property(original, "sends")["judgement"], "good");
  EXPECT_EQ(property(original, "busy")["unbounded"], true);
  EXPECT_EQ(property(original, "busy")["expect"], "<= 2 ticks");
  const nlohmann::json busy = property(doc["specs"][1], "busy");
  EXPECT_EQ(busy["kind"], "maximum");
  EXPECT_EQ(busy["verdict"], "holds");
  EXPECT_EQ(busy["value"], 2);
  EXPECT_EQ(busy["judgement"], "good");
  CliRun minutes = run({"compare", std::string(INTERLOCK_SOURCE_DIR) + "/specs/admin/pg_dump/flock.sched", "--format", "json"});
  const nlohmann::json pg = nlohmann::json::parse(minutes.out)["specs"][0];
  EXPECT_EQ(pg["time_unit"], "minutes") << minutes.out;
  bool found = false;
  for (const auto& p : pg["properties"])
    if (p.contains("value") && p["value"] == 20 && p["detail"] == "the longest wait is 20 min") found = true;
  EXPECT_TRUE(found) << minutes.out;
}

// --format html: a folder with the table, each cell with a trace linked to its viewer page.
TEST(Compare, HtmlTableLinksEachCellToItsTrace) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("interlock_compare_html_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  EXPECT_EQ(run({"compare", kCompareDir, "--format", "html"}).code, 2) << "html needs --output";
  EXPECT_EQ(run({"compare", kCompareDir, "--output", dir.string()}).code, 2) << "--output goes with html";
  const CliRun r = run({"compare", kCompareDir, "--format", "html", "--output", dir.string()});
  ASSERT_EQ(r.code, 0) << r.err;
  std::ifstream in(dir / "index.html");
  const std::string page((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(page.find("<td class=\"bad\" title=\"expects holds\"><a href=\"traces/1-never_cut.html\">✗ violated</a>"),
            std::string::npos) << page;
  EXPECT_NE(page.find("<td class=\"good\""), std::string::npos) << page;
  EXPECT_NE(page.find("broken at 3: Sender: Sending -&gt; Cut"), std::string::npos) << "reasons are escaped: " << page;
  // Every linked page exists and is a trace viewer.
  std::size_t links = 0;
  for (std::size_t at = page.find("href=\"traces/"); at != std::string::npos; at = page.find("href=\"traces/", at + 1)) {
    const std::size_t start = at + 6, end = page.find('"', start);
    const fs::path linked = dir / page.substr(start, end - start);
    EXPECT_TRUE(fs::exists(linked)) << linked;
    std::ifstream t(linked);
    const std::string trace((std::istreambuf_iterator<char>(t)), std::istreambuf_iterator<char>());
    EXPECT_NE(trace.find("<!DOCTYPE html>"), std::string::npos) << linked;
    ++links;
  }
  EXPECT_GE(links, 5u) << "original: never_cut, sends, back, busy; guarded: sends and busy: " << page;
  fs::remove_all(dir);
}

// --free on compare: every schedule at once where an engine decides it, unknown where not.
TEST(Compare, FreeParametersAreDecidedForEveryValueOrUnknown) {
  namespace fs = std::filesystem;
  const fs::path spec = fs::temp_directory_path() / ("interlock_compare_free_" + std::to_string(::getpid()) + ".sched");
  std::ofstream(spec) << "system free;\nparam LIMIT : 1..5 = 3;\nvar n : 0..9 = 0;\n"
                         "machine Counter {\n  state Count;\n  init Count;\n  Count -> Count when n < LIMIT do n := n + 1;\n}\n"
                         "invariant bounded: n <= 5;\ninvariant small: n <= 3;\nreachable two: n == 2;\n"
                         "reachable nine: n == 9 expect unreachable;\n";
  const CliRun fixed = run({"compare", spec.string(), "--format", "json"});
  ASSERT_EQ(fixed.code, 0) << fixed.err;
  const nlohmann::json at_default = nlohmann::json::parse(fixed.out)["specs"][0]["properties"];
  EXPECT_EQ(at_default[1]["verdict"], "holds") << "at LIMIT = 3, n stops at 3";
  const CliRun free = run({"compare", spec.string(), "--free", "all", "--format", "json"});
  ASSERT_EQ(free.code, 0) << free.err;
  const nlohmann::json every = nlohmann::json::parse(free.out)["specs"][0]["properties"];
  EXPECT_EQ(every[0]["verdict"], "holds") << free.out;
  EXPECT_NE(every[0]["engine"], "explicit") << free.out;
  EXPECT_EQ(every[1]["verdict"], "violated") << "LIMIT = 4 or 5 passes 3: " << free.out;
  EXPECT_EQ(every[1]["judgement"], "bad");
  EXPECT_EQ(every[2]["verdict"], "holds") << free.out;
  // ... but only for the witness's LIMIT (two is reachable at every value here, yet a witness
  // shows one value): not judged good, a note says why (an outside tester: a fix that switched a
  // job off for most values kept a clean row).
  EXPECT_EQ(every[2]["judgement"], "open") << free.out;
  const CliRun free_text = run({"compare", spec.string(), "--free", "all", "--color", "never"});
  EXPECT_NE(free_text.out.find("reachable for some values of the free parameters (the witness's: LIMIT = "), std::string::npos)
      << free_text.out;
  EXPECT_NE(free_text.out.find("2 ✓ 1 ✗"), std::string::npos) << "bounded and nine good, small bad, two open: " << free_text.out;
  const CliRun check_two = run({"check", spec.string(), "--free", "all", "--prop", "two", "--quiet"});
  EXPECT_NE(check_two.out.find("reachable for the trace's parameter values, not shown for every value"), std::string::npos)
      << check_two.out;
  // No schedule reaches n == 9: bmc finds no witness, and a prover shows there is none.
  EXPECT_EQ(every[3]["verdict"], "violated") << free.out;
  EXPECT_EQ(every[3]["judgement"], "good") << free.out;
  EXPECT_NE(every[3]["detail"].get<std::string>().find("for every parameter value allowed"), std::string::npos) << free.out;
  EXPECT_EQ(run({"compare", spec.string(), "--free", "LIMIT", "--set", "LIMIT=2"}).code, 2) << "contradicting options";
  fs::remove(spec);
}

// The command a note gives for a cell shows that cell's answer: it repeats the options that
// shaped it (an outside tester: under --set the command gave the default's opposite verdict).
TEST(Compare, ANotesCommandRepeatsTheOptionsThatShapedTheAnswer) {
  namespace fs = std::filesystem;
  const fs::path spec = fs::temp_directory_path() / ("interlock_compare_rerun_" + std::to_string(::getpid()) + ".sched");
  std::ofstream(spec) << "system rerun;\nparam LIMIT : 1..5 = 3;\nvar n : 0..9 = 0;\n"
                         "machine Counter {\n  state Count;\n  init Count;\n  Count -> Count when n < LIMIT do n := n + 1;\n}\n"
                         "invariant small: n <= 3;\n";
  const CliRun table = run({"compare", spec.string(), "--set", "LIMIT=5", "--depth", "40", "--por", "off", "--color", "never"});
  const std::string expected = "interlock check " + spec.string() + " --prop small --set LIMIT=5 --depth 40 --por off";
  const std::size_t at = table.out.find(expected);
  ASSERT_NE(at, std::string::npos) << table.out;
  ASSERT_EQ(table.out.find('\n', at), at + expected.size()) << "nothing else on the line: " << table.out;
  const CliRun shown = run({"check", spec.string(), "--prop", "small", "--set", "LIMIT=5", "--depth", "40", "--por", "off", "--quiet"});
  EXPECT_EQ(shown.code, 1) << "the cell's answer, violated: " << shown.out;
  EXPECT_EQ(run({"check", spec.string(), "--prop", "small", "--quiet"}).code, 0) << "without --set it holds";
  const CliRun free = run({"compare", spec.string(), "--free", "LIMIT", "--format", "json"});
  EXPECT_EQ(nlohmann::json::parse(free.out)["specs"][0]["properties"][0]["trace_command"],
            "interlock check " + spec.string() + " --prop small --free LIMIT")
      << free.out;
  fs::remove(spec);
}

// A column whose property is an invariant in one spec and reachable in another answers two
// questions: a note under the table says so (text, markdown and html), and html has the judged
// column the other formats have.
TEST(Compare, APropertyOfAnotherKindInSomeSpecIsNoted) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("interlock_compare_kinds_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "page");
  const std::string body = "system kinds;\nvar n : 0..3 = 0;\nmachine M { state S; init S; S -> S when n < 3 do n := n + 1; }\n";
  std::ofstream(dir / "a.sched") << body << "invariant small: n <= 1;\n";
  std::ofstream(dir / "b.sched") << body << "reachable small: n <= 1;\n";
  const std::string note = "small is not the same kind of property in every spec: invariant in " + (dir / "a.sched").string() +
                           "; reachable in " + (dir / "b.sched").string() + "; its cells answer different questions";
  for (const char* format : {"text", "markdown"}) {
    const CliRun r = run({"compare", (dir / "a.sched").string(), (dir / "b.sched").string(), "--format", format, "--lint", "off"});
    EXPECT_NE(r.out.find(note), std::string::npos) << format << ": " << r.out;
    // The column's head points to its note, numbered first (an outside tester: nothing did).
    EXPECT_NE(r.out.find("small [1]"), std::string::npos) << format << ": " << r.out;
    EXPECT_NE(r.out.find("[1] " + note), std::string::npos) << format << ": " << r.out;
  }
  const CliRun same = run({"compare", (dir / "a.sched").string(), (dir / "a.sched").string(), "--lint", "off"});
  EXPECT_EQ(same.out.find("not the same kind"), std::string::npos) << same.out;
  const CliRun html = run({"compare", (dir / "a.sched").string(), (dir / "b.sched").string(), "--format", "html", "--output",
                           (dir / "page").string(), "--lint", "off"});
  std::ifstream in(dir / "page" / "index.html");
  const std::string page((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(page.find(note), std::string::npos) << page;
  EXPECT_NE(page.find("<th>small <a href=\"#note1\">[1]</a></th>"), std::string::npos) << page;
  EXPECT_NE(page.find("<li id=\"note1\">" + note), std::string::npos) << page;
  EXPECT_NE(page.find("<th>judged</th>"), std::string::npos) << page;
  EXPECT_NE(page.find("<td>0 ✓ 1 ✗</td>"), std::string::npos) << page;
  fs::remove_all(dir);
}

// Issue 11: a symbolic-link loop in a folder given to compare ended in exit 4 ("internal error").
TEST(Compare, SymbolicLinkLoopsInAFolderAreFollowedOnceOrReported) {
  namespace fs = std::filesystem;
  const fs::path dir = fs::temp_directory_path() / ("interlock_links_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir / "sub");
  fs::copy_file(std::string(INTERLOCK_SOURCE_DIR) + "/tests/data/tiny.sched", dir / "tiny.sched");
  fs::create_directory_symlink(".", dir / "self");        // a folder that contains itself
  fs::create_directory_symlink("..", dir / "sub" / "up");  // and a longer way round
  fs::create_symlink("b", dir / "a");                    // two links that point at each other
  fs::create_symlink("a", dir / "b");
  fs::create_symlink("gone.sched", dir / "dangling.sched");
  CliRun r = run({"compare", dir.string()});
  EXPECT_EQ(r.code, 2) << r.out << r.err;  // the dangling spec cannot be checked
  EXPECT_NE(r.out.find("tiny.sched"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("self/"), std::string::npos) << "a folder seen once is not walked again: " << r.out;
  EXPECT_EQ(r.out.find("up/"), std::string::npos) << r.out;
  EXPECT_NE(r.err.find("dangling.sched: error: cannot open the spec file"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
  fs::remove(dir / "dangling.sched");
  fs::create_symlink("loop.sched", dir / "loop.sched");  // a spec that is a link to itself
  r = run({"compare", dir.string()});
  EXPECT_EQ(r.code, 2) << r.out << r.err;
  EXPECT_NE(r.err.find("loop.sched: error: cannot open the spec file (Too many levels of symbolic links)"), std::string::npos) << r.err;
  fs::remove(dir / "loop.sched");
  r = run({"compare", dir.string(), "--quiet"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  fs::remove_all(dir);
}

TEST(Compare, BadInputIsReportedNotFatal) {
  EXPECT_EQ(run({"compare", kCompareDir, "--format", "xml"}).code, 2);
  EXPECT_EQ(run({"compare"}).code, 2);
  EXPECT_EQ(run({"compare", std::string(INTERLOCK_SOURCE_DIR) + "/tests/bad"}).code, 2);  // every spec there is bad
  CliRun missing = run({"compare", kCompareDir + "/original.sched", "/nonexistent.sched"});
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.out.find("not checked [4]"), std::string::npos) << missing.out;
  EXPECT_NE(missing.out.find("violated [1]"), std::string::npos) << "the good spec is still checked: " << missing.out;
}

}  // namespace
}  // namespace interlock

namespace interlock {
namespace {

TEST(Synth, PrintsTheConditionAndHowEachIntervalWasDecided) {
  const std::string spec = std::string(INTERLOCK_SOURCE_DIR) + "/tests/data/synth.sched";
  CliRun r = run({"synth", spec, "--param", "K", "--prop", "ok"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("holds exactly when: K <= 3 || K >= 7"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("K in 4..6: violated ('ok' violated; traces found at K = 4, 5 and 6)"), std::string::npos)
      << "one line for the three values: " << r.out;
  EXPECT_NE(r.out.find("K in 0..3: holds"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("exact: every value of K is decided"), std::string::npos) << r.out;
  EXPECT_EQ(run({"synth", spec}).code, 2);                                  // no --param
  EXPECT_EQ(run({"synth", spec, "--param", "K", "--param", "K"}).code, 2);  // two different ones
  CliRun unknown = run({"synth", spec, "--param", "NOPE"});
  EXPECT_EQ(unknown.code, 2);
  EXPECT_NE(unknown.err.find("no parameter named 'NOPE'"), std::string::npos) << unknown.err;
  CliRun liveness = run({"synth", spec, "--param", "K", "--prop", "stops"});
  EXPECT_EQ(liveness.code, 2);
  EXPECT_NE(liveness.err.find("synth handles invariants"), std::string::npos) << liveness.err;
  // A value for the parameter synth varies would be ignored: refused (it was accepted).
  CliRun set = run({"synth", spec, "--param", "K", "--set", "K=2"});
  EXPECT_EQ(set.code, 2);
  EXPECT_NE(set.err.find("--set K=2 and --param K contradict each other"), std::string::npos) << set.err;
}

// replay checks a trace against the spec with its --set values: a trace made with another value
// is not one of its runs (--set was ignored: the trace's own values were used).
TEST(TraceCli, ReplayHoldsToTheParametersTheCommandLineSets) {
  const std::string spec = std::string(INTERLOCK_SOURCE_DIR) + "/specs/hazards/cron_race.sched";
  CliRun json = run({"check", spec, "--prop", "one_at_a_time", "--trace", "json", "--quiet"});
  ASSERT_EQ(json.code, 1) << json.err;
  const std::string file = ::testing::TempDir() + "/cron_race_rotate3.itf.json";
  std::ofstream(file) << json.out;
  CliRun same = run({"replay", spec, file, "--set", "ROTATE_MAX=3"});
  EXPECT_EQ(same.code, 0) << same.out << same.err;
  CliRun other = run({"replay", spec, file, "--set", "ROTATE_MAX=2"});
  EXPECT_EQ(other.code, 1) << other.out << other.err;
  EXPECT_NE(other.out.find("not a run of this spec: the trace was made with ROTATE_MAX = 3, and --set asks for ROTATE_MAX = 2"),
            std::string::npos)
      << other.out;
  EXPECT_EQ(run({"replay", spec, file}).code, 0) << "without --set, the trace's own values";
}

}  // namespace
}  // namespace interlock

namespace interlock {
namespace {

TEST(TraceCli, CheckWritesOneTraceDocumentAndReplayAcceptsIt) {
  const std::string spec = std::string(INTERLOCK_SOURCE_DIR) + "/tests/data/compare/original.sched";
  CliRun json = run({"check", spec, "--trace", "json"});
  EXPECT_EQ(json.code, 1);
  EXPECT_EQ(json.out.rfind("{\n  \"#meta\"", 0), 0u) << "stdout holds the trace alone: " << json.out;
  EXPECT_NE(json.err.find("violated  never_cut"), std::string::npos) << "verdicts go to stderr: " << json.err;
  EXPECT_NE(json.err.find("wrote the json trace of never_cut"), std::string::npos) << json.err;
  const std::string file = ::testing::TempDir() + "/never_cut.itf.json";
  {
    std::ofstream f(file);
    f << json.out;
  }
  CliRun ok = run({"replay", spec, file});
  EXPECT_EQ(ok.code, 0) << ok.out << ok.err;
  EXPECT_NE(ok.out.find("a run of this spec"), std::string::npos) << ok.out;
  // The same trace against a spec where the sender is never cut: its last step is impossible.
  const std::string guarded = std::string(INTERLOCK_SOURCE_DIR) + "/tests/data/compare/fixes/guarded.sched";
  CliRun not_a_run = run({"replay", guarded, file});
  EXPECT_EQ(not_a_run.code, 1) << not_a_run.out << not_a_run.err;
  EXPECT_NE(not_a_run.out.find("is not possible in this spec"), std::string::npos) << not_a_run.out;
  EXPECT_EQ(run({"replay", spec, spec}).code, 2);  // not JSON
  EXPECT_EQ(run({"replay", spec}).code, 2);        // no trace file
  EXPECT_EQ(run({"check", spec, "--trace", "svg"}).code, 2);
  CliRun mermaid = run({"check", spec, "--prop", "back", "--trace", "mermaid", "--quiet"});
  EXPECT_EQ(mermaid.out.rfind("sequenceDiagram", 0), 0u) << mermaid.out;
  CliRun dot = run({"check", spec, "--prop", "back", "--trace", "dot", "--quiet"});
  EXPECT_EQ(dot.out.rfind("digraph trace {", 0), 0u) << dot.out;
}

TEST(TraceCli, SimulateIsReproducibleFromItsSeed) {
  // The drain fix: every property holds, so no run stops before its 200 steps.
  const std::string drain = std::string(INTERLOCK_SOURCE_DIR) + "/specs/msmail/fixes/drain.sched";
  CliRun a = run({"simulate", drain, "--seed", "9", "--steps", "200"});
  CliRun b = run({"simulate", drain, "--seed", "9", "--steps", "200"});
  CliRun c = run({"simulate", drain, "--seed", "10", "--steps", "200"});
  EXPECT_EQ(a.code, 0) << a.err;
  EXPECT_EQ(a.out, b.out);
  EXPECT_NE(a.out, c.out);
  EXPECT_NE(a.out.find("seed 9"), std::string::npos);
  EXPECT_NE(a.out.find("trace: 200 steps"), std::string::npos) << a.out;
  CliRun json = run({"simulate", drain, "--seed", "9", "--steps", "20", "--trace", "json"});
  EXPECT_EQ(json.out.rfind("{", 0), 0u);
  EXPECT_EQ(run({"simulate", kSpec, "--steps", "-1"}).code, 2);
}

}  // namespace
}  // namespace interlock

namespace interlock {
namespace {

TEST(ExplainCli, NamesTheCausesOfTheKbDrop) {
  CliRun r = run({"explain", kSpec, "--prop", "no_drop", "--quiet"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("cause at time 55: Users: Working -> Working"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("cause at time 111: RSC: Dialing -> Transmitting [d=9]"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("=> a cause"), std::string::npos) << "the causes are marked in the trace";
  EXPECT_EQ(run({"explain", kSpec}).code, 2);                                        // no --prop
  EXPECT_NE(r.out.find("  1 not forced: taken where time could pass instead"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("    not forced: time could pass instead\n"), std::string::npos) << "the user's step is a choice: " << r.out;
  EXPECT_NE(r.out.find("which left open d=9 (one of 9 possible values)"), std::string::npos) << r.out;
  CliRun reachable = run({"explain", kSpec, "--prop", "conflict", "--quiet"});
  EXPECT_EQ(reachable.code, 2);  // a reachable property: no run breaks it
  EXPECT_NE(reachable.err.find("explain cuts counterexamples to invariants, deadlock_free and responses"), std::string::npos) << reachable.err;
  CliRun holds = run({"explain", kSpec, "--prop", "server_back", "--quiet"});
  EXPECT_EQ(holds.code, 0);
  EXPECT_NE(holds.out.find("nothing to explain"), std::string::npos) << holds.out;
}

// A step whose changed run still waits where explain stops following it is neither a cause nor
// a choice that is no cause: the summary, its own entry and the trace say it is undecided.
TEST(ExplainCli, AnUndecidedStepIsSaidToBeSo) {
  CliRun r = run({"explain", testing::write_temp_spec("far_target", testing::far_target_spec(5000)), "--prop", "finishes", "--quiet"});
  EXPECT_EQ(r.code, 1);
  EXPECT_NE(r.out.find("  0 causes shown; 1 action undecided (below)"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("no single action breaks"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  undecided at time 0: Guard: Open -> Shut\n"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("other choices in this run"), std::string::npos) << "the guard's step is not said to be no cause: " << r.out;
  EXPECT_NE(r.out.find("=> undecided: without it the trigger still waited"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace interlock

namespace interlock {
namespace {

TEST(Interactive, APersonPicksUndoesAndStops) {
  const std::string spec = std::string(INTERLOCK_SOURCE_DIR) + "/tests/data/compare/original.sched";
  // Two ticks, undo one, tick again, start sending, show the state, a bad choice, stop.
  std::istringstream in("1\n1\nu\n1\n1\ns\n7\nq\n");
  std::ostringstream out, err;
  int code = run_command_line({"simulate", spec, "--interactive"}, in, out, err);
  EXPECT_EQ(code, 0) << err.str();
  const std::string o = out.str();
  EXPECT_NE(o.find("time 2, step 2: Sender=Idle\n  1  Sender: Idle -> Sending"), std::string::npos) << o;
  EXPECT_NE(o.find("time 2, step 3: Sender=Sending"), std::string::npos) << o;
  EXPECT_NE(o.find("  Sender.t = 0\n"), std::string::npos) << "s shows the whole state: " << o;
  EXPECT_NE(o.find("not a step: '7'"), std::string::npos) << o;
  EXPECT_NE(o.find("trace: 3 steps (1 action, 2 ticks)"), std::string::npos) << "the undone tick is gone: " << o;
  // The end of the input ends the run too.
  std::istringstream eof("1\n");
  std::ostringstream out2;
  EXPECT_EQ(run_command_line({"simulate", spec, "--interactive", "--trace", "json"}, eof, out2, err), 0);
  EXPECT_NE(out2.str().find("\"#meta\""), std::string::npos);
}

}  // namespace
}  // namespace interlock

namespace interlock {
namespace {

TEST(TimeUnit, TracesSpeakTheSpecsUnitOfTime) {
  Model m = load_model_from_text("u.sched", R"(
    system u in minutes;
    machine M { clock c; state A { invariant c <= 2; } state B; init A; A -> B when c == 2; }
    invariant never_b: !M.B;
    response gets_b: M.A leads_to M.B;
  )");
  EXPECT_EQ(m.time_unit, "minutes");
  EXPECT_EQ(time_amount(m, 1), "1 minute");
  EXPECT_EQ(time_amount(m, 2), "2 minutes");
  std::ostringstream o, e;
  // Through the command line, from a file.
  const std::string file = ::testing::TempDir() + "/u.sched";
  {
    std::ofstream f(file);
    f << "system u in minutes;\nmachine M { clock c; state A { invariant c <= 2; } state B; init A; A -> B when c == 2; }\n"
         "invariant never_b: !M.B;\nresponse gets_b: M.A leads_to M.B;\n";
  }
  CliRun r = run({"check", file});
  EXPECT_NE(r.out.find("wait     2 minutes (until 2)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("the longest wait is 2 minutes"), std::string::npos) << r.out;
  EXPECT_EQ(load_model_from_text("t.sched", "system t;").time_unit, "ticks");
}

}  // namespace
}  // namespace interlock

namespace interlock {
namespace {

TEST(Synth, TwoParametersGiveALine) {
  CliRun r = run({"synth", std::string(INTERLOCK_SOURCE_DIR) + "/tests/data/synth_line.sched", "--param", "K", "--param", "L"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("holds when: K >= L + 2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("at L = 5:\nholds exactly when: K >= 7"), std::string::npos) << r.out;
  EXPECT_EQ(run({"synth", kSpec, "--param", "A", "--param", "B", "--param", "C", "--param", "D", "--param", "E", "--param", "F"}).code, 2);
}

TEST(Synth, ThreeParametersGiveAPlane) {
  CliRun r = run({"synth", std::string(INTERLOCK_SOURCE_DIR) + "/tests/data/synth_plane.sched", "--param", "K", "--param", "L",
                  "--param", "N"});
  EXPECT_EQ(r.code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("K as a linear function of L, N"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("at L = 2, N = 2:\nholds exactly when: K >= 4"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("holds when: K >= L + N + 2"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("exact at (L = 0, N = 0), (L = 2, N = 0) and (L = 0, N = 2); stricter than needed at (L = 2, N = 2)"),
            std::string::npos)
      << r.out;
}

}  // namespace
}  // namespace interlock

namespace interlock {
namespace {

// Lint on the command line (docs/engines.md, "Lint"): after check, compare and synth on stderr,
// never changing an exit code; `interlock lint` alone, with exit codes of its own.
constexpr const char* kSkippable = R"(system nightly in minutes;
param DUMP_AT : 00:00..23:59 = 02:00;
var dumped : bool = false;
machine Dump {
  clock c;
  state Waiting;
  state Done;
  init Waiting;
  Waiting -> Done when c == DUMP_AT do dumped := true;
}
invariant @NAME@: @INVARIANT@;
)";

std::string skippable_spec(const std::string& name, const std::string& invariant) {
  std::string text = kSkippable;
  text.replace(text.find("@NAME@"), 6, name);
  text.replace(text.find("@INVARIANT@"), 11, invariant);
  return testing::write_temp_spec(name, text);
}

const char* kSkipWarning =
    ":9:3: warning: Dump: Waiting -> Done can be skipped: when c == DUMP_AT passes, nothing forces it (add 'asap', or an "
    "invariant c <= DUMP_AT on Waiting)\n";

TEST(LintCli, CheckWarnsOnStderrAndKeepsItsExitCode) {
  for (const auto& [name, invariant, code] : {std::tuple<std::string, std::string, int>{"lint_holds", "!dumped || Dump.Done", 0},
                                              {"lint_violated", "!dumped", 1}}) {
    SCOPED_TRACE(name);
    const std::string spec = skippable_spec(name, invariant);
    const CliRun on = run({"check", spec, "--quiet"});
    EXPECT_EQ(on.code, code) << on.out << on.err;
    EXPECT_NE(on.err.find(spec + kSkipWarning), std::string::npos) << on.err;
    // The violation ends the search early (its one property is decided): the static part alone.
    EXPECT_NE(on.err.find(code == 0 ? "lint: 1 warning (from the spec and its 123 reachable states); --lint off leaves them out"
                                    : "lint: 1 warning (from the spec alone: this run did not explore every reachable state; "
                                      "'interlock lint' does); --lint off leaves them out"),
              std::string::npos)
        << on.err;
    const CliRun off = run({"check", spec, "--quiet", "--lint", "off"});
    EXPECT_EQ(off.code, code);
    // Not the rates nor the seconds of each verdict ("123 states, 0.001 s"), which vary run to run.
    auto verdicts = [](std::string out) {
      out = out.substr(0, out.find("explored:"));
      for (std::size_t at = out.find(" s)"); at != std::string::npos; at = out.find(" s)", at + 1)) {
        const std::size_t from = out.rfind(", ", at);
        if (from != std::string::npos) {
          out.erase(from, at - from);
          at = from;
        }
      }
      return out;
    };
    EXPECT_EQ(verdicts(off.out), verdicts(on.out)) << "lint writes nothing to stdout";
    EXPECT_EQ(on.out.find("warning"), std::string::npos);
    EXPECT_EQ(off.err, "");
    EXPECT_EQ(run({"check", spec, "--quiet", "--lint", "on"}).err, on.err);
    // Other engines: the static part alone, said so.
    const CliRun bmc = run({"check", spec, "--quiet", "--engine", "bmc", "--depth", "3"});
    EXPECT_NE(bmc.err.find(spec + kSkipWarning), std::string::npos) << bmc.err;
    EXPECT_NE(bmc.err.find("from the spec alone"), std::string::npos) << bmc.err;
    // A trace document on stdout stays alone there.
    if (code == 1) {
      const CliRun json = run({"check", spec, "--quiet", "--trace", "json"});
      EXPECT_EQ(json.code, 1);
      EXPECT_EQ(json.out.find("warning"), std::string::npos);
      EXPECT_NE(json.err.find(kSkipWarning), std::string::npos) << json.err;
    }
  }
  // A spec with no property: nothing to check, and lint all the same.
  const std::string none = testing::write_temp_spec(
      "lint_no_property", "system s in minutes;\nmachine M { clock c; state A, B; init A; A -> B when c == 5; }\n");
  const CliRun empty = run({"check", none, "--quiet"});
  EXPECT_EQ(empty.code, 0);
  EXPECT_NE(empty.err.find("M: A -> B can be skipped"), std::string::npos) << empty.err;
  EXPECT_EQ(run({"check", kSpec, "--lint", "maybe"}).code, 2);
  EXPECT_NE(run({"check", kSpec, "--lint", "maybe"}).err.find("unknown --lint mode 'maybe'"), std::string::npos);
}

TEST(LintCli, LintAloneSaysWhatItFoundAndExitsWithIt) {
  const CliRun found = run({"lint", skippable_spec("lint_alone", "true"), "--quiet"});
  EXPECT_EQ(found.code, 1) << found.out << found.err;
  EXPECT_NE(found.out.find("interlock lint: "), std::string::npos);
  EXPECT_NE(found.out.find(kSkipWarning), std::string::npos) << found.out;
  EXPECT_NE(found.out.find("1 warning; the search explored every reachable state (123)"), std::string::npos) << found.out;
  EXPECT_EQ(found.err, "");

  const std::string clean = testing::write_temp_spec(
      "lint_clean", "system s in minutes;\nmachine M { clock c; state A { invariant c <= 5; } state B; init A; A -> B when c == 5; }\n");
  const CliRun ok = run({"lint", clean, "--quiet"});
  EXPECT_EQ(ok.code, 0) << ok.out;
  EXPECT_NE(ok.out.find("no warnings; the search explored every reachable state (7)"), std::string::npos) << ok.out;
  EXPECT_EQ(run({"lint", clean, "--quiet", "--native", "on"}).out, ok.out);
  EXPECT_EQ(run({"lint", clean, "--quiet", "--reduce", "off"}).code, 0);

  const std::string fails = testing::write_temp_spec(
      "lint_fault", "system s;\nvar x : 0..3 = 0;\nmachine M { state A; init A; A -> A do x := x + 1; }\n");
  const CliRun fault = run({"lint", fails, "--quiet"});
  EXPECT_EQ(fault.code, 2) << fault.out;
  EXPECT_NE(fault.out.find("model error"), std::string::npos) << fault.out;

  const std::string counter = testing::write_temp_spec(
      "lint_counter", "system s;\nparam N : 0..2000000 = 2000000;\nvar x : 0..2000000 = 0;\n"
                            "machine M { state A; init A; A -> A when x < N do x := x + 1; }\n");
  const CliRun limited = run({"lint", counter, "--quiet", "--depth", "100"});
  EXPECT_EQ(limited.code, 3) << limited.out;
  EXPECT_NE(limited.out.find("no warnings; the search stopped before it had explored every reachable state (depth limit 100 reached)"),
            std::string::npos)
      << limited.out;
  const CliRun free_param = run({"lint", counter, "--quiet", "--set", "N=5"});
  EXPECT_EQ(free_param.code, 0) << free_param.out;

  EXPECT_EQ(run({"lint"}).code, 2);
  EXPECT_EQ(run({"lint", "/nonexistent.sched"}).code, 2);
  EXPECT_EQ(run({"lint", clean, "--lint", "off"}).code, 2) << "--lint is for the commands that lint after they run";
  const std::string bad = testing::write_temp_spec("lint_bad", "system s;\nmachine M { state A; init B; }\n");
  EXPECT_EQ(run({"lint", bad}).code, 2);
}

TEST(LintCli, CompareAndSynthLintToo) {
  const std::string clean = std::string(INTERLOCK_SOURCE_DIR) + "/tests/data/compare/original.sched";
  const std::string trap = skippable_spec("lint_compare", "!dumped || Dump.Done");
  const CliRun on = run({"compare", clean, trap});
  const CliRun off = run({"compare", clean, trap, "--lint", "off"});
  EXPECT_EQ(on.code, 0) << on.err;
  EXPECT_EQ(off.code, 0);
  EXPECT_EQ(on.out, off.out) << "the table is the same";
  EXPECT_NE(on.err.find(trap + kSkipWarning), std::string::npos) << on.err;
  EXPECT_EQ(on.err.find(clean), std::string::npos) << "a spec that lints clean says nothing: " << on.err;
  EXPECT_EQ(off.err.find("warning"), std::string::npos) << off.err;

  const std::string spec = skippable_spec("lint_synth", "!dumped || DUMP_AT > 60");
  const CliRun synth = run({"synth", spec, "--param", "DUMP_AT", "--quiet"});
  EXPECT_EQ(synth.code, 0) << synth.out << synth.err;
  EXPECT_NE(synth.err.find(kSkipWarning), std::string::npos) << synth.err;
  EXPECT_NE(synth.err.find("from the spec alone"), std::string::npos) << synth.err;
  EXPECT_EQ(run({"synth", spec, "--param", "DUMP_AT", "--quiet", "--lint", "off"}).err, "");
}

}  // namespace
}  // namespace interlock

// Bad input: every file in tests/bad/ names, on its first line, the diagnostic it must produce.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "cli/commands.h"
#include "cli/options.h"
#include "model/utf8.h"
#include "support/test_models.h"

namespace interlock {
namespace {

namespace fs = std::filesystem;
using testing::errors_of;

std::vector<fs::path> bad_inputs() {
  std::vector<fs::path> out;
  for (const auto& entry : fs::directory_iterator(fs::path(INTERLOCK_SOURCE_DIR) / "tests" / "bad"))
    if (entry.path().extension() == ".sched") out.push_back(entry.path());
  std::sort(out.begin(), out.end());
  return out;
}

int run_cli(const std::vector<std::string>& args, std::string* out = nullptr, std::string* err = nullptr) {
  std::ostringstream o, e;
  int code = run_command_line(args, o, e);
  if (out) *out = o.str();
  if (err) *err = e.str();
  return code;
}

TEST(BadInput, CorpusIsLargeEnough) { EXPECT_GE(bad_inputs().size(), 25u); }

TEST(BadInput, EachFileGetsItsLocatedDiagnosticAndExitTwo) {
  for (const fs::path& path : bad_inputs()) {
    SCOPED_TRACE(path.filename().string());
    std::ifstream in(path);
    std::string first;
    std::getline(in, first);
    const std::string marker = "// expect: ";
    ASSERT_EQ(first.rfind(marker, 0), 0u) << "first line must say what is expected";
    std::string expect = first.substr(marker.size());
    std::string location, message = expect;
    auto colon2 = expect.find(": ");
    if (!expect.empty() && std::isdigit(static_cast<unsigned char>(expect[0])) && colon2 != std::string::npos) {
      location = expect.substr(0, colon2);
      message = expect.substr(colon2 + 2);
    }
    std::string err;
    int code = run_cli({"check", path.string()}, nullptr, &err);
    EXPECT_EQ(code, 2);
    EXPECT_NE(err.find(message), std::string::npos) << err;
    if (!location.empty()) {
      EXPECT_NE(err.find(path.string() + ":" + location + ": error: "), std::string::npos) << err;
      EXPECT_NE(err.find("\n  "), std::string::npos) << "the source line is quoted";
      EXPECT_NE(err.find("^"), std::string::npos) << "a caret marks the column";
    }
  }
}

TEST(BadInput, AGlobalNamedAsTheTimersWallClockIsOneErrorAtItsName) {
  const std::string timer = "timer t = systemd \"OnCalendar=02:00\" emit go!;\nmachine M { state A; init A; A -> A on go?; }\n";
  for (const std::string decl : {"var Wall : 0..3 = 0;", "const Wall = 2;", "param Wall : 0..3 = 1;", "type Wall = { A, B };",
                                 "type T = { Wall, B };", "broadcast chan Wall;", "machine Wall { state A; init A; }",
                                 "timer Wall = systemd \"OnCalendar=03:00\" emit go!;",
                                 "timer u = systemd \"OnCalendar=03:00\" emit Wall!;"}) {
    const std::string err = errors_of("system s in minutes;\n" + decl + "\n" + timer);
    EXPECT_NE(err.find("test.sched:2:"), std::string::npos) << err;
    EXPECT_NE(err.find("has a machine 'Wall' of its own (the timers' wall clock); rename this"), std::string::npos) << err;
    EXPECT_EQ(err.find("error:"), err.rfind("error:")) << "no knock-on error: " << err;
  }
}

TEST(BadInput, EveryBadInvariantOfAStateIsSaid) {
  const std::string err = errors_of("system s;\nvar x : 0..3 = 0;\nmachine M { state T { invariant x; invariant true; invariant x + 1; } init T; }\n");
  EXPECT_NE(err.find("test.sched:3:33: error: an invariant must be a condition (bool), not int"), std::string::npos) << err;
  EXPECT_NE(err.find("test.sched:3:62: error: an invariant must be a condition (bool), not int"), std::string::npos) << err;
}

TEST(BadInput, CaretSitsUnderTheColumn) {
  std::string err = errors_of("system s;\nvar x : 0..3 = zz;\n");
  EXPECT_NE(err.find("test.sched:2:16: error: unknown name 'zz'\n  var x : 0..3 = zz;\n                 ^\n"), std::string::npos) << err;
}

TEST(BadInput, ALongLineIsQuotedAroundTheColumn) {
  std::string sum;
  for (int i = 0; i < 300; ++i) sum += "1 + ";
  const std::string err = errors_of("system s;\nconst A = " + sum + "zz + " + sum + "2;\n");
  ASSERT_NE(err.find("test.sched:2:1211: error: unknown name 'zz'\n"), std::string::npos) << err;
  const std::string quoted = err.substr(err.find("\n  ") + 3, err.find('\n', err.find("\n  ") + 1) - err.find("\n  ") - 3);
  const std::string caret = err.substr(err.rfind("\n  ", err.size() - 2) + 3);
  EXPECT_EQ(quoted.substr(0, 3), "...");
  EXPECT_EQ(quoted.substr(quoted.size() - 3), "...");
  EXPECT_LE(quoted.size(), 206u);
  ASSERT_EQ(caret.back(), '\n');
  EXPECT_EQ(quoted.substr(caret.size() - 2, 2), "zz") << quoted << "\n" << caret;
}

TEST(BadInput, ParserRecoversAndReportsSeveralErrors) {
  std::string err = errors_of(
      "system s;\n"
      "var x : 0..3 = 1\n"
      "var y : bool;\n"
      "machine M { state A; init A; A -> A when x > ; A -> A do y := ; }\n"
      "invariant p x;\n");
  EXPECT_NE(err.find("test.sched:3:1: error: expected ';' after the variable"), std::string::npos) << err;
  EXPECT_NE(err.find("test.sched:4:46: error: expected an expression"), std::string::npos) << err;
  EXPECT_NE(err.find("test.sched:4:63: error: expected an expression"), std::string::npos) << err;
  EXPECT_NE(err.find("test.sched:5:13: error: expected ':' after the property's name"), std::string::npos) << err;
}

TEST(BadInput, CheckerReportsSeveralErrors) {
  std::string err = errors_of(
      "system s;\n"
      "var x : 0..3 = 7;\n"
      "machine M { state A; init A; A -> A when nope; }\n"
      "invariant p: x;\n");
  EXPECT_NE(err.find(":2:16: error: value 7"), std::string::npos) << err;
  EXPECT_NE(err.find(":3:42: error: unknown name 'nope'"), std::string::npos) << err;
  EXPECT_NE(err.find(":4:14: error: a property must be a condition"), std::string::npos) << err;
}

TEST(BadInput, ErrorFloodIsCapped) {
  std::string text = "system s;\n";
  for (int i = 0; i < 500; ++i) text += "var x" + std::to_string(i) + " : 0..1 = nothing;\n";
  std::string err = errors_of(text);
  EXPECT_NE(err.find("too many errors"), std::string::npos);
  EXPECT_LT(err.size(), 20000u);
}

TEST(BadInput, DeepNestingIsAnErrorNotACrash) {
  std::string text = "system s;\nconst A = " + std::string(100000, '(') + "1" + std::string(100000, ')') + ";\n";
  EXPECT_NE(errors_of(text).find("nested too deeply"), std::string::npos);
  std::string nots = "system s;\nvar b : bool;\ninvariant p: " + std::string(100000, '!') + "b;\n";
  EXPECT_NE(errors_of(nots).find("nested too deeply"), std::string::npos);
}

TEST(BadInput, CrOnlyLineEndingsAreCountedAndQuoted) {
  std::string err = errors_of("system s;\r// two\rvar x : 0..3 = zz;\rvar y : bool;\r");
  EXPECT_NE(err.find("test.sched:3:16: error: unknown name 'zz'\n  var x : 0..3 = zz;\n                 ^\n"), std::string::npos) << err;
  err = errors_of("system s;\r\nvar x : 0..3 = zz;\r\n");
  EXPECT_NE(err.find("test.sched:2:16: error: unknown name 'zz'\n  var x : 0..3 = zz;\n"), std::string::npos) << err;
}

TEST(BadInput, AByteOrderMarkIsSkipped) {
  EXPECT_EQ(errors_of("\xef\xbb\xbfsystem s;\nvar x : bool;\n"), "");
  std::string err = errors_of("\xef\xbb\xbfsystem s; var x : 0..3 = zz;\n");
  EXPECT_NE(err.find("test.sched:1:26: error: unknown name 'zz'\n  system s; var x : 0..3 = zz;\n  " + std::string(25, ' ') + "^\n"),
            std::string::npos) << err;
  EXPECT_NE(errors_of("system s;\n\xef\xbb\xbfvar x : bool;\n").find("test.sched:2:1: error: non-ASCII character"), std::string::npos)
      << "only at the start of the file";
}

TEST(BadInput, InvalidUtf8IsLocated) {
  // Overlong encodings, UTF-16 surrogates, code points above U+10FFFF and cut-off sequences.
  for (const char* bad : {"\xc0\xaf", "\xc1\xbf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf0\x80\x80\xaf", "\xf4\x90\x80\x80",
                          "\xf5\x80\x80\x80", "\xff", "\xe2\x82"}) {
    std::string err = errors_of(std::string("system s;\n// \xc3\xa9t\xc3\xa9 ") + bad + "\nvar x : bool;\n");
    EXPECT_NE(err.find("test.sched:2:8: error: invalid UTF-8"), std::string::npos) << err;
  }
  EXPECT_EQ(errors_of("system s;\n// \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80 \xf4\x8f\xbf\xbf \xed\x9f\xbf\nvar x : bool;\n"), "");
}

// A message that quotes the input (a file name, an argument, a name in a trace) cannot move the
// cursor or recolour the terminal: C0 controls but line breaks and tabs, DEL, C1 controls (0x9B
// starts an escape sequence on some terminals) and malformed UTF-8 show as '?'.
TEST(BadInput, MessagesQuotingInputCannotDriveTheTerminal) {
  EXPECT_EQ(terminal_safe("a\x1b[31mb\x07\x7f\xc2\x9b\xc2\x85\xff\xe2\x82|\n\t\xc3\xa9 \xe2\x86\x92 \xc2\xa0."),
            "a?[31mb???????|\n\t\xc3\xa9 \xe2\x86\x92 \xc2\xa0.");
  // Bidirectional marks, overrides and isolates would show a line in another order than it is.
  EXPECT_EQ(terminal_safe("a\xe2\x80\xae" "b\xe2\x81\xa6" "c\xd8\x9c" "d\xe2\x80\x8f" "e\xe2\x80\x94" "f"), "a?b?c?d?e\xe2\x80\x94" "f");
  auto controls = [](const std::string& text) {
    return std::count_if(text.begin(), text.end(), [](char c) { return (c > 0 && c < 0x20 && c != '\n' && c != '\t') || c == 0x7f; });
  };
  const std::string escape = "\x1b]0;owned\x07\x1b[2J";
  std::string err;
  EXPECT_EQ(run_cli({"check", "/no/such/" + escape + ".sched"}, nullptr, &err), 2);  // an input error
  EXPECT_NE(err.find("cannot open"), std::string::npos) << err;
  EXPECT_EQ(controls(err), 0) << err;
  EXPECT_EQ(run_cli({"check", INTERLOCK_SOURCE_DIR "/specs/msmail/original.sched", "--threads", escape}, nullptr, &err), 2);  // a usage error
  EXPECT_NE(err.find("--threads"), std::string::npos) << err;
  EXPECT_EQ(controls(err), 0) << err;
  EXPECT_EQ(run_cli({"check", INTERLOCK_SOURCE_DIR "/specs/msmail/original.sched", "--prop", escape}, nullptr, &err), 2);
  EXPECT_EQ(controls(err), 0) << err;
  // import's summary names the file it read and the file it wrote.
  const fs::path folder = fs::temp_directory_path() / ("interlock_escape_" + std::to_string(getpid()));
  fs::create_directories(folder);
  const fs::path crontab = folder / ("cron" + escape), spec = folder / ("out" + escape + ".sched");
  {
    std::ofstream(crontab) << "0 2 * * * /usr/bin/backup\n";
  }
  EXPECT_EQ(run_cli({"import", "crontab", crontab.string(), "-o", spec.string()}, nullptr, &err), 0) << err;
  EXPECT_NE(err.find("1 job from"), std::string::npos) << err;
  EXPECT_EQ(controls(err), 0) << err;
  fs::remove_all(folder);
  // And the quoted source line of a diagnostic: a C1 control in a comment.
  err = errors_of("system s; var x : 0..3 = zz; // \xc2\x9b" "2J\n");
  EXPECT_NE(err.find("zz; // ?2J\n"), std::string::npos) << err;
}

TEST(BadInput, EmptyBinaryMissingAndDirectory) {
  EXPECT_NE(errors_of("").find("test.sched:1:1: error: empty spec"), std::string::npos);
  EXPECT_NE(errors_of("   // only a comment\n").find("empty spec"), std::string::npos);
  EXPECT_NE(errors_of(std::string("system s;\0\x7f\x45LF", 14)).find("not a text file"), std::string::npos);
  EXPECT_NE(errors_of("system s; \xff\xfe").find("test.sched:1:11: error: invalid UTF-8"), std::string::npos);
  std::string err;
  EXPECT_EQ(run_cli({"check", "/no/such/file.sched"}, nullptr, &err), 2);
  EXPECT_NE(err.find("cannot open"), std::string::npos);
  EXPECT_EQ(run_cli({"check", INTERLOCK_SOURCE_DIR}, nullptr, &err), 2);
  EXPECT_NE(err.find("directory"), std::string::npos);
}

TEST(BadInput, HugeFileIsRefused) {
  fs::path path = fs::temp_directory_path() / "interlock_huge.sched";
  {
    std::ofstream out(path);
    out << "system s;\n";
    std::string comment = "// " + std::string(1000, 'x') + "\n";
    for (int i = 0; i < 9000; ++i) out << comment;
  }
  std::string err;
  EXPECT_EQ(run_cli({"check", path.string()}, nullptr, &err), 2);
  EXPECT_NE(err.find("larger than 8 MiB"), std::string::npos) << err;
  fs::remove(path);
}

TEST(BadInput, UsageErrors) {
  std::string err;
  EXPECT_EQ(run_cli({}, nullptr, &err), 2);
  EXPECT_EQ(run_cli({"frobnicate"}, nullptr, &err), 2);
  EXPECT_NE(err.find("unknown command 'frobnicate'"), std::string::npos);
  EXPECT_EQ(run_cli({"check"}, nullptr, &err), 2);
  EXPECT_NE(err.find("needs a spec file"), std::string::npos);
  EXPECT_EQ(run_cli({"check", "x.sched", "--bogus"}, nullptr, &err), 2);
  EXPECT_NE(err.find("unknown option '--bogus'"), std::string::npos);
  EXPECT_EQ(run_cli({"check", "x.sched", "--timeout"}, nullptr, &err), 2);
  EXPECT_NE(err.find("--timeout needs a value"), std::string::npos);
  EXPECT_EQ(run_cli({"check", "x.sched", "--por", "--lint", "off"}, nullptr, &err), 2);
  EXPECT_NE(err.find("--por needs a value"), std::string::npos) << err;  // was "unexpected argument 'off'"
  EXPECT_EQ(run_cli({"explain", "x.sched", "--prop", "a", "--prop", "a"}, nullptr, &err), 2);
  EXPECT_NE(err.find("--prop is given 2 times: 'explain' explains one property"), std::string::npos) << err;
  EXPECT_EQ(run_cli({"explain", "x.sched"}, nullptr, &err), 2);
  EXPECT_NE(err.find("'explain' needs one --prop"), std::string::npos) << err;
  EXPECT_EQ(run_cli({"check", "x.sched", "--timeout", "soon"}, nullptr, &err), 2);
  EXPECT_EQ(run_cli({"check", "x.sched", "--depth", "-4"}, nullptr, &err), 2);
  EXPECT_EQ(run_cli({"check", "x.sched", "--set", "NOEQUALS"}, nullptr, &err), 2);
  EXPECT_EQ(run_cli({"check", "x.sched", "--set", "P=abc"}, nullptr, &err), 2);
  EXPECT_EQ(run_cli({"check", "x.sched", "--engine", "magic"}, nullptr, &err), 2);
  EXPECT_EQ(run_cli({"check", "x.sched", "--trace", "svg"}, nullptr, &err), 2);
  EXPECT_EQ(run_cli({"check", "a.sched", "b.sched"}, nullptr, &err), 2);
  EXPECT_NE(err.find("one spec file per run"), std::string::npos);
}

// Issue 11: two values for one parameter, or a value and --free, were silent choices.
TEST(BadInput, ContradictoryParameterOptions) {
  std::string err;
  EXPECT_EQ(run_cli({"check", "x.sched", "--set", "P=10", "--set", "P=20"}, nullptr, &err), 2);
  EXPECT_NE(err.find("interlock: error: --set P is given twice (P=10 and P=20)"), std::string::npos) << err;
  EXPECT_EQ(run_cli({"simulate", "x.sched", "--set", "P=10", "--set", "P=10"}, nullptr, &err), 2);
  EXPECT_NE(err.find("--set P is given twice"), std::string::npos) << err;
  EXPECT_EQ(run_cli({"check", "x.sched", "--set", "P=1", "--free", "P"}, nullptr, &err), 2);
  EXPECT_NE(err.find("interlock: error: --set P=1 and --free P contradict each other"), std::string::npos) << err;
  EXPECT_EQ(run_cli({"check", "x.sched", "--free", "P", "--set", "P=1"}, nullptr, &err), 2);
  EXPECT_NE(err.find("--set P=1 and --free P contradict each other"), std::string::npos) << err;
  // --free all with --set: every parameter but those set is free (docs/language.md).
  EXPECT_NO_THROW(parse_options({"check", "x.sched", "--free", "all", "--set", "P=1"}));
}

}  // namespace
}  // namespace interlock

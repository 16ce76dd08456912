// The README shows real output: every example it prints is run again here, and each line it
// shows must be printed, in that order (times, rates, peak memory, thread counts and how many
// states native code expanded vary from run to run and are left out of the comparison). An
// example is a fenced block that starts with `$ ./build/interlock ARGS`, or one right after a
// comment `<!-- output of: interlock ARGS -->` (tests/support/doc_examples.h). (The first
// example had fallen behind the trace format for two sessions before this test.)
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "cli/commands.h"
#include "support/doc_examples.h"

namespace interlock {
namespace {

namespace fs = std::filesystem;
using testing::doc_examples;
using testing::first_line_not_printed;

TEST(Readme, EveryExampleShowsWhatTheCommandPrints) {
  const fs::path source(INTERLOCK_SOURCE_DIR);
  const std::vector<testing::DocExample> examples = doc_examples((source / "README.md").string());
  EXPECT_GE(examples.size(), 6u);
  // The examples run where the README's reader runs them, with its relative paths (a table's
  // widths depend on them).
  const fs::path here = fs::current_path();
  fs::current_path(source);
  for (const testing::DocExample& e : examples) {
    ASSERT_TRUE(e.not_rerun.empty()) << "README.md:" << e.line << ": every README example is run again";
    for (const testing::DocCommand& c : e.commands) {
      ASSERT_EQ(c.program, "interlock") << "README.md:" << e.line;
      std::ostringstream out, err;
      run_command_line(c.args, out, err);
      const std::string printed = out.str() + err.str();
      if (std::optional<std::size_t> k = first_line_not_printed(c.shown, printed))
        ADD_FAILURE() << "README.md:" << c.shown_at[*k] << ": `" << c.text << "` does not print, at this point of its output:\n  " << c.shown[*k] << "\nIt printed:\n"
                      << printed;
    }
  }
  fs::current_path(here);
}

}  // namespace
}  // namespace interlock

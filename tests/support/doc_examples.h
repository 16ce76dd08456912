// The examples a Markdown file shows, for tests that run them again: a fenced block that starts
// with a prompt (`$ interlock ARGS`, `$ ./build/interlock ARGS`, or another shell command such as
// `$ cat FILE`), each prompt followed by what it prints; or a block right after a comment
// `<!-- output of: interlock ARGS -->`. A comment `<!-- not rerun: REASON -->` right before a
// block says why a test cannot run it (it reads the terminal, or takes minutes).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace interlock::testing {

struct DocCommand {
  std::string text;     // as the reader types it, after the prompt
  std::string program;  // "interlock", or another program, run by the shell
  std::vector<std::string> args;  // interlock's
  std::vector<std::string> shown;  // the lines shown under it ("..." lines left out)
  std::vector<int> shown_at;       // their line numbers in the file
};

struct DocExample {
  int line = 0;  // of the opening fence
  std::vector<DocCommand> commands;
  std::string not_rerun;  // the reason given, if it is marked so
};

std::vector<DocExample> doc_examples(const std::string& path);

// A line with what varies from run to run masked: times, rates, peak memory, the thread count
// and whether (and for how many states) native code ran.
std::string without_what_varies(std::string line);

// The first shown line `printed` does not print in order after the ones before it (its index),
// or nothing. A shown line may leave text out with "...": any text matches there.
std::optional<std::size_t> first_line_not_printed(const std::vector<std::string>& shown, const std::string& printed);

}  // namespace interlock::testing

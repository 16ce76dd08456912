// What the native-code cache tests share (native_cache_test.cpp, native_cache_attack_test.cpp):
// a scratch folder, two models of the same shape whose compiled libraries can be swapped, a
// planted library that leaves a marker file when it runs, and the files of a cache folder.
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

#include "solver/result.h"

namespace interlock::testing {

// A fresh folder under /tmp that everyone may enter (mode 0755), removed with its contents.
class ScratchFolder {
 public:
  ScratchFolder();
  ~ScratchFolder();
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// `hazard` is violated: n reaches 3. kQuietSpec has the same variables and machine, but n never
// moves: its compiled successor function, run for kHazardSpec, would make `hazard` hold.
extern const char* const kHazardSpec;
extern const char* const kQuietSpec;

// The explicit engine's check of `hazard` in `spec`, native code on, in the current environment.
PropertyResult check_hazard(const char* spec = kHazardSpec);
// The source the native code is compiled from for `spec` (unreduced).
std::string native_source_of(const char* spec = kHazardSpec);

std::string read_file(const std::filesystem::path& path);
// Writes `text` to `path` in place (the same file if it exists, truncated first).
void write_file(const std::filesystem::path& path, const std::string& text);
// The names in `folder`, sorted; empty if it cannot be read.
std::vector<std::string> entries(const std::filesystem::path& folder);
// The only compiled library (*.so) in `folder`; empty if there is none or more than one.
std::filesystem::path only_library(const std::filesystem::path& folder);
// The permission bits of `path` (not following a link).
mode_t mode_of(const std::filesystem::path& path);

// The binding a compiled library carries (the string after which it is named), "" if none.
std::string binding_of(const std::string& library);

// Compiles a library that offers the native entry point (answering "no successors") and
// exports `binding`, and that creates `marker` as soon as it is loaded or called: proof that
// planted code ran. `decoy`, if not empty, is another string constant in it. True if it was built.
bool build_planted_library(const std::filesystem::path& out, const std::filesystem::path& marker,
                           const std::string& binding, const std::string& decoy = "");

// Runs a program and waits for it; its exit status, -1 if it did not exit normally.
int run_program(const std::vector<std::string>& args);

}  // namespace interlock::testing

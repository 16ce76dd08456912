// Runs SPIN on a Promela model the way the export's header says (spin -a, the C compiler on
// pan.c with breadth-first search, pan going on after each failed assertion) and reads its
// answer: the states stored, the depth reached, the least depth of each failed assertion.
#pragma once

#include <cstdint>
#include <map>
#include <string>

namespace interlock::testing {

struct SpinAnswer {
  bool ran = false;     // spin, the compiler and pan all ran; else `log` says what failed
  bool complete = false;  // the search was not cut short
  uint64_t states = 0;  // "states, stored"
  int depth = 0;        // "depth reached"
  std::map<std::string, int> first_failure;  // assertion label -> least depth where it failed
  std::string log;
};

// Whether spin and a C compiler are on the PATH.
bool spin_installed();

// Writes `promela` to folder/model.pml and runs SPIN there.
SpinAnswer run_spin(const std::string& promela, const std::string& folder);

}  // namespace interlock::testing

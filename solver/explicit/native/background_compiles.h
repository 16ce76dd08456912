// Compiles left to finish after the search that started them has ended, so that a later run
// finds the library in the cache: a search that ends between starting the compiler and the
// compiler's end (0.1 s to about 0.3 s) would otherwise kill it every time and never get native
// code. Only a process that allows it leaves compiles behind (the interlock command does; a
// library user such as a test, which may remove its cache folder at once, does not), at most one
// at a time (a process that runs many short searches, synth over a range, starts no crowd of
// compilers), and one left is never waited for: it may outlive the process.
#pragma once

#include <memory>

#include "solver/explicit/native/compile_job.h"

namespace interlock {

// From now on, this process may (or, with false, may no longer) leave compiles to finish.
void allow_background_compiles(bool allowed = true);

// Takes `job`, still running, to finish on its own, if the process allows it and no compile it
// left earlier still runs; otherwise `job` stays with the caller (and is killed when destroyed).
void leave_to_finish(std::unique_ptr<CompileJob>& job);

}  // namespace interlock

// `interlock simulate SPEC --interactive`: a person picks each step. At every state the possible
// steps are listed, numbered; the commands (one a line, so a pipe can drive it):
//   N              take step N of the list
//   wait [N]       let N ticks pass (one without N), or a duration (`wait 5min`): as far as time
//                  can pass; it stops early where an action is owed, or where a property breaks
//   until T        let time pass until tick T, or until a clock time (`until 03:00`) in a spec
//                  whose time 0 is midnight
//   back           undo the last command (a step, or a whole wait); `u` too
//   goto STEP      return to step STEP of the history (forward again too, until a new step is
//                  taken there)
//   s              the whole state
//   help           these commands
//   q              stop
// Where a step breaks one of the spec's properties that a run can break (solver/property_watch.h)
// it says so. At the end the run so far is printed as a trace. Exit code: 0, or 1 when the run
// shown breaks a property, 3 when --timeout (or Ctrl-C) ended the session.
#pragma once

#include <istream>
#include <ostream>

#include "cli/options.h"

namespace interlock {

int run_interactive(const Options& options, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace interlock

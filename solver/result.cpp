#include "solver/result.h"

namespace interlock {

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::Holds: return "holds";
    case Verdict::Violated: return "violated";
    case Verdict::Unknown: return "unknown";
    case Verdict::ModelError: return "model error";
  }
  return "?";
}

int exit_code(Verdict v) {
  switch (v) {
    case Verdict::Holds: return 0;
    case Verdict::Violated: return 1;
    case Verdict::ModelError: return 2;
    case Verdict::Unknown: return 3;
  }
  return 3;
}

}  // namespace interlock

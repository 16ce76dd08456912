// `interlock lint SPEC --format sarif`: lint's warnings as a SARIF 2.1.0 log, the format code
// review tools and editors read (a rule per kind of warning, a result per warning with its place
// in the spec).
#pragma once

#include <string>

#include "solver/lint/lint.h"

namespace interlock {

std::string lint_sarif(const std::string& spec, const LintReport& report);

}  // namespace interlock

// Recursive-descent parser for .sched files. On a syntax error it records a located diagnostic
// and skips to the next ';' or '}' so that one run reports several errors.
#pragma once

#include "model/ast.h"
#include "model/lexer.h"

namespace interlock {

ast::Spec parse(const SourceFile& file, Diagnostics& diags);

}  // namespace interlock

// Why a model cannot be exported: a place in the spec (line 0 when there is none) and a message.
// The command line renders it as a located diagnostic (file:line:col: error: ...), exit code 2.
#pragma once

#include <stdexcept>
#include <string>

#include "model/diagnostics.h"

namespace interlock {

class ExportError : public std::runtime_error {
 public:
  ExportError(SourceLoc loc, const std::string& message) : std::runtime_error(message), loc_(loc) {}
  SourceLoc loc() const { return loc_; }

 private:
  SourceLoc loc_;
};

}  // namespace interlock

// The commands behind the command line. Each returns the process exit code.
#pragma once

#include <istream>
#include <ostream>

#include "cli/options.h"
#include "model/model.h"

namespace interlock {

int run_check(const Options& options, std::ostream& out, std::ostream& err);
// The indexes of the named properties; InputError (listing the spec's properties) for a name
// the spec does not declare.
std::vector<int> property_indexes(const Model& model, const std::vector<std::string>& names, const std::string& spec);
int run_graph(const Options& options, std::ostream& out, std::ostream& err);
// Parses args and runs; every error is caught here and becomes a message and exit code. `in` is
// read only by `simulate --interactive`.
int run_command_line(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);
int run_command_line(const std::vector<std::string>& args, std::istream& in, std::ostream& out, std::ostream& err);

}  // namespace interlock

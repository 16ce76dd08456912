#include "solver/run_context.h"

#include <sys/resource.h>

#include <ostream>

namespace interlock {

void RunContext::print_progress(const std::string& line) { *progress_ << "[" << static_cast<int>(elapsed()) << "s] " << line << std::endl; }

uint64_t peak_rss_bytes() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<uint64_t>(usage.ru_maxrss) * 1024;  // Linux reports kilobytes
}

}  // namespace interlock

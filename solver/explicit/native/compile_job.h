// One compile of generated source into a shared library, in a private folder of the cache
// (cache_folder.h) that also serves as the compiler's temporary folder. The compiler runs as a
// child process in a process group of its own, so abandoning the compile kills it and every
// process it started, and then its folder, temporary files and all, is removed.
#pragma once

#include <sys/types.h>

#include <string>

#include "solver/explicit/native/cache_folder.h"
#include "solver/explicit/native/unique_fd.h"

namespace interlock {

class CompileJob {
 public:
  // Starts `compiler` with `flags` on `source`, in a new folder of the cache folder `cache_fd`
  // (which must outlive the job). If it cannot start, ended() at once, with why() set.
  CompileJob(int cache_fd, const std::string& compiler, const std::string& flags, const std::string& source);
  ~CompileJob();  // kills a compiler still running, and removes the folder
  CompileJob(const CompileJob&) = delete;
  CompileJob& operator=(const CompileJob&) = delete;

  // Has the compile ended? Never blocks.
  bool ended();
  // Waits for the compile to end.
  void wait();
  // After it ended: the compiled library, opened (and made private and durable), or an invalid
  // descriptor with why() set.
  UniqueFd library();
  // Moves the library into the cache folder as `name` (replacing what was there).
  bool move_library(const std::string& name);
  const std::string& why() const { return why_; }

 private:
  void finish(int status);

  int cache_fd_;
  std::string compiler_;
  CompileFolder folder_;
  pid_t child_ = -1;  // also its process group
  bool ended_ = false;
  bool succeeded_ = false;
  std::string why_;
};

}  // namespace interlock

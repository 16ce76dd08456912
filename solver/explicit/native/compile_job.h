// One compile of generated source into a shared library, in a private folder of the cache
// (cache_folder.h) that also serves as the compiler's temporary folder. The compile runs as a
// child process (a shell that runs the compiler and then puts the library into the cache under
// its name, mode 0600 and synced, and removes its folder), in a process group of its own, so
// abandoning the compile kills it and every process it started, and then its folder, temporary
// files and all, is removed. A compile left to finish on its own (background_compiles.h) puts
// its library into the cache whether or not the process that started it is still there.
#pragma once

#include <sys/types.h>

#include <string>

#include "solver/explicit/native/cache_folder.h"
#include "solver/explicit/native/unique_fd.h"

namespace interlock {

class CompileJob {
 public:
  // Starts `compiler` with `flags` on `source`, in a new folder of the cache folder `cache_fd`,
  // for the library `library_name` there. If it cannot start, ended() at once, with why() set.
  CompileJob(int cache_fd, const std::string& compiler, const std::string& flags, const std::string& source,
             const std::string& library_name);
  ~CompileJob();  // kills a compiler still running, and removes the folder
  CompileJob(const CompileJob&) = delete;
  CompileJob& operator=(const CompileJob&) = delete;

  // Has the compile ended? Never blocks.
  bool ended();
  // Waits for the compile to end.
  void wait();
  // After it ended: the compiled library, opened from the cache folder, or an invalid descriptor
  // with why() set.
  UniqueFd library();
  const std::string& why() const { return why_; }
  // Says to the child process that nobody will wait for it: it removes its folder even after a
  // failure.
  void mark_left();

 private:
  void finish(int status);

  UniqueFd cache_;  // a descriptor of its own: the job may outlive who started it
  std::string compiler_;
  std::string library_name_;
  CompileFolder folder_;
  pid_t child_ = -1;  // also its process group
  bool ended_ = false;
  bool succeeded_ = false;
  std::string why_;
};

// Kills every compile of this process that may still run, left to finish ones too: for a process
// that ends at once (a second Ctrl-C, the memory backstop), where no destructor runs. Only
// kill(2): safe in a signal handler. Their folders stay for remove_abandoned_compile_folders.
void kill_running_compiles();

}  // namespace interlock

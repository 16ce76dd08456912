#include "solver/explicit/native/background_compiles.h"

#include <atomic>
#include <mutex>
#include <utility>

namespace interlock {
namespace {

std::atomic<bool> allowed{false};

struct Left {
  std::mutex mutex;
  std::unique_ptr<CompileJob> job;
};

// Never destroyed: destroying a job that still runs would kill it at the process's exit.
Left& left() {
  static Left* const jobs = new Left;
  return *jobs;
}

}  // namespace

void allow_background_compiles(bool allow) { allowed = allow; }

void leave_to_finish(std::unique_ptr<CompileJob>& job) {
  if (!allowed || !job) return;
  Left& jobs = left();
  std::lock_guard<std::mutex> lock(jobs.mutex);
  if (jobs.job && !jobs.job->ended()) return;
  job->mark_left();
  jobs.job = std::move(job);  // the one left before, ended, is reaped and its folder removed
}

}  // namespace interlock

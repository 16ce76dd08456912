#include "solver/explicit/native/native_code.h"

#include <fcntl.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "solver/explicit/native/background_compiles.h"
#include "solver/explicit/native/cache_folder.h"
#include "solver/explicit/native/cache_trim.h"
#include "solver/explicit/native/sha256.h"

namespace interlock {
namespace {

#ifndef INTERLOCK_NATIVE_CXX
#define INTERLOCK_NATIVE_CXX "c++"
#endif
#ifndef INTERLOCK_VERSION
#define INTERLOCK_VERSION "unknown"
#endif

// -O2 compiles a third slower and, measured on the benchmark, runs no faster.
const char* kOptimise = "-O1";

std::string compiler() {
  const char* env = std::getenv("INTERLOCK_CXX");
  return env && *env ? env : INTERLOCK_NATIVE_CXX;
}

}  // namespace

NativeCode::NativeCode(std::string source, bool compile_if_missing) {
  const std::string cxx = compiler();
  // Everything the library depends on: interlock (and the compiler it was built with, whose
  // layout rules the generated code assumes), the compiler, its flags, the source.
  const std::string digest = sha256_hex(std::string("interlock native library\n") + INTERLOCK_VERSION + "\n" +
                                        __VERSION__ + "\n" + cxx + "\n" + kOptimise + "\n" + kNativeEntry + "\n" + source);
  binding_ = "interlock-native-binding-v1:" + digest;
  library_name_ = digest + ".so";

  uint64_t limit = 0;
  if (!cache_limit_bytes(limit, why_)) return;
  folder_ = open_cache_folder(cache_folder_path(), why_);
  if (!folder_) return;

  UniqueFd cached(openat(folder_.get(), library_name_.c_str(), O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
  if (cached || errno != ENOENT) {
    if (!cached) rebuilt_because_ = std::string("cannot be opened: ") + std::strerror(errno);
    else {
      mark_library_used(cached.get());
      library_ = NativeLibrary::load(std::move(cached), binding_, rebuilt_because_);
    }
    if (library_) return;
  }
  if (!compile_if_missing) return;
  // Here, not on every run: each reads the whole folder, and a run that finds its library should
  // cost the same however many others there are.
  remove_abandoned_compile_folders(folder_.get());
  trim_cache(folder_.get(), limit);
  source += "\nextern \"C\" const char " + std::string(kNativeBindingSymbol) + "[] = \"" + binding_ + "\";\n";
  job_ = std::make_unique<CompileJob>(folder_.get(), cxx, kOptimise, source, library_name_);
  if (job_->ended()) finish();
}

NativeCode::~NativeCode() = default;  // the job kills its compiler; the library is unloaded

bool NativeCode::ready() {
  if (!job_) return true;
  if (!job_->ended()) return false;
  finish();
  return true;
}

void NativeCode::wait() {
  if (!job_) return;
  job_->wait();
  finish();
}

void NativeCode::finish() {
  // Another process of this user may have put the same library there meanwhile: either will do.
  UniqueFd library = job_->library();
  if (!library) why_ = job_->why();
  else library_ = NativeLibrary::load(std::move(library), binding_, why_);
  job_.reset();
}

void NativeCode::finish_compile_in_background() {
  if (job_ && !job_->ended()) leave_to_finish(job_);
}

}  // namespace interlock

// Compiles generated source (solver/explicit/native/codegen.h) with the C++ compiler interlock was
// built with, and loads it. Compiled libraries are kept in a cache folder (cache_folder.h), each
// named by, and carrying, the SHA-256 of what it was built from (the source, the compiler and its
// flags, interlock's version), so a model checked again loads at once. A library found there is
// loaded only if it passes every check (library_check.h); otherwise it is built again. Compiling
// runs as a child process that can be waited for or abandoned (killed), so a search never has to
// wait for it (compile_job.h).
//
// The compiler is $INTERLOCK_CXX, else the one interlock was built with; the cache folder is
// $INTERLOCK_CACHE, else $XDG_CACHE_HOME/interlock, else ~/.cache/interlock, else
// interlock-cache-UID in the temporary folder, kept to $INTERLOCK_CACHE_MB megabytes (cache_trim.h).
#pragma once

#include <memory>
#include <string>

#include "solver/explicit/native/codegen.h"
#include "solver/explicit/native/compile_job.h"
#include "solver/explicit/native/native_library.h"
#include "solver/explicit/native/unique_fd.h"

namespace interlock {

class NativeCode {
 public:
  // Starts compiling `source` unless the cache has it (then it is loaded at once). With
  // `compile_if_missing` false, only the cache is looked in: ready() at once, and successors() is
  // null when the cache had no library for this source (why() is then empty).
  explicit NativeCode(std::string source, bool compile_if_missing = true);
  ~NativeCode();  // kills a compile still running
  NativeCode(const NativeCode&) = delete;
  NativeCode& operator=(const NativeCode&) = delete;

  // Once the compile has ended (true), successors() is the loaded function, or null when
  // something failed (why() says what). Never blocks.
  bool ready();
  // Waits for the compile to end.
  void wait();
  // A compile still running is left to finish and put its library into the cache for later runs,
  // where the process allows it (background_compiles.h); otherwise it is killed with this object.
  void finish_compile_in_background();
  NativeSuccessorsFn successors() const { return library_ ? library_->successors() : nullptr; }
  const std::string& why() const { return why_; }
  // Why a library found in the cache for this source was not used but built again ("" if none was).
  const std::string& rebuilt_because() const { return rebuilt_because_; }

 private:
  void finish();

  std::string binding_;       // what the library must carry: kNativeBindingSymbol's value
  std::string library_name_;  // its name in the cache folder
  UniqueFd folder_;           // the cache folder, checked
  std::unique_ptr<CompileJob> job_;
  std::unique_ptr<NativeLibrary> library_;
  std::string why_;
  std::string rebuilt_because_;
};

}  // namespace interlock

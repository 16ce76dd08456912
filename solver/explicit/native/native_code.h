// Compiles generated source (solver/explicit/native/codegen.h) with the C++ compiler interlock was built
// with, and loads it. Compiled objects are kept in a cache folder under the source's hash, so a
// model checked again loads at once. Compiling runs as a child process that can be waited for
// or abandoned (killed), so a search never has to wait for it.
//
// The compiler is $INTERLOCK_CXX, else the one interlock was built with; the cache folder is
// $INTERLOCK_CACHE, else $XDG_CACHE_HOME/interlock, else ~/.cache/interlock.
#pragma once

#include <sys/types.h>

#include <string>

#include "solver/explicit/native/codegen.h"

namespace interlock {

class NativeCode {
 public:
  // Starts compiling `source` unless the cache has it (then it is loaded at once).
  explicit NativeCode(std::string source);
  ~NativeCode();  // kills a compile still running
  NativeCode(const NativeCode&) = delete;
  NativeCode& operator=(const NativeCode&) = delete;

  // Once the compile has ended (true), successors() is the loaded function, or null when
  // something failed (why() says what). Never blocks.
  bool ready();
  // Waits for the compile to end.
  void wait();
  NativeSuccessorsFn successors() const { return fn_; }
  const std::string& why() const { return why_; }

 private:
  void finish(int status);
  void load();

  std::string source_;
  std::string object_;  // the compiled shared object's path
  std::string tmp_object_;  // where the compiler writes it, moved to object_ when complete
  std::string log_;     // the compiler's messages
  pid_t child_ = -1;
  bool done_ = false;
  void* handle_ = nullptr;
  NativeSuccessorsFn fn_ = nullptr;
  std::string why_;
};

}  // namespace interlock

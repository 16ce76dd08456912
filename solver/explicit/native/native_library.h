// A compiled library loaded from an open file that passed library_problem: loaded through
// /proc/self/fd/N, so what was checked is what is loaded (no path is looked up again), and used
// only once the binding it exports equals the expected one.
#pragma once

#include <memory>
#include <string>

#include "solver/explicit/native/codegen.h"
#include "solver/explicit/native/unique_fd.h"

namespace interlock {

// The string a library exports as kNativeBindingSymbol: "interlock-native-binding-v1:<digest>".
inline constexpr const char* kNativeBindingSymbol = "interlock_native_binding_v1";

class NativeLibrary {
 public:
  // Checks the library open as `fd`, loads it and checks its binding: null, with `why` set, if
  // any of that fails (then nothing of it is left loaded).
  static std::unique_ptr<NativeLibrary> load(UniqueFd fd, const std::string& binding, std::string& why);
  ~NativeLibrary();
  NativeLibrary(const NativeLibrary&) = delete;
  NativeLibrary& operator=(const NativeLibrary&) = delete;

  NativeSuccessorsFn successors() const { return successors_; }

 private:
  NativeLibrary() = default;

  UniqueFd fd_;  // kept open while loaded: its number names the library in the loader
  void* handle_ = nullptr;
  NativeSuccessorsFn successors_ = nullptr;
};

}  // namespace interlock

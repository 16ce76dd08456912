#include "solver/explicit/native/native_library.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <link.h>

#include <cstring>
#include <set>
#include <vector>

#include "solver/explicit/native/library_check.h"

namespace interlock {
namespace {

std::string fd_path(int fd) { return "/proc/self/fd/" + std::to_string(fd); }

int add_loaded_name(dl_phdr_info* info, std::size_t, void* names) {
  if (info->dlpi_name) static_cast<std::set<std::string>*>(names)->insert(info->dlpi_name);
  return 0;
}

// The loader hands back an object already loaded under the same name without opening the file,
// and a library loaded under /proc/self/fd/N keeps that name after the descriptor is closed
// (when another NativeLibrary loaded the same file too): so the descriptor is moved to a number
// whose name no loaded object has.
bool give_unused_name(UniqueFd& fd) {
  std::set<std::string> loaded;
  dl_iterate_phdr(add_loaded_name, &loaded);
  std::vector<UniqueFd> taken;  // held open until a free number is found, so each try is new
  for (int attempt = 0; attempt < 64; ++attempt) {
    if (!loaded.count(fd_path(fd.get()))) return true;
    UniqueFd next(fcntl(fd.get(), F_DUPFD_CLOEXEC, 0));
    if (!next) return false;
    taken.push_back(std::move(fd));
    fd = std::move(next);
  }
  return false;
}

}  // namespace

std::unique_ptr<NativeLibrary> NativeLibrary::load(UniqueFd fd, const std::string& binding, std::string& why) {
  if (std::string problem = library_problem(fd.get(), binding); !problem.empty()) {
    why = "the compiled library " + problem;
    return nullptr;
  }
  if (!give_unused_name(fd)) {
    why = "no name to load the compiled library under";
    return nullptr;
  }
  std::unique_ptr<NativeLibrary> library(new NativeLibrary);
  library->fd_ = std::move(fd);
  library->handle_ = dlopen(fd_path(library->fd_.get()).c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!library->handle_) {
    const char* error = dlerror();
    why = std::string("cannot load the compiled library: ") + (error ? error : "unknown error");
    return nullptr;
  }
  const auto* found = static_cast<const char*>(dlsym(library->handle_, kNativeBindingSymbol));
  if (!found || std::strncmp(found, binding.c_str(), binding.size() + 1) != 0) {
    why = "the compiled library was built from another source, compiler or interlock";
    return nullptr;
  }
  library->successors_ = reinterpret_cast<NativeSuccessorsFn>(dlsym(library->handle_, kNativeEntry));
  if (!library->successors_) {
    why = "the compiled library has no entry point";
    return nullptr;
  }
  return library;
}

NativeLibrary::~NativeLibrary() {
  if (handle_) dlclose(handle_);
  // fd_ is closed after: its name may not be reused while the library is loaded under it.
}

}  // namespace interlock

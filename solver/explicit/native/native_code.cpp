#include "solver/explicit/native/native_code.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

extern char** environ;

namespace interlock {
namespace {

namespace fs = std::filesystem;

#ifndef INTERLOCK_NATIVE_CXX
#define INTERLOCK_NATIVE_CXX "c++"
#endif

// -O2 compiles a third slower and, measured on the benchmark, runs no faster.
const char* kOptimise = "-O1";

std::string compiler() {
  const char* env = std::getenv("INTERLOCK_CXX");
  return env && *env ? env : INTERLOCK_NATIVE_CXX;
}

fs::path cache_folder() {
  if (const char* env = std::getenv("INTERLOCK_CACHE"); env && *env) return env;
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return fs::path(xdg) / "interlock";
  if (const char* home = std::getenv("HOME"); home && *home) return fs::path(home) / ".cache" / "interlock";
  return fs::temp_directory_path() / ("interlock-cache-" + std::to_string(getuid()));
}

std::string hex_hash(const std::string& text) {
  uint64_t h = 0xcbf29ce484222325ull;  // FNV-1a
  for (unsigned char c : text) h = (h ^ c) * 0x100000001b3ull;
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

NativeCode::NativeCode(std::string source) : source_(std::move(source)) {
  const std::string cxx = compiler();
  std::error_code ec;
  const fs::path dir = cache_folder();
  if (fs::create_directories(dir, ec)) fs::permissions(dir, fs::perms::owner_all, ec);  // a new one: private
  if (ec) {
    why_ = "cannot create the cache folder " + dir.string() + ": " + ec.message();
    done_ = true;
    return;
  }
  // Code is loaded from there: a folder someone else owns or may write to is not used.
  struct stat info;
  if (stat(dir.c_str(), &info) != 0 || info.st_uid != geteuid() || (info.st_mode & (S_IWGRP | S_IWOTH)) != 0) {
    why_ = "the cache folder " + dir.string() + " is not the user's own (set INTERLOCK_CACHE to one that is)";
    done_ = true;
    return;
  }
  const std::string name = hex_hash(cxx + "\n" + kOptimise + "\n" + source_);
  const fs::path src = dir / (name + ".cpp");
  object_ = (dir / (name + ".so")).string();
  // A cached object is used only if it was built from this very source (a hash can collide).
  if (fs::exists(object_, ec) && read_all(src) == source_) {
    done_ = true;
    load();
    return;
  }
  const std::string unique = "." + std::to_string(getpid()) + "." + std::to_string(reinterpret_cast<uintptr_t>(this));
  const fs::path src_tmp = dir / (name + unique + ".cpp");
  {
    std::ofstream out(src_tmp, std::ios::binary);
    out << source_;
    if (!out) {
      why_ = "cannot write " + src_tmp.string();
      done_ = true;
      return;
    }
  }
  fs::rename(src_tmp, src, ec);
  tmp_object_ = object_ + unique;
  log_ = (dir / (name + unique + ".log")).string();
  std::vector<std::string> args{cxx, kOptimise, "-shared", "-fPIC", "-o", tmp_object_, src.string()};
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&actions, STDOUT_FILENO, STDERR_FILENO);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    why_ = "cannot run the compiler " + cxx;
    done_ = true;
    return;
  }
  child_ = pid;
}

NativeCode::~NativeCode() {
  if (child_ > 0 && !done_) {
    kill(child_, SIGKILL);
    int status = 0;
    waitpid(child_, &status, 0);
    std::error_code ec;
    fs::remove(tmp_object_, ec);
  }
  if (!log_.empty()) {
    std::error_code ec;
    fs::remove(log_, ec);
  }
  if (handle_) dlclose(handle_);
}

bool NativeCode::ready() {
  if (done_) return true;
  int status = 0;
  const pid_t r = waitpid(child_, &status, WNOHANG);
  if (r == 0) return false;
  finish(r == child_ ? status : -1);
  return true;
}

void NativeCode::wait() {
  if (done_) return;
  int status = 0;
  const pid_t r = waitpid(child_, &status, 0);
  finish(r == child_ ? status : -1);
}

void NativeCode::finish(int status) {
  done_ = true;
  if (status == -1 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string first_line = read_all(log_);
    first_line = first_line.substr(0, first_line.find('\n'));
    why_ = "the compiler " + compiler() + " failed" + (first_line.empty() ? "" : ": " + first_line);
    std::error_code ec;
    fs::remove(tmp_object_, ec);
    return;
  }
  std::error_code ec;
  fs::rename(tmp_object_, object_, ec);  // atomic: another process may use the object already
  if (ec) {
    why_ = "cannot move the compiled object into the cache: " + ec.message();
    return;
  }
  load();
}

void NativeCode::load() {
  handle_ = dlopen(object_.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle_) {
    why_ = std::string("cannot load the compiled object: ") + dlerror();
    return;
  }
  fn_ = reinterpret_cast<NativeSuccessorsFn>(dlsym(handle_, kNativeEntry));
  if (!fn_) why_ = "the compiled object has no entry point";
}

}  // namespace interlock

// The folder where compiled libraries are kept, and the private folders compiles run in. Code is
// loaded from there, so no other user may be able to change what interlock finds in it: the
// folder is opened once, without following a link, checked on the open descriptor (a folder,
// this user's, not writable by anyone else), and from then on everything is done relative to
// that descriptor, so swapping what the path leads to changes nothing. The threat model is in
// docs/engines.md ("Native code").
#pragma once

#include <sys/types.h>

#include <filesystem>
#include <string>
#include <vector>

#include "solver/explicit/native/unique_fd.h"

namespace interlock {

// $INTERLOCK_CACHE, else $XDG_CACHE_HOME/interlock, else $HOME/.cache/interlock, else
// interlock-cache-UID in the temporary folder ($TMPDIR, else /tmp).
std::filesystem::path cache_folder_path();

// Opens the folder `path`, creating it (mode 0700, and its missing parents too) if it is
// missing. An invalid descriptor, with `why` set, if it cannot be opened or fails a check.
UniqueFd open_cache_folder(const std::filesystem::path& path, std::string& why);

// What is wrong with the open folder `fd` for keeping code in ("" if nothing): not a folder,
// another user's, or writable by others.
std::string folder_problem(int fd);

// What is wrong with the filesystem of the open folder `fd` ("" if nothing): a FUSE filesystem
// reports whatever owner and mode its server likes, so one that another user mounted (possible
// with allow_other) is not trusted.
std::string mount_problem(int fd);
// The same for the line of /proc/self/mountinfo that describes that filesystem.
std::string fuse_mount_problem(const std::string& mountinfo_line, uid_t user);

// The names in the open folder `fd` but "." and ".." (its descriptor is left open).
std::vector<std::string> names_in_folder(int fd);

// A fresh folder "job-<random>" in the cache folder for one compile: it holds the source, the
// compiler's output, its messages ("log", kept locked while the compile may run) and the
// compiler's own temporary files.
struct CompileFolder {
  std::string name;
  UniqueFd fd;
  UniqueFd log;  // open for reading and writing, locked (flock)
};
// False, with `why` set, if it could not be made.
bool create_compile_folder(int cache_fd, CompileFolder& folder, std::string& why);
// Removes the folder `name` in `cache_fd` and what is in it (one level: compilers make no
// subfolders). False if something was left.
bool remove_compile_folder(int cache_fd, const std::string& name);

// Removes the compile folders whose process has ended without removing them (killed, or a
// crash): those whose log nobody holds locked any more and that have not changed for a minute.
void remove_abandoned_compile_folders(int cache_fd);

}  // namespace interlock

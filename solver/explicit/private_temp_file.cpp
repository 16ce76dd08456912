#include "solver/explicit/private_temp_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <vector>

namespace interlock {

std::string temp_folder() {
  const char* dir = std::getenv("TMPDIR");
  return dir && *dir ? dir : "/tmp";
}

int open_private_temp_file(const std::string& folder, std::string& why) {
  // O_EXCL with O_TMPFILE: the file can never be given a name (linkat) later either.
  int fd = open(folder.c_str(), O_TMPFILE | O_RDWR | O_EXCL | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  // Filesystems (and kernels) without O_TMPFILE say so with one of these; anything else (no such
  // folder, no permission) mkostemp would meet too.
  if (errno != EOPNOTSUPP && errno != EISDIR && errno != EINVAL) {
    why = "cannot create a temporary file in " + folder + ": " + std::strerror(errno);
    return -1;
  }
  std::string path = folder + "/interlock-parents-XXXXXX";
  std::vector<char> name(path.begin(), path.end());
  name.push_back('\0');
  fd = mkostemp(name.data(), O_CLOEXEC);
  if (fd < 0) {
    why = "cannot create a temporary file in " + folder + ": " + std::strerror(errno);
    return -1;
  }
  if (unlink(name.data()) != 0) {  // the file would stay behind after the run, readable by its name
    why = std::string("cannot remove the name of the temporary file ") + name.data() + ": " + std::strerror(errno);
    close(fd);
    return -1;
  }
  return fd;
}

}  // namespace interlock

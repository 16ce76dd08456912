#include "model/input_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "model/diagnostics.h"

namespace interlock {

namespace {

const char* kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  return "not a regular file";
}

std::string size_text(std::size_t bytes) {
  if (bytes % (1u << 20) == 0) return std::to_string(bytes >> 20) + " MiB";
  return std::to_string(bytes) + " bytes";
}

// Closes the descriptor on every way out.
struct Descriptor {
  int fd;
  ~Descriptor() {
    if (fd >= 0) close(fd);
  }
};

}  // namespace

std::string read_input_file(const std::string& path, const std::string& what, std::size_t max_bytes) {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
  Descriptor file{open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)};
  if (file.fd < 0) throw InputError(path + ": error: cannot open the " + what + " (" + std::strerror(errno) + ")\n");
  struct stat info{};
  if (fstat(file.fd, &info) != 0) throw InputError(path + ": error: cannot read the " + what + " (" + std::strerror(errno) + ")\n");
  if (!S_ISREG(info.st_mode))
    throw InputError(path + ": error: this is " + std::string(kind_of(info.st_mode)) + ", not a " + what + " (a regular file)\n");
  if (static_cast<std::size_t>(info.st_size) > max_bytes)
    throw InputError(path + ": error: the " + what + " is larger than " + size_text(max_bytes) + "\n");
  std::string text;
  // One byte more than the file's size (and at most than the limit): a file that grew since
  // fstat is still read whole, or caught.
  text.resize(std::min<std::size_t>(static_cast<std::size_t>(info.st_size), max_bytes) + 1);
  std::size_t used = 0;
  for (;;) {
    if (used == text.size()) {
      if (used > max_bytes) break;
      text.resize(std::min(2 * text.size(), max_bytes + 1));
    }
    const ssize_t n = read(file.fd, text.data() + used, text.size() - used);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw InputError(path + ": error: cannot read the " + what + " (" + std::strerror(errno) + ")\n");
    if (n == 0) break;
    used += static_cast<std::size_t>(n);
  }
  if (used > max_bytes) throw InputError(path + ": error: the " + what + " is larger than " + size_text(max_bytes) + "\n");
  text.resize(used);
  return text;
}

}  // namespace interlock

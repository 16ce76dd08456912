#include "solver/explicit/parent_links.h"

#include <sys/vfs.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <limits>
#include <stdexcept>

#include "solver/explicit/private_temp_file.h"

namespace interlock {
namespace {
constexpr long kTmpfsMagic = 0x01021994;  // TMPFS_MAGIC and RAMFS_MAGIC (linux/magic.h)
constexpr long kRamfsMagic = static_cast<long>(0x858458f6);
constexpr std::size_t kNever = std::numeric_limits<std::size_t>::max();
}  // namespace

ParentLinks::ParentLinks(std::string folder, std::size_t buffer_links)
    : folder_(folder.empty() ? temp_folder() : std::move(folder)), buffer_links_(buffer_links), write_at_(buffer_links) {
  struct statfs fs;
  if (statfs(folder_.c_str(), &fs) == 0 && (fs.f_type == kTmpfsMagic || fs.f_type == kRamfsMagic))
    keep_in_memory(folder_ + " is in memory (tmpfs): set TMPDIR to a folder on disk to keep them out of it");
}

ParentLinks::~ParentLinks() {
  if (fd_ >= 0) close(fd_);
}

void ParentLinks::keep_in_memory(std::string why) {
  note_ = std::move(why);
  write_at_ = kNever;
}

void ParentLinks::write_out() {
  if (fd_ < 0) {
    std::string why;
    fd_ = open_private_temp_file(folder_, why);
    if (fd_ < 0) return keep_in_memory(why);
  }
  const auto* bytes = reinterpret_cast<const char*>(buffer_.data());
  const std::size_t total = buffer_.size() * sizeof(uint32_t);
  for (std::size_t done = 0; done < total;) {
    const ssize_t n = pwrite(fd_, bytes + done, total - done, static_cast<off_t>(file_bytes() + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)  // nothing counts as written: the links stay in the buffer, which grows from now on
      return keep_in_memory(std::string("writing the temporary file in ") + folder_ + " failed: " +
                            (n < 0 ? std::strerror(errno) : "no room"));
    done += static_cast<std::size_t>(n);
  }
  written_ += buffer_.size();
  buffer_.clear();
}

void ParentLinks::resize(uint64_t n) {
  if (n < written_) {  // the file's tail is written over later; its disk space is given back now
    written_ = n;
    buffer_.clear();
    if (fd_ >= 0) (void)ftruncate(fd_, static_cast<off_t>(file_bytes()));
    return;
  }
  if (n > size() && buffer_.size() >= write_at_) write_out();
  buffer_.resize(static_cast<std::size_t>(n - written_));
}

uint32_t ParentLinks::operator[](uint64_t index) const {
  if (index >= written_) return buffer_[static_cast<std::size_t>(index - written_)];
  uint32_t parent = 0;
  for (;;) {
    const ssize_t n = pread(fd_, &parent, sizeof parent, static_cast<off_t>(index * sizeof parent));
    if (n == static_cast<ssize_t>(sizeof parent)) return parent;
    if (n < 0 && errno == EINTR) continue;
    throw std::runtime_error("cannot read the parent links back from the temporary file in " + folder_ + ": " +
                             (n < 0 ? std::strerror(errno) : "it is shorter than written"));
  }
}

uint64_t ParentLinks::memory_bytes_at(uint64_t n) const {
  // As the buffer fills: up to its size while the file takes the rest; every link not written
  // out once they are kept in memory.
  const uint64_t in_memory = write_at_ == kNever ? n - std::min(n, written_) : std::min<uint64_t>(n, buffer_links_);
  return in_memory * sizeof(uint32_t);
}

}  // namespace interlock

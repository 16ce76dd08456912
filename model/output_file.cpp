#include "model/output_file.h"

#include <ext/stdio_filebuf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <sstream>

#include "model/diagnostics.h"

namespace interlock {

namespace fs = std::filesystem;

namespace {

std::string mode_text(mode_t mode) {
  std::ostringstream out;
  out << std::oct << (mode & 07777);
  return "0" + out.str();
}

// Why interlock does not write into this folder, or "".
std::string folder_problem(const struct stat& info) {
  if (!S_ISDIR(info.st_mode)) return "it is not a folder";
  if (info.st_uid != geteuid() && info.st_uid != 0)
    return "it belongs to another user (uid " + std::to_string(info.st_uid) + "), who could put a link to another file there";
  if ((info.st_mode & S_IWOTH) != 0 && (info.st_mode & S_ISVTX) == 0)
    return "every user may write into it (mode " + mode_text(info.st_mode) + ", not sticky), and so put a link to another file there";
  return "";
}

std::string folder_problem(const fs::path& folder) {
  struct stat info {};
  if (::stat(folder.c_str(), &info) != 0) return std::strerror(errno);
  return folder_problem(info);
}

fs::path folder_of(const std::string& path) {
  const fs::path parent = fs::path(path).parent_path();
  return parent.empty() ? fs::path(".") : parent;
}

}  // namespace

void prepare_output_folder(const std::string& folder) {
  struct stat info {};
  if (::lstat(folder.c_str(), &info) != 0 && errno == ENOENT) {
    const fs::path parent = folder_of(fs::path(folder).lexically_normal().string());
    if (parent != fs::path(folder)) prepare_output_folder(parent.string());
    if (::mkdir(folder.c_str(), 0777) != 0 && errno != EEXIST)
      throw InputError(folder + ": error: cannot create the folder: " + std::strerror(errno) + "\n");
  }
  const std::string problem = folder_problem(fs::path(folder));
  if (!problem.empty()) throw InputError(folder + ": error: interlock does not write into this folder: " + problem + "\n");
}

struct OutputFile::Open {
  explicit Open(int fd) : buffer(fd, std::ios::out), stream(&buffer) {}
  __gnu_cxx::stdio_filebuf<char> buffer;  // owns the descriptor
  std::ostream stream;
};

OutputFile::OutputFile(const std::string& path, const std::string& what) : path_(path), what_(what) {
  const std::string cannot = path + ": error: cannot write " + what + " here: ";
  const fs::path folder = folder_of(path);
  if (const std::string problem = folder_problem(folder); !problem.empty())
    throw InputError(cannot + "its folder " + folder.string() + ": " + problem + "\n");
  // O_NOFOLLOW: a link at the path is refused, not followed; O_NONBLOCK: a FIFO without a reader
  // is refused (ENXIO) instead of waiting for one.
  const int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0666);
  if (fd < 0) {
    if (errno == ELOOP) throw InputError(cannot + "it is a symbolic link, which interlock does not write through (name the file it points to)\n");
    if (errno == ENXIO) throw InputError(cannot + "it is a FIFO, not a file\n");
    throw InputError(cannot + std::strerror(errno) + "\n");
  }
  struct stat info {};
  std::string problem;
  if (::fstat(fd, &info) != 0) problem = std::strerror(errno);
  else if (!S_ISREG(info.st_mode)) problem = "it is not a regular file";
  else if (info.st_uid != geteuid()) problem = "it belongs to another user (uid " + std::to_string(info.st_uid) + "), who could read it";
  else if (::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK) != 0 || ::ftruncate(fd, 0) != 0) problem = std::strerror(errno);
  if (!problem.empty()) {
    ::close(fd);
    throw InputError(cannot + problem + "\n");
  }
  open_ = std::make_unique<Open>(fd);
}

OutputFile::~OutputFile() = default;

std::ostream& OutputFile::stream() { return open_->stream; }

void OutputFile::close() {
  open_->stream.flush();
  const bool written = static_cast<bool>(open_->stream) && open_->buffer.close() != nullptr;
  open_.reset();
  if (!written) throw InputError(path_ + ": error: cannot write " + what_ + " here: the write failed\n");
}

void write_output_file(const std::string& path, const std::string& text, const std::string& what) {
  OutputFile file(path, what);
  file.stream() << text;
  file.close();
}

}  // namespace interlock

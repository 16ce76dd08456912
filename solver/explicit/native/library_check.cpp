#include "solver/explicit/native/library_check.h"

#include <elf.h>
#include <link.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

namespace interlock {
namespace {

// Far above a generated library (tens of KB), and a bound on what is read into memory.
constexpr off_t kMaxLibraryBytes = 64 << 20;

bool inside(uint64_t offset, uint64_t length, uint64_t size) { return offset <= size && length <= size - offset; }

template <class T>
T read_at(std::string_view bytes, uint64_t offset) {
  T value;
  std::memcpy(&value, bytes.data() + offset, sizeof value);
  return value;
}

}  // namespace

std::string elf_problem(std::string_view bytes) {
  using Header = ElfW(Ehdr);
  using Segment = ElfW(Phdr);
  using Section = ElfW(Shdr);
  const uint64_t size = bytes.size();
  if (size < sizeof(Header)) return "shorter than an ELF header";
  const auto header = read_at<Header>(bytes, 0);
  if (std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0) return "not an ELF file";
  if (header.e_ident[EI_CLASS] != (sizeof(void*) == 8 ? ELFCLASS64 : ELFCLASS32)) return "for another word size";
  if (header.e_ident[EI_DATA] != (__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ ? ELFDATA2LSB : ELFDATA2MSB))
    return "for another byte order";
  if (header.e_type != ET_DYN) return "not a shared library";
  if (header.e_phentsize != sizeof(Segment) || header.e_phnum == 0 ||
      !inside(header.e_phoff, uint64_t{header.e_phnum} * sizeof(Segment), size))
    return "its program headers are cut off";
  for (uint64_t i = 0; i < header.e_phnum; ++i) {
    const auto segment = read_at<Segment>(bytes, header.e_phoff + i * sizeof(Segment));
    if (!inside(segment.p_offset, segment.p_filesz, size)) return "a segment is cut off";
  }
  if (header.e_shnum != 0 && (header.e_shentsize != sizeof(Section) ||
                              !inside(header.e_shoff, uint64_t{header.e_shnum} * sizeof(Section), size)))
    return "its section headers are cut off";
  return "";
}

std::string library_problem(int fd, const std::string& binding) {
  struct stat info;
  if (fstat(fd, &info) != 0) return std::string("cannot be examined: ") + std::strerror(errno);
  if (!S_ISREG(info.st_mode)) return "is not a regular file";
  if (info.st_uid != geteuid()) return "belongs to another user (uid " + std::to_string(info.st_uid) + ")";
  if ((info.st_mode & (S_IWGRP | S_IWOTH)) != 0) return "may be written by other users";
  if (info.st_nlink != 1) return "has other names (hard links)";
  if (info.st_size > kMaxLibraryBytes) return "is too large";
  std::string bytes(static_cast<std::size_t>(info.st_size), '\0');
  std::size_t got = 0;
  while (got < bytes.size()) {
    const ssize_t n = pread(fd, bytes.data() + got, bytes.size() - got, static_cast<off_t>(got));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return "cannot be read whole";
    got += static_cast<std::size_t>(n);
  }
  if (std::string problem = elf_problem(bytes); !problem.empty()) return "is not a whole shared library (" + problem + ")";
  // The binding is a string constant in the library, with its terminating zero.
  if (bytes.find(std::string_view(binding.c_str(), binding.size() + 1)) == std::string::npos)
    return "was built from another source, compiler or interlock";
  return "";
}

}  // namespace interlock

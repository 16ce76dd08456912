#include "solver/explicit/native/cache_trim.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <ctime>
#include <tuple>
#include <vector>

#include "solver/explicit/native/cache_folder.h"

namespace interlock {
namespace {

constexpr uint64_t kMaxCacheMegabytes = uint64_t{1} << 20;  // a terabyte: past that, a typo
constexpr time_t kMarkUsedEverySeconds = 3600;

}  // namespace

bool cache_limit_bytes(uint64_t& bytes, std::string& why) {
  const char* text = std::getenv("INTERLOCK_CACHE_MB");
  uint64_t megabytes = kDefaultCacheMegabytes;
  if (text && *text) {  // set but empty counts as unset, as for the other variables
    const std::string value = text;
    const bool digits = !value.empty() && value.size() <= 7 && value.find_first_not_of("0123456789") == std::string::npos;
    megabytes = digits ? std::strtoull(value.c_str(), nullptr, 10) : 0;
    if (megabytes < 1 || megabytes > kMaxCacheMegabytes) {
      why = "INTERLOCK_CACHE_MB='" + value + "' is not a whole number of megabytes from 1 to " +
            std::to_string(kMaxCacheMegabytes);
      return false;
    }
  }
  bytes = megabytes << 20;
  return true;
}

bool is_library_name(const std::string& name) {
  constexpr std::size_t kDigits = 64;
  return name.size() == kDigits + 3 && name.compare(kDigits, 3, ".so") == 0 &&
         name.find_first_not_of("0123456789abcdef") == kDigits;
}

void mark_library_used(int library_fd) {
  struct stat info;
  if (fstat(library_fd, &info) == 0 && time(nullptr) - info.st_mtime >= kMarkUsedEverySeconds) futimens(library_fd, nullptr);
}

void trim_cache(int cache_fd, uint64_t limit) {
  struct Library {
    timespec used;
    uint64_t bytes;
    std::string name;
  };
  std::vector<Library> libraries;
  uint64_t total = 0;
  for (std::string& name : names_in_folder(cache_fd)) {
    struct stat info;
    if (!is_library_name(name) || fstatat(cache_fd, name.c_str(), &info, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(info.st_mode))
      continue;
    const uint64_t bytes = static_cast<uint64_t>(info.st_size);
    total += bytes;
    libraries.push_back({info.st_mtim, bytes, std::move(name)});
  }
  if (total <= limit) return;
  std::sort(libraries.begin(), libraries.end(), [](const Library& a, const Library& b) {
    return std::tie(a.used.tv_sec, a.used.tv_nsec, a.name) < std::tie(b.used.tv_sec, b.used.tv_nsec, b.name);
  });
  const uint64_t target = limit / 4 * 3;
  for (const Library& library : libraries) {
    if (total <= target) break;
    if (unlinkat(cache_fd, library.name.c_str(), 0) == 0) total -= library.bytes;
  }
}

}  // namespace interlock

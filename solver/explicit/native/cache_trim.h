// The cache of compiled libraries kept to a size: without a bound it grows by a library for each
// model and parameter values ever checked (a synth or a test suite leaves thousands).
#pragma once

#include <cstdint>
#include <string>

namespace interlock {

// The bound: $INTERLOCK_CACHE_MB megabytes if set and not empty, else kDefaultCacheMegabytes.
// False, with `why` set, if the variable holds anything but a whole number from 1 to 2^20.
inline constexpr uint64_t kDefaultCacheMegabytes = 256;
bool cache_limit_bytes(uint64_t& bytes, std::string& why);

// Whether `name` is the name of a library interlock put in the cache (64 hexadecimal digits and
// ".so"): nothing else there is ever removed by trimming.
bool is_library_name(const std::string& name);

// A library found in the cache and about to be used: its modification time, if older than an
// hour, moves to now, so that trimming removes the libraries used longest ago, not those built
// longest ago. (Once an hour at most: a run that finds its library writes nothing to the disk.)
void mark_library_used(int library_fd);

// Once the libraries in the open cache folder `cache_fd` take more than `limit` bytes, removes
// those used longest ago until the rest take at most 3/4 of it (so that the next compiles do not
// each trim again). A library being loaded meanwhile by another process stays usable: it is open.
void trim_cache(int cache_fd, uint64_t limit);

}  // namespace interlock

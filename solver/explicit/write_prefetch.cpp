#include "solver/explicit/write_prefetch.h"

#if defined(__x86_64__)
#include <cpuid.h>
#endif

namespace interlock {

bool cpu_prefetches_for_write() {
  static const bool has = [] {
#if defined(__x86_64__)
    unsigned a = 0, b = 0, c = 0, d = 0;
    return __get_cpuid(0x80000001, &a, &b, &c, &d) && (c & (1u << 8)) != 0;
#else
    return false;
#endif
  }();
  return has;
}

}  // namespace interlock

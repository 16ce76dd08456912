// A cache line fetched ready to be written (PREFETCHW), for a slot that two threads may claim by
// compare-and-swap: the claim then finds the line held for writing instead of asking the other
// core for it a second time. Where the processor lacks the instruction, a plain prefetch.
#pragma once

namespace interlock {

// Whether the processor has PREFETCHW (CPUID 0x80000001, ECX bit 8); asked once.
bool cpu_prefetches_for_write();

inline void prefetch_for_write(const void* p, bool can) {
#if defined(__x86_64__)
  if (can) {
    asm volatile("prefetchw %0" : : "m"(*static_cast<const char*>(p)));
    return;
  }
#endif
  (void)can;
  __builtin_prefetch(p, 1);
}

}  // namespace interlock

// Zeroed memory straight from the kernel, in pages committed only when touched, so a generous
// mapping costs no real memory. Not marked for transparent huge pages: on the virtual machines
// measured, a huge page first touched cost far more system time than its fewer TLB misses saved
// in user time (docs/performance.md, "Memory").
#pragma once

#include <cstddef>
#include <cstdint>

namespace interlock {

class MappedBuffer {
 public:
  MappedBuffer() = default;
  explicit MappedBuffer(std::size_t bytes);  // throws std::bad_alloc
  ~MappedBuffer();
  MappedBuffer(MappedBuffer&& other) noexcept;
  MappedBuffer& operator=(MappedBuffer&& other) noexcept;
  MappedBuffer(const MappedBuffer&) = delete;
  MappedBuffer& operator=(const MappedBuffer&) = delete;

  // Grows (or shrinks) to `bytes`, keeping the contents. The kernel moves the pages instead of
  // copying them, and the new part reads as zero. Throws std::bad_alloc.
  void resize(std::size_t bytes);

  // Backs every page now, writable. For memory that is read before it is written (a hash table):
  // a first read would map the kernel's shared zero page, and the write after it would fault
  // again, and on a process with several threads, interrupt every core to flush that mapping.
  void populate() { populate(0, size_); }
  // The pages holding bytes [from, to) (several threads may back disjoint ranges of whole pages
  // at once).
  void populate(std::size_t from, std::size_t to);

  uint8_t* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace interlock

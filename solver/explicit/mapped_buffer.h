// Zeroed memory straight from the kernel, marked for transparent huge pages. The state store's
// random accesses over hundreds of megabytes otherwise spend much of their time on TLB misses.
// Pages are committed only when touched, so a generous mapping costs no real memory.
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

  uint8_t* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace interlock

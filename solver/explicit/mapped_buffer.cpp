#include "solver/explicit/mapped_buffer.h"

#include <sys/mman.h>

#include <algorithm>
#include <new>
#include <utility>

namespace interlock {

MappedBuffer::MappedBuffer(std::size_t bytes) : size_(bytes) {
  if (bytes == 0) return;
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  if (p == MAP_FAILED) throw std::bad_alloc();
  data_ = static_cast<uint8_t*>(p);
}

void MappedBuffer::populate(std::size_t from, std::size_t to) {
  constexpr std::size_t kPage = 4096;
  from = from / kPage * kPage;  // the mapping starts on a page
  to = std::min(size_, to);
  if (!data_ || from >= to) return;
#ifdef MADV_POPULATE_WRITE
  if (madvise(data_ + from, to - from, MADV_POPULATE_WRITE) == 0) return;
#endif
  // An older kernel: a write to each page (the contents are zero, and stay so).
  for (std::size_t at = from; at < to; at += kPage) static_cast<volatile uint8_t*>(data_)[at] = 0;
}

void MappedBuffer::resize(std::size_t bytes) {
  if (bytes == size_) return;
  if (!data_ || bytes == 0) {
    *this = MappedBuffer(bytes);
    return;
  }
  void* p = mremap(data_, size_, bytes, MREMAP_MAYMOVE);
  if (p == MAP_FAILED) throw std::bad_alloc();
  data_ = static_cast<uint8_t*>(p);
  size_ = bytes;
}

MappedBuffer::~MappedBuffer() {
  if (data_) munmap(data_, size_);
}

MappedBuffer::MappedBuffer(MappedBuffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)) {}

MappedBuffer& MappedBuffer::operator=(MappedBuffer&& other) noexcept {
  if (this != &other) {
    if (data_) munmap(data_, size_);
    data_ = std::exchange(other.data_, nullptr);
    size_ = std::exchange(other.size_, 0);
  }
  return *this;
}

}  // namespace interlock

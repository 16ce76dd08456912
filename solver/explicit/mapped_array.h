// A growable array of plain values in kernel-mapped memory (solver/explicit/mapped_buffer.h). Growth
// doubles the mapping with mremap: the kernel moves the pages, so nothing is copied and no page
// is touched twice, which matters for arrays of hundreds of megabytes filled one value at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <type_traits>

#include "solver/explicit/mapped_buffer.h"

namespace interlock {

template <class T>
class MappedArray {
  static_assert(std::is_trivially_copyable_v<T>);

 public:
  void push_back(T value) {
    if (size_ == capacity_) grow();
    data()[size_++] = value;
  }
  void clear() { size_ = 0; }  // keeps the memory for later values
  // To `n` values; new ones are zero, or what they were before a shrink or clear().
  void resize(std::size_t n) {
    while (capacity_ < n) grow();
    size_ = n;
  }

  T& operator[](std::size_t i) { return data()[i]; }
  const T& operator[](std::size_t i) const { return data()[i]; }
  T& back() { return data()[size_ - 1]; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  T* data() { return reinterpret_cast<T*>(buffer_.data()); }
  const T* data() const { return reinterpret_cast<const T*>(buffer_.data()); }
  std::span<const T> span() const { return {data(), size_}; }

  // The bytes written so far: the kernel commits only touched pages.
  uint64_t memory_bytes() const { return static_cast<uint64_t>(size_) * sizeof(T); }

 private:
  void grow() {
    capacity_ = capacity_ ? capacity_ * 2 : 4096 / sizeof(T);
    buffer_.resize(capacity_ * sizeof(T));
  }

  MappedBuffer buffer_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace interlock

// The parent link of every state of the state store (the index of the state it was first
// reached from), kept out of memory: the search writes them in index order and reads one only
// to rebuild a trace, so they go to a private temporary file (solver/explicit/private_temp_file.h)
// through a buffer, and are read back with pread. The links of the last buffer's worth of
// states stay in memory; a search that never fills it never touches the disk.
//
// If the file cannot be created, or a write fails (the disk is full), the links from there on
// are kept in memory, and note() says why: the search goes on at 4 more bytes per state, never
// with a wrong trace. Links already written stay in the file and are read from there. A folder
// on tmpfs (or ramfs) is memory itself: there the links are kept in memory from the start, and
// counted, rather than moved out of the process's count only.
#pragma once

#include <cstdint>
#include <string>

#include "solver/explicit/mapped_array.h"

namespace interlock {

class ParentLinks {
 public:
  // 64 KiB: under 0.2 bytes per state from 400,000 states on, and one write per 16,384 states.
  static constexpr std::size_t kBufferLinks = (std::size_t{64} << 10) / sizeof(uint32_t);

  // `folder`: where the file goes (temp_folder() if empty); `buffer_links`: how many links stay
  // in memory before they are written out.
  explicit ParentLinks(std::string folder = "", std::size_t buffer_links = kBufferLinks);
  ~ParentLinks();
  ParentLinks(const ParentLinks&) = delete;
  ParentLinks& operator=(const ParentLinks&) = delete;

  // The link of state size().
  void push_back(uint32_t parent) {
    if (buffer_.size() >= write_at_) [[unlikely]] write_out();
    buffer_.push_back(parent);
  }
  // To `n` links: fewer forgets the last ones; more makes room for put() of each new one
  // (the search on several threads writes a window's links out of order, each from one thread).
  void resize(uint64_t n);
  void put(uint64_t index, uint32_t parent) { buffer_[index - written_] = parent; }
  // Writes the buffer out now if it is as full as push_back() or resize() would write it out at
  // (a caller with a moment when the disk write costs nothing: another thread is busy).
  void write_out_if_full() {
    if (buffer_.size() >= write_at_) write_out();
  }

  // Throws std::runtime_error if the file cannot be read back (an I/O error): never a guess.
  uint32_t operator[](uint64_t index) const;
  uint64_t size() const { return written_ + buffer_.size(); }

  // The memory the links take once there are `n`: the buffer, or every link not written out.
  uint64_t memory_bytes_at(uint64_t n) const;
  uint64_t file_bytes() const { return written_ * sizeof(uint32_t); }
  // Empty while the links go to the file; otherwise why they are kept in memory.
  const std::string& note() const { return note_; }

 private:
  void write_out();  // the buffer to the file (created on first use), or on failure into memory for good
  void keep_in_memory(std::string why);

  std::string folder_;
  std::size_t buffer_links_;
  int fd_ = -1;
  uint64_t written_ = 0;          // links [0, written_) are in the file
  MappedArray<uint32_t> buffer_;  // links [written_, size())
  std::size_t write_at_;          // the buffer is written out when it holds this many
  std::string note_;
};

}  // namespace interlock

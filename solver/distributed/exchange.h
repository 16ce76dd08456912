// How the ranks of the distributed search (solver/distributed/) talk: reductions of one number,
// and exchanges of boxes of fixed-size records in one MPI_Alltoallv, sliced so that no exchange
// brings a rank more than a round of the search does. Every call is collective: all ranks of the
// communicator make it, in the same order.
#pragma once

#include <mpi.h>

#include <cstddef>
#include <cstdint>
#include <algorithm>
#include <cstring>
#include <vector>

namespace interlock {

uint64_t all_max(uint64_t v, MPI_Comm comm);
uint64_t all_min(uint64_t v, MPI_Comm comm);
uint64_t all_sum(uint64_t v, MPI_Comm comm);

template <typename T>
void append(std::vector<uint8_t>& box, T value) {
  const auto* bytes = reinterpret_cast<const uint8_t*>(&value);
  box.insert(box.end(), bytes, bytes + sizeof value);
}
template <typename T>
T read(const uint8_t* at) {
  T value;
  std::memcpy(&value, at, sizeof value);
  return value;
}

class Exchange {
 public:
  // Zero bytes after what a rank receives: at least StateLayout::kPadding, as a record may be a
  // packed state.
  static constexpr std::size_t kRecordPadding = 16;

  // `slice_records`: the most records a rank sends all ranks together in one slice of ask() and
  // deliver().
  Exchange(MPI_Comm comm, std::size_t slice_records);

  MPI_Comm comm() const { return comm_; }
  int rank() const { return rank_; }
  int ranks() const { return ranks_; }
  uint64_t bytes_sent() const { return bytes_sent_; }  // to other ranks, by this one

  // Sends boxes[r] to rank r, for every r, in one collective; `received` gets what every rank
  // sent this one, in rank order, followed by `padding` zero bytes. Returns where each rank's
  // part begins (and, last, where the parts end).
  std::vector<std::size_t> alltoall(const std::vector<std::vector<uint8_t>>& boxes, std::vector<uint8_t>& received,
                                    std::size_t padding = 0);

  // Asks rank r the questions in questions[r] (`question_bytes` each) and returns, per rank, the
  // answers it gave, in order (`answer(question)`, on the rank asked). A question is followed by
  // StateLayout::kPadding readable bytes (it may be a packed state).
  template <typename Answer, typename AnswerFn>
  std::vector<std::vector<Answer>> ask(const std::vector<std::vector<uint8_t>>& questions, std::size_t question_bytes,
                                       AnswerFn answer) {
    const std::size_t ranks = static_cast<std::size_t>(ranks_);
    std::vector<std::vector<Answer>> answers(ranks);
    std::vector<std::vector<uint8_t>> replies(ranks);
    std::vector<uint8_t> received;
    sliced(questions, question_bytes, [&](const std::vector<uint8_t>& asked, const std::vector<std::size_t>& parts) {
      for (std::size_t r = 0; r < ranks; ++r) {
        replies[r].clear();
        for (std::size_t at = parts[r]; at < parts[r + 1]; at += question_bytes) append(replies[r], answer(asked.data() + at));
      }
      const std::vector<std::size_t> back = alltoall(replies, received);
      for (std::size_t r = 0; r < ranks; ++r)
        for (std::size_t at = back[r]; at < back[r + 1]; at += sizeof(Answer)) answers[r].push_back(read<Answer>(received.data() + at));
    });
    return answers;
  }

  // Sends the records of boxes[r] (`record_bytes` each) to rank r; `take(record)` sees every
  // record sent to this rank, slice by slice, in rank order within a slice.
  template <typename TakeFn>
  void deliver(const std::vector<std::vector<uint8_t>>& boxes, std::size_t record_bytes, TakeFn take) {
    sliced(boxes, record_bytes, [&](const std::vector<uint8_t>& got, const std::vector<std::size_t>& parts) {
      for (std::size_t at = parts.front(); at < parts.back(); at += record_bytes) take(got.data() + at);
    });
  }

 private:
  template <typename SliceFn>
  void sliced(const std::vector<std::vector<uint8_t>>& boxes, std::size_t record_bytes, SliceFn on_slice) {
    const std::size_t ranks = static_cast<std::size_t>(ranks_);
    const std::size_t per_slice = std::max<std::size_t>(1, slice_records_ / ranks);
    uint64_t most = 0;
    for (const auto& b : boxes) most = std::max<uint64_t>(most, b.size() / record_bytes);
    const uint64_t slices = all_max((most + per_slice - 1) / per_slice, comm_);
    std::vector<std::vector<uint8_t>> out(ranks);
    std::vector<uint8_t> received;
    for (uint64_t k = 0; k < slices; ++k) {
      for (std::size_t r = 0; r < ranks; ++r) {
        const std::size_t from = std::min<std::size_t>(boxes[r].size(), k * per_slice * record_bytes);
        const std::size_t to = std::min<std::size_t>(boxes[r].size(), (k + 1) * per_slice * record_bytes);
        out[r].assign(boxes[r].begin() + static_cast<std::ptrdiff_t>(from), boxes[r].begin() + static_cast<std::ptrdiff_t>(to));
      }
      const std::vector<std::size_t> parts = alltoall(out, received, kRecordPadding);
      on_slice(received, parts);
    }
  }

  MPI_Comm comm_;
  int rank_ = 0, ranks_ = 1;
  std::size_t slice_records_;
  uint64_t bytes_sent_ = 0;
};

}  // namespace interlock

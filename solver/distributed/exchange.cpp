#include "solver/distributed/exchange.h"

#include <stdexcept>

#include "model/layout.h"

namespace interlock {

static_assert(Exchange::kRecordPadding >= StateLayout::kPadding);

namespace {
uint64_t all_reduce(uint64_t v, MPI_Op op, MPI_Comm comm) {
  uint64_t out = 0;
  MPI_Allreduce(&v, &out, 1, MPI_UINT64_T, op, comm);
  return out;
}
}  // namespace

uint64_t all_max(uint64_t v, MPI_Comm comm) { return all_reduce(v, MPI_MAX, comm); }
uint64_t all_min(uint64_t v, MPI_Comm comm) { return all_reduce(v, MPI_MIN, comm); }
uint64_t all_sum(uint64_t v, MPI_Comm comm) { return all_reduce(v, MPI_SUM, comm); }

Exchange::Exchange(MPI_Comm comm, std::size_t slice_records) : comm_(comm), slice_records_(slice_records) {
  MPI_Comm_rank(comm, &rank_);
  MPI_Comm_size(comm, &ranks_);
}

std::vector<std::size_t> Exchange::alltoall(const std::vector<std::vector<uint8_t>>& boxes, std::vector<uint8_t>& received,
                                            std::size_t padding) {
  const std::size_t ranks = static_cast<std::size_t>(ranks_);
  std::vector<int> send_counts(ranks), recv_counts(ranks), send_at(ranks), recv_at(ranks);
  std::size_t total = 0;
  for (std::size_t r = 0; r < ranks; ++r) {
    total += boxes[r].size();
    send_counts[r] = static_cast<int>(boxes[r].size());
    if (static_cast<int>(r) != rank_) bytes_sent_ += boxes[r].size();
  }
  // The batches are bounded (the search's rounds, the slices of ask() and deliver()) far below
  // MPI's int counts.
  if (total > static_cast<std::size_t>(INT32_MAX)) throw std::logic_error("internal error: an exchange between ranks is over 2 GB");
  MPI_Alltoall(send_counts.data(), 1, MPI_INT, recv_counts.data(), 1, MPI_INT, comm_);
  std::vector<uint8_t> sending;
  sending.reserve(total);
  std::vector<std::size_t> parts(ranks + 1);
  for (std::size_t r = 0, s = 0, t = 0; r < ranks; ++r) {
    send_at[r] = static_cast<int>(s);
    recv_at[r] = static_cast<int>(t);
    parts[r] = t;
    s += static_cast<std::size_t>(send_counts[r]);
    t += static_cast<std::size_t>(recv_counts[r]);
    parts[r + 1] = t;
    sending.insert(sending.end(), boxes[r].begin(), boxes[r].end());
  }
  received.assign(parts[ranks] + padding, 0);
  MPI_Alltoallv(sending.data(), send_counts.data(), send_at.data(), MPI_BYTE, received.data(), recv_counts.data(),
                recv_at.data(), MPI_BYTE, comm_);
  return parts;
}

}  // namespace interlock

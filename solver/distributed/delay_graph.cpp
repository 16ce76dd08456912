#include "solver/distributed/delay_graph.h"

#include <algorithm>
#include <cstring>

#include "solver/distributed/state_names.h"

namespace interlock {

void DelayGraph::finish(uint64_t states) {
  // Grouped by target (a counting sort): the order of a state's predecessors is the order they came in.
  first_.assign(states + 1, 0);
  for (uint32_t t : edge_target_) ++first_[t + 1];
  for (uint64_t s = 0; s < states; ++s) first_[s + 1] += first_[s];
  predecessors_.resize(edge_source_.size());
  std::vector<uint64_t> fill(first_.begin(), first_.end() - 1);
  for (std::size_t e = 0; e < edge_target_.size(); ++e) predecessors_[fill[edge_target_[e]]++] = edge_source_[e];
  edge_target_ = {};
  edge_source_ = {};

  // Each edge counts one successor of its source, at the source's owner.
  const std::size_t ranks = static_cast<std::size_t>(exchange_.ranks());
  std::vector<std::vector<uint8_t>> boxes(ranks);
  for (uint64_t name : predecessors_) append(boxes[static_cast<std::size_t>(rank_of(name & ~kTickBit))], index_of(name));
  successors_.assign(states, 0);
  exchange_.deliver(boxes, sizeof(uint32_t), [&](const uint8_t* record) { ++successors_[read<uint32_t>(record)]; });
}

uint64_t DelayGraph::memory_bytes() const {
  return first_.capacity() * sizeof(uint64_t) + predecessors_.capacity() * sizeof(uint64_t) +
         successors_.capacity() * sizeof(uint32_t) + edge_target_.capacity() * sizeof(uint32_t) +
         edge_source_.capacity() * sizeof(uint64_t);
}

bool DelayGraph::out_of_time(RunContext& context) const { return all_max(context.timed_out() ? 1 : 0, exchange_.comm()) != 0; }

template <typename ValueFn, typename TakeFn>
void DelayGraph::to_predecessors(const std::vector<uint32_t>& from, ValueFn value, TakeFn take, bool ticks_only,
                                 uint64_t (*flags)(uint32_t, const void*), const void* flags_data) {
  constexpr std::size_t kRecord = sizeof(uint32_t) + sizeof(int64_t) + sizeof(uint64_t);
  // In pieces of about a million messages per rank (20 MB), however many states send: every rank
  // takes part in as many deliveries as the rank with the most pieces.
  constexpr uint64_t kPieceRecords = uint64_t{1} << 20;
  const std::size_t ranks = static_cast<std::size_t>(exchange_.ranks());
  std::vector<std::vector<uint8_t>> boxes(ranks);
  std::vector<std::size_t> used(ranks);
  std::size_t next = 0;
  for (;;) {
    std::fill(used.begin(), used.end(), 0);
    for (uint64_t records = 0; next < from.size() && records < kPieceRecords; ++next) {
      const uint32_t v = from[next];
      const uint64_t name = global_id(exchange_.rank(), v) | (flags ? flags(v, flags_data) : 0);
      const int64_t carried = value(v);
      records += first_[v + 1] - first_[v];
      for (uint64_t e = first_[v]; e < first_[v + 1]; ++e) {
        const uint64_t source = predecessors_[e];
        if (ticks_only && !(source & kTickBit)) continue;
        const std::size_t to = static_cast<std::size_t>(rank_of(source & ~kTickBit));
        std::vector<uint8_t>& box = boxes[to];
        if (used[to] + kRecord > box.size()) box.resize(std::max<std::size_t>(box.size() * 2, 4096));
        uint8_t* at = box.data() + used[to];
        const uint32_t index = index_of(source);
        const uint64_t via = name | (source & kTickBit);
        std::memcpy(at, &index, sizeof index);
        std::memcpy(at + sizeof index, &carried, sizeof carried);
        std::memcpy(at + sizeof index + sizeof carried, &via, sizeof via);
        used[to] += kRecord;
      }
    }
    for (std::size_t r = 0; r < ranks; ++r) boxes[r].resize(used[r]);
    exchange_.deliver(boxes, kRecord, [&](const uint8_t* r) {
      take(read<uint32_t>(r), read<int64_t>(r + sizeof(uint32_t)), read<uint64_t>(r + sizeof(uint32_t) + sizeof(int64_t)));
    });
    if (all_max(next < from.size() ? 1 : 0, exchange_.comm()) == 0) return;
  }
}

DelayGraph::Analysis DelayGraph::analyse(const std::vector<uint8_t>& in_region, RunContext& context) {
  const uint64_t n = successors_.size();
  const MPI_Comm comm = exchange_.comm();
  Analysis a;
  a.kind.assign(n, kOutside);
  a.wait.assign(n, -1);  // -1: no way out of the region found yet
  a.longest_next.assign(n, kNone);
  a.forever_next.assign(n, kNone);
  a.stop_next.assign(n, kNone);
  auto ticks = [](uint64_t name) -> int64_t { return (name & kTickBit) ? 1 : 0; };
  auto any = [&](const std::vector<uint32_t>& v) { return all_sum(v.size(), comm) != 0; };

  // 1. From the outside in: a state of the region is done when all its successors are; its wait
  // is then the most a successor gives (its tick, plus that successor's own wait inside the region).
  std::vector<uint32_t> pending(successors_);
  std::vector<uint32_t> done, next;
  for (uint32_t i = 0; i < n; ++i)
    if (!in_region[i]) done.push_back(i);
  auto improve = [&](uint32_t u, int64_t carried, uint64_t via) {
    const int64_t w = ticks(via) + carried;
    if (w <= a.wait[u]) return false;
    a.wait[u] = w;
    a.longest_next[u] = via;
    return true;
  };
  while (any(done)) {
    if (out_of_time(context)) {
      a.timed_out = true;
      return a;
    }
    next.clear();
    // A successor out of the region comes with kExitBit: the walk along a longest wait ends there.
    to_predecessors(
        done, [&](uint32_t v) { return in_region[v] ? a.wait[v] : 0; },
        [&](uint32_t u, int64_t carried, uint64_t via) {
          if (!in_region[u]) return;
          improve(u, carried, via);
          if (--pending[u] == 0) next.push_back(u);
        },
        /*ticks_only=*/false, [](uint32_t v, const void* region) { return static_cast<const uint8_t*>(region)[v] ? uint64_t{0} : kExitBit; },
        in_region.data());
    for (uint32_t v : done)
      if (in_region[v]) a.kind[v] = kLeaves;
    std::sort(next.begin(), next.end());  // the next round then reads the predecessor lists in order
    std::swap(done, next);
  }

  // 2. The rest of the region: narrowed to the states that can reach, through it, a state whose
  // tick stays in it, until it no longer shrinks. What is left can let time pass forever.
  std::vector<uint8_t> in_z(n, 0);
  uint64_t z_count = 0;
  for (uint32_t i = 0; i < n; ++i)
    if (in_region[i] && a.kind[i] != kLeaves) {
      in_z[i] = 1;
      ++z_count;
    }
  z_count = all_sum(z_count, comm);
  std::vector<uint32_t> z_states;
  std::vector<uint8_t> marked(n, 0);
  while (z_count > 0) {
    z_states.clear();
    for (uint32_t i = 0; i < n; ++i)
      if (in_z[i]) z_states.push_back(i);
    std::fill(marked.begin(), marked.end(), 0);
    std::vector<uint32_t> frontier;
    // The states whose tick stays in Z start the search.
    to_predecessors(
        z_states, [](uint32_t) { return int64_t{0}; },
        [&](uint32_t u, int64_t, uint64_t via) {
          if (!in_z[u] || marked[u]) return;
          marked[u] = 1;
          a.forever_next[u] = via;
          frontier.push_back(u);
        },
        /*ticks_only=*/true);
    std::sort(frontier.begin(), frontier.end());
    while (any(frontier)) {
      if (out_of_time(context)) {
        a.timed_out = true;
        return a;
      }
      next.clear();
      to_predecessors(frontier, [](uint32_t) { return int64_t{0}; }, [&](uint32_t u, int64_t, uint64_t via) {
        if (!in_z[u] || marked[u]) return;
        marked[u] = 1;
        a.forever_next[u] = via;
        next.push_back(u);
      });
      std::sort(next.begin(), next.end());
      std::swap(frontier, next);
    }
    uint64_t kept = 0;
    for (uint32_t i = 0; i < n; ++i) kept += marked[i];
    kept = all_sum(kept, comm);
    const bool same = kept == z_count;
    in_z.swap(marked);
    z_count = kept;
    if (same) break;
  }
  for (uint32_t i = 0; i < n; ++i)
    if (in_z[i]) a.kind[i] = kForever;

  // 3. The others can stop time (their runs that stay in the region forever have no tick). Each
  // notes a successor that can too (none: a timelock); then their longest waits, relaxed until
  // nothing grows, which ends because no cycle among them has a tick. As in one process, a wait
  // counts the ticks before time stops too: a state with no way out waits 0.
  std::vector<uint32_t> undecided, stoppers;
  for (uint32_t i = 0; i < n; ++i)
    if (in_region[i] && a.kind[i] != kLeaves) {
      undecided.push_back(i);
      if (a.kind[i] != kForever) {
        a.kind[i] = kStops;
        a.wait[i] = std::max<int64_t>(a.wait[i], 0);
        stoppers.push_back(i);
      }
    }
  to_predecessors(undecided, [](uint32_t) { return int64_t{0}; }, [&](uint32_t u, int64_t, uint64_t via) {
    if (a.kind[u] == kStops && a.stop_next[u] == kNone) a.stop_next[u] = via;
  });
  std::vector<uint8_t> queued(n, 0);
  while (any(stoppers)) {
    if (out_of_time(context)) {
      a.timed_out = true;
      return a;
    }
    next.clear();
    to_predecessors(stoppers, [&](uint32_t v) { return a.wait[v]; }, [&](uint32_t u, int64_t carried, uint64_t via) {
      if (a.kind[u] != kStops || !improve(u, carried, via) || queued[u]) return;
      queued[u] = 1;
      next.push_back(u);
    });
    for (uint32_t u : next) queued[u] = 0;
    std::sort(next.begin(), next.end());
    std::swap(stoppers, next);
  }
  return a;
}

}  // namespace interlock

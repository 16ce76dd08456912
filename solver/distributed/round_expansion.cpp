#include "solver/distributed/round_expansion.h"

#include <algorithm>
#include <cstring>

#include "solver/distributed/delay_graph.h"

namespace interlock {

RoundExpansion::RoundExpansion(const Setup& setup, int threads) : setup_(setup), threads_(static_cast<std::size_t>(std::max(threads, 1))) {
  for (Thread& th : threads_) {
    th.semantics = std::make_unique<Semantics>(setup.semantics);  // its scratch is its own
    th.current.resize(setup.layout.slots() + 1);
    th.packed.resize(setup.layout.buffer_bytes());
    th.taken.assign(setup.semantics.model().edges.size() + 1, 0);
  }
}

void RoundExpansion::prepare(uint64_t from, uint64_t to) {
  const std::size_t bytes = setup_.layout.bytes();
  from_ = from;
  parents_.resize((to - from) * bytes + StateLayout::kPadding);
  for (uint64_t j = from; j < to; ++j)
    std::memcpy(parents_.data() + (j - from) * bytes, setup_.store.state(static_cast<uint32_t>(j)), bytes);
  // On several threads, pieces of at least 64 states, about 4 per thread: small enough to even
  // out the threads' shares. On one, one piece (take() then moves its boxes, not copies them).
  const uint64_t n = to - from;
  const uint64_t threads = threads_.size();
  const uint64_t per = threads == 1 ? std::max<uint64_t>(n, 1) : std::max<uint64_t>(64, (n + threads * 4 - 1) / (threads * 4));
  piece_count_ = static_cast<std::size_t>((n + per - 1) / per);
  if (pieces_.size() < piece_count_) pieces_.resize(piece_count_);
  for (std::size_t p = 0; p < piece_count_; ++p) {
    Piece& piece = pieces_[p];
    piece.from = from + p * per;
    piece.to = std::min(to, piece.from + per);
  }
  acts_.assign(setup_.track_actions ? n : 0, 0);
  next_piece_.store(0, std::memory_order_relaxed);
}

void RoundExpansion::work(int t) {
  Thread& th = threads_[static_cast<std::size_t>(t)];
  for (;;) {
    const std::size_t p = next_piece_.fetch_add(1, std::memory_order_relaxed);
    if (p >= piece_count_) return;
    expand(th, pieces_[p]);
  }
}

void RoundExpansion::expand(Thread& th, Piece& piece) {
  const std::size_t bytes = setup_.layout.bytes();
  const std::size_t ranks = static_cast<std::size_t>(setup_.ranks);
  piece.boxes.resize(ranks);
  for (auto& box : piece.boxes) box.clear();
  piece.transitions = 0;
  piece.native_states = 0;
  piece.fault_state = kNoState;
  piece.fault = ModelFault{};
  for (uint64_t j = piece.from; j < piece.to; ++j) {
    const uint8_t* parent = parents_.data() + (j - from_) * bytes;
    const uint64_t parent_id = global_id(setup_.rank, static_cast<uint32_t>(j));
    auto send = [&](const uint8_t* successor, bool tick) {
      std::vector<uint8_t>& box = piece.boxes[static_cast<std::size_t>(owner_of(setup_.store.hash(successor), setup_.ranks))];
      box.insert(box.end(), successor, successor + bytes);
      const uint64_t from = tick && setup_.mark_ticks ? parent_id | DelayGraph::kTickBit : parent_id;
      const auto* id_bytes = reinterpret_cast<const uint8_t*>(&from);
      box.insert(box.end(), id_bytes, id_bytes + sizeof(uint64_t));
      ++piece.transitions;
    };
    if (setup_.native) {
      int capacity = 64, n = 0;
      for (;;) {
        th.out.resize(static_cast<std::size_t>(capacity) * bytes + StateLayout::kPadding);
        th.ticks.resize(static_cast<std::size_t>(capacity));
        n = setup_.native(parent, th.out.data(), th.ticks.data(), capacity, th.taken.data(), nullptr);
        if (n != kNativeNeedsRoom) break;
        capacity *= 2;
      }
      if (n >= 0) {
        ++piece.native_states;
        if (setup_.track_actions) acts_[j - from_] = std::find(th.ticks.begin(), th.ticks.begin() + n, 0) != th.ticks.begin() + n;
        for (int k = 0; k < n; ++k) {
          uint8_t* successor = th.out.data() + static_cast<std::size_t>(k) * bytes;
          if (setup_.symmetry) setup_.symmetry->canonicalise(successor);  // the next successor's bytes are its padding
          send(successor, th.ticks[static_cast<std::size_t>(k)] != 0);
        }
        continue;
      }
    }
    setup_.layout.unpack(parent, th.current.data());
    // As the one-process search: a state whose successors cannot all be computed sends none.
    th.box_sizes.resize(ranks);
    for (std::size_t r = 0; r < ranks; ++r) th.box_sizes[r] = piece.boxes[r].size();
    const uint64_t transitions = piece.transitions;
    bool acted = false;
    const bool ok = th.semantics->successors(th.current.data(), [&](const Step& step, const int32_t* next) {
      acted = acted || !step.tick;
      const std::vector<int>& changed = th.semantics->last_changed();
      setup_.layout.repack(parent, next, changed.data(), changed.size(), th.packed.data());
      if (setup_.symmetry) setup_.symmetry->canonicalise(th.packed.data());
      send(th.packed.data(), step.tick);
    }, piece.fault);
    if (setup_.track_actions) acts_[j - from_] = acted;
    if (!ok) {
      for (std::size_t r = 0; r < ranks; ++r) piece.boxes[r].resize(th.box_sizes[r]);
      piece.transitions = transitions;
      piece.fault_state = parent_id;
      return;
    }
  }
}

void RoundExpansion::take(Result& out) {
  // The pieces one thread would have expanded: up to the first with a model error.
  std::size_t used = 0;
  while (used < piece_count_ && pieces_[used].fault_state == kNoState) ++used;
  if (used < piece_count_) ++used;
  const std::size_t ranks = static_cast<std::size_t>(setup_.ranks);
  out.boxes.resize(ranks);
  if (used == 1) {  // (one thread: one piece, whose boxes are the round's as they are)
    std::swap(out.boxes, pieces_[0].boxes);
  } else {
    for (std::size_t r = 0; r < ranks; ++r) {
      std::size_t size = 0;
      for (std::size_t p = 0; p < used; ++p) size += pieces_[p].boxes[r].size();
      out.boxes[r].clear();
      out.boxes[r].reserve(size);
      for (std::size_t p = 0; p < used; ++p) out.boxes[r].insert(out.boxes[r].end(), pieces_[p].boxes[r].begin(), pieces_[p].boxes[r].end());
    }
  }
  out.transitions = 0;
  out.native_states = 0;
  for (std::size_t p = 0; p < used; ++p) {
    out.transitions += pieces_[p].transitions;
    out.native_states += pieces_[p].native_states;
  }
  out.fault_state = used ? pieces_[used - 1].fault_state : kNoState;
  out.fault = used ? pieces_[used - 1].fault : ModelFault{};
  if (out.fault_state != kNoState) acts_.resize(index_of(out.fault_state) - from_ + 1);  // none after it was expanded
  std::swap(out.acts, acts_);
}

}  // namespace interlock

// Symmetry reduction for the explicit search (docs/engines.md, "Symmetry reduction"). Copies of an
// indexed machine (`machine Link[i : 0..N-1]`) that differ only in their index are
// interchangeable when nothing in the spec singles one out: permuting them maps reachable states
// to reachable states and keeps every checked property's value. The search then stores one state
// per orbit, the one whose copies ("blocks") are sorted.
//
// Detection is sound by construction: a candidate group of blocks is used only if every adjacent
// transposition (b, b+1) of its blocks, applied to the whole lowered model (slots and their
// initial values, every edge, every location's invariant, the dead clocks the search holds at 0,
// the checked properties and the watched conditions), gives back the same model up to the order
// of edges and of the operands of commutative operators that cannot fail. The transpositions
// generate the full symmetric group on the blocks, so every permutation of the blocks is an
// automorphism, and sorting the blocks is a canonical form of an orbit.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "model/dead_clocks.h"
#include "model/layout.h"
#include "model/model.h"
#include "solver/coverage.h"

namespace interlock {

class Symmetry {
 public:
  struct Group {
    std::string label;                     // "Link[0..5] with Remote[0..5]"
    std::vector<int> instances;            // every copy of the group's machines
    std::vector<std::vector<int>> blocks;  // [block][k]: its slots; the k-th slots of all blocks correspond
    std::vector<std::vector<int>> channels;  // [block]: the channels of that index (dial[b])
  };

  // The groups of `model` that may be permuted when `properties` are checked, the clocks in
  // `dead` are held at 0 where dead, and (lint) the conditions `watch` are watched; nullptr when
  // there is none. `notes`, if given, gets one line per candidate that was tried and refused.
  static std::unique_ptr<Symmetry> detect(const Model& model, const std::vector<int>& properties,
                                          const DeadClocks& dead, const std::vector<Expr>* watch = nullptr,
                                          std::vector<std::string>* notes = nullptr);

  // Replaces a state by its orbit's representative: the blocks of every group sorted (by their
  // slots' values, lexicographically). The packed form must have StateLayout::kPadding bytes after
  // it, which are read and written back unchanged. Thread-safe.
  void canonicalise(uint8_t* packed) const;
  void canonicalise(int32_t* state) const;  // an unpacked state (model.slots.size() values)

  // What a reduced search saw, closed under the group: an edge taken in one copy is taken in
  // every copy (per edge, 1 when taken), and a watched condition seen true (or failing) somewhere
  // is seen so in every copy.
  void close_edges(std::vector<uint8_t>& taken) const;
  void close_watched(std::vector<Coverage::Seen>& seen) const;

  // "Link[0..5] with Remote[0..5] (6 blocks)", groups joined by "; ".
  std::string describe() const;
  const std::vector<Group>& groups() const { return groups_; }

  explicit Symmetry(const Model& model);  // no group yet: use detect()

 private:
  struct Packed {  // one group's fields in the packed state
    std::size_t blocks = 0, width = 0;  // width: the fields of one block (slots with one value left out)
    std::vector<uint32_t> byte, shift;  // [block * width + k]
    std::vector<uint64_t> mask;
  };
  StateLayout layout_;
  std::vector<Group> groups_;
  std::vector<Packed> packed_;
  // Per transposition of every group: where it sends each edge and each watched condition.
  std::vector<std::vector<int>> edge_maps_, watch_maps_;
};

}  // namespace interlock

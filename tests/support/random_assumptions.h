// Random assumptions over two parameters, for testing that every path reads them as a run does
// (Semantics::initial): conditions that divide and take remainders by the parameters, inside
// short-circuit operators whose left side may keep the right from being evaluated.
#pragma once

#include <cstdint>
#include <random>
#include <string>

namespace interlock::testing {

class RandomAssumptions {
 public:
  RandomAssumptions(uint32_t seed, std::string first, std::string second);
  // A condition `depth` operators deep at most.
  std::string condition(int depth);

 private:
  std::string term(int depth);
  int pick(int lo, int hi);

  std::mt19937 rng_;
  std::string first_, second_;
};

}  // namespace interlock::testing

#include "support/random_assumptions.h"

#include <string_view>
#include <utility>

namespace interlock::testing {
namespace {

// `(left op right)`, appended part by part: `"(" + left + ...` makes GCC 12 warn wrongly (-Wrestrict).
std::string binary(const std::string& left, std::string_view op, const std::string& right) {
  std::string out = "(";
  out += left;
  out += op;
  out += right;
  return out += ")";
}

}  // namespace

RandomAssumptions::RandomAssumptions(uint32_t seed, std::string first, std::string second)
    : rng_(seed), first_(std::move(first)), second_(std::move(second)) {}

std::string RandomAssumptions::condition(int depth) {
  // Each part drawn in a statement of its own: the order of a call's arguments is unspecified,
  // and the same seed must give the same spec.
  static const char* kJoin[] = {" && ", " || ", " => "};
  const int kind = depth > 0 ? pick(0, 5) : 0;
  if (kind >= 1 && kind <= 3) {
    const std::string left = condition(depth - 1);
    return binary(left, kJoin[kind - 1], condition(depth - 1));
  }
  if (kind == 4) {
    std::string negated = "!";
    return negated += condition(depth - 1);
  }
  static const char* kCompare[] = {" < ", " <= ", " > ", " >= ", " == ", " != "};
  const std::string left = term(depth);
  const char* compare = kCompare[pick(0, 5)];
  return binary(left, compare, std::to_string(pick(-3, 3)));
}

std::string RandomAssumptions::term(int depth) {
  const int kind = depth > 0 ? pick(0, 4) : pick(0, 1);
  if (kind == 0) return pick(0, 1) ? first_ : second_;
  if (kind == 1) return std::to_string(pick(-2, 4));
  const std::string left = term(depth - 1);
  if (kind == 4) return binary(left, " + ", term(depth - 1));
  const std::string divisor = term(depth - 1);  // minus a small number: zero for some values
  return binary(left, kind == 2 ? " / " : " % ", binary(divisor, " - ", std::to_string(pick(0, 3))));
}

int RandomAssumptions::pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }

}  // namespace interlock::testing

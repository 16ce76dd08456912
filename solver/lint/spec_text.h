// Expressions of the lowered model shown as the spec writes them: lowering folds `DAY` and
// `02:00` into plain integers, but a warning should say `c == 02:00`, not `c == 120`. Each integer
// constant is looked up by its place in the source: a literal there with the same value (a
// number, a time, a duration) or the name of a `const` is shown as written; anything else (a
// folded sum, a machine's index `i`) as the number.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "model/lexer.h"
#include "model/model.h"

namespace interlock {

class SpecText {
 public:
  SpecText() = default;  // no source: constants show as numbers
  // `text` is the spec `model` was lowered from.
  SpecText(const Model& model, const std::string& text);

  // The expression, with the prefix "M." left out of the slots of instance `own` (-1: none).
  // `names`: a machine's index `i` is shown as written too, not as the value it had (for what all
  // copies of an indexed machine share: an edge's guard), and its folded truths are left out.
  std::string expr(const Model& model, const Expr& e, int own = -1, bool names = false) const;

  // Whether the line of `loc`, or the line before it, has a `//` comment with the word `nolint`:
  // lint then says nothing about what starts there.
  bool suppressed(SourceLoc loc) const;

 private:
  std::string constant(const Expr& e, bool names) const;
  // A constant true or false that lowering folded (from `i == 2` in a copy), not written so.
  bool folded_truth(const Expr& e) const;
  // `e` with each `&&` and `||` over a folded truth replaced by what it comes to.
  Expr without_folded_truths(const Expr& e) const;
  bool nolint(int line) const;

  std::vector<Token> tokens_;
  std::map<std::pair<int, int>, std::size_t> at_;  // (line, col) -> token
  std::set<std::string> consts_;                   // names declared with `const`
  std::set<std::string> indexes_;                  // machines' indexes (`i` of `machine P[i : ...]`)
  std::vector<std::string> lines_;
  int64_t tick_seconds_ = 0;
};

}  // namespace interlock

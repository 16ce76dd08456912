// The partial-order analysis remembers its answers by what it reads of a state
// (solver/explicit/analysis_memo.h). The class of bug this guards against: a key that leaves out
// something the analysis reads, so that a state takes the answer of another that differs there.
// Every reachable state of random and repository specs is analysed by one analysis that
// remembers, in search order, and by a fresh one that has nothing to remember: the same answers.
#include <gtest/gtest.h>

#include <deque>
#include <filesystem>
#include <iostream>
#include <random>
#include <set>
#include <sstream>

#include "model/lower.h"
#include "solver/explicit/partial_order.h"
#include "support/random_indexed_spec.h"
#include "support/random_oracle_spec.h"
#include "support/random_spec.h"
#include "support/test_models.h"

namespace interlock {
namespace {

namespace fs = std::filesystem;

#ifdef INTERLOCK_SANITIZED
constexpr uint32_t kSeeds = 40;        // ten times slower under the sanitizers
constexpr std::size_t kStates = 3000;
constexpr uint64_t kReducedInTheRepository = 200;
#else
constexpr uint32_t kSeeds = 150;
constexpr std::size_t kStates = 20000;
constexpr uint64_t kReducedInTheRepository = 1000;
#endif

struct Tally {
  uint64_t analysed = 0, reduced = 0, remembered = 0;
};

// Analyses `state` with the analysis that remembers and with a fresh one; the difference, if any.
class TwoAnalyses {
 public:
  TwoAnalyses(Semantics& semantics, std::unique_ptr<PartialOrder> remembering)
      : semantics_(semantics), remembering_(std::move(remembering)), fresh_(remembering_->copy_for(semantics)) {}

  // The successors of `state` (slots + 1 long), after the analyses compared; false if it faults.
  bool compare(std::vector<int32_t>& state, std::vector<std::vector<int32_t>>& next_states, std::string& difference) {
    const std::size_t slots = semantics_.model().slots.size();
    edges_.clear();
    begin_.clear();
    next_states.clear();
    bool tick = false;
    ModelFault fault;
    const bool ok = semantics_.successors(state.data(), [&](const Step& step, const int32_t* next) {
      if (step.tick) {
        tick = true;
      } else {
        begin_.push_back(edges_.size());
        edges_.insert(edges_.end(), step.edges.begin(), step.edges.end());
      }
      next_states.emplace_back(next, next + slots);
    }, fault);
    if (!ok) return false;
    begin_.push_back(edges_.size());
    actions_.clear();
    for (std::size_t a = 0; a + 1 < begin_.size(); ++a)
      actions_.push_back({std::span<const int>(edges_.data() + begin_[a], edges_.data() + begin_[a + 1])});
    const bool reduced = remembering_->choose(state.data(), actions_, tick, keep_);
    fresh_->forget_answers();
    const bool fresh_reduced = fresh_->choose(state.data(), actions_, tick, fresh_keep_);
    reduced_ += reduced;
    if (difference.empty() && (reduced != fresh_reduced || (reduced && keep_ != fresh_keep_))) {
      std::ostringstream where;
      where << "in (";
      for (std::size_t s = 0; s < slots; ++s) where << (s ? " " : "") << semantics_.model().slots[s].name << "=" << state[s];
      where << "): remembered " << (reduced ? "reduced" : "not reduced") << ", fresh " << (fresh_reduced ? "reduced" : "not reduced");
      difference = where.str();
    }
    return true;
  }
  const PartialOrder& remembering() const { return *remembering_; }
  const PartialOrder& fresh() const { return *fresh_; }
  uint64_t reduced() const { return reduced_; }

 private:
  Semantics& semantics_;
  std::unique_ptr<PartialOrder> remembering_, fresh_;
  std::vector<int> edges_;
  std::vector<std::size_t> begin_;
  std::vector<PartialOrder::Action> actions_;
  std::vector<uint8_t> keep_, fresh_keep_;
  uint64_t reduced_ = 0;
};

// The first difference between the remembering analysis and a fresh one, in the first `limit`
// states of a breadth-first search of `model` and, beside each, in three variants of it with
// some values drawn anew within their ranges (states the search may never reach, where more
// states agree on their machines' locations and actions and differ in what else the analysis
// reads); empty if none.
std::string compare_with_fresh_analyses(const Model& model, std::size_t limit, Tally& tally) {
  Semantics semantics(model);
  std::vector<int> properties;
  for (std::size_t p = 0; p < model.properties.size(); ++p) properties.push_back(static_cast<int>(p));
  std::unique_ptr<PartialOrder> por = PartialOrder::build(semantics, properties);
  if (!por) return "";
  TwoAnalyses two(semantics, std::move(por));
  const std::size_t slots = model.slots.size();
  std::set<std::vector<int32_t>> seen;
  std::deque<std::vector<int32_t>> queue;
  std::vector<int32_t> init;
  ModelFault fault;
  if (!semantics.initial(init, fault)) return "";
  seen.insert(init);
  queue.push_back(init);
  std::mt19937 random(static_cast<uint32_t>(slots * 7919 + model.edges.size()));
  std::string difference;
  std::vector<std::vector<int32_t>> next_states, ignored;
  while (!queue.empty() && seen.size() < limit && difference.empty()) {
    std::vector<int32_t> state = queue.front();
    queue.pop_front();
    state.resize(slots + 1);
    if (!two.compare(state, next_states, difference)) continue;
    for (int v = 0; v < 3; ++v) {
      std::vector<int32_t> variant = state;
      for (std::size_t s = 0; s < slots; ++s) {
        const Slot& slot = model.slots[s];
        if (random() % (slot.kind == Slot::Kind::Location ? 4 : 2) != 0) continue;
        variant[s] = static_cast<int32_t>(slot.lo + static_cast<int64_t>(random() % static_cast<uint64_t>(slot.hi - slot.lo + 1)));
      }
      two.compare(variant, ignored, difference);
    }
    for (auto& n : next_states)
      if (seen.insert(n).second) queue.push_back(std::move(n));
  }
  tally.analysed += two.remembering().analysed();
  tally.remembered += two.remembering().remembered();
  tally.reduced += two.reduced();
  if (two.fresh().remembered() != 0) return "the fresh analysis remembered an answer";
  return difference;
}

TEST(AnalysisMemo, ARememberedAnswerIsTheAnalysisOfTheStateOnRandomSpecs) {
  Tally tally;
  for (uint32_t seed = 1; seed <= kSeeds; ++seed) {
    for (const std::string& text : {testing::random_spec(seed), testing::random_indexed_spec(seed)}) {
      const Model model = testing::model_from(text);
      EXPECT_EQ(compare_with_fresh_analyses(model, kStates, tally), "") << "seed " << seed << "\n" << text;
    }
    const std::string oracle = testing::random_oracle_spec(seed);
    Model model;
    try {
      model = testing::model_from(oracle);
    } catch (const InputError&) {
      continue;
    }
    EXPECT_EQ(compare_with_fresh_analyses(model, kStates, tally), "") << "seed " << seed << "\n" << oracle;
  }
  std::cout << tally.analysed << " analyses, " << tally.remembered << " answered from memory, " << tally.reduced
            << " reduced\n";
  EXPECT_GT(tally.remembered, tally.analysed / 4) << "the memory is not used: the test shows nothing";
  EXPECT_GT(tally.reduced, 1000u);
}

TEST(AnalysisMemo, ARememberedAnswerIsTheAnalysisOfTheStateOnEverySpecOfTheRepository) {
  Tally tally;
  std::size_t specs = 0;
  for (const auto& [path, model] : testing::repository_models()) {
    ++specs;
    EXPECT_EQ(compare_with_fresh_analyses(model, kStates, tally), "") << path;
  }
  std::cout << specs << " specs, " << tally.analysed << " analyses, " << tally.remembered << " answered from memory, "
            << tally.reduced << " reduced\n";
  EXPECT_GE(specs, 30u);
  EXPECT_GT(tally.remembered, tally.analysed / 4);
  EXPECT_GT(tally.reduced, kReducedInTheRepository);
}

}  // namespace
}  // namespace interlock

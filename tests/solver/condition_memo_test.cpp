// The condition memo (solver/explicit/condition_memo.h) must answer exactly as evaluating: it may
// match a state only with one that agrees with it on every bit of every slot read, including a
// slot whose field crosses from one 64-bit word of the packed state into the next.
#include <gtest/gtest.h>

#include "model/layout.h"
#include "model/lower.h"
#include "model/semantics.h"
#include "solver/explicit/condition_memo.h"
#include "solver/explicit/explorer.h"
#include "support/random_spec.h"
#include "support/test_models.h"

namespace interlock {
namespace {

TEST(ConditionMemo, MatchesOnlyStatesThatAgreeOnEveryBitRead) {
  // Four 20-bit fields: d takes bits 60..79, across the first word's end.
  Model m = testing::model_from(R"(
    system s;
    var a : 0..1000000;
    var b : 0..1000000;
    var c : 0..1000000;
    var d : 0..1000000;
  )");
  StateLayout layout(m);
  ASSERT_EQ(layout.bits(), 80u);
  std::vector<bool> reads(m.slots.size(), false);
  reads[0] = reads[3] = true;  // a and d
  ConditionMemo memo(layout, reads, 2);
  std::vector<uint8_t> packed(layout.buffer_bytes(), 0xEE);  // the padding after the state is garbage
  auto find = [&](std::vector<int32_t> state) {
    layout.pack(state.data(), packed.data());
    return memo.find(packed.data());
  };
  const uint8_t values[2] = {1, 0};
  EXPECT_EQ(find({5, 6, 7, 8}), nullptr);
  memo.remember(values);
  const uint8_t* hit = find({5, 999999, 0, 8});  // only b and c differ
  ASSERT_NE(hit, nullptr);
  EXPECT_EQ(hit[0], 1);
  EXPECT_EQ(hit[1], 0);
  EXPECT_EQ(find({6, 6, 7, 8}), nullptr);             // a differs
  EXPECT_EQ(find({5, 6, 7, 9}), nullptr);             // d's lowest bit, in the first word
  EXPECT_EQ(find({5, 6, 7, 8 + (1 << 4)}), nullptr);  // d's bit 4: the second word's first
  EXPECT_EQ(find({5, 6, 7, 8 + (1 << 19)}), nullptr); // d's highest bit
  EXPECT_NE(find({5, 6, 7, 8}), nullptr);
  EXPECT_EQ(memo.hits(), 2u);
  EXPECT_EQ(memo.lookups(), 7u);
}

TEST(ConditionMemo, NothingReadMatchesEveryState) {
  Model m = testing::model_from("system s;\nvar a : 0..9;\n");
  StateLayout layout(m);
  ConditionMemo memo(layout, std::vector<bool>(m.slots.size(), false), 1);
  std::vector<uint8_t> packed(layout.buffer_bytes(), 0);
  std::vector<int32_t> state = {3};
  layout.pack(state.data(), packed.data());
  EXPECT_EQ(memo.find(packed.data()), nullptr);
  const uint8_t value = 1;
  memo.remember(&value);
  state = {9};
  layout.pack(state.data(), packed.data());
  ASSERT_NE(memo.find(packed.data()), nullptr);
}

// Every reachable state of random specs and of the KB spec: the memo, keyed by what each model's
// guards and properties read, gives the values evaluation gives, wherever it answers.
TEST(ConditionMemo, AnswersAsEvaluationOnEveryReachableState) {
  std::vector<std::string> texts;
  for (uint32_t seed = 1; seed <= 40; ++seed) texts.push_back(testing::random_spec(seed));
  Model kb = load_model(std::string(INTERLOCK_SOURCE_DIR) + "/specs/msmail/original.sched");
  uint64_t checked = 0, hits = 0;
  for (std::size_t t = 0; t <= texts.size(); ++t) {
    const Model model = t < texts.size() ? testing::model_from(texts[t]) : kb;
    Semantics semantics(model);
    std::vector<Compiled> code;
    std::vector<bool> reads(model.slots.size(), false);
    auto add = [&](const Expr& e) {
      if (reads_choose(e)) return;
      mark_reads(e, reads);
      code.push_back(semantics.compile(e));
    };
    for (const Edge& e : model.edges)
      if (e.guard) add(*e.guard);
    for (const Property& p : model.properties)
      if (p.a && p.kind != Property::Kind::Maximum) add(*p.a);
    Limits limits;
    limits.threads = 1;
    RunContext context(limits, nullptr);
    Explorer explorer(semantics, context);
    ConditionMemo memo(explorer.layout(), reads, code.size());
    std::vector<int32_t> state(model.slots.size() + 1);
    std::vector<uint8_t> values(code.size());
    explorer.run_packed([&](uint32_t, const uint8_t* packed) {
      explorer.layout().unpack(packed, state.data());
      bool clean = true;
      for (std::size_t k = 0; k < code.size(); ++k) {
        ModelFault fault;
        values[k] = semantics.holds(code[k], state.data(), fault);
        clean = clean && fault.message.empty();
      }
      if (!clean) return false;
      ++checked;
      if (const uint8_t* known = memo.find(packed)) {
        ++hits;
        EXPECT_TRUE(std::equal(values.begin(), values.end(), known)) << (t < texts.size() ? texts[t] : "the KB spec");
      } else {
        memo.remember(values.data());
      }
      return false;
    });
  }
  EXPECT_GT(checked, 100000u);
  EXPECT_GT(hits, 100000u);  // the comparison was made, many times
}

}  // namespace
}  // namespace interlock

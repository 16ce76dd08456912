// The symbolic encoding's bounds on a step's inputs: every choose input lies within the values
// its choose can take, whether its edge is taken or not (Z3 4.8.12 could search without end over
// an input left free, issue 11), and the bounds exclude no value a step can choose.
#include <gtest/gtest.h>
#include <z3++.h>

#include "solver/z3/encoding.h"
#include "support/test_models.h"

namespace interlock {
namespace {

using testing::model_from;

const char* kChooses = R"(
  system bounds;
  param K : 1..3 = 2;
  var x : 0..3 = 0;
  machine M {
    state A; state B;
    init A;
    A -> B choose v in x..x + 1 do x := v % 4;  // from 0..3 to 1..4
    B -> A choose w in 1..K;                    // 1..2 at K = 2
    A -> A choose u in 5..2;                    // never enabled: no bound to give
  }
  invariant small: x <= 3;
)";

// Whether the input of `choose` (its scratch number) at step 0 can take `value` under the bounds.
bool can_be(const Model& model, int scratch, int64_t value) {
  z3::context ctx;
  Encoding enc(ctx, model);
  z3::solver solver(ctx);
  solver.add(enc.input_bounds(0));
  solver.add(ctx.int_const(Encoding::name('c', {0, scratch}).c_str()) == ctx.int_val(value));
  return solver.check() == z3::sat;
}

TEST(Encoding, EveryChooseInputIsBoundedToItsChoosesValues) {
  const Model model = model_from(kChooses);
  int v = -1, w = -1, u = -1;
  for (const Edge& e : model.edges)
    for (const ChooseVar& c : e.chooses) (c.name == "v" ? v : c.name == "w" ? w : u) = c.scratch;
  ASSERT_GE(v, 0);
  ASSERT_GE(w, 0);
  ASSERT_GE(u, 0);
  for (int64_t value = 0; value <= 4; ++value) EXPECT_TRUE(can_be(model, v, value)) << value;
  EXPECT_FALSE(can_be(model, v, -1));
  EXPECT_FALSE(can_be(model, v, 5));
  EXPECT_TRUE(can_be(model, w, 1));
  EXPECT_TRUE(can_be(model, w, 2));
  EXPECT_FALSE(can_be(model, w, 3));
  EXPECT_FALSE(can_be(model, w, 0));
  EXPECT_TRUE(can_be(model, u, 1000)) << "an empty choose range bounds nothing (its edge is never taken)";
}

}  // namespace
}  // namespace interlock

// solver/z3/start_check.h against the explicit semantics on random assumptions: the symbolic
// engines call a spec a model error because an assumption cannot be evaluated exactly when some
// parameter values, tried one by one with the interpreter (model/semantics.h), fail that way.
// The assumptions divide and take remainders by parameters, inside short-circuit operators whose
// left side may keep the right from being evaluated, as Semantics::initial reads them.
#include <gtest/gtest.h>

#include <string>

#include "model/semantics.h"
#include "solver/z3/start_check.h"
#include "support/random_assumptions.h"
#include "support/test_models.h"

namespace interlock {
namespace {

TEST(StartCheck, AssumptionFaultsAreThoseTheInterpreterMeetsForSomeValues) {
  int faulty = 0, clean = 0;
  for (uint32_t seed = 1; seed <= 150; ++seed) {
    testing::RandomAssumptions make(seed, "P", "Q");
    std::string spec = "system s;\nparam P : -2..3;\nparam Q : 0..4;\nmachine M { state A; init A; }\n";
    const int assumptions = 1 + static_cast<int>(seed % 3);
    for (int a = 0; a < assumptions; ++a) spec += "assume " + make.condition(2) + ";\n";
    Model model;
    try {
      model = testing::model_from(spec);
    } catch (const InputError&) {
      continue;  // a constant part divides by zero: refused when loaded, another path
    }
    // The interpreter, at every value: the first assumption that fails, in order, says why.
    bool interpreter_faults = false;
    for (int64_t p = -2; p <= 3; ++p)
      for (int64_t q = 0; q <= 4; ++q) {
        const Model fixed = with_params(model, {{"P", p}, {"Q", q}});
        Semantics semantics(fixed);  // keeps a reference to the model
        std::vector<int32_t> state;
        ModelFault fault;
        if (!semantics.initial(state, fault) && fault.message.find("cannot be evaluated") != std::string::npos)
          interpreter_faults = true;
      }
    RunContext context(Limits{}, nullptr);
    const StartCheck check = check_start(model, context);
    ASSERT_NE(check.outcome, StartCheck::Outcome::Unknown) << spec << check.detail;
    const bool symbolic_faults = check.detail.find("cannot be evaluated") != std::string::npos;
    EXPECT_EQ(symbolic_faults, interpreter_faults) << spec << check.detail;
    if (symbolic_faults) {
      EXPECT_EQ(check.outcome, StartCheck::Outcome::ModelError);
    }
    (interpreter_faults ? faulty : clean) += 1;
  }
  EXPECT_GE(faulty, 20) << "the random assumptions fault often enough to test that";
  EXPECT_GE(clean, 20) << "and are clean often enough";
}

}  // namespace
}  // namespace interlock

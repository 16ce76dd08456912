// `interlock export --promela`: the lowered model, every parameter at its value, as one Promela
// process whose every transition is one interlock step, so that SPIN explores the state graph
// that interlock's explicit engine explores with its reductions off (check --reduce off): the
// same states, the same breadth-first depths. Invariant and reachable properties become
// assertions with labels that name them; interlock's model errors fail the assertion
// no_model_error at the step that fails. The header of the output says how to run SPIN and how
// to read its answer; docs/engines.md ("Cross-checking with SPIN") says why each part is so.
#pragma once

#include <string>
#include <vector>

#include "model/model.h"
#include "solver/export/export_error.h"

namespace interlock {

struct PromelaOptions {
  std::vector<int> properties;  // invariant and reachable properties to check; empty: every one
  int choose_limit = 256;       // values of one choose unrolled into d_steps; more fail an assertion
};

// Throws ExportError for what Promela cannot hold: a value beyond 32 bits, a parameter without
// a value, too many d_steps, a property of another kind than invariant or reachable.
std::string export_promela(const Model& model, const PromelaOptions& options = {});

}  // namespace interlock

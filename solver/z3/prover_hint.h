// What to try next when a prover (k-induction or chc) gives no answer: its `unknown` names the
// ways on that fit the property, the model and why the prover stopped, so that a person can act
// on it rather than only learn that nothing was decided.
#pragma once

#include <string>

#include "model/model.h"
#include "solver/run_context.h"

namespace interlock {

enum class ProverStop {
  Timeout,       // the time ran out (or the solver gave up without a reason)
  Memory,        // the process reached --memory
  Division,      // Spacer: division by a variable
  Nonlinear,     // a product of unknowns
  Quantifier,    // Spacer: a quantifier (a broadcast receiver's wide `choose`)
  NotInductive,  // k-induction: not k-inductive up to the depth
  Interrupted,   // Ctrl-C: the person asked it to stop, and needs no advice on going further
};

// Why a run that stopped did: Memory when it reached --memory, Interrupted at a Ctrl-C, else Timeout.
inline ProverStop stop_kind(const RunContext& context) {
  if (context.stopped_by_interrupt()) return ProverStop::Interrupted;
  return context.stopped_for_memory() ? ProverStop::Memory : ProverStop::Timeout;
}

// "try --engine kind; or --engine bmc --depth 40 to look for a violation; or ...": the
// suggestions, best first, for `engine` ("kind" or "chc"). `depth` is the depth the prover
// went to (k-induction's k), 0 if none.
std::string prover_hint(const Model& model, const Property& property, const std::string& engine, ProverStop stop,
                        int depth = 0);
// `detail` with " (try ...)" after it, or as it is for an interrupted run.
std::string with_prover_hint(const std::string& detail, const Model& model, const Property& property,
                             const std::string& engine, ProverStop stop, int depth = 0);

// What an engine that does not decide properties of `kind` answers: which engines do, e.g. "use
// bmc or the explicit engine for reachable properties" (deadlock_free and maximum need the whole
// state graph: the explicit engine alone).
std::string engines_for_kind(Property::Kind kind);

}  // namespace interlock

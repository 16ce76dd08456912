// The one place that lists the engines: adding an engine is adding its files and a line here.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "model/model.h"
#include "solver/engine.h"

namespace interlock {

std::unique_ptr<Engine> make_engine(const std::string& name);  // nullptr if unknown
std::vector<std::string> engine_names();

// engine.check(), where an exception thrown while the run is being stopped (its limit, Ctrl-C,
// --memory, a portfolio's other engine answering) is that stop, not a fault: Z3 throws "canceled"
// from a call the stop interrupts, or "there is no current model" after an interrupted check.
// Every property is then unknown, with the stop's reason; an exception of a run not stopping is
// rethrown (an internal error).
std::vector<PropertyResult> run_engine(Engine& engine, const Model& model, const std::vector<int>& properties,
                                       RunContext& context);

// `--engine auto`: the explicit engine when every parameter has a value, and for the invariants
// and reachability properties it leaves open at --memory or --timeout, the symbolic engines.
// With free parameters each property goes to the symbolic engine that can decide it: invariants
// and responses to chc (a proof, or a violation with a bmc trace), reachability to bmc; other
// kinds need values for the explicit engine.
constexpr double kAutoSecondsPerProperty = 60;  // when --timeout is not given
constexpr double kAutoKindSeconds = 10;         // k-induction beside chc, for each invariant or response
// `progress`, if given, sees the results as they stand after each engine's part (unknown where
// nothing has decided yet).
std::vector<PropertyResult> check_auto(const Model& model, const std::vector<int>& properties, RunContext& context,
                                       const std::function<void(const std::vector<PropertyResult>&)>& progress = {});

}  // namespace interlock

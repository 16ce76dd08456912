// The verdicts a check has decided so far, kept where the process guard (cli/process_guard.h) can
// print them when it must end the process before the check prints its report: a prover that
// overran its deadline must not take with it the violation the explicit engine found before it.
// One thread publishes (the check's); the guard reads without allocating.
#pragma once

#include <vector>

#include "model/model.h"
#include "solver/result.h"

namespace interlock {

// Replaces what is kept by the verdict lines of `results` that are decided (not unknown).
void publish_decided(const Model& model, const std::vector<PropertyResult>& results);
void clear_decided();

// For the guard, just before the process ends: writes the lines kept (if any) to `fd`, after
// `heading`; later publications are ignored. Async-signal-safe. Whether there were any.
bool write_decided(int fd, const char* heading) noexcept;

}  // namespace interlock

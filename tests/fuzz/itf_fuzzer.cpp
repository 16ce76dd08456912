// libFuzzer harness for `interlock replay`'s input: any bytes read as an ITF trace of a small
// spec (tests/fuzz/itf_target.sched) must end in a located InputError or a checked run (possible
// or not); never a crash. Built by tests/fuzz/CMakeLists.txt (tests/fuzz/run.sh runs it).
#include <cstdint>
#include <string>

#include "model/lower.h"
#include "solver/trace/replay.h"
#include "solver/trace/trace_itf.h"

namespace {
const interlock::Model& spec() {
  static const interlock::Model model = interlock::load_model(INTERLOCK_SOURCE_DIR "/tests/fuzz/itf_target.sched");
  return model;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    interlock::ItfRun run = interlock::parse_trace_itf(spec(), text, "fuzz.itf.json");
    interlock::Model fixed = interlock::with_params(spec(), run.params);
    interlock::check_state_run(fixed, run.states);
  } catch (const interlock::InputError&) {
  }
  return 0;
}

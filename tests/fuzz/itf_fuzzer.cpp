// libFuzzer harness for `interlock replay`'s input: any bytes read as an ITF trace of a small
// spec must end in a located InputError or a checked run (possible or not); never a crash.
// Built by tests/fuzz/run.sh with clang (-fsanitize=fuzzer,address,undefined).
#include <cstdint>
#include <string>

#include "model/lower.h"
#include "solver/trace/replay.h"
#include "solver/trace/trace_itf.h"

namespace {
const interlock::Model& spec() {
  static const interlock::Model model = interlock::load_model_from_text("fuzz.sched", R"(
    system fuzz;
    param P : 0..5 = 2;
    type Mode = { Off, On };
    var n : 0..3 = 0;
    var mode : Mode = Off;
    var seen[2] : bool;
    broadcast chan go;
    machine A { clock t; state S { invariant t <= P; } state T; init S;
      S -> T when t == P emit go! do { n := n < 3 ? n + 1 : 0; mode := On; };
      T -> S do t := 0; }
    machine B { state X; state Y; init X; X -> Y on go? do seen[1] := true; Y -> X; }
  )");
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

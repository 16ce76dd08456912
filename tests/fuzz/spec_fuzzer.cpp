// libFuzzer harness for the front end, a bounded explicit search and lint on what it found (as
// `check` runs it), lint on its own, and the search with partial-order reduction: any input must end in a model, a located InputError, or
// a verdict and lint's warnings; never a crash, a hang or a sanitizer report.
// Built by tests/fuzz/CMakeLists.txt with clang (-fsanitize=fuzzer,address,undefined); tests/fuzz/run.sh
// runs it.
#include <cstdint>
#include <string>

#include "model/lower.h"
#include "solver/explicit/explicit_engine.h"
#include "solver/lint/lint.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    interlock::Model model = interlock::load_model_from_text("fuzz.sched", text);
    std::vector<int> props;
    for (std::size_t i = 0; i < model.properties.size(); ++i) props.push_back(static_cast<int>(i));
    interlock::Limits limits;
    limits.depth = 30;
    limits.memory_mb = 64;
    limits.native = interlock::NativeMode::Off;  // the front end and the interpreter are what is fuzzed
    limits.coverage = interlock::lint_request(model, props);
    interlock::RunContext context(limits, nullptr);
    interlock::ExplicitEngine engine;
    const std::vector<interlock::PropertyResult> results = engine.check(model, props, context);
    const interlock::SpecText spec_text(model, text);
    interlock::lint_after_check(model, props, results, spec_text);
    interlock::RunContext lint_context(limits, nullptr);
    interlock::lint_spec(model, lint_context, spec_text);
    // The same search with partial-order reduction (which lint's coverage would turn off).
    interlock::Limits reduced = limits;
    reduced.coverage = nullptr;
    reduced.partial_order = true;
    interlock::RunContext reduced_context(reduced, nullptr);
    engine.check(model, props, reduced_context);
  } catch (const interlock::InputError&) {
  }
  return 0;
}

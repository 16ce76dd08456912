// libFuzzer harness for the front end and a bounded explicit search: any input must end in a
// model, a located InputError, or a verdict; never a crash, a hang or a sanitizer report.
// Built by tests/fuzz/CMakeLists.txt with clang (-fsanitize=fuzzer,address,undefined); tests/fuzz/run.sh
// runs it.
#include <cstdint>
#include <string>

#include "model/lower.h"
#include "solver/explicit/explicit_engine.h"

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
    interlock::RunContext context(limits, nullptr);
    interlock::ExplicitEngine engine;
    engine.check(model, props, context);
  } catch (const interlock::InputError&) {
  }
  return 0;
}

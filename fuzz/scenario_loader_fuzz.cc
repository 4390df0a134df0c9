// The scenario loader: JSON text to a Scenario, or an error naming file, line and column.
#include <string>

#include "fuzz/fuzz_main.h"
#include "sim/scenario/scenario.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(meshsim::fuzz::Text(data, size));
  meshsim::Result<meshsim::Scenario> s = meshsim::ParseScenario(text, "fuzz.json");
  if (!s.ok() && s.status().message().rfind("fuzz.json", 0) != 0) __builtin_trap();
  return 0;
}

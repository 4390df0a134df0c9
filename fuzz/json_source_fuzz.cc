// The JSON-with-positions reader: parse, then ask the position of pointers into the document
// (real ones and ones that are not there), which scans the text again.
#include <string>

#include "fuzz/fuzz_main.h"
#include "sim/text/json_source.h"

namespace {

// Each PositionOf scans the text again: a few dozen of them an input.
void Walk(const meshsim::JsonSource& source, const nlohmann::json& value,
          const std::string& pointer, int depth, int* calls) {
  if (++*calls > 32) return;
  (void)source.PositionOf(pointer);
  (void)source.PositionOf(pointer + "/missing~1key/7");
  if (depth <= 0) return;
  if (value.is_object()) {
    for (const auto& [key, member] : value.items()) {
      Walk(source, member, pointer + "/" + meshsim::JsonPointerEscape(key), depth - 1, calls);
    }
  } else if (value.is_array()) {
    for (size_t i = 0; i < value.size() && i < 8; ++i) {
      Walk(source, value[i], pointer + "/" + std::to_string(i), depth - 1, calls);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto source = meshsim::JsonSource::Parse(std::string(meshsim::fuzz::Text(data, size)), "f.json");
  int calls = 0;
  if (source.ok()) Walk(*source, source->root(), "", 4, &calls);
  return 0;
}

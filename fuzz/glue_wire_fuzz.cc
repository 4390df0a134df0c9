// The Glue Schema Registry wire format's decoder: a record's header and (maybe zlib) payload. The
// three ways of reading a record agree with each other.
#include <string>

#include "fuzz/fuzz_main.h"
#include "sim/serde/glue_wire.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view record = meshsim::fuzz::Text(data, size);
  constexpr size_t kMaxPayload = 1 << 20;  // a bomb inflates no further
  auto framed = meshsim::UnframeRecord(record, kMaxPayload);
  std::string inflated;
  auto view = meshsim::UnframeView(record, &inflated, kMaxPayload);
  const auto peeked = meshsim::PeekSchemaVersionId(record);
  if (framed.ok() != view.ok()) __builtin_trap();
  if (framed.ok()) {
    if (!peeked || !(*peeked == view->schema_version_id)) __builtin_trap();
    if (framed->payload != view->payload) __builtin_trap();
    if (framed->payload.size() > kMaxPayload) __builtin_trap();
  }
  return 0;
}

// The Avro schema parser, and what is done with a schema once parsed: its canonical form, and
// the compatibility check against itself (a schema always reads its own data).
#include "fuzz/fuzz_main.h"
#include "sim/serde/avro/compatibility.h"
#include "sim/serde/avro/schema.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  auto schema = meshsim::avro::ParseSchema(meshsim::fuzz::Text(data, size));
  if (!schema.ok()) return 0;
  if (!meshsim::avro::CanRead(*schema, *schema).ok()) __builtin_trap();
  return 0;
}

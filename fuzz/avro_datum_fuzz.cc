// The Avro datum decoder: bytes read with one of a few schemas (the first byte picks the pair of
// writer and reader, some resolving one to the other), or an error; never a read past the input.
// What decodes re-encodes, and decodes again to what encodes to the same bytes.
#include <array>
#include <string>

#include "fuzz/fuzz_main.h"
#include "sim/serde/avro/datum.h"
#include "sim/serde/avro/schema.h"

namespace {

using meshsim::avro::Schema;

Schema Parse(const char* text) {
  auto s = meshsim::avro::ParseSchema(text);
  if (!s.ok()) __builtin_trap();
  return *s;
}

struct Pair {
  Schema writer;
  Schema reader;
};

const std::array<Pair, 4>& Pairs() {
  static const std::array<Pair, 4> pairs = [] {
    const Schema interaction = Parse(R"({"type": "record", "name": "Interaction", "fields": [
      {"name": "event_id", "type": "string"}, {"name": "user_id", "type": "string"},
      {"name": "item_id", "type": "string"}, {"name": "event_type", "type": "string"},
      {"name": "session_id", "type": "string"}, {"name": "timestamp", "type": "long"}]})");
    const Schema rich = Parse(R"({"type": "record", "name": "R", "namespace": "x.y", "fields": [
      {"name": "u", "type": ["null", "int", "string", {"type": "array", "items": "double"}]},
      {"name": "e", "type": {"type": "enum", "name": "E", "symbols": ["A", "B", "C"]}},
      {"name": "m", "type": {"type": "map", "values": ["null", "bytes"]}},
      {"name": "f", "type": {"type": "fixed", "name": "F", "size": 4}},
      {"name": "b", "type": "boolean"}, {"name": "fl", "type": "float"},
      {"name": "next", "type": ["null", "R"]}]})");
    const Schema evolved = Parse(R"({"type": "record", "name": "Interaction", "fields": [
      {"name": "event_id", "type": "string"}, {"name": "user_id", "type": "string"},
      {"name": "item_id", "type": "string"}, {"name": "event_type", "type": "string"},
      {"name": "device", "type": "string", "default": "web"},
      {"name": "timestamp", "type": ["long", "double"]}]})");
    const Schema promoted = Parse(R"({"type": "array", "items": ["long", "float"]})");
    const Schema ints = Parse(R"({"type": "array", "items": "int"})");
    return std::array<Pair, 4>{Pair{interaction, interaction}, Pair{rich, rich},
                               Pair{interaction, evolved}, Pair{ints, promoted}};
  }();
  return pairs;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const Pair& pair = Pairs()[data[0] % Pairs().size()];
  const std::string_view bytes = meshsim::fuzz::Text(data + 1, size - 1);
  auto value = meshsim::avro::Decode(pair.writer, pair.reader, bytes);
  if (!value.ok()) return 0;
  auto again = meshsim::avro::Encode(pair.reader, *value);
  if (!again.ok()) __builtin_trap();
  // Compared as bytes: a NaN float is not equal to itself as a value.
  auto round = meshsim::avro::Decode(pair.reader, *again);
  if (!round.ok()) __builtin_trap();
  auto round_bytes = meshsim::avro::Encode(pair.reader, *round);
  if (!round_bytes.ok() || *round_bytes != *again) __builtin_trap();
  return 0;
}

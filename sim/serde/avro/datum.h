// Avro binary encoding of any datum of a parsed Schema (Avro 1.11, "Binary Encoding"): zig-zag
// varint int and long, little-endian IEEE float and double, length-prefixed bytes and string, enum
// and union by zig-zag index, arrays and maps in counted blocks. Decoding resolves the writer's
// schema to the reader's ("Schema Resolution"): defaults filled, promotions applied, writer-only
// fields skipped. What producers serialise with their registered schema and consumers read back;
// the fixed record types on the hot path keep their hand-written codec (sim/serde/entity_avro.h).
//
// Datums are nlohmann::json values:
//   null -> null, boolean -> boolean, int and long -> integer (an int must fit 32 bits),
//   float and double -> number (an integer is accepted), string -> string (bytes as given),
//   bytes and fixed -> string of code points 0-255, one per byte (as Avro writes defaults),
//   record -> object of its fields (a field missing from the datum takes its default; a key that
//   is not a field is an error), enum -> symbol string, array -> array, map -> object,
//   union -> the bare value; Encode picks the first branch the value is valid for.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "sim/core/status.h"
#include "sim/serde/avro/schema.h"

namespace meshsim::avro {

// Datums nest at most this deep (records, arrays, maps and unions), so that a recursive schema and
// a hostile value or buffer cannot exhaust the stack.
inline constexpr int kMaxDatumDepth = 256;

// The datum's binary encoding. InvalidInputException naming the JSON pointer of the bad value:
//   at /event_type: "SKIPPED" is not a symbol of enum EventType
Result<std::string> Encode(const Schema& schema, const nlohmann::json& datum);

// Reads `bytes` written with `writer` as a datum of `reader`. InvalidInputException when the
// reader cannot read the writer's data (the reason from CanRead), or when `bytes` is truncated,
// corrupt (a bad union or enum index, a negative length) or has bytes left over. Never reads past
// `bytes`.
Result<nlohmann::json> Decode(const Schema& writer, const Schema& reader, std::string_view bytes);
inline Result<nlohmann::json> Decode(const Schema& schema, std::string_view bytes) {
  return Decode(schema, schema, bytes);
}

// The node-level forms: for the parser's default values, and for a consumer that checks CanRead
// once per writer version rather than on every record as Decode does. With `as_default` the value
// is read as Avro reads a default: a union takes only its first branch. Appends to `out`.
Status EncodeNode(const Node& type, const nlohmann::json& value, bool as_default, std::string* out);
// Decodes with `writer` resolved to `reader`. REQUIRES: CanReadNode(reader, writer) is OK; were it
// not, the result is an error, never a crash.
Result<nlohmann::json> DecodeNode(const Node& writer, const Node& reader, std::string_view bytes);

}  // namespace meshsim::avro

// The AWS Glue Schema Registry wire format, so that records on a topic carry the id of the schema
// version they were written with and a Glue SerDe consumer (or ours) can find it:
//
//   byte 0      header version, always 3
//   byte 1      compression: 0 none, 5 zlib (the payload is a zlib stream, as zlib's compress())
//   bytes 2-17  the schema version id, the UUID's 16 bytes in canonical order
//   bytes 18-   the payload (the Avro binary datum or the JSON document)
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sim/core/status.h"
#include "sim/core/uuid.h"

namespace meshsim {

inline constexpr uint8_t kGlueHeaderVersion = 3;
inline constexpr uint8_t kGlueCompressionNone = 0;
inline constexpr uint8_t kGlueCompressionZlib = 5;
inline constexpr size_t kGlueHeaderSize = 18;
// A decompressed payload larger than this is refused, so a small corrupt or hostile record cannot
// make a consumer allocate without bound. Default: 16 MiB, well above Kafka's default 1 MiB.
inline constexpr size_t kGlueMaxPayloadSize = 16 << 20;

struct FramedRecord {
  Uuid schema_version_id;
  bool zlib = false;
  std::string payload;  // decompressed
};

// The framed record; with `zlib` the payload is compressed at zlib's default level. The second
// form replaces `out`, reusing its capacity. REQUIRES: `payload` does not alias `out`.
std::string FrameRecord(const Uuid& version_id, std::string_view payload, bool zlib);
void FrameRecord(const Uuid& version_id, std::string_view payload, bool zlib, std::string* out);

// A framed record read in place: `payload` views the record's bytes, or `*inflated` when the
// payload was compressed.
struct FramedView {
  Uuid schema_version_id;
  bool zlib = false;
  std::string_view payload;
};

// InvalidInputException naming what is wrong: shorter than the 18-byte header, a header version
// other than 3, an unknown compression byte, or a zlib payload that does not inflate (or inflates
// past `max_payload`).
Result<FramedRecord> UnframeRecord(std::string_view record,
                                   size_t max_payload = kGlueMaxPayloadSize);
// The schema version id of a record whose header is well formed (18 bytes or more, version 3, a
// known compression), without reading the payload; nullopt otherwise.
std::optional<Uuid> PeekSchemaVersionId(std::string_view record);

// The same checks, without a copy of an uncompressed payload. `inflated` is reused.
Result<FramedView> UnframeView(std::string_view record, std::string* inflated,
                               size_t max_payload = kGlueMaxPayloadSize);

}  // namespace meshsim

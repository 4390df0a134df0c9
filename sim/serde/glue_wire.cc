#include "sim/serde/glue_wire.h"

#include <zlib.h>

#include <algorithm>

namespace meshsim {

void FrameRecord(const Uuid& version_id, std::string_view payload, bool zlib, std::string* out) {
  out->clear();
  out->push_back(static_cast<char>(kGlueHeaderVersion));
  out->push_back(static_cast<char>(zlib ? kGlueCompressionZlib : kGlueCompressionNone));
  const auto& id = version_id.bytes();
  out->append(reinterpret_cast<const char*>(id.data()), id.size());
  if (!zlib) {
    out->append(payload);
    return;
  }
  uLongf size = compressBound(static_cast<uLong>(payload.size()));
  out->resize(kGlueHeaderSize + size);
  // compress() fails only for want of memory or space, and compressBound() rules out the latter.
  compress(reinterpret_cast<Bytef*>(out->data() + kGlueHeaderSize), &size,
           reinterpret_cast<const Bytef*>(payload.data()), static_cast<uLong>(payload.size()));
  out->resize(kGlueHeaderSize + size);
}

std::string FrameRecord(const Uuid& version_id, std::string_view payload, bool zlib) {
  std::string out;
  FrameRecord(version_id, payload, zlib, &out);
  return out;
}

Result<FramedRecord> UnframeRecord(std::string_view record, size_t max_payload) {
  std::string inflated;
  auto view = UnframeView(record, &inflated, max_payload);
  if (!view.ok()) return view.status();
  FramedRecord out;
  out.schema_version_id = view->schema_version_id;
  out.zlib = view->zlib;
  if (out.zlib) {
    out.payload = std::move(inflated);
  } else {
    out.payload.assign(view->payload);
  }
  return out;
}

std::optional<Uuid> PeekSchemaVersionId(std::string_view record) {
  if (record.size() < kGlueHeaderSize || static_cast<uint8_t>(record[0]) != kGlueHeaderVersion) {
    return std::nullopt;
  }
  const auto compression = static_cast<uint8_t>(record[1]);
  if (compression != kGlueCompressionNone && compression != kGlueCompressionZlib) {
    return std::nullopt;
  }
  return Uuid::FromBytes(record.substr(2, 16));
}

Result<FramedView> UnframeView(std::string_view record, std::string* inflated, size_t max_payload) {
  if (record.size() < kGlueHeaderSize) {
    return Status(Code::kInvalidInput, "Glue record of " + std::to_string(record.size()) +
                                           " bytes is shorter than its 18-byte header");
  }
  const auto version = static_cast<uint8_t>(record[0]);
  if (version != kGlueHeaderVersion) {
    return Status(Code::kInvalidInput,
                  "Glue record header version is " + std::to_string(version) + ", expected 3");
  }
  const auto compression = static_cast<uint8_t>(record[1]);
  if (compression != kGlueCompressionNone && compression != kGlueCompressionZlib) {
    return Status(Code::kInvalidInput, "Glue record compression byte is " +
                                           std::to_string(compression) +
                                           ", expected 0 (none) or 5 (zlib)");
  }
  FramedView out;
  out.schema_version_id = Uuid::FromBytes(record.substr(2, 16));
  out.zlib = compression == kGlueCompressionZlib;
  const std::string_view body = record.substr(kGlueHeaderSize);
  if (!out.zlib) {
    out.payload = body;
    return out;
  }
  // uncompress() needs the output's size up front; grow until it fits or passes the limit.
  size_t capacity = std::min(max_payload, std::max<size_t>(64, body.size() * 4));
  for (;;) {
    inflated->resize(capacity);
    uLongf size = static_cast<uLongf>(capacity);
    const int rc =
        uncompress(reinterpret_cast<Bytef*>(inflated->data()), &size,
                   reinterpret_cast<const Bytef*>(body.data()), static_cast<uLong>(body.size()));
    if (rc == Z_OK) {
      inflated->resize(size);
      out.payload = *inflated;
      return out;
    }
    if (rc != Z_BUF_ERROR || capacity >= max_payload) {
      return Status(
          Code::kInvalidInput,
          rc == Z_BUF_ERROR
              ? "Glue record's zlib payload inflates past " + std::to_string(max_payload) + " bytes"
              : std::string("Glue record's zlib payload is corrupt: ") + zError(rc));
    }
    capacity = std::min(max_payload, capacity * 2);
  }
}

}  // namespace meshsim

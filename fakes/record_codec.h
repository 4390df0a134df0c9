// How a partition log lays out one record in a segment: the key (or a null marker), the value
// (or a null marker: a tombstone), then the headers, each as a 4-byte length and its bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/ports/event_stream.h"

namespace meshsim::fakes {
namespace record_codec_internal {

inline constexpr uint32_t kNull = 0xffffffffu;

inline char* PutU32(char* p, uint32_t v) {
  std::memcpy(p, &v, sizeof v);
  return p + sizeof v;
}

inline char* PutBytes(char* p, std::string_view s) {
  p = PutU32(p, static_cast<uint32_t>(s.size()));
  std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

inline const char* GetU32(const char* p, uint32_t* v) {
  std::memcpy(v, p, sizeof *v);
  return p + sizeof *v;
}

inline const char* GetBytes(const char* p, std::string* s) {
  uint32_t n = 0;
  p = GetU32(p, &n);
  s->assign(p, n);
  return p + n;
}

// Skips a length-prefixed field that may be null; sets `*null` if it was.
inline const char* Skip(const char* p, bool* null) {
  uint32_t n = 0;
  p = GetU32(p, &n);
  *null = n == kNull;
  return *null ? p : p + n;
}

}  // namespace record_codec_internal

// The bytes EncodeRecord writes for this record (pass an empty value for a null one).
inline size_t EncodedRecordBytes(const std::optional<std::string>& key, std::string_view value,
                                 const std::vector<Header>& headers) {
  size_t bytes = 4 + (key ? key->size() : 0) + 4 + value.size() + 4;
  for (const auto& h : headers) bytes += 8 + h.key.size() + h.value.size();
  return bytes;
}

// Writes the record at `p`. REQUIRES: `p` has EncodedRecordBytes(...) bytes free.
inline void EncodeRecord(char* p, const std::optional<std::string>& key, std::string_view value,
                         const std::vector<Header>& headers, bool null_value) {
  using namespace record_codec_internal;
  p = key ? PutBytes(p, *key) : PutU32(p, kNull);
  p = null_value ? PutU32(p, kNull) : PutBytes(p, value);
  p = PutU32(p, static_cast<uint32_t>(headers.size()));
  for (const auto& h : headers) {
    p = PutBytes(p, h.key);
    p = PutBytes(p, h.value);
  }
}

// Fills `out`'s key, value, null flag and headers from the record at `p`, reusing their storage.
inline void DecodeRecord(const char* p, ConsumedRecord* out) {
  using namespace record_codec_internal;
  uint32_t size = 0;
  GetU32(p, &size);
  if (size == kNull) {
    out->key.reset();
    p += 4;
  } else {
    if (!out->key) out->key.emplace();
    p = GetBytes(p, &*out->key);
  }
  GetU32(p, &size);
  out->null_value = size == kNull;
  if (out->null_value) {
    out->value.clear();
    p += 4;
  } else {
    p = GetBytes(p, &out->value);
  }
  uint32_t count = 0;
  p = GetU32(p, &count);
  out->headers.resize(count);
  for (auto& h : out->headers) {
    p = GetBytes(p, &h.key);
    p = GetBytes(p, &h.value);
  }
}

// What compaction needs without decoding: the record's key (nullopt if unkeyed), whether its
// value is null, and its size in bytes. The key points into the record.
struct RecordView {
  std::optional<std::string_view> key;
  bool null_value = false;
  size_t bytes = 0;
};
inline RecordView ViewRecord(const char* at) {
  using namespace record_codec_internal;
  RecordView v;
  uint32_t size = 0;
  GetU32(at, &size);
  if (size != kNull) v.key.emplace(at + 4, size);
  bool null = false;
  const char* p = Skip(at, &null);
  p = Skip(p, &v.null_value);
  uint32_t count = 0;
  p = GetU32(p, &count);
  for (uint32_t i = 0; i < 2 * count; ++i) p = Skip(p, &null);
  v.bytes = static_cast<size_t>(p - at);
  return v;
}

}  // namespace meshsim::fakes

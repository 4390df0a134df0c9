// How a partition log lays out one record in a segment, compactly, as Kafka's record format
// does with varints: the key, the value, then the headers.
// - key and value: a varint of (length + 1), 0 for null, then the bytes;
// - headers: a varint count, then per header its key and its value. A key is a varint of
//   (2 × index + 1) into the log's header-key dictionary, or of (2 × length) followed by the
//   bytes; a value is a varint length and the bytes.
// Header keys repeat on every record of a topic ("meshsim-trace", a tracing or schema header),
// so the dictionary keeps each record's headers to a few bytes beyond their values. At one_hour's
// scale (3.6M records of ~70 bytes of payload) this layout is a quarter smaller than 4-byte
// lengths and literal keys, and memory a fresh page at a time is what a long run pays for.
#pragma once

#include <array>
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

inline size_t VarintBytes(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

inline char* PutVarint(char* p, uint64_t v) {
  while (v >= 0x80) {
    *p++ = static_cast<char>(static_cast<uint8_t>(v) | 0x80);
    v >>= 7;
  }
  *p++ = static_cast<char>(v);
  return p;
}

inline const char* GetVarint(const char* p, uint64_t* v) {
  uint64_t out = 0;
  for (int shift = 0;; shift += 7) {
    const auto byte = static_cast<uint8_t>(*p++);
    out |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if (byte < 0x80) break;
  }
  *v = out;
  return p;
}

inline char* PutBytes(char* p, std::string_view s) {
  std::memcpy(p, s.data(), s.size());
  return p + s.size();
}

// A nullable field: (length + 1), or 0 for null, then the bytes.
inline size_t NullableBytes(const std::string_view* s) {
  return s ? VarintBytes(s->size() + 1) + s->size() : 1;
}
inline char* PutNullable(char* p, const std::string_view* s) {
  if (!s) return PutVarint(p, 0);
  return PutBytes(PutVarint(p, s->size() + 1), *s);
}
// Sets `*null`, or `*out` to the bytes (pointing into the record).
inline const char* GetNullable(const char* p, bool* null, std::string_view* out) {
  uint64_t n = 0;
  p = GetVarint(p, &n);
  *null = n == 0;
  if (*null) return p;
  *out = std::string_view(p, n - 1);
  return p + n - 1;
}

}  // namespace record_codec_internal

// A log's header keys, numbered in order of first use. Only the first kMaxKeys distinct keys are
// numbered; a log whose records carry many more (keys made per record) stores the rest literally.
class HeaderKeys {
 public:
  static constexpr size_t kMaxKeys = 64;

  // How a header key is written: 2 × index + 1 for a numbered key (numbering it now if there is
  // room), 2 × length for a literal one.
  uint64_t Code(std::string_view key) {
    for (size_t i = 0; i < keys_.size(); ++i) {
      if (keys_[i] == key) return 2 * i + 1;
    }
    if (keys_.size() < kMaxKeys) {
      keys_.emplace_back(key);
      return 2 * (keys_.size() - 1) + 1;
    }
    return 2 * static_cast<uint64_t>(key.size());
  }
  const std::string& Key(uint64_t index) const { return keys_[index]; }

 private:
  std::vector<std::string> keys_;
};

// One record's encoding, sized before it is written: Size() bytes, written by Write().
class RecordEncoder {
 public:
  // `value` is ignored when `null_value`. `keys` numbers the header keys.
  RecordEncoder(const std::optional<std::string>& key, std::string_view value,
                const std::vector<Header>& headers, bool null_value, HeaderKeys& keys)
      : headers_(headers) {
    using namespace record_codec_internal;
    if (key) key_.emplace(*key);
    if (!null_value) value_.emplace(value);
    bytes_ = NullableBytes(key_ ? &*key_ : nullptr) + NullableBytes(value_ ? &*value_ : nullptr) +
             VarintBytes(headers.size());
    if (headers.size() > codes_.size()) more_codes_.resize(headers.size());
    for (size_t i = 0; i < headers.size(); ++i) {
      const uint64_t code = keys.Code(headers[i].key);
      CodeAt(i) = code;
      bytes_ += VarintBytes(code) + ((code & 1) ? 0 : headers[i].key.size()) +
                VarintBytes(headers[i].value.size()) + headers[i].value.size();
    }
  }

  size_t Size() const { return bytes_; }

  // REQUIRES: `p` has Size() bytes free.
  void Write(char* p) const {
    using namespace record_codec_internal;
    p = PutNullable(p, key_ ? &*key_ : nullptr);
    p = PutNullable(p, value_ ? &*value_ : nullptr);
    p = PutVarint(p, headers_.size());
    for (size_t i = 0; i < headers_.size(); ++i) {
      const uint64_t code = CodeAt(i);
      p = PutVarint(p, code);
      if ((code & 1) == 0) p = PutBytes(p, headers_[i].key);
      p = PutBytes(PutVarint(p, headers_[i].value.size()), headers_[i].value);
    }
  }

 private:
  uint64_t& CodeAt(size_t i) {
    return headers_.size() > codes_.size() ? more_codes_[i] : codes_[i];
  }
  uint64_t CodeAt(size_t i) const {
    return headers_.size() > codes_.size() ? more_codes_[i] : codes_[i];
  }

  const std::vector<Header>& headers_;
  std::optional<std::string_view> key_;
  std::optional<std::string_view> value_;
  size_t bytes_ = 0;
  std::array<uint64_t, 4> codes_{};  // the headers' key codes; more_codes_ past four headers
  std::vector<uint64_t> more_codes_;
};

// Fills `out`'s key, value, null flag and headers from the record at `p`, reusing their storage.
inline void DecodeRecord(const char* p, const HeaderKeys& keys, ConsumedRecord* out) {
  using namespace record_codec_internal;
  bool null = false;
  std::string_view bytes;
  p = GetNullable(p, &null, &bytes);
  if (null) {
    out->key.reset();
  } else if (out->key) {
    out->key->assign(bytes);
  } else {
    out->key.emplace(bytes);
  }
  p = GetNullable(p, &out->null_value, &bytes);
  if (out->null_value) {
    out->value.clear();
  } else {
    out->value.assign(bytes);
  }
  uint64_t count = 0;
  p = GetVarint(p, &count);
  out->headers.resize(count);
  for (auto& h : out->headers) {
    uint64_t code = 0;
    p = GetVarint(p, &code);
    if (code & 1) {
      h.key.assign(keys.Key(code >> 1));
    } else {
      h.key.assign(p, code >> 1);
      p += code >> 1;
    }
    uint64_t n = 0;
    p = GetVarint(p, &n);
    h.value.assign(p, n);
    p += n;
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
  bool null = false;
  std::string_view bytes;
  const char* p = GetNullable(at, &null, &bytes);
  if (!null) v.key.emplace(bytes);
  p = GetNullable(p, &v.null_value, &bytes);
  uint64_t count = 0;
  p = GetVarint(p, &count);
  for (uint64_t i = 0; i < count; ++i) {
    uint64_t code = 0;
    p = GetVarint(p, &code);
    if ((code & 1) == 0) p += code >> 1;
    uint64_t n = 0;
    p = GetVarint(p, &n);
    p += n;
  }
  v.bytes = static_cast<size_t>(p - at);
  return v;
}

}  // namespace meshsim::fakes

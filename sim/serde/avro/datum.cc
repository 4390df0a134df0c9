#include "sim/serde/avro/datum.h"

#include <bit>
#include <cstdint>
#include <cstring>
#include <limits>
#include <utility>

#include "sim/core/varint.h"
#include "sim/serde/avro/compatibility.h"
#include "sim/text/bounded_json.h"
#include "sim/text/json_source.h"

namespace meshsim::avro {
namespace {

// The JSON pointer of the value being encoded, as a chain of frames on the stack: it is rendered
// only for an error message, so a valid datum costs no string building.
struct Path {
  const Path* parent = nullptr;
  std::string_view key;  // a field or map key, or empty for an array index
  size_t index = 0;

  std::string Render() const {
    std::string out = parent == nullptr ? "" : parent->Render();
    if (parent == nullptr) return out;
    out += '/';
    if (key.data() == nullptr) return out + std::to_string(index);
    return out + JsonPointerEscape(std::string(key));
  }
};

Status Bad(const Path& path, const std::string& message) {
  const std::string pointer = path.Render();
  return Status(Code::kInvalidInput, "at " + (pointer.empty() ? "/" : pointer) + ": " + message);
}

void PutLong(int64_t v, std::string* out) { PutZigZagLong(v, out); }

template <typename T>
void PutLittleEndian(T v, std::string* out) {
  using U = std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>;
  const U bits = std::bit_cast<U>(v);
  for (size_t i = 0; i < sizeof(U); ++i) out->push_back(static_cast<char>(bits >> (8 * i)));
}

// Bytes and fixed values are strings of code points 0-255 (UTF-8 encoded in the JSON string).
bool CodePointsToBytes(const std::string& s, std::string* out) {
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<uint8_t>(s[i]);
    if (c < 0x80) {
      out->push_back(static_cast<char>(c));
    } else if ((c == 0xc2 || c == 0xc3) && i + 1 < s.size() &&
               (static_cast<uint8_t>(s[i + 1]) & 0xc0) == 0x80) {
      out->push_back(static_cast<char>(((c & 0x03) << 6) | (static_cast<uint8_t>(s[++i]) & 0x3f)));
    } else {
      return false;
    }
  }
  return true;
}

std::string BytesToCodePoints(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (char ch : bytes) {
    const auto c = static_cast<uint8_t>(ch);
    if (c < 0x80) {
      out.push_back(ch);
    } else {
      out.push_back(static_cast<char>(0xc0 | (c >> 6)));
      out.push_back(static_cast<char>(0x80 | (c & 0x3f)));
    }
  }
  return out;
}

// Whether a JSON value has the kind a type's datums have; a union tries only such branches.
bool KindFits(const Node& n, const nlohmann::json& v) {
  switch (n.type) {
    case Type::kNull:
      return v.is_null();
    case Type::kBoolean:
      return v.is_boolean();
    case Type::kInt:
    case Type::kLong:
      return v.is_number_integer();
    case Type::kFloat:
    case Type::kDouble:
      return v.is_number();
    case Type::kBytes:
    case Type::kString:
    case Type::kEnum:
    case Type::kFixed:
      return v.is_string();
    case Type::kRecord:
    case Type::kMap:
      return v.is_object();
    case Type::kArray:
      return v.is_array();
    case Type::kUnion:
      return true;
  }
  return false;
}

class Encoder {
 public:
  explicit Encoder(bool as_default) : as_default_(as_default) {}

  Status Write(const Node& n, const nlohmann::json& v, const Path& path, int depth,
               std::string* out) {
    if (depth > kMaxDatumDepth) {
      return Bad(path, "datum nested deeper than " + std::to_string(kMaxDatumDepth) + " levels");
    }
    if (n.type != Type::kUnion && !KindFits(n, v)) {
      return Bad(path, "expected " + n.Describe() + ", got " + DescribeJson(v));
    }
    switch (n.type) {
      case Type::kNull:
        return Status::Ok();
      case Type::kBoolean:
        out->push_back(v.get<bool>() ? 1 : 0);
        return Status::Ok();
      case Type::kInt:
      case Type::kLong:
        return WriteInteger(n.type == Type::kInt, v, path, out);
      case Type::kFloat:
        PutLittleEndian(v.get<float>(), out);
        return Status::Ok();
      case Type::kDouble:
        PutLittleEndian(v.get<double>(), out);
        return Status::Ok();
      case Type::kString: {
        const auto& s = v.get_ref<const std::string&>();
        PutLong(static_cast<int64_t>(s.size()), out);
        out->append(s);
        return Status::Ok();
      }
      case Type::kBytes:
      case Type::kFixed: {
        std::string bytes;
        if (!CodePointsToBytes(v.get_ref<const std::string&>(), &bytes)) {
          return Bad(path, "a " + std::string(TypeName(n.type)) +
                               " value is a string of code points 0-255, got " + DescribeJson(v));
        }
        if (n.type == Type::kFixed && bytes.size() != n.size) {
          return Bad(path, "fixed " + n.fullname + " takes " + std::to_string(n.size) +
                               " bytes, got " + std::to_string(bytes.size()));
        }
        if (n.type == Type::kBytes) PutLong(static_cast<int64_t>(bytes.size()), out);
        out->append(bytes);
        return Status::Ok();
      }
      case Type::kEnum: {
        const int index = n.SymbolIndex(v.get_ref<const std::string&>());
        if (index < 0) return Bad(path, v.dump() + " is not a symbol of enum " + n.fullname);
        PutLong(index, out);
        return Status::Ok();
      }
      case Type::kArray:
      case Type::kMap:
        return WriteCollection(n, v, path, depth, out);
      case Type::kRecord:
        return WriteRecord(n, v, path, depth, out);
      case Type::kUnion:
        return WriteUnion(n, v, path, depth, out);
    }
    return Status::Ok();
  }

 private:
  static Status WriteInteger(bool is_int, const nlohmann::json& v, const Path& path,
                             std::string* out) {
    const int64_t lo =
        is_int ? std::numeric_limits<int32_t>::min() : std::numeric_limits<int64_t>::min();
    const int64_t hi =
        is_int ? std::numeric_limits<int32_t>::max() : std::numeric_limits<int64_t>::max();
    const bool fits = v.is_number_unsigned() ? v.get<uint64_t>() <= static_cast<uint64_t>(hi)
                                             : v.get<int64_t>() >= lo && v.get<int64_t>() <= hi;
    if (!fits) return Bad(path, v.dump() + " is out of range for " + (is_int ? "int" : "long"));
    PutLong(v.get<int64_t>(), out);
    return Status::Ok();
  }

  Status WriteCollection(const Node& n, const nlohmann::json& v, const Path& path, int depth,
                         std::string* out) {
    if (!v.empty()) PutLong(static_cast<int64_t>(v.size()), out);
    size_t i = 0;
    for (auto it = v.begin(); it != v.end(); ++it, ++i) {
      Path child{&path, {}, i};
      if (n.type == Type::kMap) {
        child.key = it.key();
        PutLong(static_cast<int64_t>(it.key().size()), out);
        out->append(it.key());
      }
      if (Status s = Write(*n.items, *it, child, depth + 1, out); !s.ok()) return s;
    }
    PutLong(0, out);
    return Status::Ok();
  }

  Status WriteRecord(const Node& n, const nlohmann::json& v, const Path& path, int depth,
                     std::string* out) {
    for (auto it = v.begin(); it != v.end(); ++it) {
      if (n.FieldIndex(it.key()) < 0) {
        return Bad(path,
                   nlohmann::json(it.key()).dump() + " is not a field of record " + n.fullname);
      }
    }
    for (const Field& f : n.fields) {
      const Path child{&path, f.name, 0};
      auto it = v.find(f.name);
      const std::optional<nlohmann::json>& fallback =
          as_default_ ? f.default_value : f.default_datum;
      if (it == v.end() && !fallback) {
        return Bad(path, "missing field \"" + f.name + "\" of record " + n.fullname +
                             ", which has no default");
      }
      if (Status s = Write(*f.type, it != v.end() ? *it : *fallback, child, depth + 1, out);
          !s.ok()) {
        return s;
      }
    }
    return Status::Ok();
  }

  Status WriteUnion(const Node& n, const nlohmann::json& v, const Path& path, int depth,
                    std::string* out) {
    if (as_default_) {
      if (n.branches.empty()) return Bad(path, "an empty union has no values");
      PutLong(0, out);
      return Write(*n.branches[0], v, path, depth + 1, out);
    }
    std::vector<size_t> candidates;
    for (size_t i = 0; i < n.branches.size(); ++i) {
      if (KindFits(*n.branches[i], v)) candidates.push_back(i);
    }
    Status last;
    for (size_t i : candidates) {
      std::string bytes;
      last = Write(*n.branches[i], v, path, depth + 1, &bytes);
      if (last.ok()) {
        PutLong(static_cast<int64_t>(i), out);
        out->append(bytes);
        return Status::Ok();
      }
    }
    // With one plausible branch its own complaint says more than "no branch matched".
    if (candidates.size() == 1) return last;
    return Bad(path, DescribeJson(v) + " matches no branch of " + n.Describe());
  }

  bool as_default_;
};

class Decoder {
 public:
  // Zero-byte elements (nulls, empty records) are the only way a short buffer could claim a huge
  // collection; they are allowed this many beyond one per byte of input.
  static constexpr size_t kMaxFreeElements = 1 << 16;

  explicit Decoder(std::string_view in) : in_(in), elements_left_(in.size() + kMaxFreeElements) {}

  Result<nlohmann::json> Read(const Node& w, const Node& r, int depth) {
    if (depth > kMaxDatumDepth) return Corrupt("datum nested deeper than the limit");
    if (w.type == Type::kUnion) {
      int64_t index = 0;
      if (!Long(&index)) return Truncated();
      if (index < 0 || static_cast<uint64_t>(index) >= w.branches.size()) {
        return Corrupt("union index " + std::to_string(index) + " out of range");
      }
      return Read(*w.branches[static_cast<size_t>(index)], r, depth + 1);
    }
    if (r.type == Type::kUnion) {
      const int branch = ResolveUnionBranch(r, w);
      if (branch < 0) return Corrupt("the writer's type matches no reader branch");
      return Read(w, *r.branches[static_cast<size_t>(branch)], depth + 1);
    }
    if (r.type != w.type && !Promotes(w.type, r.type)) {
      return Corrupt("the writer's " + w.Describe() + " does not resolve to the reader's " +
                     r.Describe());
    }
    switch (w.type) {
      case Type::kNull:
        return nlohmann::json(nullptr);
      case Type::kBoolean: {
        if (pos_ >= in_.size()) return Truncated();
        const auto b = static_cast<uint8_t>(in_[pos_++]);
        if (b > 1) return Corrupt("boolean byte " + std::to_string(b));
        return nlohmann::json(b == 1);
      }
      case Type::kInt:
      case Type::kLong: {
        int64_t v = 0;
        if (!Long(&v)) return Truncated();
        if (w.type == Type::kInt &&
            (v < std::numeric_limits<int32_t>::min() || v > std::numeric_limits<int32_t>::max())) {
          return Corrupt("int out of range");
        }
        if (r.type == Type::kFloat) return nlohmann::json(static_cast<float>(v));
        if (r.type == Type::kDouble) return nlohmann::json(static_cast<double>(v));
        return nlohmann::json(v);
      }
      case Type::kFloat: {
        std::string_view raw;
        if (!Take(4, &raw)) return Truncated();
        const float f = std::bit_cast<float>(LittleEndian<uint32_t>(raw));
        return r.type == Type::kDouble ? nlohmann::json(static_cast<double>(f)) : nlohmann::json(f);
      }
      case Type::kDouble: {
        std::string_view raw;
        if (!Take(8, &raw)) return Truncated();
        return nlohmann::json(std::bit_cast<double>(LittleEndian<uint64_t>(raw)));
      }
      case Type::kString:
      case Type::kBytes: {
        std::string_view raw;
        if (!LengthPrefixed(&raw)) return Truncated();
        // Read as bytes, a string's bytes become code points; read as string, bytes stay bytes.
        if (r.type == Type::kBytes) return nlohmann::json(BytesToCodePoints(raw));
        return nlohmann::json(std::string(raw));
      }
      case Type::kFixed: {
        std::string_view raw;
        if (!Take(w.size, &raw)) return Truncated();
        return nlohmann::json(BytesToCodePoints(raw));
      }
      case Type::kEnum: {
        int64_t index = 0;
        if (!Long(&index)) return Truncated();
        if (index < 0 || static_cast<uint64_t>(index) >= w.symbols.size()) {
          return Corrupt("enum index " + std::to_string(index) + " out of range");
        }
        const std::string& symbol = w.symbols[static_cast<size_t>(index)];
        if (r.SymbolIndex(symbol) >= 0 || !r.enum_default) return nlohmann::json(symbol);
        return nlohmann::json(*r.enum_default);
      }
      case Type::kArray:
      case Type::kMap:
        return ReadCollection(w, r, depth);
      case Type::kRecord:
        return ReadRecord(w, r, depth);
      case Type::kUnion:
        break;
    }
    return Corrupt("unreadable type");
  }

  bool AtEnd() const { return pos_ == in_.size(); }
  size_t Left() const { return in_.size() - pos_; }

 private:
  static Status Truncated() { return Status(Code::kInvalidInput, "Avro datum is truncated"); }
  static Status Corrupt(const std::string& what) {
    return Status(Code::kInvalidInput, "Avro datum is corrupt: " + what);
  }

  bool Long(int64_t* v) { return ReadZigZagLong(in_, &pos_, v); }

  bool Take(size_t n, std::string_view* out) {
    if (n > in_.size() - pos_) return false;
    *out = in_.substr(pos_, n);
    pos_ += n;
    return true;
  }

  bool LengthPrefixed(std::string_view* out) {
    int64_t n = 0;
    return Long(&n) && n >= 0 && Take(static_cast<size_t>(n), out);
  }

  template <typename U>
  static U LittleEndian(std::string_view raw) {
    U v = 0;
    for (size_t i = 0; i < sizeof(U); ++i)
      v |= static_cast<U>(static_cast<uint8_t>(raw[i])) << (8 * i);
    return v;
  }

  Result<nlohmann::json> ReadCollection(const Node& w, const Node& r, int depth) {
    nlohmann::json out =
        w.type == Type::kArray ? nlohmann::json::array() : nlohmann::json::object();
    for (;;) {
      int64_t count = 0;
      if (!Long(&count)) return Truncated();
      if (count == 0) return out;
      if (count < 0) {
        if (count == std::numeric_limits<int64_t>::min()) return Corrupt("block count");
        count = -count;
        int64_t block_bytes = 0;  // the block's size in bytes, which a reader may use to skip
        if (!Long(&block_bytes)) return Truncated();
      }
      if (static_cast<uint64_t>(count) > elements_left_) {
        return Corrupt("block of " + std::to_string(count) + " elements exceeds the buffer");
      }
      elements_left_ -= static_cast<size_t>(count);
      for (int64_t i = 0; i < count; ++i) {
        std::string_view key;
        if (w.type == Type::kMap && !LengthPrefixed(&key)) return Truncated();
        Result<nlohmann::json> item = Read(*w.items, *r.items, depth + 1);
        if (!item.ok()) return item;
        if (w.type == Type::kArray) {
          out.push_back(std::move(item).value());
        } else {
          out[std::string(key)] = std::move(item).value();
        }
      }
    }
  }

  Result<nlohmann::json> ReadRecord(const Node& w, const Node& r, int depth) {
    nlohmann::json out = nlohmann::json::object();
    for (const Field& wf : w.fields) {
      int ri = r.FieldIndex(wf.name);
      for (size_t i = 0; ri < 0 && i < r.fields.size(); ++i) {
        for (const std::string& alias : r.fields[i].aliases) {
          if (alias == wf.name) ri = static_cast<int>(i);
        }
      }
      // A writer-only field is read by its own schema and dropped.
      const Node& target = ri < 0 ? *wf.type : *r.fields[static_cast<size_t>(ri)].type;
      Result<nlohmann::json> value = Read(*wf.type, target, depth + 1);
      if (!value.ok()) return value;
      if (ri >= 0) out[r.fields[static_cast<size_t>(ri)].name] = std::move(value).value();
    }
    for (const Field& rf : r.fields) {
      if (out.contains(rf.name)) continue;
      if (!rf.default_datum) return Corrupt("reader field \"" + rf.name + "\" has no value");
      out[rf.name] = *rf.default_datum;
    }
    return out;
  }

  std::string_view in_;
  size_t pos_ = 0;
  size_t elements_left_;
};

}  // namespace

Status EncodeNode(const Node& type, const nlohmann::json& value, bool as_default,
                  std::string* out) {
  return Encoder(as_default).Write(type, value, Path{}, 0, out);
}

Result<nlohmann::json> DecodeNode(const Node& writer, const Node& reader, std::string_view bytes) {
  Decoder decoder(bytes);
  Result<nlohmann::json> datum = decoder.Read(writer, reader, 0);
  if (!datum.ok()) return datum;
  if (!decoder.AtEnd()) {
    return Status(Code::kInvalidInput,
                  "Avro datum is followed by " + std::to_string(decoder.Left()) + " unread bytes");
  }
  return datum;
}

Result<std::string> Encode(const Schema& schema, const nlohmann::json& datum) {
  std::string out;
  if (Status s = EncodeNode(schema.root(), datum, false, &out); !s.ok()) return s;
  return out;
}

Result<nlohmann::json> Decode(const Schema& writer, const Schema& reader, std::string_view bytes) {
  if (Status s = CanRead(reader, writer); !s.ok()) {
    return Status(Code::kInvalidInput,
                  "the reader's schema cannot read the writer's: " + s.message());
  }
  return DecodeNode(writer.root(), reader.root(), bytes);
}

}  // namespace meshsim::avro

// Parsing Canonical Form (Avro 1.11, "Transforming into Parsing Canonical Form"): [PRIMITIVES]
// simple names, [FULLNAMES], [STRIP] to type, name, fields, symbols, items, values and size,
// [ORDER] in that order, [STRINGS] and [INTEGERS] as nlohmann::json writes them, no whitespace, and
// a named type written in full once, by name after that. The normalized form appends, after those,
// the attributes resolution depends on: aliases, defaults, order and logicalType.
#include <set>
#include <string>

#include "sim/serde/avro/schema.h"

namespace meshsim::avro {
namespace {

std::string Quote(const std::string& s) {
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string QuotedList(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ',';
    out += Quote(items[i]);
  }
  return out + "]";
}

class Writer {
 public:
  explicit Writer(bool normalized) : normalized_(normalized) {}

  void Write(const Node& n, std::string* out) {
    if (IsNamed(n.type) && !defined_.insert(n.fullname).second) {
      *out += Quote(n.fullname);
      return;
    }
    const bool annotated = normalized_ && !n.logical_type.empty();
    if (n.type == Type::kUnion) {
      *out += '[';
      for (size_t i = 0; i < n.branches.size(); ++i) {
        if (i > 0) *out += ',';
        Write(*n.branches[i], out);
      }
      *out += ']';
      return;
    }
    const std::string type = Quote(std::string(TypeName(n.type)));
    if (!IsNamed(n.type) && n.type != Type::kArray && n.type != Type::kMap) {
      if (!annotated) {
        *out += type;
      } else {
        *out += "{\"type\":" + type + ",\"logicalType\":" + Quote(n.logical_type) + "}";
      }
      return;
    }
    *out += '{';
    if (IsNamed(n.type)) *out += "\"name\":" + Quote(n.fullname) + ",";
    *out += "\"type\":" + type;
    switch (n.type) {
      case Type::kRecord:
        *out += ",\"fields\":[";
        for (size_t i = 0; i < n.fields.size(); ++i) {
          if (i > 0) *out += ',';
          WriteField(n.fields[i], out);
        }
        *out += ']';
        break;
      case Type::kEnum:
        *out += ",\"symbols\":" + QuotedList(n.symbols);
        break;
      case Type::kArray:
      case Type::kMap:
        *out += n.type == Type::kArray ? ",\"items\":" : ",\"values\":";
        Write(*n.items, out);
        break;
      case Type::kFixed:
        *out += ",\"size\":" + std::to_string(n.size);
        break;
      default:
        break;
    }
    if (normalized_) {
      if (!n.aliases.empty()) *out += ",\"aliases\":" + QuotedList(n.aliases);
      if (n.enum_default) *out += ",\"default\":" + Quote(*n.enum_default);
      if (annotated) *out += ",\"logicalType\":" + Quote(n.logical_type);
    }
    *out += '}';
  }

 private:
  void WriteField(const Field& f, std::string* out) {
    *out += "{\"name\":" + Quote(f.name) + ",\"type\":";
    Write(*f.type, out);
    if (normalized_) {
      if (!f.aliases.empty()) *out += ",\"aliases\":" + QuotedList(f.aliases);
      if (f.default_value) {
        *out += ",\"default\":" +
                f.default_value->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      }
      if (f.order != Order::kAscending) {
        *out +=
            f.order == Order::kDescending ? ",\"order\":\"descending\"" : ",\"order\":\"ignore\"";
      }
    }
    *out += '}';
  }

  bool normalized_;
  std::set<std::string> defined_;
};

}  // namespace

std::string CanonicalForm(const Node& root, bool normalized) {
  std::string out;
  Writer(normalized).Write(root, &out);
  return out;
}

}  // namespace meshsim::avro

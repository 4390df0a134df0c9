#include "sim/serde/json_schema/schema.h"

#include <array>
#include <cmath>
#include <utility>

#include "sim/text/bounded_json.h"
#include "sim/text/json_source.h"

namespace meshsim::json_schema {
namespace {

constexpr std::array<std::pair<std::string_view, uint8_t>, 7> kTypeNames = {{
    {"null", kNullBit},
    {"boolean", kBooleanBit},
    {"integer", kIntegerBit},
    {"number", kIntegerBit | kFractionBit},
    {"string", kStringBit},
    {"array", kArrayBit},
    {"object", kObjectBit},
}};

constexpr std::string_view kAnnotations[] = {"$schema",     "$id",      "$comment", "title",
                                             "description", "default",  "examples", "format",
                                             "readOnly",    "writeOnly"};

Status Error(const std::string& path, const std::string& message) {
  return Status(Code::kInvalidInput, "at " + (path.empty() ? "/" : path) + ": " + message);
}

class Parser {
 public:
  explicit Parser(std::deque<Node>* nodes) : nodes_(nodes) {}

  Result<const Node*> Parse(const nlohmann::json& j, const std::string& path) {
    Node& n = nodes_->emplace_back();
    if (j.is_boolean()) {
      n.accepts_nothing = !j.get<bool>();
      return &n;
    }
    if (!j.is_object()) return Error(path, "a schema must be an object or a boolean");
    for (auto it = j.begin(); it != j.end(); ++it) {
      const std::string& key = it.key();
      const std::string at = path + "/" + JsonPointerEscape(key);
      const nlohmann::json& v = it.value();
      Status s;
      if (key == "type") {
        s = ParseTypes(v, at, &n.types);
      } else if (key == "enum" || key == "const") {
        if (key == "enum" && (!v.is_array() || v.empty())) {
          s = Error(at, "enum must be a non-empty array");
        } else if (n.enum_values) {
          s = Error(at, "enum and const cannot both be given");
        } else {
          n.enum_values =
              key == "enum" ? v.get<std::vector<nlohmann::json>>() : std::vector<nlohmann::json>{v};
        }
      } else if (key == "properties") {
        s = ParseProperties(v, at, &n);
      } else if (key == "required") {
        s = ParseRequired(v, at, &n);
      } else if (key == "additionalProperties" || key == "items") {
        if (key == "items" && v.is_array()) {
          s = Error(at, "tuple \"items\" (an array of schemas) is not supported");
        } else {
          Result<const Node*> sub = Parse(v, at);
          if (!sub.ok()) return sub;
          (key == "items" ? n.items : n.additional) = *sub;
          if (key != "items") n.additional_explicit = true;
        }
      } else if (std::find(std::begin(kAnnotations), std::end(kAnnotations), key) ==
                 std::end(kAnnotations)) {
        s = Error(at, "unsupported keyword \"" + key +
                          "\" (supported: type, enum, const, properties, required, "
                          "additionalProperties, items)");
      }
      if (!s.ok()) return s;
    }
    return &n;
  }

 private:
  static Status ParseTypes(const nlohmann::json& v, const std::string& at, uint8_t* types) {
    const std::vector<nlohmann::json> names =
        v.is_array() ? v.get<std::vector<nlohmann::json>>() : std::vector<nlohmann::json>{v};
    if (names.empty()) return Error(at, "type must name at least one type");
    *types = 0;
    for (const nlohmann::json& name : names) {
      const auto it = std::find_if(kTypeNames.begin(), kTypeNames.end(), [&](const auto& t) {
        return name.is_string() && t.first == name.get_ref<const std::string&>();
      });
      if (it == kTypeNames.end()) return Error(at, "unknown type " + DescribeJson(name));
      *types |= it->second;
    }
    return Status::Ok();
  }

  Status ParseProperties(const nlohmann::json& v, const std::string& at, Node* n) {
    if (!v.is_object()) return Error(at, "properties must be an object");
    for (auto it = v.begin(); it != v.end(); ++it) {
      Result<const Node*> sub = Parse(it.value(), at + "/" + JsonPointerEscape(it.key()));
      if (!sub.ok()) return sub.status();
      n->properties[it.key()] = *sub;
    }
    return Status::Ok();
  }

  static Status ParseRequired(const nlohmann::json& v, const std::string& at, Node* n) {
    if (!v.is_array()) return Error(at, "required must be an array of property names");
    for (size_t i = 0; i < v.size(); ++i) {
      if (!v[i].is_string()) return Error(at + "/" + std::to_string(i), "not a string");
      if (!n->required.insert(v[i].get<std::string>()).second) {
        return Error(at + "/" + std::to_string(i), "duplicate " + v[i].dump());
      }
    }
    return Status::Ok();
  }

  std::deque<Node>* nodes_;
};

uint8_t KindOf(const nlohmann::json& v) {
  if (v.is_null()) return kNullBit;
  if (v.is_boolean()) return kBooleanBit;
  if (v.is_number_integer()) return kIntegerBit;
  if (v.is_number()) {
    const double d = v.get<double>();
    return std::isfinite(d) && d == std::floor(d) ? kIntegerBit : kFractionBit;  // 1.0 is integer
  }
  if (v.is_string()) return kStringBit;
  if (v.is_array()) return kArrayBit;
  return kObjectBit;
}

std::string TypeNames(uint8_t types) {
  std::string out;
  for (const auto& [name, bits] : kTypeNames) {
    // "number" covers integer; name integer alone only when fractions are not included.
    if ((types & bits) != bits || (name == "integer" && (types & kFractionBit))) continue;
    if (!out.empty()) out += " or ";
    out += name;
  }
  return out;
}

Status ValidateNode(const Node& n, const nlohmann::json& doc, const std::string& path) {
  if (n.accepts_nothing) return Error(path, "the schema accepts no value here");
  if ((KindOf(doc) & n.types) == 0) {
    return Error(path, "expected " + TypeNames(n.types) + ", got " + DescribeJson(doc));
  }
  if (n.enum_values &&
      std::find(n.enum_values->begin(), n.enum_values->end(), doc) == n.enum_values->end()) {
    return Error(path, DescribeJson(doc) + " is not one of the enum's values");
  }
  if (doc.is_object()) {
    for (const std::string& name : n.required) {
      if (!doc.contains(name)) return Error(path, "missing required property \"" + name + "\"");
    }
    for (auto it = doc.begin(); it != doc.end(); ++it) {
      auto p = n.properties.find(it.key());
      const Node* sub = p != n.properties.end() ? p->second : n.additional;
      if (sub == nullptr) continue;
      if (Status s = ValidateNode(*sub, it.value(), path + "/" + JsonPointerEscape(it.key()));
          !s.ok()) {
        return s;
      }
    }
  }
  if (doc.is_array() && n.items != nullptr) {
    for (size_t i = 0; i < doc.size(); ++i) {
      if (Status s = ValidateNode(*n.items, doc[i], path + "/" + std::to_string(i)); !s.ok()) {
        return s;
      }
    }
  }
  return Status::Ok();
}

// The node `true` stands for where a schema leaves a subschema out.
const Node kAny;

// Whether every document valid under `w` is valid under `r` (nullptr: any document).
class Inclusion {
 public:
  Status Check(const Node* w_ptr, const Node* r_ptr, const std::string& path) {
    // A reader that states nothing (absent: kAny) accepts every document, and a node includes
    // itself. Both end the walk: an array of any items in writer and reader once recursed into
    // kAny's items forever (found by fuzz/json_schema_fuzz).
    if (r_ptr == nullptr || w_ptr == r_ptr) return Status::Ok();
    const Node& w = w_ptr != nullptr ? *w_ptr : kAny;
    const Node& r = r_ptr != nullptr ? *r_ptr : kAny;
    if (w.accepts_nothing) return Status::Ok();
    if (r.accepts_nothing) return Error(path, "the reader accepts no value where the writer does");
    if (w.enum_values) {
      // The writer's documents are exactly its enum's values that pass its other constraints.
      for (const nlohmann::json& v : *w.enum_values) {
        if (!ValidateNode(w, v, "").ok()) continue;
        if (Status s = ValidateNode(r, v, ""); !s.ok()) {
          return Error(path, "the writer's enum value " + DescribeJson(v) +
                                 " is not accepted by the reader (" + s.message() + ")");
        }
      }
      return Status::Ok();
    }
    if (const uint8_t extra = w.types & ~r.types; extra != 0) {
      return Error(path, "the writer accepts " +
                             TypeNames(extra == kFractionBit ? (extra | kIntegerBit) : extra) +
                             " but the reader accepts only " + TypeNames(r.types));
    }
    if (r.enum_values) {
      const bool only_null =
          w.types == kNullBit && std::find(r.enum_values->begin(), r.enum_values->end(),
                                           nlohmann::json(nullptr)) != r.enum_values->end();
      if (!only_null) {
        return Error(path, "the reader allows only its enum's values but the writer has no enum");
      }
    }
    if (w.types & kObjectBit) {
      if (Status s = CheckObject(w, r, path); !s.ok()) return s;
    }
    if (w.types & kArrayBit) return Check(w.items, r.items, path + "/items");
    return Status::Ok();
  }

 private:
  Status CheckObject(const Node& w, const Node& r, const std::string& path) {
    for (const std::string& name : r.required) {
      if (!w.required.count(name)) {
        return Status(Code::kInvalidInput, "property \"" + name + "\" at " +
                                               (path.empty() ? "/" : path) +
                                               " is required by the reader but not by the writer");
      }
    }
    std::set<std::string> names;
    for (const auto& [name, sub] : w.properties) names.insert(name);
    for (const auto& [name, sub] : r.properties) names.insert(name);
    for (const std::string& name : names) {
      auto wp = w.properties.find(name);
      // A writer that leaves additionalProperties unstated writes only what it declares.
      if (wp == w.properties.end() && !w.additional_explicit) continue;
      auto rp = r.properties.find(name);
      const Node* ws = wp != w.properties.end() ? wp->second : w.additional;
      const Node* rs = rp != r.properties.end() ? rp->second : r.additional;
      if (Status s = Check(ws, rs, path + "/properties/" + JsonPointerEscape(name)); !s.ok())
        return s;
    }
    if (!w.additional_explicit) return Status::Ok();
    return Check(w.additional, r.additional, path + "/additionalProperties");
  }
};

}  // namespace

Result<Schema> ParseSchema(std::string_view json_text) {
  Result<nlohmann::json> json = ParseBoundedJson(json_text);
  if (!json.ok()) return json.status();
  auto nodes = std::make_shared<std::deque<Node>>();
  Result<const Node*> root = Parser(nodes.get()).Parse(*json, "");
  if (!root.ok()) return root.status();
  Schema schema;
  schema.root_ = *root;
  schema.nodes_ = std::move(nodes);
  schema.normalized_form_ = json->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return schema;
}

Status Validate(const Schema& schema, const nlohmann::json& document) {
  return ValidateNode(schema.root(), document, "");
}

Status CanRead(const Schema& reader, const Schema& writer) {
  return Inclusion().Check(&writer.root(), &reader.root(), "");
}

Status CheckCompatibility(Compatibility mode, const Schema& proposed,
                          const std::vector<const Schema*>& earlier, int64_t first_version_number) {
  return CheckAgainstVersions(mode, proposed, earlier, CanRead, first_version_number);
}

}  // namespace meshsim::json_schema

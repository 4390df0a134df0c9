// The parser keeps every Node in one deque (stable addresses) and a table of the named types
// defined so far, so a reference by name, a recursive one included, resolves to the defining Node.
// Field defaults are checked after the whole schema is parsed, when every type they may mention
// is complete.
#include "sim/serde/avro/schema.h"

#include <map>
#include <set>
#include <utility>

#include "sim/serde/avro/datum.h"
#include "sim/text/bounded_json.h"

namespace meshsim::avro {
namespace {

constexpr int kMaxTypeDepth = 64;

constexpr std::pair<std::string_view, Type> kPrimitives[] = {
    {"null", Type::kNull},   {"boolean", Type::kBoolean}, {"int", Type::kInt},
    {"long", Type::kLong},   {"float", Type::kFloat},     {"double", Type::kDouble},
    {"bytes", Type::kBytes}, {"string", Type::kString},
};

std::optional<Type> PrimitiveType(std::string_view name) {
  for (const auto& [n, t] : kPrimitives) {
    if (n == name) return t;
  }
  return std::nullopt;
}

bool IsValidName(std::string_view name) {
  if (name.empty()) return false;
  for (size_t i = 0; i < name.size(); ++i) {
    const char c = name[i];
    const bool letter = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_';
    if (!letter && !(i > 0 && c >= '0' && c <= '9')) return false;
  }
  return true;
}

bool IsValidNamespace(std::string_view space) {
  if (space.empty()) return true;
  for (size_t start = 0;;) {
    const size_t dot = space.find('.', start);
    if (!IsValidName(space.substr(start, dot - start))) return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

std::string Qualify(const std::string& name, const std::string& space) {
  if (name.find('.') != std::string::npos || space.empty()) return name;
  return space + "." + name;
}

std::string Display(const std::string& path) { return path.empty() ? "/" : path; }

class Parser {
 public:
  explicit Parser(std::deque<Node>* nodes) : nodes_(nodes) {}

  Result<const Node*> ParseType(const nlohmann::json& j, const std::string& space,
                                const std::string& path, int depth) {
    if (depth > kMaxTypeDepth) {
      return Error(path, "types nested deeper than " + std::to_string(kMaxTypeDepth) + " levels");
    }
    if (j.is_string()) return ParseName(j.get<std::string>(), space, path);
    if (j.is_array()) return ParseUnion(j, space, path, depth);
    if (!j.is_object())
      return Error(path, "a type must be a string, object or array, not " + DescribeJson(j));
    auto type_it = j.find("type");
    if (type_it == j.end()) return Error(path, "missing \"type\"");
    if (!type_it->is_string()) {
      // {"type": {...}} and {"type": [...]} nest a type, as Avro's own parsers allow.
      return ParseType(*type_it, space, path + "/type", depth + 1);
    }
    const std::string type = type_it->get<std::string>();
    bool reference = false;
    Result<const Node*> node = [&]() -> Result<const Node*> {
      if (auto primitive = PrimitiveType(type)) return &New(*primitive);
      if (type == "record" || type == "error") return ParseRecord(j, space, path, depth);
      if (type == "enum") return ParseEnum(j, space, path);
      if (type == "fixed") return ParseFixed(j, space, path);
      if (type == "array" || type == "map") {
        const char* key = type == "array" ? "items" : "values";
        auto it = j.find(key);
        if (it == j.end()) return Error(path, type + " is missing \"" + key + "\"");
        Result<const Node*> items = ParseType(*it, space, path + "/" + key, depth + 1);
        if (!items.ok()) return items;
        Node& n = New(type == "array" ? Type::kArray : Type::kMap);
        n.items = *items;
        return &n;
      }
      reference = true;
      return ParseName(type, space, path + "/type");  // {"type": "SomeNamedType"}
    }();
    if (!node.ok()) return node;
    // A reference shares the named type's node, which its definition annotates.
    if (auto it = j.find("logicalType"); it != j.end() && it->is_string() && !reference) {
      // Every node lives in nodes_, which this parser owns and fills.
      const_cast<Node*>(*node)->logical_type = it->get<std::string>();
    }
    return node;
  }

  // Checks every field default now that all types are complete.
  Status CheckDefaults() {
    for (const auto& [record, index, path] : pending_defaults_) {
      Field& field = record->fields[index];
      std::string bytes;
      if (Status s = EncodeNode(*field.type, *field.default_value, true, &bytes); !s.ok()) {
        return Status(Code::kInvalidInput, "at " + path + ": default of field \"" + field.name +
                                               "\" does not match its type " +
                                               field.type->Describe() + ": " + s.message());
      }
      Result<nlohmann::json> datum = DecodeNode(*field.type, *field.type, bytes);
      if (!datum.ok()) return datum.status();
      field.default_datum = std::move(datum).value();
    }
    return Status::Ok();
  }

 private:
  static Status Error(const std::string& path, const std::string& message) {
    return Status(Code::kInvalidInput, "at " + Display(path) + ": " + message);
  }

  Node& New(Type type) {
    Node& n = nodes_->emplace_back();
    n.type = type;
    return n;
  }

  Result<const Node*> ParseName(const std::string& name, const std::string& space,
                                const std::string& path) {
    if (auto primitive = PrimitiveType(name)) return &New(*primitive);
    if (name.find('.') == std::string::npos && !space.empty()) {
      if (auto it = named_.find(space + "." + name); it != named_.end()) return it->second;
    }
    if (auto it = named_.find(name); it != named_.end()) return it->second;
    return Error(path, "unknown type " + nlohmann::json(name).dump());
  }

  Result<const Node*> ParseUnion(const nlohmann::json& j, const std::string& space,
                                 const std::string& path, int depth) {
    Node& n = New(Type::kUnion);
    std::set<std::string> seen;
    for (size_t i = 0; i < j.size(); ++i) {
      const std::string branch_path = path + "/" + std::to_string(i);
      Result<const Node*> branch = ParseType(j[i], space, branch_path, depth + 1);
      if (!branch.ok()) return branch;
      const Node& b = **branch;
      if (b.type == Type::kUnion) return Error(branch_path, "a union cannot contain a union");
      const std::string key = IsNamed(b.type) ? b.fullname : std::string(TypeName(b.type));
      if (!seen.insert(key).second) {
        return Error(branch_path, "duplicate union branch " + nlohmann::json(key).dump());
      }
      n.branches.push_back(&b);
    }
    return &n;
  }

  // Reads name, namespace and aliases into `n` and registers it. `space` is the enclosing one.
  Status DefineNamed(const nlohmann::json& j, const std::string& space, const std::string& path,
                     Node* n) {
    auto name_it = j.find("name");
    if (name_it == j.end() || !name_it->is_string()) {
      return Error(path, std::string(TypeName(n->type)) + " is missing a string \"name\"");
    }
    std::string name = name_it->get<std::string>();
    n->space = space;
    if (auto ns = j.find("namespace"); ns != j.end()) {
      if (!ns->is_string() && !ns->is_null()) return Error(path + "/namespace", "not a string");
      n->space = ns->is_string() ? ns->get<std::string>() : "";
    }
    if (const size_t dot = name.rfind('.'); dot != std::string::npos) {
      n->space = name.substr(0, dot);
      name = name.substr(dot + 1);
    }
    if (!IsValidName(name)) return Error(path + "/name", "invalid name " + name_it->dump());
    if (!IsValidNamespace(n->space)) {
      return Error(path + "/namespace", "invalid namespace " + nlohmann::json(n->space).dump());
    }
    if (PrimitiveType(name)) {
      return Error(path + "/name", "a primitive type name cannot name a type: " + name_it->dump());
    }
    n->name = name;
    n->fullname = Qualify(name, n->space);
    if (auto aliases = j.find("aliases"); aliases != j.end()) {
      Status s = ReadAliases(*aliases, path + "/aliases", &n->aliases);
      if (!s.ok()) return s;
      for (auto& alias : n->aliases) alias = Qualify(alias, n->space);
    }
    if (!named_.emplace(n->fullname, n).second) {
      return Error(path + "/name",
                   "type " + nlohmann::json(n->fullname).dump() + " is already defined");
    }
    return Status::Ok();
  }

  static Status ReadAliases(const nlohmann::json& j, const std::string& path,
                            std::vector<std::string>* out) {
    if (!j.is_array()) return Error(path, "aliases must be an array of names");
    for (size_t i = 0; i < j.size(); ++i) {
      if (!j[i].is_string()) return Error(path + "/" + std::to_string(i), "alias is not a string");
      const std::string alias = j[i].get<std::string>();
      const size_t dot = alias.rfind('.');
      const bool valid = dot == std::string::npos ? IsValidName(alias)
                                                  : IsValidNamespace(alias.substr(0, dot)) &&
                                                        IsValidName(alias.substr(dot + 1));
      if (!valid) return Error(path + "/" + std::to_string(i), "invalid alias " + j[i].dump());
      out->push_back(alias);
    }
    return Status::Ok();
  }

  Result<const Node*> ParseRecord(const nlohmann::json& j, const std::string& space,
                                  const std::string& path, int depth) {
    Node& n = New(Type::kRecord);
    if (Status s = DefineNamed(j, space, path, &n); !s.ok()) return s;
    auto fields = j.find("fields");
    if (fields == j.end() || !fields->is_array()) {
      return Error(path, "record is missing a \"fields\" array");
    }
    for (size_t i = 0; i < fields->size(); ++i) {
      const nlohmann::json& f = (*fields)[i];
      const std::string fpath = path + "/fields/" + std::to_string(i);
      if (!f.is_object()) return Error(fpath, "a field must be an object");
      auto name = f.find("name");
      if (name == f.end() || !name->is_string()) return Error(fpath, "missing a string \"name\"");
      if (!IsValidName(name->get<std::string>())) {
        return Error(fpath + "/name", "invalid name " + name->dump());
      }
      if (n.FieldIndex(name->get<std::string>()) >= 0) {
        return Error(fpath + "/name", "duplicate field name " + name->dump());
      }
      auto type = f.find("type");
      if (type == f.end()) return Error(fpath, "missing \"type\"");
      Result<const Node*> t = ParseType(*type, n.space, fpath + "/type", depth + 1);
      if (!t.ok()) return t.status();
      Field field;
      field.name = name->get<std::string>();
      field.type = *t;
      if (auto aliases = f.find("aliases"); aliases != f.end()) {
        if (Status s = ReadAliases(*aliases, fpath + "/aliases", &field.aliases); !s.ok()) return s;
      }
      if (auto order = f.find("order"); order != f.end()) {
        const std::string o = order->is_string() ? order->get<std::string>() : "";
        if (o != "ascending" && o != "descending" && o != "ignore") {
          return Error(fpath + "/order",
                       "order must be \"ascending\", \"descending\" or \"ignore\"");
        }
        field.order = o == "ascending"    ? Order::kAscending
                      : o == "descending" ? Order::kDescending
                                          : Order::kIgnore;
      }
      if (auto def = f.find("default"); def != f.end()) {
        field.default_value = *def;
        pending_defaults_.push_back({&n, n.fields.size(), fpath + "/default"});
      }
      n.fields.push_back(std::move(field));
    }
    return &n;
  }

  Result<const Node*> ParseEnum(const nlohmann::json& j, const std::string& space,
                                const std::string& path) {
    Node& n = New(Type::kEnum);
    if (Status s = DefineNamed(j, space, path, &n); !s.ok()) return s;
    auto symbols = j.find("symbols");
    if (symbols == j.end() || !symbols->is_array()) {
      return Error(path, "enum is missing a \"symbols\" array");
    }
    for (size_t i = 0; i < symbols->size(); ++i) {
      const nlohmann::json& s = (*symbols)[i];
      const std::string spath = path + "/symbols/" + std::to_string(i);
      if (!s.is_string() || !IsValidName(s.get<std::string>())) {
        return Error(spath, "invalid symbol " + DescribeJson(s));
      }
      if (n.SymbolIndex(s.get<std::string>()) >= 0) {
        return Error(spath, "duplicate symbol " + s.dump());
      }
      n.symbols.push_back(s.get<std::string>());
    }
    if (auto def = j.find("default"); def != j.end()) {
      if (!def->is_string() || n.SymbolIndex(def->get<std::string>()) < 0) {
        return Error(path + "/default",
                     "enum default " + DescribeJson(*def) + " is not one of its symbols");
      }
      n.enum_default = def->get<std::string>();
    }
    return &n;
  }

  Result<const Node*> ParseFixed(const nlohmann::json& j, const std::string& space,
                                 const std::string& path) {
    Node& n = New(Type::kFixed);
    if (Status s = DefineNamed(j, space, path, &n); !s.ok()) return s;
    auto size = j.find("size");
    if (size == j.end() || !size->is_number_unsigned()) {
      return Error(path, "fixed is missing a non-negative integer \"size\"");
    }
    n.size = size->get<size_t>();
    return &n;
  }

  struct PendingDefault {
    Node* record;
    size_t field;
    std::string path;
  };

  std::deque<Node>* nodes_;
  std::map<std::string, Node*> named_;
  std::vector<PendingDefault> pending_defaults_;
};

}  // namespace

std::string_view TypeName(Type type) {
  switch (type) {
    case Type::kNull:
      return "null";
    case Type::kBoolean:
      return "boolean";
    case Type::kInt:
      return "int";
    case Type::kLong:
      return "long";
    case Type::kFloat:
      return "float";
    case Type::kDouble:
      return "double";
    case Type::kBytes:
      return "bytes";
    case Type::kString:
      return "string";
    case Type::kRecord:
      return "record";
    case Type::kEnum:
      return "enum";
    case Type::kArray:
      return "array";
    case Type::kMap:
      return "map";
    case Type::kUnion:
      return "union";
    case Type::kFixed:
      return "fixed";
  }
  return "unknown";
}

bool IsNamed(Type type) {
  return type == Type::kRecord || type == Type::kEnum || type == Type::kFixed;
}

int Node::FieldIndex(std::string_view field_name) const {
  for (size_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == field_name) return static_cast<int>(i);
  }
  return -1;
}

int Node::SymbolIndex(std::string_view symbol) const {
  for (size_t i = 0; i < symbols.size(); ++i) {
    if (symbols[i] == symbol) return static_cast<int>(i);
  }
  return -1;
}

std::string Node::Describe() const {
  std::string out(TypeName(type));
  if (IsNamed(type)) return out + " " + fullname;
  if (type == Type::kArray || type == Type::kMap) {
    const Node& inner = *items;
    return out + "<" + (IsNamed(inner.type) ? inner.fullname : std::string(TypeName(inner.type))) +
           ">";
  }
  if (type == Type::kUnion) {
    out += " [";
    for (size_t i = 0; i < branches.size(); ++i) {
      if (i > 0) out += ", ";
      const Node& b = *branches[i];
      out += IsNamed(b.type) ? b.fullname : std::string(TypeName(b.type));
    }
    out += "]";
  }
  return out;
}

Result<Schema> ParseSchema(std::string_view json_text) {
  Result<nlohmann::json> json = ParseBoundedJson(json_text);
  if (!json.ok()) return json.status();
  auto nodes = std::make_shared<std::deque<Node>>();
  Parser parser(nodes.get());
  Result<const Node*> root = parser.ParseType(*json, "", "", 0);
  if (!root.ok()) return root.status();
  if (Status s = parser.CheckDefaults(); !s.ok()) return s;
  Schema schema;
  schema.root_ = *root;
  schema.nodes_ = std::move(nodes);
  schema.canonical_form_ = CanonicalForm(*schema.root_, false);
  schema.normalized_form_ = CanonicalForm(*schema.root_, true);
  return schema;
}

}  // namespace meshsim::avro

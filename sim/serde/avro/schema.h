// The Avro schema model (Avro 1.11 specification, "Schema Declaration"), parsed from a schema's
// JSON text. Written here rather than taken from Apache Avro C++ because the compatibility checker
// (compatibility.h) must say which field broke which rule, and because it keeps Boost.Iostreams
// out of the build; the model is what the checker, the datum codec (datum.h) and the canonical
// forms walk.
//
// A Schema is an immutable graph of Nodes: a named type referenced by name, including a record
// referring to itself, points at the one Node that defines it. Copies share the graph.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/status.h"

namespace meshsim::avro {

enum class Type : uint8_t {
  kNull,
  kBoolean,
  kInt,
  kLong,
  kFloat,
  kDouble,
  kBytes,
  kString,
  kRecord,  // also "error", which Avro treats as a record
  kEnum,
  kArray,
  kMap,
  kUnion,
  kFixed,
};

// "null", "boolean", ..., "record", "enum", "array", "map", "union", "fixed".
std::string_view TypeName(Type type);
bool IsNamed(Type type);  // record, enum, fixed

struct Node;

enum class Order : uint8_t { kAscending, kDescending, kIgnore };

struct Field {
  std::string name;
  std::vector<std::string> aliases;
  const Node* type = nullptr;
  // The default as written in the schema (Avro's JSON encoding of a default: a union's default is
  // a value of its first branch, bytes and fixed are strings of code points 0-255).
  std::optional<nlohmann::json> default_value;
  // The default as a datum of `type` (datum.h's mapping), what a reader fills in when the writer
  // lacks the field. Set exactly when default_value is.
  std::optional<nlohmann::json> default_datum;
  Order order = Order::kAscending;
};

struct Node {
  Type type = Type::kNull;
  // The logicalType annotation ("timestamp-micros", "decimal", ...), empty when absent. Kept as an
  // annotation only: it changes neither the encoding nor resolution.
  std::string logical_type;

  // Named types (record, enum, fixed).
  std::string name;                  // unqualified
  std::string space;                 // the namespace; empty for the null namespace
  std::string fullname;              // space.name, or name in the null namespace
  std::vector<std::string> aliases;  // as full names

  std::vector<Field> fields;                // record
  std::vector<std::string> symbols;         // enum
  std::optional<std::string> enum_default;  // enum: the symbol a reader uses for unknown ones
  const Node* items = nullptr;              // array items, map values
  std::vector<const Node*> branches;        // union
  size_t size = 0;                          // fixed

  // Index into fields / symbols, or -1.
  int FieldIndex(std::string_view field_name) const;
  int SymbolIndex(std::string_view symbol) const;
  // "int", "record meshsim.Interaction", "union [null, string]": for messages.
  std::string Describe() const;
};

class Schema {
 public:
  const Node& root() const { return *root_; }

  // The specification's Parsing Canonical Form: full names, only the attributes that affect the
  // binary encoding, in a fixed order, no whitespace. Two schemas with the same canonical form
  // read and write the same bytes.
  const std::string& canonical_form() const { return canonical_form_; }

  // The canonical form plus what resolution depends on: field and enum defaults, aliases, field
  // order and logical types. Schemas with the same normalized form are the same schema in every
  // respect a registry cares about; the canonical form alone would call a schema that only gains
  // a default "identical" to the one without it.
  const std::string& normalized_form() const { return normalized_form_; }

 private:
  friend Result<Schema> ParseSchema(std::string_view json_text);
  Schema() = default;  // only ParseSchema makes one, so root() always has a node

  std::shared_ptr<const std::deque<Node>> nodes_;
  const Node* root_ = nullptr;
  std::string canonical_form_;
  std::string normalized_form_;
};

// Parses and validates a schema by the specification's rules: names match [A-Za-z_][A-Za-z0-9_]*
// (each dotted part of a namespace too) and are not primitive type names, a named type is defined
// once and before it is referenced, no duplicate field names or enum symbols, no two union branches
// of the same type (or the same name for named types), no union directly inside a union, an enum
// default among the symbols, and a field default that matches the field's type (for a union, its
// first branch). Types nest at most 64 levels.
//
// Errors are InvalidInputException naming the JSON pointer into the schema text:
//   at /fields/2/type: unknown type "strng"
Result<Schema> ParseSchema(std::string_view json_text);

// The canonical (or with `normalized`, the normalized) form of the graph at `root`.
std::string CanonicalForm(const Node& root, bool normalized);

}  // namespace meshsim::avro

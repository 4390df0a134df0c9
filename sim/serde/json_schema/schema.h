// JSON Schema (draft-07), the Glue Schema Registry's second data format, in the subset a data
// product's records need: type (one name or a list), enum and const, properties, required,
// additionalProperties (a boolean or a schema), items (one schema), nested to any depth, and the
// boolean schemas true and false. Annotations ($schema, $id, $comment, title, description,
// default, examples, format, readOnly, writeOnly) are accepted and ignored. Any other keyword is
// refused rather than ignored, so that Validate and the compatibility check never give a verdict
// about a constraint they did not understand.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/status.h"
#include "sim/ports/compatibility_mode.h"

namespace meshsim::json_schema {

// The JSON types as bits. "number" is integer | fraction: an integer is also a number.
enum TypeBits : uint8_t {
  kNullBit = 1,
  kBooleanBit = 2,
  kIntegerBit = 4,
  kFractionBit = 8,
  kStringBit = 16,
  kArrayBit = 32,
  kObjectBit = 64,
  kAllTypes = 127,
};

struct Node {
  bool accepts_nothing = false;  // the schema false
  uint8_t types = kAllTypes;
  std::optional<std::vector<nlohmann::json>> enum_values;  // enum, or const as a one-value enum
  std::map<std::string, const Node*> properties;
  std::set<std::string> required;
  // Properties not in `properties`: nullptr accepts any value. `additional_explicit` tells an
  // "additionalProperties" the schema states from one it leaves out (see compatibility below).
  const Node* additional = nullptr;
  bool additional_explicit = false;
  const Node* items = nullptr;  // nullptr accepts any item
};

class Schema {
 public:
  const Node& root() const { return *root_; }
  // The document with its keys sorted and no whitespace: equal for schemas that differ only in
  // layout and key order.
  const std::string& normalized_form() const { return normalized_form_; }

 private:
  friend Result<Schema> ParseSchema(std::string_view json_text);
  Schema() = default;  // only ParseSchema makes one, so root() always has a node

  std::shared_ptr<const std::deque<Node>> nodes_;
  const Node* root_ = nullptr;
  std::string normalized_form_;
};

// InvalidInputException naming the JSON pointer into the schema:
//   at /properties/age/type: unknown type "int"
Result<Schema> ParseSchema(std::string_view json_text);

// OK when `document` is valid; InvalidInputException naming the document's JSON pointer:
//   at /age: expected integer, got "12"
Status Validate(const Schema& schema, const nlohmann::json& document);

// OK when every document valid under `writer` is valid under `reader` (the reader accepts a
// superset); else InvalidInputException naming the schema path and the rule. Sound, not complete:
// it may refuse a pair whose enum-free reader happens to cover a type by enumeration.
//
// One reading departs from pure set inclusion, as producers behave: a writer whose schema does
// not state "additionalProperties" is taken to write only the properties it declares. So adding
// an optional property is BACKWARD compatible, as it is under Avro; a writer that does state
// "additionalProperties": true (or a schema) is taken at its word.
//
// Under the registry's modes (BACKWARD: the new schema reads documents of the old):
//   compatible:   adding an optional property, removing a required one, widening a type
//                 (integer to number, adding a type), adding an enum value, making a required
//                 property optional.
//   incompatible: adding a required property, narrowing a type, removing an enum value the old
//                 schema allowed, closing additionalProperties the old schema left open on purpose.
Status CanRead(const Schema& reader, const Schema& writer);

// As avro::CheckCompatibility, for JSON Schema.
Status CheckCompatibility(Compatibility mode, const Schema& proposed,
                          const std::vector<const Schema*>& earlier,
                          int64_t first_version_number = 1);

}  // namespace meshsim::json_schema

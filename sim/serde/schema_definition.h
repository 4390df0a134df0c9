// A schema definition parsed in its data format (Avro or JSON Schema), so that the registry and
// the producers and consumers that serialise with registered schemas handle either format through
// one type: parse, compare by normalized form, check compatibility.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/core/status.h"
#include "sim/ports/compatibility_mode.h"
#include "sim/ports/data_format.h"
#include "sim/serde/avro/schema.h"
#include "sim/serde/json_schema/schema.h"

namespace meshsim {

class SchemaDefinition {
 public:
  // InvalidInputException from the format's parser ("at /fields/2/type: unknown type ...").
  static Result<SchemaDefinition> Parse(DataFormat format, std::string_view text);

  DataFormat format() const {
    return std::holds_alternative<avro::Schema>(schema_) ? DataFormat::kAvro : DataFormat::kJson;
  }
  // Null when the definition is of the other format.
  const avro::Schema* avro() const { return std::get_if<avro::Schema>(&schema_); }
  const json_schema::Schema* json() const { return std::get_if<json_schema::Schema>(&schema_); }
  // Equal for definitions that are the same schema (avro::Schema::normalized_form()).
  const std::string& normalized_form() const;

 private:
  explicit SchemaDefinition(std::variant<avro::Schema, json_schema::Schema> schema)
      : schema_(std::move(schema)) {}

  std::variant<avro::Schema, json_schema::Schema> schema_;
};

// The format's CheckCompatibility. REQUIRES: all definitions are of one format.
Status CheckCompatibility(Compatibility mode, const SchemaDefinition& proposed,
                          const std::vector<const SchemaDefinition*>& earlier,
                          int64_t first_version_number = 1);

}  // namespace meshsim

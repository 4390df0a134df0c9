#include "sim/serde/schema_definition.h"

#include <utility>

#include "sim/serde/avro/compatibility.h"

namespace meshsim {

Result<SchemaDefinition> SchemaDefinition::Parse(DataFormat format, std::string_view text) {
  if (format == DataFormat::kAvro) {
    Result<avro::Schema> schema = avro::ParseSchema(text);
    if (!schema.ok()) return schema.status();
    return SchemaDefinition(std::move(schema).value());
  }
  Result<json_schema::Schema> schema = json_schema::ParseSchema(text);
  if (!schema.ok()) return schema.status();
  return SchemaDefinition(std::move(schema).value());
}

const std::string& SchemaDefinition::normalized_form() const {
  if (const avro::Schema* a = avro()) return a->normalized_form();
  return json()->normalized_form();
}

Status CheckCompatibility(Compatibility mode, const SchemaDefinition& proposed,
                          const std::vector<const SchemaDefinition*>& earlier,
                          int64_t first_version_number) {
  return CheckAgainstVersions(
      mode, proposed, earlier,
      [](const SchemaDefinition& reader, const SchemaDefinition& writer) {
        if (reader.avro() != nullptr && writer.avro() != nullptr) {
          return avro::CanRead(*reader.avro(), *writer.avro());
        }
        if (reader.json() != nullptr && writer.json() != nullptr) {
          return json_schema::CanRead(*reader.json(), *writer.json());
        }
        return Status(Code::kInvalidInput, "the versions are of different data formats");
      },
      first_version_number);
}

}  // namespace meshsim

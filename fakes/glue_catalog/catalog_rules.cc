#include "fakes/glue_catalog/catalog_rules.h"

#include <algorithm>
#include <charconv>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/ids.h"
#include "sim/text/ascii.h"

namespace meshsim::fakes::internal {
namespace {

constexpr size_t kMaxNameChars = 255;                // NameString, KeyString, CommentString
constexpr size_t kMaxDescriptionChars = 2048;        // DescriptionString
constexpr size_t kMaxLocationChars = 2056;           // LocationString
constexpr size_t kMaxFormatChars = 128;              // FormatString
constexpr size_t kMaxColumnTypeChars = 131072;       // ColumnTypeString
constexpr size_t kMaxValueChars = 1024;              // ValueString (a partition value)
constexpr size_t kMaxParameterValueChars = 512000;   // ParametersMapValue
constexpr size_t kMaxArnChars = 10240;               // GlueResourceArn
constexpr int64_t kMaxSchemaVersionNumber = 100000;  // VersionLongNumber

Status Invalid(std::string message) { return Status(Code::kInvalidInput, std::move(message)); }

// `allow_newlines`: Glue's multi-line pattern (descriptions, locations) admits \r and \n.
bool HasControl(std::string_view text, bool allow_newlines) {
  return std::any_of(text.begin(), text.end(), [&](char c) {
    auto u = static_cast<unsigned char>(c);
    if (c == '\t' || (allow_newlines && (c == '\r' || c == '\n'))) return false;
    return u < 0x20 || u == 0x7F;
  });
}

// An optional string field: at most `max` characters, Glue's pattern.
Status CheckText(std::string_view field, std::string_view text, size_t max, bool allow_newlines) {
  if (CharCount(text) > max) {
    return Invalid(std::string(field) + NumberedId(" must be at most ", max) + " characters");
  }
  if (HasControl(text, allow_newlines)) {
    return Invalid(std::string(field) + " must not contain control characters");
  }
  return Status::Ok();
}

Status CheckParameters(std::string_view field, const std::map<std::string, std::string>& map) {
  for (const auto& [key, value] : map) {
    if (Status s = CheckName(std::string(field) + " key", key); !s.ok()) return s;
    if (CharCount(value) > kMaxParameterValueChars) {
      return Invalid(std::string(field) + " value of " + key +
                     " must be at most 512000 characters");
    }
  }
  return Status::Ok();
}

Status CheckSerDe(const SerDeInfo& serde) {
  if (!serde.name.empty()) {
    if (Status s = CheckName("SerdeInfo.Name", serde.name); !s.ok()) return s;
  }
  if (!serde.serialization_library.empty()) {
    if (Status s = CheckName("SerdeInfo.SerializationLibrary", serde.serialization_library);
        !s.ok()) {
      return s;
    }
  }
  return CheckParameters("SerdeInfo.Parameters", serde.parameters);
}

// SchemaRegistryNameString: 1-255 of [a-zA-Z0-9-_$#.].
Status CheckRegistryName(std::string_view field, std::string_view name) {
  bool ok = !name.empty() && name.size() <= kMaxNameChars &&
            std::all_of(name.begin(), name.end(), [](char c) {
              return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                     c == '-' || c == '_' || c == '$' || c == '#' || c == '.';
            });
  if (ok) return Status::Ok();
  return Invalid(std::string(field) + " must be 1-255 characters of a-z, A-Z, 0-9 and -_$#.");
}

Status CheckSchemaReference(const SchemaReference& ref) {
  const bool by_id = !ref.schema_name.empty() || !ref.schema_arn.empty();
  if (!by_id && ref.schema_version_id.empty()) {
    return Invalid("SchemaReference needs SchemaId (SchemaArn or SchemaName) or SchemaVersionId");
  }
  if (!ref.schema_name.empty()) {
    if (Status s = CheckRegistryName("SchemaReference.SchemaId.SchemaName", ref.schema_name);
        !s.ok()) {
      return s;
    }
  }
  if (!ref.registry_name.empty()) {
    if (Status s = CheckRegistryName("SchemaReference.SchemaId.RegistryName", ref.registry_name);
        !s.ok()) {
      return s;
    }
  }
  if (!ref.schema_arn.empty()) {
    std::string_view arn = ref.schema_arn;
    bool ok = arn.size() <= kMaxArnChars &&
              (arn.starts_with("arn:aws:glue:") || arn.starts_with("arn:aws-us-gov:glue:") ||
               arn.starts_with("arn:aws-cn:glue:"));
    if (!ok) {
      return Invalid("SchemaReference.SchemaId.SchemaArn must be a Glue ARN (arn:aws:glue:...)");
    }
  }
  if (!ref.schema_version_id.empty()) {
    // [a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}
    std::string_view id = ref.schema_version_id;
    bool ok = id.size() == 36;
    for (size_t i = 0; ok && i < id.size(); ++i) {
      bool dash = i == 8 || i == 13 || i == 18 || i == 23;
      ok = dash ? id[i] == '-' : (id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f');
    }
    if (!ok) return Invalid("SchemaReference.SchemaVersionId must be a lower-case UUID");
  }
  if (ref.schema_version_number < 0 || ref.schema_version_number > kMaxSchemaVersionNumber) {
    return Invalid("SchemaReference.SchemaVersionNumber must be 1-100000");
  }
  return Status::Ok();
}

// `which` names the list in messages: "column 3", "partition key 1".
Status CheckColumns(std::string_view which, const std::vector<Column>& columns) {
  for (size_t i = 0; i < columns.size(); ++i) {
    const Column& column = columns[i];
    std::string field = NumberedId(which, i + 1);
    if (Status s = CheckName("Name of " + field, column.name); !s.ok()) return s;
    if (Status s = CheckText("Type of " + field, column.type, kMaxColumnTypeChars, false);
        !s.ok()) {
      return s;
    }
    if (Status s = CheckText("Comment of " + field, column.comment, kMaxNameChars, false);
        !s.ok()) {
      return s;
    }
  }
  return Status::Ok();
}

}  // namespace

size_t CharCount(std::string_view text) {
  return static_cast<size_t>(std::count_if(text.begin(), text.end(), [](char c) {
    return (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  }));
}

Status CheckName(std::string_view field, std::string_view name) {
  size_t chars = CharCount(name);
  if (chars == 0 || chars > kMaxNameChars) {
    return Invalid(std::string(field) + " must be 1-255 characters");
  }
  if (HasControl(name, false) || name.find('\t') != std::string_view::npos) {
    return Invalid(std::string(field) + " must not contain control characters");
  }
  return Status::Ok();
}

Table Normalized(const Table& table) {
  Table out = table;
  out.database = AsciiLower(table.database);
  out.name = AsciiLower(table.name);
  out.version_id.clear();
  return out;
}

Status CheckTable(const Table& table) {
  if (Status s = CheckName("Database name", table.database); !s.ok()) return s;
  if (Status s = CheckName("Table name", table.name); !s.ok()) return s;
  if (Status s = CheckText("Description", table.description, kMaxDescriptionChars, true); !s.ok()) {
    return s;
  }
  if (!table.owner_domain.empty()) {
    if (Status s = CheckName("Owner", table.owner_domain); !s.ok()) return s;
  }
  if (Status s = CheckText("Location", table.location, kMaxLocationChars, true); !s.ok()) return s;
  if (Status s = CheckText("InputFormat", table.input_format, kMaxFormatChars, false); !s.ok()) {
    return s;
  }
  if (Status s = CheckText("OutputFormat", table.output_format, kMaxFormatChars, false); !s.ok()) {
    return s;
  }
  if (Status s = CheckColumns("column ", table.columns); !s.ok()) return s;
  if (Status s = CheckColumns("partition key ", table.partition_keys); !s.ok()) return s;
  // Athena and Hive resolve column names case-insensitively, so "id" and "ID" are one column to
  // every engine that reads the table, and a partition key is a column as well.
  std::set<std::string> seen;
  for (const Column& column : table.columns) {
    if (!seen.insert(AsciiLower(column.name)).second) {
      return Invalid("Duplicate column name " + column.name + " in table " + table.name);
    }
  }
  for (size_t i = 0; i < table.partition_keys.size(); ++i) {
    const Column& key = table.partition_keys[i];
    if (!seen.insert(AsciiLower(key.name)).second) {
      return Invalid("Partition key " + key.name + " duplicates a column name in table " +
                     table.name);
    }
    // Glue: "Only primitive types are supported as partition keys."
    std::string type = AsciiLower(key.type);
    if (type.empty() || type.starts_with("array") || type.starts_with("map") ||
        type.starts_with("struct") || type.starts_with("uniontype")) {
      return Invalid(NumberedId("Type of partition key ", i + 1) + " (" + key.name +
                     ") must be a primitive type");
    }
  }
  if (Status s = CheckParameters("Parameter", table.parameters); !s.ok()) return s;
  if (Status s = CheckSerDe(table.serde); !s.ok()) return s;
  if (table.schema_reference) return CheckSchemaReference(*table.schema_reference);
  return Status::Ok();
}

Status CheckPartition(const Partition& partition, const std::vector<Column>& keys) {
  if (partition.values.size() != keys.size()) {
    // Glue's own wording.
    return Invalid("The number of partition keys do not match the number of partition values");
  }
  for (size_t i = 0; i < partition.values.size(); ++i) {
    if (CharCount(partition.values[i]) > kMaxValueChars) {
      return Invalid(NumberedId("Value ", i + 1) + " (" + keys[i].name +
                     ") must be at most 1024 characters");
    }
  }
  if (Status s = CheckText("Location", partition.location, kMaxLocationChars, true); !s.ok()) {
    return s;
  }
  if (Status s = CheckText("InputFormat", partition.input_format, kMaxFormatChars, false);
      !s.ok()) {
    return s;
  }
  if (Status s = CheckText("OutputFormat", partition.output_format, kMaxFormatChars, false);
      !s.ok()) {
    return s;
  }
  if (Status s = CheckSerDe(partition.serde); !s.ok()) return s;
  return CheckParameters("Parameter", partition.parameters);
}

std::string EncodeValues(const std::vector<std::string>& values) {
  std::string out;
  for (const std::string& value : values) {
    out += std::to_string(value.size());
    out += ':';
    out += value;
  }
  return out;
}

std::vector<std::string> DecodeValues(std::string_view encoded) {
  std::vector<std::string> out;
  while (!encoded.empty()) {
    size_t colon = encoded.find(':');
    size_t size = 0;
    std::from_chars(encoded.data(), encoded.data() + colon, size);
    out.emplace_back(encoded.substr(colon + 1, size));
    encoded.remove_prefix(std::min(encoded.size(), colon + 1 + size));
  }
  return out;
}

}  // namespace meshsim::fakes::internal

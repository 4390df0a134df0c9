// The data formats a schema registry holds definitions in, as Glue names them. The port's word,
// so that callers and implementations agree on it without depending on any format's library.
#pragma once

#include <optional>
#include <string_view>

namespace meshsim {

enum class DataFormat { kAvro, kJson };  // Glue's PROTOBUF is not supported

// "AVRO", "JSON"
inline std::string_view DataFormatName(DataFormat format) {
  return format == DataFormat::kAvro ? "AVRO" : "JSON";
}

// The format Glue calls `name`; nullopt for another name.
inline std::optional<DataFormat> DataFormatFromName(std::string_view name) {
  if (name == "AVRO") return DataFormat::kAvro;
  if (name == "JSON") return DataFormat::kJson;
  return std::nullopt;
}

}  // namespace meshsim

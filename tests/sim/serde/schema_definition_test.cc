#include "sim/serde/schema_definition.h"

#include <catch2/catch.hpp>

#include "tests/support/parse_ok.h"

namespace meshsim {
namespace {

SchemaDefinition Avro(const std::string& text) {
  return testing::ParseOk(
      [](const std::string& t) { return SchemaDefinition::Parse(DataFormat::kAvro, t); }, text);
}

SchemaDefinition Json(const std::string& text) {
  return testing::ParseOk(
      [](const std::string& t) { return SchemaDefinition::Parse(DataFormat::kJson, t); }, text);
}

TEST_CASE("a schema definition carries either format through one type") {
  const SchemaDefinition a = Avro(R"({"type":"int"})");
  CHECK(a.format() == DataFormat::kAvro);
  REQUIRE(a.avro() != nullptr);
  CHECK(a.json() == nullptr);
  CHECK(a.normalized_form() == "\"int\"");
  const SchemaDefinition j = Json(R"({"type":"integer"})");
  CHECK(j.format() == DataFormat::kJson);
  CHECK(j.json() != nullptr);
  CHECK(DataFormatFromName("AVRO") == DataFormat::kAvro);
  CHECK(DataFormatFromName("JSON") == DataFormat::kJson);
  CHECK_FALSE(DataFormatFromName("PROTOBUF").has_value());
  CHECK(DataFormatName(DataFormat::kJson) == "JSON");
  CHECK(SchemaDefinition::Parse(DataFormat::kJson, R"({"type":"int"})").status().code() ==
        Code::kInvalidInput);
}

TEST_CASE("compatibility is checked by the definitions' own format") {
  const SchemaDefinition avro_int = Avro("\"int\"");
  const SchemaDefinition avro_long = Avro("\"long\"");
  CHECK(CheckCompatibility(Compatibility::kBackward, avro_long, {&avro_int}).ok());
  CHECK_FALSE(CheckCompatibility(Compatibility::kForward, avro_long, {&avro_int}).ok());
  const SchemaDefinition json_integer = Json(R"({"type":"integer"})");
  const SchemaDefinition json_number = Json(R"({"type":"number"})");
  CHECK(CheckCompatibility(Compatibility::kBackward, json_number, {&json_integer}).ok());
  CHECK_FALSE(CheckCompatibility(Compatibility::kForward, json_number, {&json_integer}).ok());
  CHECK(CheckCompatibility(Compatibility::kBackward, json_number, {&avro_int})
            .message()
            .find("different data formats") != std::string::npos);
}

}  // namespace
}  // namespace meshsim

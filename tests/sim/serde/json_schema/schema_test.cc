#include "sim/serde/json_schema/schema.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "tests/support/parse_ok.h"

namespace meshsim::json_schema {
namespace {

using nlohmann::json;

Schema Parse(const std::string& text) { return testing::ParseOk(ParseSchema, text); }

const char* kUser = R"({
  "$schema": "http://json-schema.org/draft-07/schema#", "title": "User", "type": "object",
  "properties": {
    "user_id": {"type": "string"},
    "age": {"type": "integer"},
    "plan": {"enum": ["free", "premium"]},
    "tags": {"type": "array", "items": {"type": "string"}},
    "address": {"type": "object", "properties": {"city": {"type": "string"}},
                "required": ["city"], "additionalProperties": false}
  },
  "required": ["user_id"]})";

TEST_CASE("json schema documents validate with the JSON path of the bad value") {
  const Schema s = Parse(kUser);
  CHECK(Validate(s, {{"user_id", "u1"}, {"age", 30}, {"tags", {"a"}}}).ok());
  CHECK(Validate(s, {{"user_id", "u1"}, {"age", 30.0}}).ok());  // 30.0 is an integer
  CHECK(Validate(s, {{"age", 3}}).message() == R"(at /: missing required property "user_id")");
  CHECK(Validate(s, {{"user_id", "u"}, {"age", "12"}}).message() ==
        R"(at /age: expected integer, got "12")");
  CHECK(Validate(s, {{"user_id", "u"}, {"plan", "gold"}}).message() ==
        R"(at /plan: "gold" is not one of the enum's values)");
  CHECK(Validate(s, {{"user_id", "u"}, {"tags", {"a", 1}}}).message() ==
        "at /tags/1: expected string, got 1");
  CHECK(Validate(s, {{"user_id", "u"}, {"address", {{"city", "x"}, {"zip", "1"}}}}).message() ==
        "at /address/zip: the schema accepts no value here");
  CHECK(Validate(s, json::array()).message() == "at /: expected object, got an array");
}

TEST_CASE("json schema parse errors name the path and refuse what is not understood") {
  auto error = [](const std::string& text) {
    Result<Schema> s = ParseSchema(text);
    REQUIRE_FALSE(s.ok());
    CHECK(s.status().code() == Code::kInvalidInput);
    return s.status().message();
  };
  CHECK(error(R"({"properties":{"age":{"type":"int"}}})") ==
        R"(at /properties/age/type: unknown type "int")");
  CHECK(error(R"({"type":"string","minLength":3})") ==
        R"(at /minLength: unsupported keyword "minLength" (supported: type, enum, const, )"
        "properties, required, additionalProperties, items)");
  CHECK(error(R"({"required":["a","a"]})") == R"(at /required/1: duplicate "a")");
  CHECK(error(R"({"enum":[]})") == "at /enum: enum must be a non-empty array");
  CHECK(error(R"({"items":[{"type":"string"}]})") ==
        R"(at /items: tuple "items" (an array of schemas) is not supported)");
  CHECK(error("[").rfind("invalid JSON", 0) == 0);
  CHECK(ParseSchema("true").ok());
  CHECK(Parse(R"({ "type": "object", "required": [] })").normalized_form() ==
        Parse(R"({"required":[],"type":"object"})").normalized_form());
}

struct Row {
  const char* what;
  std::string old_schema;
  std::string new_schema;
  bool backward;  // the new schema accepts every document the old one did
  bool forward;   // and the other way round
};

std::string Object(const std::string& properties, const std::string& required = "[]",
                   const std::string& extra = "") {
  return R"({"type":"object","properties":{)" + properties + R"(},"required":)" + required + extra +
         "}";
}

TEST_CASE("the json schema compatibility table under every mode") {
  const std::string id = R"("id":{"type":"string"})";
  const std::vector<Row> table = {
      {"the same schema", Object(id, R"(["id"])"), Object(id, R"(["id"])"), true, true},
      {"adding an optional property", Object(id), Object(id + R"(,"age":{"type":"integer"})"), true,
       true},
      {"adding a required property", Object(id),
       Object(id + R"(,"age":{"type":"integer"})", R"(["age"])"), false, true},
      {"removing a required property", Object(id + R"(,"age":{"type":"integer"})", R"(["age"])"),
       Object(id), true, false},
      {"making a property required", Object(id), Object(id, R"(["id"])"), false, true},
      {"integer widened to number", Object(R"("n":{"type":"integer"})"),
       Object(R"("n":{"type":"number"})"), true, false},
      {"type narrowed", Object(R"("n":{"type":["string","null"]})"),
       Object(R"("n":{"type":"string"})"), false, true},
      {"enum value added", R"({"enum":["a","b"]})", R"({"enum":["a","b","c"]})", true, false},
      {"enum value removed", R"({"enum":["a","b","c"]})", R"({"enum":["a","b"]})", false, true},
      {"enum replaced by its type", R"({"enum":["a","b"]})", R"({"type":"string"})", true, false},
      {"array items narrowed", R"({"type":"array","items":{"type":"number"}})",
       R"({"type":"array","items":{"type":"integer"}})", false, true},
      {"nested object gains a required property",
       Object(R"("a":)" + Object(R"("x":{"type":"string"})")),
       Object(R"("a":)" + Object(R"("x":{"type":"string"})", R"(["x"])")), false, true},
      {"open additionalProperties closed", Object(id, "[]", R"(,"additionalProperties":true)"),
       Object(id, "[]", R"(,"additionalProperties":false)"), false, true},
      {"additionalProperties schema widened",
       Object(id, "[]", R"(,"additionalProperties":{"type":"integer"})"),
       Object(id, "[]", R"(,"additionalProperties":{"type":"number"})"), true, false},
  };
  for (const Row& row : table) {
    INFO(row.what);
    const Schema old_schema = Parse(row.old_schema);
    const Schema new_schema = Parse(row.new_schema);
    const std::vector<const Schema*> earlier = {&old_schema};
    CHECK(CanRead(new_schema, old_schema).ok() == row.backward);
    CHECK(CanRead(old_schema, new_schema).ok() == row.forward);
    CHECK(CheckCompatibility(Compatibility::kBackward, new_schema, earlier).ok() == row.backward);
    CHECK(CheckCompatibility(Compatibility::kForwardAll, new_schema, earlier).ok() == row.forward);
    CHECK(CheckCompatibility(Compatibility::kFull, new_schema, earlier).ok() ==
          (row.backward && row.forward));
    CHECK(CheckCompatibility(Compatibility::kNone, new_schema, earlier).ok());
    CHECK_FALSE(CheckCompatibility(Compatibility::kDisabled, new_schema, earlier).ok());
  }
}

TEST_CASE("json schema incompatibilities name the property and the rule") {
  const Schema old_schema = Parse(Object(R"("id":{"type":"string"})"));
  const Schema added =
      Parse(Object(R"("id":{"type":"string"},"age":{"type":"integer"})", R"(["age"])"));
  CHECK(CheckCompatibility(Compatibility::kBackward, added, {&old_schema}).message() ==
        "BACKWARD: the new schema cannot read data written with version 1: property \"age\" at / "
        "is required by the reader but not by the writer");
  const Schema narrowed = Parse(Object(R"("id":{"type":"integer"})"));
  CHECK(CanRead(narrowed, old_schema).message() ==
        "at /properties/id: the writer accepts string but the reader accepts only integer");
  CHECK(CanRead(Parse(R"({"enum":["a"]})"), Parse(R"({"enum":["a","b"]})")).message() ==
        R"(at /: the writer's enum value "b" is not accepted by the reader (at /: "b" is not one )"
        "of the enum's values)");
}

TEST_CASE("CanRead ends on arrays whose items are unstated, and on a schema read by itself") {
  // Once an endless recursion into "any" items (a stack overflow found by fuzzing).
  const Schema any_array = Parse(R"({"type": "array"})");
  CHECK(CanRead(any_array, any_array).ok());
  const Schema nested = Parse(R"({"type": "object", "properties": {"a": {"type": "array"},
      "b": {"type": "array", "items": {"type": "array"}}}})");
  CHECK(CanRead(nested, Parse(R"({"type": "object", "properties": {"a": {"type": "array"},
      "b": {"type": "array", "items": {"type": "array"}}}})"))
            .ok());
  // Unstated items read anything; stated ones still narrow.
  CHECK(CanRead(any_array, Parse(R"({"type": "array", "items": {"type": "string"}})")).ok());
  CHECK_FALSE(CanRead(Parse(R"({"type": "array", "items": {"type": "string"}})"), any_array).ok());
}

}  // namespace
}  // namespace meshsim::json_schema

#include "sim/serde/avro/schema.h"

#include <catch2/catch.hpp>
#include <string>

#include "sim/serde/entity_avro.h"

namespace meshsim::avro {
namespace {

std::string ErrorOf(std::string_view text) {
  Result<Schema> s = ParseSchema(text);
  REQUIRE_FALSE(s.ok());
  CHECK(s.status().code() == Code::kInvalidInput);
  return s.status().message();
}

TEST_CASE("every primitive parses in both forms") {
  for (const char* name :
       {"null", "boolean", "int", "long", "float", "double", "bytes", "string"}) {
    Result<Schema> simple = ParseSchema(std::string("\"") + name + "\"");
    REQUIRE(simple.ok());
    CHECK(TypeName(simple->root().type) == name);
    Result<Schema> object = ParseSchema(std::string(R"({"type":")") + name + "\"}");
    REQUIRE(object.ok());
    CHECK(object->canonical_form() == std::string("\"") + name + "\"");
  }
}

TEST_CASE("a record with namespaces aliases defaults and nested named types") {
  Result<Schema> s = ParseSchema(R"({
    "type": "record", "name": "Interaction", "namespace": "meshsim", "aliases": ["Event"],
    "fields": [
      {"name": "user_id", "type": "string", "doc": "who"},
      {"name": "event_type", "type": {"type": "enum", "name": "EventType",
                                      "symbols": ["PLAY", "SKIP"], "default": "PLAY"}},
      {"name": "again", "type": "EventType", "default": "SKIP"},
      {"name": "md5", "type": {"type": "fixed", "name": "other.Md5", "size": 16}},
      {"name": "tags", "type": {"type": "array", "items": "string"}, "default": []},
      {"name": "props", "type": {"type": "map", "values": "long"}, "default": {"a": 1}},
      {"name": "genre", "type": ["null", "string"], "default": null, "aliases": ["g"]},
      {"name": "ts", "type": {"type": "long", "logicalType": "timestamp-micros"}}
    ]})");
  REQUIRE(s.ok());
  const Node& root = s->root();
  CHECK(root.fullname == "meshsim.Interaction");
  CHECK(root.aliases == std::vector<std::string>{"meshsim.Event"});
  REQUIRE(root.fields.size() == 8);
  const Node& event_type = *root.fields[1].type;
  CHECK(event_type.fullname == "meshsim.EventType");
  CHECK(event_type.enum_default == "PLAY");
  CHECK(root.fields[2].type == &event_type);  // a reference shares the definition
  CHECK(root.fields[3].type->fullname == "other.Md5");
  CHECK(root.fields[3].type->size == 16);
  CHECK(root.fields[6].default_datum == nlohmann::json(nullptr));
  CHECK(root.fields[6].aliases == std::vector<std::string>{"g"});
  CHECK(root.fields[7].type->logical_type == "timestamp-micros");
  CHECK(root.fields[5].default_datum == nlohmann::json({{"a", 1}}));
}

TEST_CASE("a recursive record refers to itself") {
  Result<Schema> s = ParseSchema(R"({"type":"record","name":"List","fields":[
      {"name":"value","type":"int"},{"name":"next","type":["null","List"],"default":null}]})");
  REQUIRE(s.ok());
  const Node& root = s->root();
  CHECK(root.fields[1].type->branches[1] == &root);
  CHECK(s->canonical_form() ==
        R"({"name":"List","type":"record","fields":[{"name":"value","type":"int"},)"
        R"({"name":"next","type":["null","List"]}]})");
}

TEST_CASE("parse errors name the JSON path and the rule") {
  CHECK(ErrorOf(R"({"type":"record","name":"R","fields":[{"name":"a","type":"int"},
      {"name":"b","type":"int"},{"name":"c","type":"strng"}]})") ==
        R"(at /fields/2/type: unknown type "strng")");
  CHECK(ErrorOf("{").rfind("invalid JSON: ", 0) == 0);
  CHECK(ErrorOf("42") == "at /: a type must be a string, object or array, not 42");
  CHECK(ErrorOf(R"({"name":"R"})") == R"(at /: missing "type")");
  CHECK(ErrorOf(R"({"type":"record","name":"1R","fields":[]})") ==
        R"(at /name: invalid name "1R")");
  CHECK(ErrorOf(R"({"type":"record","name":"R","namespace":"a..b","fields":[]})") ==
        R"(at /namespace: invalid namespace "a..b")");
  CHECK(ErrorOf(R"({"type":"record","name":"int","fields":[]})") ==
        R"(at /name: a primitive type name cannot name a type: "int")");
  CHECK(ErrorOf(R"({"type":"record","name":"R","fields":[{"name":"a","type":"int"},
      {"name":"a","type":"long"}]})") == R"(at /fields/1/name: duplicate field name "a")");
  CHECK(ErrorOf(R"({"type":"record","name":"R","fields":[{"name":"a-b","type":"int"}]})") ==
        R"(at /fields/0/name: invalid name "a-b")");
  CHECK(ErrorOf(R"({"type":"enum","name":"E","symbols":["A","A"]})") ==
        R"(at /symbols/1: duplicate symbol "A")");
  CHECK(ErrorOf(R"({"type":"enum","name":"E","symbols":["A"],"default":"B"})") ==
        R"(at /default: enum default "B" is not one of its symbols)");
  CHECK(ErrorOf(R"(["int","long","int"])") == R"(at /2: duplicate union branch "int")");
  CHECK(ErrorOf(R"(["int",["long"]])") == "at /1: a union cannot contain a union");
  CHECK(ErrorOf(R"([{"type":"fixed","name":"F","size":4},{"type":"fixed","name":"F","size":4}])") ==
        R"(at /1/name: type "F" is already defined)");
  CHECK(ErrorOf(R"({"type":"fixed","name":"F","size":-1})") ==
        R"(at /: fixed is missing a non-negative integer "size")");
  CHECK(ErrorOf(R"({"type":"array"})") == R"(at /: array is missing "items")");
  CHECK(ErrorOf(R"({"type":"record","name":"R"})") ==
        R"(at /: record is missing a "fields" array)");
  CHECK(ErrorOf(
            R"({"type":"record","name":"R","fields":[{"name":"a","type":"int","order":"up"}]})") ==
        R"(at /fields/0/order: order must be "ascending", "descending" or "ignore")");
}

TEST_CASE("a field default must match its type and for a union its first branch") {
  CHECK(ErrorOf(
            R"({"type":"record","name":"R","fields":[{"name":"a","type":"int","default":"x"}]})") ==
        R"(at /fields/0/default: default of field "a" does not match its type int: )"
        R"(at /: expected int, got "x")");
  CHECK(ErrorOf(R"({"type":"record","name":"R","fields":[
      {"name":"g","type":["null","string"],"default":"rock"}]})")
            .find(R"(default of field "g" does not match its type union [null, string])") !=
        std::string::npos);
  CHECK(ParseSchema(R"({"type":"record","name":"R","fields":[
      {"name":"g","type":["string","null"],"default":"rock"}]})")
            .ok());
  CHECK(ErrorOf(R"({"type":"record","name":"R","fields":[{"name":"a","type":"int",
      "default":3000000000}]})")
            .find("out of range for int") != std::string::npos);
  CHECK(ErrorOf(R"({"type":"record","name":"R","fields":[{"name":"f","type":
      {"type":"fixed","name":"F","size":2},"default":"abc"}]})")
            .find("fixed F takes 2 bytes, got 3") != std::string::npos);
  CHECK(ParseSchema(R"({"type":"record","name":"R","fields":[{"name":"b","type":"bytes",
      "default":"\u00ff\u0000"}]})")
            .ok());
  CHECK(ErrorOf(R"({"type":"record","name":"R","fields":[{"name":"b","type":"bytes",
      "default":"\u0100"}]})")
            .find("code points 0-255") != std::string::npos);
}

TEST_CASE("nesting is bounded") {
  std::string deep;
  for (int i = 0; i < 100; ++i) deep += R"({"type":"array","items":)";
  deep += "\"int\"";
  for (int i = 0; i < 100; ++i) deep += "}";
  CHECK(ErrorOf(deep) == "JSON nested deeper than 64 levels");
  CHECK(ErrorOf(std::string(200000, '[')) == "JSON nested deeper than 64 levels");
}

TEST_CASE(
    "the canonical form strips orders and qualifies while the normalized form keeps defaults") {
  Result<Schema> a = ParseSchema(R"({"namespace":"x","fields":[
      {"type":{"symbols":["A","B"],"name":"E","type":"enum","default":"A"},"name":"e",
       "doc":"d"},{"name":"n","type":{"type":"int"},"default":1}],"type":"record","name":"R"})");
  REQUIRE(a.ok());
  CHECK(a->canonical_form() ==
        R"({"name":"x.R","type":"record","fields":[{"name":"e","type":{"name":"x.E",)"
        R"("type":"enum","symbols":["A","B"]}},{"name":"n","type":"int"}]})");
  CHECK(a->normalized_form() ==
        R"({"name":"x.R","type":"record","fields":[{"name":"e","type":{"name":"x.E",)"
        R"("type":"enum","symbols":["A","B"],"default":"A"}},{"name":"n","type":"int",)"
        R"("default":1}]})");
  Result<Schema> b = ParseSchema(R"({"type":"record","name":"x.R","fields":[
      {"name":"e","type":{"type":"enum","name":"E","symbols":["A","B"]}},
      {"name":"n","type":"int"}]})");
  REQUIRE(b.ok());
  CHECK(a->canonical_form() == b->canonical_form());
  CHECK(a->normalized_form() != b->normalized_form());
}

TEST_CASE("the codec's fixed record schemas parse") {
  for (std::string_view text : {InteractionSchemaJson(), UserSchemaJson(), ItemSchemaJson()}) {
    Result<Schema> s = ParseSchema(text);
    INFO(text);
    CHECK(s.ok());
  }
}

}  // namespace
}  // namespace meshsim::avro

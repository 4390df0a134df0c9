#include "sim/serde/avro/datum.h"

#include <catch2/catch.hpp>
#include <string>

#include "sim/serde/entity_avro.h"
#include "tests/support/parse_ok.h"

namespace meshsim::avro {
namespace {

using nlohmann::json;

Schema Parse(const std::string& text) { return testing::ParseOk(ParseSchema, text); }

std::string EncodeOk(const Schema& s, const json& datum) {
  Result<std::string> bytes = Encode(s, datum);
  INFO(datum.dump());
  REQUIRE(bytes.ok());
  return *bytes;
}

std::string EncodeError(const Schema& s, const json& datum) {
  Result<std::string> bytes = Encode(s, datum);
  REQUIRE_FALSE(bytes.ok());
  CHECK(bytes.status().code() == Code::kInvalidInput);
  return bytes.status().message();
}

const char* kInteraction = R"({"type":"record","name":"Interaction","fields":[
    {"name":"user_id","type":"string"},
    {"name":"event_type","type":{"type":"enum","name":"EventType","symbols":["PLAY","SKIP"]}},
    {"name":"count","type":"int"},
    {"name":"tags","type":{"type":"array","items":"string"}},
    {"name":"props","type":{"type":"map","values":"double"}},
    {"name":"genre","type":["null","string"],"default":null},
    {"name":"md5","type":{"type":"fixed","name":"Md5","size":2}},
    {"name":"raw","type":"bytes"},
    {"name":"ok","type":"boolean"},
    {"name":"f","type":"float"}]})";

json Sample() {
  return {{"user_id", "u1"},
          {"event_type", "SKIP"},
          {"count", -3},
          {"tags", {"a", "b"}},
          {"props", {{"x", 1.5}}},
          {"genre", "rock"},
          {"md5", "\u00ff\u0001"},
          {"raw", std::string("\0a", 2)},
          {"ok", true},
          {"f", 0.5}};
}

TEST_CASE("a record round trips through its binary encoding") {
  const Schema s = Parse(kInteraction);
  const std::string bytes = EncodeOk(s, Sample());
  Result<json> back = Decode(s, bytes);
  REQUIRE(back.ok());
  CHECK(*back == Sample());
}

TEST_CASE("the encoding is Avro's, byte for byte as the record codec writes it") {
  const Schema s = Parse(std::string(InteractionSchemaJson()));
  const Interaction v{"e1", "u1", "s7", "PLAY", "x", -123456789};
  std::string expected;
  EncodeInteraction(v, &expected);
  const json datum = {{"event_id", "e1"},     {"user_id", "u1"},   {"item_id", "s7"},
                      {"event_type", "PLAY"}, {"session_id", "x"}, {"timestamp", -123456789}};
  CHECK(EncodeOk(s, datum) == expected);
  // Zig-zag, union index, blocks: -1 is 0x01, an array of one int 1 is count 2, 2, end 0.
  CHECK(EncodeOk(Parse("\"long\""), -1) == "\x01");
  CHECK(EncodeOk(Parse(R"({"type":"array","items":"int"})"), json::array({1})) ==
        std::string("\x02\x02\x00", 3));
  CHECK(EncodeOk(Parse(R"(["null","int"])"), 3) == "\x02\x06");
  CHECK(EncodeOk(Parse(R"(["null","int"])"), nullptr) == std::string("\x00", 1));
}

TEST_CASE("an invalid datum is refused with the JSON path of the bad value") {
  const Schema s = Parse(kInteraction);
  json bad = Sample();
  bad["event_type"] = "SKIPPED";
  CHECK(EncodeError(s, bad) == R"(at /event_type: "SKIPPED" is not a symbol of enum EventType)");
  bad = Sample();
  bad["tags"][1] = 7;
  CHECK(EncodeError(s, bad) == "at /tags/1: expected string, got 7");
  bad = Sample();
  bad["count"] = 1LL << 40;
  CHECK(EncodeError(s, bad) == "at /count: 1099511627776 is out of range for int");
  bad = Sample();
  bad.erase("user_id");
  CHECK(EncodeError(s, bad) ==
        R"(at /: missing field "user_id" of record Interaction, which has no default)");
  bad = Sample();
  bad["usr_id"] = "typo";
  CHECK(EncodeError(s, bad) == R"(at /: "usr_id" is not a field of record Interaction)");
  bad = Sample();
  bad["genre"] = 5;
  CHECK(EncodeError(s, bad) == "at /genre: 5 matches no branch of union [null, string]");
  bad = Sample();
  bad["md5"] = "abc";
  CHECK(EncodeError(s, bad) == "at /md5: fixed Md5 takes 2 bytes, got 3");
  bad = Sample();
  bad["props"]["a/b"] = "x";
  CHECK(EncodeError(s, bad) == R"(at /props/a~1b: expected double, got "x")");
  // A field with a default may be left out.
  json partial = Sample();
  partial.erase("genre");
  Result<json> back = Decode(s, EncodeOk(s, partial));
  REQUIRE(back.ok());
  CHECK((*back)["genre"] == nullptr);
}

TEST_CASE("decoding resolves the writer's schema to the reader's") {
  const Schema writer = Parse(R"({"type":"record","name":"R","fields":[
      {"name":"id","type":"string"},
      {"name":"n","type":"int"},
      {"name":"dropped","type":{"type":"array","items":{"type":"map","values":"string"}}},
      {"name":"kind","type":{"type":"enum","name":"K","symbols":["A","B","NEW"]}},
      {"name":"u","type":["null","int"]},
      {"name":"s","type":"string"}]})");
  const Schema reader = Parse(R"({"type":"record","name":"R","fields":[
      {"name":"s","type":"bytes"},
      {"name":"id","type":"string"},
      {"name":"n","type":"double"},
      {"name":"genre","type":"string","default":"pop"},
      {"name":"kind","type":{"type":"enum","name":"K","symbols":["A","B","UNKNOWN"],
                             "default":"UNKNOWN"}},
      {"name":"u","type":["null","long","string"]},
      {"name":"nested","type":{"type":"record","name":"N","fields":[
          {"name":"x","type":"int","default":4}]},"default":{}}]})");
  const json written = {{"id", "a"},     {"n", 7}, {"dropped", {{{"k", "v"}}, json::object()}},
                        {"kind", "NEW"}, {"u", 9}, {"s", "\u00e9"}};
  Result<json> read = Decode(writer, reader, EncodeOk(writer, written));
  REQUIRE(read.ok());
  CHECK(*read == json{{"id", "a"},
                      {"n", 7.0},
                      {"genre", "pop"},
                      {"kind", "UNKNOWN"},
                      {"u", 9},
                      {"s", "\u00c3\u00a9"},  // the string's two UTF-8 bytes as code points
                      {"nested", {{"x", 4}}}});
  CHECK((*read)["n"].is_number_float());
}

TEST_CASE("decoding with a reader that cannot read the writer says why") {
  const Schema writer =
      Parse(R"({"type":"record","name":"R","fields":[{"name":"a","type":"int"}]})");
  const Schema reader =
      Parse(R"({"type":"record","name":"R","fields":[{"name":"b","type":"int"}]})");
  Result<json> read = Decode(writer, reader, EncodeOk(writer, {{"a", 1}}));
  REQUIRE_FALSE(read.ok());
  CHECK(read.status().message() ==
        "the reader's schema cannot read the writer's: reader field \"b\" at /R has no default "
        "and is missing in the writer");
}

TEST_CASE("a truncated or corrupt buffer is an error, never an over-read") {
  const Schema s = Parse(kInteraction);
  const std::string bytes = EncodeOk(s, Sample());
  for (size_t n = 0; n < bytes.size(); ++n) {
    INFO(n);
    CHECK_FALSE(Decode(s, bytes.substr(0, n)).ok());
  }
  CHECK(Decode(s, bytes + "x").status().message() == "Avro datum is followed by 1 unread bytes");
  const Schema u = Parse(R"(["null","int"])");
  CHECK(Decode(u, "\x04").status().message() ==
        "Avro datum is corrupt: union index 2 out of range");
  CHECK(Decode(Parse(R"({"type":"enum","name":"E","symbols":["A"]})"), "\x02").status().message() ==
        "Avro datum is corrupt: enum index 1 out of range");
  CHECK(Decode(Parse("\"string\""), "\x01").status().message() == "Avro datum is truncated");
  CHECK(Decode(Parse("\"long\""), std::string(11, '\xff')).status().message() ==
        "Avro datum is truncated");
  CHECK(Decode(Parse("\"boolean\""), "\x02").status().message() ==
        "Avro datum is corrupt: boolean byte 2");
  // A block claiming 2^62 nulls in a 10-byte buffer.
  const Schema nulls = Parse(R"({"type":"array","items":"null"})");
  std::string huge = "\xfe";
  for (int i = 0; i < 7; ++i) huge += '\xff';
  huge += '\x7f';
  CHECK(Decode(nulls, huge).status().message().find("exceeds the buffer") != std::string::npos);
  // Every single-byte corruption of a valid buffer decodes or fails cleanly.
  for (size_t i = 0; i < bytes.size(); ++i) {
    for (int b : {0x00, 0x7f, 0x80, 0xff}) {
      std::string corrupt = bytes;
      corrupt[i] = static_cast<char>(b);
      (void)Decode(s, corrupt);
    }
  }
}

TEST_CASE("the node-level decoder refuses mismatched schemas rather than crash") {
  const Schema array = Parse(R"({"type":"array","items":"int"})");
  const Schema number = Parse("\"int\"");
  Result<json> read = DecodeNode(array.root(), number.root(), EncodeOk(array, {1, 2}));
  CHECK(read.status().message() ==
        "Avro datum is corrupt: the writer's array<int> does not resolve to the reader's int");
}

TEST_CASE("a recursive schema encodes a linked list and bounds the depth") {
  const Schema s = Parse(R"({"type":"record","name":"L","fields":[{"name":"v","type":"int"},
      {"name":"next","type":["null","L"],"default":null}]})");
  json list = {{"v", 3}, {"next", {{"v", 2}, {"next", {{"v", 1}, {"next", nullptr}}}}}};
  Result<json> back = Decode(s, EncodeOk(s, list));
  REQUIRE(back.ok());
  CHECK(*back == list);
  json deep = {{"v", 0}};
  for (int i = 0; i < 300; ++i) deep = {{"v", i}, {"next", deep}};
  CHECK(EncodeError(s, deep).find("nested deeper than 256 levels") != std::string::npos);
  // A buffer of union index 1 then v = 0, repeated: nests without end.
  std::string bytes;
  for (int i = 0; i < 10000; ++i) bytes += std::string("\x00\x02", 2);
  CHECK_FALSE(Decode(s, bytes).ok());
}

}  // namespace
}  // namespace meshsim::avro

// The table the issue asks for: pairs of schemas, each under every mode, with the verdict. A row
// gives the old (registered) schema, the new (proposed) one, and whether each of BACKWARD (the new
// reads the old's data) and FORWARD (the old reads the new's) holds; FULL is both, NONE always.
#include "sim/serde/avro/compatibility.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "tests/support/parse_ok.h"

namespace meshsim::avro {
namespace {

Schema Parse(const std::string& text) { return testing::ParseOk(ParseSchema, text); }

// A record "R" with the given fields (JSON text of the fields array's elements).
std::string Record(const std::string& fields, const std::string& name = "R",
                   const std::string& extra = "") {
  return R"({"type":"record","name":")" + name + "\"" + extra + R"(,"fields":[)" + fields + "]}";
}

const std::string kEnumAB = R"({"type":"enum","name":"E","symbols":["A","B"]})";
const std::string kEnumABC = R"({"type":"enum","name":"E","symbols":["A","B","C"]})";
const std::string kEnumABDefault =
    R"({"type":"enum","name":"E","symbols":["A","B"],"default":"A"})";
const std::string kEnumABCDefault =
    R"({"type":"enum","name":"E","symbols":["A","B","C"],"default":"A"})";

struct Row {
  const char* what;
  std::string old_schema;
  std::string new_schema;
  bool backward;
  bool forward;
};

std::vector<Row> Table() {
  const std::string id = R"({"name":"id","type":"string"})";
  return {
      {"the same schema", Record(id), Record(id), true, true},
      {"adding a field with a default", Record(id),
       Record(id + R"(,{"name":"genre","type":"string","default":"pop"})"), true, true},
      {"adding a field without a default", Record(id),
       Record(id + R"(,{"name":"genre","type":"string"})"), false, true},
      {"removing a field with a default",
       Record(id + R"(,{"name":"genre","type":"string","default":"pop"})"), Record(id), true, true},
      {"removing a field without a default", Record(id + R"(,{"name":"genre","type":"string"})"),
       Record(id), true, false},
      {"int widened to long", Record(R"({"name":"n","type":"int"})"),
       Record(R"({"name":"n","type":"long"})"), true, false},
      {"long narrowed to int", Record(R"({"name":"n","type":"long"})"),
       Record(R"({"name":"n","type":"int"})"), false, true},
      {"int to float", "\"int\"", "\"float\"", true, false},
      {"int to double", "\"int\"", "\"double\"", true, false},
      {"long to float", "\"long\"", "\"float\"", true, false},
      {"long to double", "\"long\"", "\"double\"", true, false},
      {"float to double", "\"float\"", "\"double\"", true, false},
      {"double to float", "\"double\"", "\"float\"", false, true},
      {"string to bytes", "\"string\"", "\"bytes\"", true, true},
      {"int to string", "\"int\"", "\"string\"", false, false},
      {"boolean to int", "\"boolean\"", "\"int\"", false, false},
      {"enum symbol added", kEnumAB, kEnumABC, true, false},
      {"enum symbol removed", kEnumABC, kEnumAB, false, true},
      {"enum symbol added with a default", kEnumABDefault, kEnumABCDefault, true, true},
      {"enum symbol removed with a default", kEnumABCDefault, kEnumABDefault, true, true},
      {"enum renamed", kEnumAB, R"({"type":"enum","name":"F","symbols":["A","B"]})", false, false},
      {"union branch added", R"(["null","int"])", R"(["null","int","string"])", true, false},
      {"union branch removed", R"(["null","int","string"])", R"(["null","int"])", false, true},
      {"non-union to union", "\"int\"", R"(["null","int"])", true, false},
      {"union to non-union", R"(["null","int"])", "\"int\"", false, true},
      {"union branch promoted", R"(["null","int"])", R"(["null","long"])", true, false},
      {"nested record gains a required field",
       Record(R"({"name":"inner","type":)" + Record(R"({"name":"a","type":"int"})", "In") + "}"),
       Record(R"({"name":"inner","type":)" +
              Record(R"({"name":"a","type":"int"},{"name":"b","type":"int"})", "In") + "}"),
       false, true},
      {"nested record field widened",
       Record(R"({"name":"inner","type":)" + Record(R"({"name":"a","type":"int"})", "In") + "}"),
       Record(R"({"name":"inner","type":)" + Record(R"({"name":"a","type":"long"})", "In") + "}"),
       true, false},
      {"array items widened", R"({"type":"array","items":"int"})",
       R"({"type":"array","items":"long"})", true, false},
      {"array items changed to string", R"({"type":"array","items":"int"})",
       R"({"type":"array","items":"string"})", false, false},
      {"map values widened", R"({"type":"map","values":"float"})",
       R"({"type":"map","values":"double"})", true, false},
      {"array of records gains a defaulted field", R"({"type":"array","items":)" + Record(id) + "}",
       R"({"type":"array","items":)" + Record(id + R"(,{"name":"x","type":"int","default":0})") +
           "}",
       true, true},
      {"fixed size changed", R"({"type":"fixed","name":"F","size":16})",
       R"({"type":"fixed","name":"F","size":8})", false, false},
      {"record renamed without an alias", Record(id, "Old"), Record(id, "New"), false, false},
      {"record renamed with an alias to the old name", Record(id, "Old"),
       Record(id, "New", R"(,"aliases":["Old"])"), true, false},
      {"field renamed with an alias", Record(R"({"name":"old","type":"int"})"),
       Record(R"({"name":"new","type":"int","aliases":["old"]})"), true, false},
  };
}

TEST_CASE("the compatibility table under every mode") {
  for (const Row& row : Table()) {
    INFO(row.what);
    const Schema old_schema = Parse(row.old_schema);
    const Schema new_schema = Parse(row.new_schema);
    const std::vector<const Schema*> earlier = {&old_schema};
    auto verdict = [&](Compatibility mode) {
      return CheckCompatibility(mode, new_schema, earlier).ok();
    };
    CHECK(CanRead(new_schema, old_schema).ok() == row.backward);
    CHECK(CanRead(old_schema, new_schema).ok() == row.forward);
    CHECK(verdict(Compatibility::kNone));
    CHECK_FALSE(verdict(Compatibility::kDisabled));
    CHECK(verdict(Compatibility::kBackward) == row.backward);
    CHECK(verdict(Compatibility::kBackwardAll) == row.backward);
    CHECK(verdict(Compatibility::kForward) == row.forward);
    CHECK(verdict(Compatibility::kForwardAll) == row.forward);
    CHECK(verdict(Compatibility::kFull) == (row.backward && row.forward));
    CHECK(verdict(Compatibility::kFullAll) == (row.backward && row.forward));
  }
}

TEST_CASE("the _ALL modes catch an older version the checkpoint alone misses") {
  // v1 has a defaulted string "genre", v2 drops it, v3 re-adds it as an int with a default. v3
  // reads v2's data (genre takes its default) and v2 reads v3's (genre is ignored), but v3 cannot
  // read v1's string genre, nor v1 v3's int one.
  const Schema v1 = Parse(Record(R"({"name":"id","type":"string"},)"
                                 R"({"name":"genre","type":"string","default":"pop"})"));
  const Schema v2 = Parse(Record(R"({"name":"id","type":"string"})"));
  const Schema v3 = Parse(Record(R"({"name":"id","type":"string"},)"
                                 R"({"name":"genre","type":"int","default":0})"));
  const std::vector<const Schema*> earlier = {&v1, &v2};
  CHECK(CheckCompatibility(Compatibility::kBackward, v3, earlier).ok());
  CHECK(CheckCompatibility(Compatibility::kForward, v3, earlier).ok());
  CHECK(CheckCompatibility(Compatibility::kFull, v3, earlier).ok());
  const Status all = CheckCompatibility(Compatibility::kBackwardAll, v3, earlier);
  CHECK(all.code() == Code::kInvalidInput);
  CHECK(all.message() ==
        "BACKWARD_ALL: the new schema cannot read data written with version 1: at /R/genre: "
        "the writer's string cannot be read as the reader's int (not a permitted promotion)");
  CHECK(CheckCompatibility(Compatibility::kForwardAll, v3, earlier).message() ==
        "FORWARD_ALL: version 1 cannot read data written with the new schema: at /R/genre: "
        "the writer's int cannot be read as the reader's string (not a permitted promotion)");
  CHECK_FALSE(CheckCompatibility(Compatibility::kFullAll, v3, earlier).ok());
}

TEST_CASE("DISABLED refuses and NONE accepts even without earlier versions") {
  const Schema s = Parse("\"int\"");
  const Schema other = Parse("\"string\"");
  CHECK(CheckCompatibility(Compatibility::kDisabled, s, {}).message() ==
        "compatibility is DISABLED: no new version of this schema is accepted");
  CHECK(CheckCompatibility(Compatibility::kNone, s, {&other}).ok());
  CHECK(CheckCompatibility(Compatibility::kFullAll, s, {}).ok());
  CHECK(CheckCompatibility(Compatibility::kForward, other, {&s}, 7).message() ==
        "FORWARD: version 7 cannot read data written with the new schema: at /: the writer's "
        "string cannot be read as the reader's int (not a permitted promotion)");
}

TEST_CASE("messages name the field and the rule") {
  const Schema writer = Parse(Record(R"({"name":"user_id","type":"string"},)"
                                     R"({"name":"event_type","type":{"type":"enum",)"
                                     R"("name":"EventType","symbols":["PLAY","SKIP"]}})",
                                     "Interaction"));
  const Schema reader = Parse(Record(R"({"name":"user_id","type":"string"},)"
                                     R"({"name":"event_type","type":{"type":"enum",)"
                                     R"("name":"EventType","symbols":["PLAY"]}},)"
                                     R"({"name":"genre","type":"string"})",
                                     "Interaction"));
  CHECK(CanRead(reader, writer).message() ==
        R"(writer enum symbol "SKIP" at /Interaction/event_type is not in the reader and the )"
        "reader has no default");
  const Schema reader2 = Parse(Record(R"({"name":"user_id","type":"string"},)"
                                      R"({"name":"genre","type":"string"})",
                                      "Interaction"));
  CHECK(CanRead(reader2, writer).message() ==
        R"(reader field "genre" at /Interaction has no default and is missing in the writer)");
  CHECK(CanRead(Parse(R"(["null","int"])"), Parse(R"(["null","string"])")).message() ==
        "writer union branch 1 (string): at /: the writer's string matches no branch of the "
        "reader's union [null, int]");
  CHECK(CanRead(Parse(R"({"type":"fixed","name":"F","size":8})"),
                Parse(R"({"type":"fixed","name":"F","size":16})"))
            .message() == "at /F: fixed F has size 16 in the writer but 8 in the reader");
  CHECK(CanRead(Parse(Record("", "New")), Parse(Record("", "Old"))).message() ==
        "at /New: the reader's record New does not match the writer's record Old by name or "
        "alias");
}

TEST_CASE("recursive schemas compare without looping") {
  const std::string list_int = R"({"type":"record","name":"L","fields":[{"name":"v","type":"int"},
      {"name":"next","type":["null","L"]}]})";
  const std::string list_long = R"({"type":"record","name":"L","fields":[{"name":"v","type":"long"},
      {"name":"next","type":["null","L"]}]})";
  CHECK(CanRead(Parse(list_long), Parse(list_int)).ok());
  CHECK(CanRead(Parse(list_int), Parse(list_long)).message().find("at /L/v") != std::string::npos);
}

TEST_CASE("a reader union takes the branch of the same name before a promotion") {
  const Schema reader = Parse(R"(["long","int"])");
  const Schema writer = Parse("\"int\"");
  CHECK(ResolveUnionBranch(reader.root(), writer.root()) == 1);
  const Schema reader2 = Parse(R"(["null","double"])");
  CHECK(ResolveUnionBranch(reader2.root(), writer.root()) == 1);
  CHECK(ResolveUnionBranch(Parse(R"(["null","string"])").root(), writer.root()) == -1);
}

}  // namespace
}  // namespace meshsim::avro

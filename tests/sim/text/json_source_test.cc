#include "sim/text/json_source.h"

#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "tests/support/temp_dir.h"

namespace meshsim {
namespace {

using Catch::Matchers::Contains;

std::string ErrorOf(const std::string& text) {
  Result<JsonSource> source = JsonSource::Parse(text, "f.json");
  REQUIRE_FALSE(source.ok());
  CHECK(source.status().code() == Code::kValidation);
  return source.status().message();
}

TEST_CASE("json source: a number no double holds is an error at its position, not a crash") {
  CHECK_THAT(ErrorOf("{\n  \"duration_s\": 1e309\n}"),
             Contains("f.json:2:17: number 1e309 is out of range"));
  CHECK_THAT(ErrorOf("[-1e400]"), Contains("f.json:1:2: number -1e400 is out of range"));
  // An integer too long for any integer type is read as a double, which overflows too; the
  // message does not repeat its 10,000 digits.
  const std::string digits(10'000, '7');
  const std::string message = ErrorOf("{\"seed\": " + digits + "}");
  CHECK_THAT(message, Contains("f.json:1:10: number 7777777777777777... (10000 characters) is out "
                               "of range"));
  CHECK(message.size() < 200);
  // The largest doubles and the smallest subnormals are still numbers.
  CHECK(JsonSource::Parse("[1.7976931348623157e308, 4.9e-324, 1e-400]", "f.json").ok());
}

TEST_CASE("json source: a key given twice is refused, naming both positions") {
  CHECK_THAT(ErrorOf("{\n  \"timeline\": [],\n  \"name\": \"x\",\n  \"timeline\": []\n}"),
             Contains("f.json:4:3: key \"timeline\" given twice in the object at / (first at "
                      "2:3)"));
  // Deeper, in an array's element, with an escaped key.
  CHECK_THAT(ErrorOf(R"({"a": [{"x": 1}, {"k/\"": 1, "y": {}, "k/\"": 2}]})"),
             Contains("f.json:1:39: key \"k/\"\" given twice in the object at /a/1 (first at "
                      "1:19)"));
  // The same key in two objects is no duplicate.
  CHECK(JsonSource::Parse(R"({"a": {"k": 1}, "b": {"k": 2}, "c": [{"k": 1}, {"k": 2}]})", "f.json")
            .ok());
}

TEST_CASE("json source: positions count from after a UTF-8 byte-order mark") {
  Result<JsonSource> source = JsonSource::Parse("\xEF\xBB\xBF{\n  \"a\": 1}", "f.json");
  REQUIRE(source.ok());
  CHECK(source->PositionOf("/a").line == 2);
  CHECK(source->PositionOf("/a").column == 3);
  CHECK_THAT(ErrorOf("\xEF\xBB\xBF{\"a\": 1,\n \"a\": 2}"),
             Contains("f.json:2:2: key \"a\" given twice in the object at / (first at 1:5)"));
}

TEST_CASE("json source: UTF-16 text is named as such") {
  CHECK_THAT(ErrorOf(std::string("\xFF\xFE{\0}\0", 6)), Contains("f.json:1:1: the file is UTF-16"));
  CHECK_THAT(ErrorOf(std::string("{\0\"\0", 4)), Contains("the file is UTF-16; save it as UTF-8"));
}

TEST_CASE("json source: invalid UTF-8 in a string is a syntax error at its position") {
  CHECK_THAT(ErrorOf("{\"name\": \"song-\xff\"}"), Contains("f.json:1:16: invalid JSON"));
}

TEST_CASE("json source: the document is the one nlohmann::json::parse gives") {
  const std::string text =
      R"({"b": [1, -2, 3.5, true, null, "x\u00e9"], "a": {"n": 18446744073709551615}, "e": {}})";
  Result<JsonSource> source = JsonSource::Parse(text, "f.json");
  REQUIRE(source.ok());
  CHECK(source->root() == nlohmann::json::parse(text));
  CHECK(source->root()["a"]["n"].is_number_unsigned());
  CHECK(JsonSource::Parse("  7 ", "f.json")->root() == 7);
  CHECK_THAT(ErrorOf("{} {}"), Contains("f.json:1:4: invalid JSON"));
}

TEST_CASE("reading a file: what is not a regular file is refused before it is opened") {
  testing::TempDir dir;
  CHECK(ReadTextFile(dir.File("missing.json")).status().message() ==
        dir.File("missing.json") + ": no such file");
  CHECK_THAT(ReadTextFile(dir.path().string()).status().message(), Contains("is a directory"));
  // /dev/zero would never end and a FIFO with no writer would block forever: neither is read.
  CHECK_THAT(ReadTextFile("/dev/zero").status().message(), Contains("is not a regular file"));
  CHECK_THAT(ReadTextFile("/dev/null").status().message(), Contains("is not a regular file"));
  const std::string fifo = dir.File("fifo");
  REQUIRE(mkfifo(fifo.c_str(), 0600) == 0);
  CHECK_THAT(ReadTextFile(fifo).status().message(), Contains("is not a regular file"));
}

TEST_CASE("reading a file: one larger than the limit is refused with the limit named") {
  testing::TempDir dir;
  const std::string big = dir.Write("big.json", "");
  std::filesystem::resize_file(big, kMaxTextFileBytes + 1);  // sparse: nothing is written
  const Result<std::string> read = ReadTextFile(big);
  REQUIRE_FALSE(read.ok());
  CHECK(read.status().code() == Code::kValidation);
  CHECK_THAT(read.status().message(), Contains("larger than 256 MiB"));
  std::filesystem::resize_file(big, 3);
  CHECK(ReadTextFile(big).value() == std::string(3, '\0'));
}

}  // namespace
}  // namespace meshsim

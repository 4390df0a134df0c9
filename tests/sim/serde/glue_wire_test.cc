#include "sim/serde/glue_wire.h"

#include <catch2/catch.hpp>
#include <set>
#include <string>

namespace meshsim {
namespace {

TEST_CASE("a uuid has the canonical text form and round trips") {
  Rng rng(7);
  const Uuid id = Uuid::Random(rng);
  const std::string text = id.ToString();
  CHECK(text.size() == 36);
  CHECK(text[8] == '-');
  CHECK(text[14] == '4');                                          // version 4
  CHECK(std::string("89ab").find(text[19]) != std::string::npos);  // variant 10xx
  CHECK(id.version() == 4);
  REQUIRE(Uuid::Parse(text).has_value());
  CHECK(*Uuid::Parse(text) == id);
  CHECK(Uuid::Parse("A1B2C3D4-0000-4000-8000-00000000000F")->ToString() ==
        "a1b2c3d4-0000-4000-8000-00000000000f");
  CHECK_FALSE(Uuid::Parse("a1b2c3d4-0000-4000-8000-00000000000").has_value());
  CHECK_FALSE(Uuid::Parse("a1b2c3d4x0000-4000-8000-000000000000").has_value());
  CHECK_FALSE(Uuid::Parse("g1b2c3d4-0000-4000-8000-000000000000").has_value());
  Rng again(7);
  CHECK(Uuid::Random(again) == id);  // deterministic per seed
  std::set<std::string> seen;
  for (int i = 0; i < 1000; ++i) seen.insert(Uuid::Random(rng).ToString());
  CHECK(seen.size() == 1000);
}

TEST_CASE("glue wire format frames and unframes with both compressions") {
  const Uuid id = *Uuid::Parse("0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0ff");
  const std::string payload = std::string(1000, 'x') + std::string("\0\x01\xff", 3);
  for (bool zlib : {false, true}) {
    const std::string framed = FrameRecord(id, payload, zlib);
    CHECK(static_cast<uint8_t>(framed[0]) == 3);
    CHECK(static_cast<uint8_t>(framed[1]) == (zlib ? 5 : 0));
    CHECK(static_cast<uint8_t>(framed[2]) == 0x0f);
    CHECK(static_cast<uint8_t>(framed[17]) == 0xff);
    if (zlib) CHECK(framed.size() < payload.size());
    if (!zlib) CHECK(framed.substr(18) == payload);
    Result<FramedRecord> back = UnframeRecord(framed);
    REQUIRE(back.ok());
    CHECK(back->schema_version_id == id);
    CHECK(back->zlib == zlib);
    CHECK(back->payload == payload);
  }
  Result<FramedRecord> empty = UnframeRecord(FrameRecord(id, "", true));
  REQUIRE(empty.ok());
  CHECK(empty->payload.empty());
}

TEST_CASE("glue wire format refuses a bad header") {
  const Uuid id;
  std::string framed = FrameRecord(id, "abc", false);
  CHECK(UnframeRecord(framed.substr(0, 17)).status().message() ==
        "Glue record of 17 bytes is shorter than its 18-byte header");
  CHECK(UnframeRecord("").status().code() == Code::kInvalidInput);
  std::string bad_magic = framed;
  bad_magic[0] = 2;
  CHECK(UnframeRecord(bad_magic).status().message() ==
        "Glue record header version is 2, expected 3");
  std::string bad_compression = framed;
  bad_compression[1] = 1;
  CHECK(UnframeRecord(bad_compression).status().message() ==
        "Glue record compression byte is 1, expected 0 (none) or 5 (zlib)");
  const std::string zipped = FrameRecord(id, std::string(5000, 'y'), true);
  CHECK(UnframeRecord(zipped.substr(0, zipped.size() - 3)).status().message().find("corrupt") !=
        std::string::npos);
  std::string garbage = zipped;
  garbage[20] = static_cast<char>(garbage[20] ^ 0x55);
  CHECK_FALSE(UnframeRecord(garbage).ok());
  CHECK(UnframeRecord(zipped, 100).status().message() ==
        "Glue record's zlib payload inflates past 100 bytes");
}

}  // namespace
}  // namespace meshsim

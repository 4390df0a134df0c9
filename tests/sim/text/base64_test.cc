#include "sim/text/base64.h"

#include <catch2/catch.hpp>
#include <string>

namespace meshsim {
namespace {

TEST_CASE("base64: the RFC 4648 section 10 test vectors", "[base64]") {
  const std::pair<std::string, std::string> kVectors[] = {
      {"", ""},
      {"f", "Zg=="},
      {"fo", "Zm8="},
      {"foo", "Zm9v"},
      {"foob", "Zm9vYg=="},
      {"fooba", "Zm9vYmE="},
      {"foobar", "Zm9vYmFy"},
  };
  for (const auto& [plain, encoded] : kVectors) {
    INFO(plain);
    CHECK(Base64Encode(plain) == encoded);
    auto decoded = Base64Decode(encoded);
    REQUIRE(decoded.ok());
    CHECK(*decoded == plain);
  }
}

TEST_CASE("base64: binary bytes use the whole alphabet and round-trip", "[base64]") {
  CHECK(Base64Encode(std::string("\xfb\xff\xbf", 3)) == "+/+/");  // the two characters past 9
  CHECK(Base64Encode(std::string("\0\0\0", 3)) == "AAAA");
  std::string all;
  for (int i = 0; i < 256; ++i) all += static_cast<char>(i);
  const std::string encoded = Base64Encode(all);
  CHECK(encoded.size() == 344);  // 256 bytes: 86 groups of four
  CHECK(encoded.substr(0, 8) == "AAECAwQF");
  CHECK(encoded.substr(encoded.size() - 4) == "/w==");
  auto decoded = Base64Decode(encoded);
  REQUIRE(decoded.ok());
  CHECK(*decoded == all);
}

TEST_CASE("base64: malformed input is refused", "[base64]") {
  for (const char* bad : {"Zg=", "Zm9", "Zm9v\n", "Zm 9", "Z===", "Zg==Zg==", "=Zg=", "Zm-v",
                          "Zh==", "Zm9=", "Zm_v"}) {
    INFO(bad);
    auto decoded = Base64Decode(bad);
    CHECK_FALSE(decoded.ok());
    CHECK(decoded.status().code() == Code::kValidation);
  }
}

}  // namespace
}  // namespace meshsim

// meshsim's Avro codec against Apache Avro's own bytes: tests/sim/serde/avro/oracle.py encodes the
// datums of oracle_cases.json with Apache Avro's Python implementation at build time (Debian's
// python3-avro), and this test checks that meshsim writes exactly those bytes and reads them back
// to the same datum.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "sim/serde/avro/datum.h"
#include "sim/serde/avro/schema.h"

namespace meshsim::avro {
namespace {

std::string Hex(std::string_view bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

std::string Unhex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  }
  return out;
}

nlohmann::json Oracle() {
  std::ifstream in(MESHSIM_BINARY_DIR "/avro_oracle.json");
  REQUIRE(in.good());
  return nlohmann::json::parse(in);
}

TEST_CASE("avro oracle: meshsim writes the bytes Apache Avro writes, and reads them back",
          "[avro][oracle]") {
  const nlohmann::json oracle = Oracle();
  REQUIRE(oracle["cases"].size() >= 50);
  for (const auto& c : oracle["cases"]) {
    const std::string schema_text = c["schema"].dump();
    INFO("schema " << schema_text << "\ndatum " << c["datum"].dump());
    auto schema = ParseSchema(schema_text);
    REQUIRE(schema.ok());
    auto bytes = Encode(*schema, c["datum"]);
    INFO(bytes.status().ToString());
    REQUIRE(bytes.ok());
    CHECK(Hex(*bytes) == c["hex"].get<std::string>());
    auto back = Decode(*schema, Unhex(c["hex"]));
    INFO(back.status().ToString());
    REQUIRE(back.ok());
    if (c["schema"] == "float") {
      // A float holds the datum rounded to 32 bits, on either side.
      CHECK(back->get<double>() == static_cast<double>(c["datum"].get<float>()));
    } else {
      CHECK(*back == c["datum"]);
    }
  }
}

}  // namespace
}  // namespace meshsim::avro

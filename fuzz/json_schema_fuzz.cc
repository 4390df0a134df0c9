// The JSON Schema parser, and a parsed schema at work: validating a few documents (the input
// itself among them, when it is JSON) and reading its own documents (CanRead with itself).
#include <nlohmann/json.hpp>

#include "fuzz/fuzz_main.h"
#include "sim/serde/json_schema/schema.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = meshsim::fuzz::Text(data, size);
  auto schema = meshsim::json_schema::ParseSchema(text);
  if (!schema.ok()) return 0;
  for (const nlohmann::json& doc :
       {nlohmann::json(nullptr), nlohmann::json(1.5), nlohmann::json("s"),
        nlohmann::json::parse(R"({"a": [1, {"b": null}], "c": "d"})"),
        nlohmann::json::parse(text, nullptr, false)}) {
    (void)meshsim::json_schema::Validate(*schema, doc);
  }
  (void)meshsim::json_schema::CanRead(*schema, *schema);
  return 0;
}

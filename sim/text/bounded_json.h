// Parsing JSON that comes from outside (schema definitions, schema-registry requests) into
// nlohmann::json with its nesting bounded, so that code recursing over the value afterwards (our
// schema parsers, operator==, dump()) cannot exhaust the stack on a document of 100,000 '['.
// nlohmann's parser and destructor are iterative themselves, so the bound is checked while parsing.
#pragma once

#include <nlohmann/json.hpp>
#include <string_view>

#include "sim/core/status.h"

namespace meshsim {

inline constexpr int kMaxJsonDepth = 64;

// InvalidInputException "invalid JSON: ..." or "JSON nested deeper than 64 levels".
Result<nlohmann::json> ParseBoundedJson(std::string_view text, int max_depth = kMaxJsonDepth);

// A value as an error message shows it: scalars as JSON (strings cut at 64 characters), containers
// as "an object" / "an array", so that a message never recurses into or echoes a large value.
std::string DescribeJson(const nlohmann::json& value);

}  // namespace meshsim

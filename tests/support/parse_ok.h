// One REQUIRE for "this text parses", shared by the suites that build schemas from literals.
#pragma once

#include <catch2/catch.hpp>
#include <string>

namespace meshsim::testing {

// The value `parse(text)` returns, REQUIRE-ing that it is OK and naming the text if not.
template <typename ParseFn>
auto ParseOk(ParseFn&& parse, const std::string& text) {
  auto result = parse(text);
  INFO(text << "\n" << result.status().ToString());
  REQUIRE(result.ok());
  return std::move(result).value();
}

}  // namespace meshsim::testing

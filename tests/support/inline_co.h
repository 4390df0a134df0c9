// The result of a coroutine (sim/core/co.h) over ports in this process, which answer at once, so
// it ends within the call that starts it: a test awaits nothing. A coroutine still waiting when
// Spawn returns fails the test.
#pragma once

#include <catch2/catch.hpp>
#include <optional>
#include <utility>

#include "sim/core/co.h"

namespace meshsim::testing {

template <typename T>
T Inline(Co<T> co) {
  std::optional<T> out;
  Spawn<T>(std::move(co), [&out](T value) { out.emplace(std::move(value)); });
  REQUIRE(out.has_value());
  return std::move(*out);
}

}  // namespace meshsim::testing

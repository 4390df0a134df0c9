// What every fuzz target shares: the input as text. Each target is one libFuzzer entry point
// (LLVMFuzzerTestOneInput) over one parser: whatever the bytes, the parser returns a value or an
// error, and never crashes, hangs, leaks or reads out of bounds (the targets build with ASan and
// UBSan). fuzz/run.sh runs them; fuzz/RESULTS.md has what they did.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace meshsim::fuzz {

inline std::string_view Text(const uint8_t* data, size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

}  // namespace meshsim::fuzz

#include "sim/ports/compatibility_mode.h"

#include <array>
#include <utility>

namespace meshsim {
namespace {

constexpr std::array<std::pair<Compatibility, std::string_view>, 8> kNames = {{
    {Compatibility::kNone, "NONE"},
    {Compatibility::kDisabled, "DISABLED"},
    {Compatibility::kBackward, "BACKWARD"},
    {Compatibility::kBackwardAll, "BACKWARD_ALL"},
    {Compatibility::kForward, "FORWARD"},
    {Compatibility::kForwardAll, "FORWARD_ALL"},
    {Compatibility::kFull, "FULL"},
    {Compatibility::kFullAll, "FULL_ALL"},
}};

}  // namespace

std::string_view CompatibilityName(Compatibility mode) {
  for (const auto& [m, name] : kNames) {
    if (m == mode) return name;
  }
  return "UNKNOWN";
}

std::optional<Compatibility> CompatibilityFromName(std::string_view name) {
  for (const auto& [m, n] : kNames) {
    if (n == name) return m;
  }
  return std::nullopt;
}

}  // namespace meshsim

// Numbered ids ("u42", "s7", "e1001"), built by append: GCC 12 at -O2 and above misfires
// -Wrestrict on "x" + std::to_string(n), which -Werror would turn into a failed build.
#pragma once

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <string>
#include <string_view>

namespace meshsim {

inline std::string NumberedId(std::string_view prefix, uint64_t n) {
  std::string id(prefix);
  id += std::to_string(n);
  return id;
}

// `prefix` and n in lower-case hex, zero-padded to 8 digits: "RID-0000002a".
inline std::string HexId(std::string_view prefix, uint64_t n) {
  char hex[16];
  const auto end = std::to_chars(hex, hex + sizeof(hex), n, 16).ptr;
  std::string id(prefix);
  id.append(8 - std::min<size_t>(8, static_cast<size_t>(end - hex)), '0');
  id.append(hex, end);
  return id;
}

}  // namespace meshsim

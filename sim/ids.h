// Numbered ids ("u42", "s7", "e1001"), built by append: GCC 12 at -O2 and above misfires
// -Wrestrict on "x" + std::to_string(n), which -Werror would turn into a failed build.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace meshsim {

inline std::string NumberedId(std::string_view prefix, uint64_t n) {
  std::string id(prefix);
  id += std::to_string(n);
  return id;
}

}  // namespace meshsim

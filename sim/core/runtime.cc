#include "sim/core/runtime.h"

#include <chrono>

namespace meshsim {

int64_t Runtime::WallNanos() const {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace meshsim

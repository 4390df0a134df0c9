// The subscription workflow on SQLite behind the Subscriptions port, granting and revoking through
// a Permissions port. Given a file path subscriptions survive restarts.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "sim/ports/permissions.h"
#include "sim/ports/subscriptions.h"

namespace meshsim::fakes {

struct SubscriptionsOptions {
  // The SQLite file; ":memory:" keeps nothing. Default: ":memory:".
  std::string path = ":memory:";
  // The simulation time stamped on creation and updates. Default: 0.
  std::function<int64_t()> now_micros;
};

// REQUIRES: `permissions` outlives the result. InternalServiceException when SQLite cannot open
// or initialise the file. Not thread-safe.
Result<std::unique_ptr<Subscriptions>> MakeSqliteSubscriptions(Permissions& permissions,
                                                               SubscriptionsOptions options);

}  // namespace meshsim::fakes

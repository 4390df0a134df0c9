// Lake Formation's permissions on SQLite behind the Permissions port. Given a file path the grants,
// resource links and audit log survive restarts, as a real service's do.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "sim/ports/permissions.h"

namespace meshsim::fakes {

struct PermissionsOptions {
  // The SQLite file; ":memory:" keeps nothing. Default: ":memory:".
  std::string path = ":memory:";

  // Whether a (normalized) database, table, table wildcard's database, or table-with-columns
  // exists in its catalog: OK, or EntityNotFoundException naming what is missing. Catalogs are
  // not asked about (every account has one) and neither are resource links (this store holds
  // them). REQUIRED: the catalog is wired in here, so the permissions never see stale names.
  std::function<Status(const Resource&)> find_resource;

  // The simulation time written into audit entries, e.g. [&runtime] { return
  // runtime.NowMicros(); }. Default: every entry at time 0.
  std::function<int64_t()> now_micros;

  // Accounts with the data-lake administrator's implicit rights: DESCRIBE on everything, and
  // granting or revoking anything. Default: none.
  std::vector<Principal> data_lake_admins;
};

// Opens (creating if needed) the store at options.path. InvalidInputException for options without
// find_resource or with a malformed administrator; InternalServiceException when SQLite cannot
// open or initialise the file. Not thread-safe: calls share prepared statements.
Result<std::unique_ptr<Permissions>> MakeSqlitePermissions(PermissionsOptions options);

}  // namespace meshsim::fakes

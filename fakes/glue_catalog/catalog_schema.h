// The catalog's SQLite schema and its upgrades. A catalog file records the schema it was written
// with in PRAGMA user_version, so a later meshsim opens an earlier one's file and upgrades it in
// place, in one transaction: a file is either all old or all new.
#pragma once

#include <sqlite3.h>

#include <string>

#include "fakes/sqlite/sqlite_db.h"
#include "sim/core/status.h"

namespace meshsim::fakes::internal {

using sqlite::CloseDb;
using sqlite::DbHandle;
using sqlite::Query;
using sqlite::Statement;
using sqlite::Transaction;

// 1: the first catalog (tables with their columns and parameters; no versions), which did not
//    set user_version (so 0 on disk).
// 2: table versions, partition keys, SerDe, schema references, partitions.
inline constexpr int kCatalogSchemaVersion = 2;

// Creates the schema in an empty file, upgrades an older one, and accepts a current one.
// InternalFailure when SQLite fails or the file is from a newer meshsim. REQUIRES: no
// transaction is open on `db`.
Status PrepareCatalogSchema(sqlite3* db, const std::string& path);

}  // namespace meshsim::fakes::internal

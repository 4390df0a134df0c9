#include "fakes/glue_catalog/catalog_schema.h"

#include <string>
#include <string_view>

#include "fakes/sqlite/sqlite_db.h"
#include "sim/core/ids.h"

namespace meshsim::fakes::internal {
namespace {

// Everything but the databases, which version 1 already had as they are.
constexpr std::string_view kTablesV2 = R"sql(
CREATE TABLE catalog_tables (
  id INTEGER PRIMARY KEY,
  database_name TEXT NOT NULL REFERENCES databases (name) ON DELETE CASCADE,
  name TEXT NOT NULL,
  current_version INTEGER NOT NULL,
  UNIQUE (database_name, name)
);
-- One row per kept version of a table; the table's current definition is current_version's.
CREATE TABLE table_versions (
  table_id INTEGER NOT NULL REFERENCES catalog_tables (id) ON DELETE CASCADE,
  version INTEGER NOT NULL,
  description TEXT NOT NULL,
  owner_domain TEXT NOT NULL,
  location TEXT NOT NULL,
  format TEXT NOT NULL,
  input_format TEXT NOT NULL DEFAULT '',
  output_format TEXT NOT NULL DEFAULT '',
  serde_name TEXT NOT NULL DEFAULT '',
  serde_library TEXT NOT NULL DEFAULT '',
  has_schema_reference INTEGER NOT NULL DEFAULT 0,
  schema_registry TEXT NOT NULL DEFAULT '',
  schema_name TEXT NOT NULL DEFAULT '',
  schema_arn TEXT NOT NULL DEFAULT '',
  schema_version_id TEXT NOT NULL DEFAULT '',
  schema_version_number INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (table_id, version)
);
-- kind 0: a column; kind 1: a partition key.
CREATE TABLE version_columns (
  table_id INTEGER NOT NULL,
  version INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  position INTEGER NOT NULL,
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  comment TEXT NOT NULL,
  PRIMARY KEY (table_id, version, kind, position),
  FOREIGN KEY (table_id, version) REFERENCES table_versions (table_id, version) ON DELETE CASCADE
);
-- kind 0: the table's parameters; kind 1: its SerDe's.
CREATE TABLE version_parameters (
  table_id INTEGER NOT NULL,
  version INTEGER NOT NULL,
  kind INTEGER NOT NULL,
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (table_id, version, kind, name),
  FOREIGN KEY (table_id, version) REFERENCES table_versions (table_id, version) ON DELETE CASCADE
);
-- partition_values: the values list encoded by EncodeValues, unique per table.
CREATE TABLE partitions (
  id INTEGER PRIMARY KEY,
  table_id INTEGER NOT NULL REFERENCES catalog_tables (id) ON DELETE CASCADE,
  partition_values TEXT NOT NULL,
  location TEXT NOT NULL,
  input_format TEXT NOT NULL,
  output_format TEXT NOT NULL,
  serde_name TEXT NOT NULL,
  serde_library TEXT NOT NULL,
  UNIQUE (table_id, partition_values)
);
-- kind 0: the partition's parameters; kind 1: its SerDe's.
CREATE TABLE partition_parameters (
  partition_id INTEGER NOT NULL REFERENCES partitions (id) ON DELETE CASCADE,
  kind INTEGER NOT NULL,
  name TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (partition_id, kind, name)
);
)sql";

constexpr std::string_view kDatabases = R"sql(
CREATE TABLE databases (
  name TEXT PRIMARY KEY,
  description TEXT NOT NULL,
  owner_domain TEXT NOT NULL
);
)sql";

// Version 1's tables become version 1 of each table; its tables are dropped children first, so
// the cascades have nothing left to do.
constexpr std::string_view kUpgrade1To2 = R"sql(
INSERT INTO catalog_tables (id, database_name, name, current_version)
  SELECT id, database_name, name, 1 FROM tables;
INSERT INTO table_versions (table_id, version, description, owner_domain, location, format)
  SELECT id, 1, description, owner_domain, location, format FROM tables;
INSERT INTO version_columns (table_id, version, kind, position, name, type, comment)
  SELECT table_id, 1, 0, position, name, type, comment FROM columns;
INSERT INTO version_parameters (table_id, version, kind, name, value)
  SELECT table_id, 1, 0, name, value FROM table_parameters;
DROP TABLE columns;
DROP TABLE table_parameters;
DROP TABLE tables;
)sql";

Result<int64_t> ReadInt(sqlite3* db, std::string_view sql) {
  Statement statement;
  if (Status s = statement.Prepare(db, sql); !s.ok()) return s;
  Query query(statement);
  Result<bool> row = query.Step();
  if (!row.ok()) return row.status();
  return *row ? query.Int(0) : 0;
}

}  // namespace

Status PrepareCatalogSchema(sqlite3* db, const std::string& path) {
  const std::string what = "Cannot initialise catalog at " + path;
  // A no-op inside a transaction, so first.
  if (Status s = sqlite::RunScript(db, "PRAGMA foreign_keys = ON;", what); !s.ok()) return s;
  Statement begin, commit, rollback;
  for (auto [statement, sql] : {std::pair{&begin, "BEGIN IMMEDIATE"}, std::pair{&commit, "COMMIT"},
                                std::pair{&rollback, "ROLLBACK"}}) {
    if (Status s = statement->Prepare(db, sql); !s.ok()) return s;
  }
  Transaction txn(db, begin, commit, rollback);
  if (Status s = txn.Begin(); !s.ok()) return sqlite::Error(db, what);

  Result<int64_t> version = ReadInt(db, "PRAGMA user_version");
  if (!version.ok()) return version.status();
  if (*version == kCatalogSchemaVersion) return txn.Commit();
  if (*version > kCatalogSchemaVersion) {
    std::string message = what;
    message += NumberedId(": its schema version is ", static_cast<uint64_t>(*version));
    message += NumberedId(", newer than this meshsim's ", kCatalogSchemaVersion);
    return Status(Code::kInternal, std::move(message));
  }
  Result<int64_t> has_v1 =
      ReadInt(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'tables'");
  if (!has_v1.ok()) return has_v1.status();
  if (*has_v1 == 0) {
    if (Status s = sqlite::RunScript(db, kDatabases, what); !s.ok()) return s;
  }
  if (Status s = sqlite::RunScript(db, kTablesV2, what); !s.ok()) return s;
  if (*has_v1 != 0) {
    if (Status s = sqlite::RunScript(db, kUpgrade1To2, what); !s.ok()) return s;
  }
  // user_version lives in the file's header page, which the transaction journals like any other.
  if (Status s = sqlite::RunScript(db, "PRAGMA user_version = 2;", what); !s.ok()) return s;
  return txn.Commit();
}

}  // namespace meshsim::fakes::internal

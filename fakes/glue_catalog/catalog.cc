// The Catalog port on SQLite, with Glue Data Catalog semantics: names lower-cased, Glue's error
// types and messages, a version kept for every change of a table. Given a file path the catalog
// survives restarts, as a real catalog does. This file: opening, databases, tables, versions.
#include "fakes/glue_catalog/catalog.h"

#include <charconv>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "fakes/glue_catalog/catalog_impl.h"
#include "fakes/glue_catalog/catalog_rules.h"
#include "fakes/glue_catalog/catalog_schema.h"
#include "sim/core/ids.h"
#include "sim/text/ascii.h"

namespace meshsim::fakes {
namespace internal {
namespace {

// version_columns.kind and version_parameters.kind.
constexpr int64_t kColumn = 0, kPartitionKey = 1;
constexpr int64_t kTableParameter = 0, kSerDeParameter = 1;

// The columns every catalog_tables query selects, in the order ReadTableRow reads them.
#define MESHSIM_TABLE_ROW "t.id, t.database_name, t.name, t.current_version"

TableRow ReadTableRow(const Query& row) {
  return TableRow{row.Int(0), row.Text(1), row.Text(2), row.Int(3)};
}

Database ReadDatabaseRow(const Query& row) {
  return Database{row.Text(0), row.Text(1), row.Text(2)};
}

// Glue's VersionId: the decimal form of a positive integer.
Result<int64_t> ParseVersionId(const std::string& version_id) {
  int64_t version = 0;
  const char* end = version_id.data() + version_id.size();
  auto [ptr, ec] = std::from_chars(version_id.data(), end, version);
  if (ec != std::errc() || ptr != end || version < 1) {
    return Status(Code::kInvalidInput, "VersionId " + version_id + " is not a version number");
  }
  return version;
}

}  // namespace

Result<std::unique_ptr<Catalog>> SqliteCatalog::Open(const std::string& path) {
  sqlite3* raw = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &raw, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
  DbHandle db(raw);  // sqlite3_open_v2 may return a handle even when it fails
  if (rc != SQLITE_OK) {
    std::string message = "Cannot open catalog at " + path + ": ";
    message += db != nullptr ? sqlite3_errmsg(db.get()) : sqlite3_errstr(rc);
    return Status(Code::kInternal, std::move(message));
  }
  sqlite3_extended_result_codes(db.get(), 1);
  if (Status s = PrepareCatalogSchema(db.get(), path); !s.ok()) return s;
  // A constructor cannot return a Status, so the statements are prepared just after it.
  std::unique_ptr<SqliteCatalog> catalog(new SqliteCatalog(std::move(db)));
  if (Status s = catalog->PrepareStatements(); !s.ok()) return s;
  return std::unique_ptr<Catalog>(std::move(catalog));
}

Status SqliteCatalog::PrepareStatements() {
  const std::pair<Statement*, std::string_view> statements[] = {
      {&begin_, "BEGIN IMMEDIATE"},
      {&commit_, "COMMIT"},
      {&rollback_, "ROLLBACK"},
      {&insert_database_,
       "INSERT INTO databases (name, description, owner_domain) VALUES (?1, ?2, ?3)"},
      {&select_database_, "SELECT name, description, owner_domain FROM databases WHERE name = ?1"},
      {&select_databases_, "SELECT name, description, owner_domain FROM databases ORDER BY name"},
      {&delete_database_, "DELETE FROM databases WHERE name = ?1"},
      {&insert_table_,
       "INSERT INTO catalog_tables (database_name, name, current_version) VALUES (?1, ?2, 1)"},
      {&select_table_, "SELECT " MESHSIM_TABLE_ROW
                       " FROM catalog_tables AS t WHERE t.database_name = ?1 AND t.name = ?2"},
      {&select_tables_, "SELECT " MESHSIM_TABLE_ROW
                        " FROM catalog_tables AS t WHERE t.database_name = ?1 ORDER BY t.name"},
      // LIKE folds ASCII case, matching how names are lower-cased. Partition keys are columns.
      {&search_tables_,
       "SELECT " MESHSIM_TABLE_ROW " FROM catalog_tables AS t JOIN table_versions AS v "
       "ON v.table_id = t.id AND v.version = t.current_version "
       "WHERE t.name LIKE ?1 ESCAPE '\\' OR v.description LIKE ?1 ESCAPE '\\' "
       "OR v.owner_domain LIKE ?1 ESCAPE '\\' "
       "OR EXISTS (SELECT 1 FROM version_columns AS c WHERE c.table_id = t.id "
       "AND c.version = t.current_version AND c.name LIKE ?1 ESCAPE '\\') "
       "ORDER BY t.database_name, t.name"},
      {&set_current_, "UPDATE catalog_tables SET current_version = ?2 WHERE id = ?1"},
      {&delete_table_, "DELETE FROM catalog_tables WHERE id = ?1"},
      {&insert_version_,
       "INSERT INTO table_versions (table_id, version, description, owner_domain, location, "
       "format, input_format, output_format, serde_name, serde_library, has_schema_reference, "
       "schema_registry, schema_name, schema_arn, schema_version_id, schema_version_number) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)"},
      {&select_version_,
       "SELECT description, owner_domain, location, format, input_format, output_format, "
       "serde_name, serde_library, has_schema_reference, schema_registry, schema_name, "
       "schema_arn, schema_version_id, schema_version_number "
       "FROM table_versions WHERE table_id = ?1 AND version = ?2"},
      {&select_versions_,
       "SELECT version FROM table_versions WHERE table_id = ?1 ORDER BY version DESC"},
      {&delete_version_, "DELETE FROM table_versions WHERE table_id = ?1 AND version = ?2"},
      {&insert_column_,
       "INSERT INTO version_columns (table_id, version, kind, position, name, type, comment) "
       "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"},
      {&select_columns_,
       "SELECT kind, name, type, comment FROM version_columns "
       "WHERE table_id = ?1 AND version = ?2 ORDER BY kind, position"},
      {&insert_parameter_,
       "INSERT INTO version_parameters (table_id, version, kind, name, value) "
       "VALUES (?1, ?2, ?3, ?4, ?5)"},
      {&select_parameters_,
       "SELECT kind, name, value FROM version_parameters WHERE table_id = ?1 AND version = ?2"},
      {&count_partitions_, "SELECT count(*) FROM partitions WHERE table_id = ?1"},
      {&insert_partition_,
       "INSERT INTO partitions (table_id, partition_values, location, input_format, "
       "output_format, serde_name, serde_library) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)"},
      {&select_partition_,
       "SELECT id FROM partitions WHERE table_id = ?1 AND partition_values = ?2"},
      {&select_partitions_,
       "SELECT id, partition_values, location, input_format, output_format, serde_name, "
       "serde_library FROM partitions WHERE table_id = ?1 AND (?2 = 0 OR id = ?2) ORDER BY id"},
      {&update_partition_,
       "UPDATE partitions SET location = ?2, input_format = ?3, output_format = ?4, "
       "serde_name = ?5, serde_library = ?6 WHERE id = ?1"},
      {&delete_partition_, "DELETE FROM partitions WHERE id = ?1"},
      {&insert_partition_parameter_,
       "INSERT INTO partition_parameters (partition_id, kind, name, value) "
       "VALUES (?1, ?2, ?3, ?4)"},
      {&select_partition_parameters_,
       "SELECT kind, name, value FROM partition_parameters WHERE partition_id = ?1"},
      {&delete_partition_parameters_, "DELETE FROM partition_parameters WHERE partition_id = ?1"},
  };
  for (const auto& [statement, sql] : statements) {
    if (Status s = statement->Prepare(db(), sql); !s.ok()) return s;
  }
  return Status::Ok();
}

#undef MESHSIM_TABLE_ROW

Status SqliteCatalog::CreateDatabase(const Database& database) {
  Database row = database;
  row.name = AsciiLower(database.name);
  if (Status s = CheckName("Database name", row.name); !s.ok()) return s;

  Transaction txn = NewTransaction();
  if (Status s = txn.Begin(); !s.ok()) return s;
  Result<Database> existing = ReadDatabase(row.name);
  if (existing.ok()) return Status(Code::kAlreadyExists, "Database already exists.");
  if (existing.status().code() != Code::kEntityNotFound) return existing.status();
  Query insert(insert_database_);
  insert.Bind(row.name).Bind(row.description).Bind(row.owner_domain);
  if (Status s = insert.Run(); !s.ok()) return s;
  return txn.Commit();
}

Result<Database> SqliteCatalog::GetDatabase(const std::string& name) const {
  std::string key = AsciiLower(name);
  if (Status s = CheckName("Database name", key); !s.ok()) return s;
  return ReadDatabase(key);
}

Result<std::vector<Database>> SqliteCatalog::GetDatabases() const {
  std::vector<Database> out;
  Query select(select_databases_);
  Status s = select.ForEachRow([&](const Query& row) { out.push_back(ReadDatabaseRow(row)); });
  if (!s.ok()) return s;
  return out;
}

// The foreign keys cascade to its tables, their versions and partitions.
Status SqliteCatalog::DeleteDatabase(const std::string& name) {
  std::string key = AsciiLower(name);
  if (Status s = CheckName("Database name", key); !s.ok()) return s;
  Transaction txn = NewTransaction();
  if (Status s = txn.Begin(); !s.ok()) return s;
  if (Status s = ReadDatabase(key).status(); !s.ok()) return s;
  if (Status s = Query(delete_database_).Bind(key).Run(); !s.ok()) return s;
  return txn.Commit();
}

Status SqliteCatalog::CreateTable(const Table& table) {
  Table row = Normalized(table);
  if (Status s = CheckTable(row); !s.ok()) return s;

  Transaction txn = NewTransaction();
  if (Status s = txn.Begin(); !s.ok()) return s;
  if (Status s = ReadDatabase(row.database).status(); !s.ok()) return s;
  Result<TableRow> existing = FindTable(row.database, row.name);
  if (existing.ok()) return Status(Code::kAlreadyExists, "Table already exists.");
  if (existing.status().code() != Code::kEntityNotFound) return existing.status();
  if (Status s = Query(insert_table_).Bind(row.database).Bind(row.name).Run(); !s.ok()) return s;
  if (Status s = WriteVersion(sqlite3_last_insert_rowid(db()), 1, row); !s.ok()) return s;
  return txn.Commit();
}

// Glue's UpdateTable replaces the whole definition: columns and parameters left out are gone.
// The definition it replaces stays as the previous version, unless skip_archive.
Status SqliteCatalog::UpdateTable(const Table& table, const UpdateTableOptions& options) {
  Table row = Normalized(table);
  if (Status s = CheckTable(row); !s.ok()) return s;

  Transaction txn = NewTransaction();
  if (Status s = txn.Begin(); !s.ok()) return s;
  if (Status s = ReadDatabase(row.database).status(); !s.ok()) return s;
  Result<TableRow> existing = FindTable(row.database, row.name);
  if (!existing.ok()) return existing.status();
  Result<Table> current = ReadVersion(*existing, existing->current_version);
  if (!current.ok()) return current.status();
  // Every partition's values list follows the keys; a different number of keys would orphan them.
  if (current->partition_keys.size() != row.partition_keys.size()) {
    Query count(count_partitions_);
    Result<bool> counted = count.Bind(existing->id).Step();
    if (!counted.ok()) return counted.status();
    if (count.Int(0) > 0) {
      return Status(Code::kInvalidInput, "PartitionKeys cannot change in number while table " +
                                             row.name + " has partitions");
    }
  }
  int64_t version = existing->current_version;
  if (options.skip_archive) {
    if (Status s = Query(delete_version_).Bind(existing->id).Bind(version).Run(); !s.ok()) {
      return s;
    }
  } else {
    ++version;
  }
  if (Status s = WriteVersion(existing->id, version, row); !s.ok()) return s;
  if (Status s = Query(set_current_).Bind(existing->id).Bind(version).Run(); !s.ok()) return s;
  return txn.Commit();
}

Result<Table> SqliteCatalog::GetTable(const std::string& database, const std::string& name) const {
  Result<TableRow> row = LookUpTable(database, name);
  if (!row.ok()) return row.status();
  return ReadVersion(*row, row->current_version);
}

Result<std::vector<Table>> SqliteCatalog::GetTables(const std::string& database) const {
  std::string key = AsciiLower(database);
  if (Status s = CheckName("Database name", key); !s.ok()) return s;
  if (Status s = ReadDatabase(key).status(); !s.ok()) return s;
  Query select(select_tables_);
  select.Bind(key);
  return ReadCurrent(select);
}

Status SqliteCatalog::DeleteTable(const std::string& database, const std::string& name) {
  Transaction txn = NewTransaction();
  if (Status s = txn.Begin(); !s.ok()) return s;
  Result<TableRow> row = LookUpTable(database, name);
  if (!row.ok()) return row.status();
  if (Status s = Query(delete_table_).Bind(row->id).Run(); !s.ok()) return s;
  return txn.Commit();
}

Result<std::vector<Table>> SqliteCatalog::GetTableVersions(const std::string& database,
                                                           const std::string& name) const {
  Result<TableRow> row = LookUpTable(database, name);
  if (!row.ok()) return row.status();
  std::vector<int64_t> versions;
  Query select(select_versions_);
  Status listed =
      select.Bind(row->id).ForEachRow([&](const Query& r) { versions.push_back(r.Int(0)); });
  if (!listed.ok()) return listed;
  std::vector<Table> out;
  for (int64_t version : versions) {
    Result<Table> table = ReadVersion(*row, version);
    if (!table.ok()) return table.status();
    out.push_back(std::move(*table));
  }
  return out;
}

Result<Table> SqliteCatalog::GetTableVersion(const std::string& database, const std::string& name,
                                             const std::string& version_id) const {
  Result<TableRow> row = LookUpTable(database, name);
  if (!row.ok()) return row.status();
  if (version_id.empty()) return ReadVersion(*row, row->current_version);
  Result<int64_t> version = ParseVersionId(version_id);
  if (!version.ok()) return version.status();
  return ReadVersion(*row, *version);
}

Status SqliteCatalog::DeleteTableVersion(const std::string& database, const std::string& name,
                                         const std::string& version_id) {
  Result<int64_t> version = ParseVersionId(version_id);
  if (!version.ok()) return version.status();
  Transaction txn = NewTransaction();
  if (Status s = txn.Begin(); !s.ok()) return s;
  Result<TableRow> row = LookUpTable(database, name);
  if (!row.ok()) return row.status();
  if (*version == row->current_version) {
    return Status(Code::kInvalidInput, "VersionId " + version_id +
                                           " is the current version of table " + row->name +
                                           "; delete the table instead");
  }
  if (Status s = ReadVersion(*row, *version).status(); !s.ok()) return s;
  if (Status s = Query(delete_version_).Bind(row->id).Bind(*version).Run(); !s.ok()) return s;
  return txn.Commit();
}

Result<Database> SqliteCatalog::ReadDatabase(const std::string& name) const {
  Query select(select_database_);
  select.Bind(name);
  Result<bool> row = select.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status(Code::kEntityNotFound, "Database " + name + " not found.");
  return ReadDatabaseRow(select);
}

Result<TableRow> SqliteCatalog::FindTable(const std::string& database,
                                          const std::string& name) const {
  Query select(select_table_);
  select.Bind(database).Bind(name);
  Result<bool> row = select.Step();
  if (!row.ok()) return row.status();
  if (!*row) return Status(Code::kEntityNotFound, "Table " + name + " not found.");
  return ReadTableRow(select);
}

Result<TableRow> SqliteCatalog::LookUpTable(const std::string& database,
                                            const std::string& name) const {
  std::string database_key = AsciiLower(database);
  std::string table_key = AsciiLower(name);
  if (Status s = CheckName("Database name", database_key); !s.ok()) return s;
  if (Status s = CheckName("Table name", table_key); !s.ok()) return s;
  if (Status s = ReadDatabase(database_key).status(); !s.ok()) return s;
  return FindTable(database_key, table_key);
}

Result<SqliteCatalog::CurrentTable> SqliteCatalog::LookUpCurrent(const std::string& database,
                                                                 const std::string& name) const {
  Result<TableRow> row = LookUpTable(database, name);
  if (!row.ok()) return row.status();
  Result<Table> table = ReadVersion(*row, row->current_version);
  if (!table.ok()) return table.status();
  return CurrentTable{std::move(*row), std::move(*table)};
}

Result<Table> SqliteCatalog::ReadVersion(const TableRow& row, int64_t version) const {
  Table table;
  table.database = row.database;
  table.name = row.name;
  table.version_id = NumberedId("", static_cast<uint64_t>(version));
  {
    Query select(select_version_);
    Result<bool> found = select.Bind(row.id).Bind(version).Step();
    if (!found.ok()) return found.status();
    if (!*found) return Status(Code::kEntityNotFound, "Version not found.");
    table.description = select.Text(0);
    table.owner_domain = select.Text(1);
    table.location = select.Text(2);
    table.format = select.Text(3);
    table.input_format = select.Text(4);
    table.output_format = select.Text(5);
    table.serde.name = select.Text(6);
    table.serde.serialization_library = select.Text(7);
    if (select.Int(8) != 0) {
      table.schema_reference = SchemaReference{select.Text(9), select.Text(10), select.Text(11),
                                               select.Text(12), select.Int(13)};
    }
  }
  Query columns(select_columns_);
  Status s = columns.Bind(row.id).Bind(version).ForEachRow([&](const Query& r) {
    (r.Int(0) == kPartitionKey ? table.partition_keys : table.columns)
        .push_back(Column{r.Text(1), r.Text(2), r.Text(3)});
  });
  if (!s.ok()) return s;
  Query parameters(select_parameters_);
  s = parameters.Bind(row.id).Bind(version).ForEachRow([&](const Query& r) {
    (r.Int(0) == kSerDeParameter ? table.serde.parameters : table.parameters)
        .emplace(r.Text(1), r.Text(2));
  });
  if (!s.ok()) return s;
  return table;
}

Result<std::vector<Table>> SqliteCatalog::ReadCurrent(Query& select) const {
  std::vector<TableRow> rows;
  Status listed = select.ForEachRow([&](const Query& row) { rows.push_back(ReadTableRow(row)); });
  if (!listed.ok()) return listed;
  std::vector<Table> out;
  out.reserve(rows.size());
  for (const TableRow& row : rows) {
    Result<Table> table = ReadVersion(row, row.current_version);
    if (!table.ok()) return table.status();
    out.push_back(std::move(*table));
  }
  return out;
}

Status SqliteCatalog::WriteVersion(int64_t table_id, int64_t version, const Table& table) {
  {
    const SchemaReference ref = table.schema_reference.value_or(SchemaReference{});
    Query insert(insert_version_);
    insert.Bind(table_id).Bind(version).Bind(table.description).Bind(table.owner_domain);
    insert.Bind(table.location).Bind(table.format).Bind(table.input_format);
    insert.Bind(table.output_format).Bind(table.serde.name).Bind(table.serde.serialization_library);
    insert.Bind(int64_t{table.schema_reference.has_value()}).Bind(ref.registry_name);
    insert.Bind(ref.schema_name).Bind(ref.schema_arn).Bind(ref.schema_version_id);
    insert.Bind(ref.schema_version_number);
    if (Status s = insert.Run(); !s.ok()) return s;
  }
  for (int64_t kind : {kColumn, kPartitionKey}) {
    const std::vector<Column>& list = kind == kColumn ? table.columns : table.partition_keys;
    for (size_t i = 0; i < list.size(); ++i) {
      Query insert(insert_column_);
      insert.Bind(table_id).Bind(version).Bind(kind).Bind(static_cast<int64_t>(i));
      insert.Bind(list[i].name).Bind(list[i].type).Bind(list[i].comment);
      if (Status s = insert.Run(); !s.ok()) return s;
    }
  }
  for (int64_t kind : {kTableParameter, kSerDeParameter}) {
    const auto& map = kind == kTableParameter ? table.parameters : table.serde.parameters;
    for (const auto& [key, value] : map) {
      Query insert(insert_parameter_);
      insert.Bind(table_id).Bind(version).Bind(kind).Bind(key).Bind(value);
      if (Status s = insert.Run(); !s.ok()) return s;
    }
  }
  return Status::Ok();
}

}  // namespace internal

Result<std::unique_ptr<Catalog>> MakeSqliteCatalog(const std::string& path) {
  return internal::SqliteCatalog::Open(path);
}

}  // namespace meshsim::fakes

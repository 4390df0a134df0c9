// The SQLite catalog's class, shared by its files: databases, tables and versions
// (fakes/glue_catalog/catalog.cc), partitions (fakes/glue_catalog/catalog_partitions.cc) and search
// (fakes/glue_catalog/catalog_search.cc). Not for use elsewhere: the public face is
// fakes/glue_catalog/catalog.h.
//
// Every value reaches SQLite as a bound parameter of a statement prepared once at open; a write
// call validates its input first and then writes inside one transaction, so a call that fails
// leaves the catalog exactly as it was. Not thread-safe: calls share the prepared statements, so
// one thread (the runtime's) at a time.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "fakes/glue_catalog/catalog_schema.h"
#include "fakes/sqlite/sqlite_db.h"
#include "sim/ports/catalog.h"

namespace meshsim::fakes::internal {

// The sqlite:: names it uses come with catalog_schema.h.

// A table's row in catalog_tables: who it is and which version is current.
struct TableRow {
  int64_t id = 0;
  std::string database;
  std::string name;
  int64_t current_version = 0;
};

class SqliteCatalog final : public Catalog {
 public:
  static Result<std::unique_ptr<Catalog>> Open(const std::string& path);

  Status CreateDatabase(const Database& database) override;
  Result<Database> GetDatabase(const std::string& name) const override;
  Result<std::vector<Database>> GetDatabases() const override;
  Status DeleteDatabase(const std::string& name) override;

  Status CreateTable(const Table& table) override;
  using Catalog::UpdateTable;
  Status UpdateTable(const Table& table, const UpdateTableOptions& options) override;
  Result<Table> GetTable(const std::string& database, const std::string& name) const override;
  Result<std::vector<Table>> GetTables(const std::string& database) const override;
  Status DeleteTable(const std::string& database, const std::string& name) override;

  Result<std::vector<Table>> GetTableVersions(const std::string& database,
                                              const std::string& name) const override;
  Result<Table> GetTableVersion(const std::string& database, const std::string& name,
                                const std::string& version_id) const override;
  Status DeleteTableVersion(const std::string& database, const std::string& name,
                            const std::string& version_id) override;

  Result<std::vector<Table>> SearchTables(const std::string& text) const override;
  Result<std::vector<Table>> SearchTables(const TableSearch& search) const override;

  Status CreatePartition(const Partition& partition) override;
  Result<std::vector<PartitionError>> BatchCreatePartition(
      const std::string& database, const std::string& table,
      const std::vector<Partition>& partitions) override;
  Result<Partition> GetPartition(const std::string& database, const std::string& table,
                                 const std::vector<std::string>& values) const override;
  Result<std::vector<Partition>> GetPartitions(const std::string& database,
                                               const std::string& table,
                                               const std::string& expression) const override;
  Status UpdatePartition(const std::string& database, const std::string& table,
                         const std::vector<std::string>& values,
                         const Partition& partition) override;
  Status DeletePartition(const std::string& database, const std::string& table,
                         const std::vector<std::string>& values) override;

 private:
  explicit SqliteCatalog(DbHandle db) : db_(std::move(db)) {}
  sqlite3* db() const { return db_.get(); }
  Status PrepareStatements();
  Transaction NewTransaction() { return Transaction(db(), begin_, commit_, rollback_); }

  // Reads. Names are lower-cased and checked by the caller unless said otherwise.
  Result<Database> ReadDatabase(const std::string& name) const;
  Result<TableRow> FindTable(const std::string& database, const std::string& name) const;
  // Checks and lower-cases the names, and finds the database and then the table.
  Result<TableRow> LookUpTable(const std::string& database, const std::string& name) const;
  // LookUpTable, then the table's current definition.
  struct CurrentTable {
    TableRow row;
    Table table;
  };
  Result<CurrentTable> LookUpCurrent(const std::string& database, const std::string& name) const;
  // EntityNotFoundException "Version not found." when the version is not kept.
  Result<Table> ReadVersion(const TableRow& row, int64_t version) const;
  Result<std::vector<Table>> ReadCurrent(Query& select) const;  // rows of catalog_tables
  // The partition's row id, or EntityNotFoundException.
  Result<int64_t> FindPartition(int64_t table_id, const std::vector<std::string>& values) const;
  Result<Partition> ReadPartition(const TableRow& table, const Query& row) const;

  // Writes. REQUIRES: inside a Transaction; the input checked.
  Status WriteVersion(int64_t table_id, int64_t version, const Table& table);
  Status WritePartitionParameters(int64_t partition_id, const Partition& partition);
  // One partition of BatchCreatePartition or CreatePartition: its own error, or OK.
  Status CreateOnePartition(const TableRow& table, const std::vector<Column>& keys,
                            const Partition& partition);

  // Declared first so it is destroyed last, after the statements that belong to it.
  DbHandle db_;
  // Reads step statements too, so const calls change them.
  mutable Statement begin_, commit_, rollback_;
  mutable Statement insert_database_, select_database_, select_databases_, delete_database_;
  mutable Statement insert_table_, select_table_, select_tables_, search_tables_, set_current_,
      delete_table_;
  mutable Statement insert_version_, select_version_, select_versions_, delete_version_;
  mutable Statement insert_column_, select_columns_, insert_parameter_, select_parameters_;
  mutable Statement count_partitions_, insert_partition_, select_partition_, select_partitions_,
      update_partition_, delete_partition_;
  mutable Statement insert_partition_parameter_, select_partition_parameters_,
      delete_partition_parameters_;
};

}  // namespace meshsim::fakes::internal

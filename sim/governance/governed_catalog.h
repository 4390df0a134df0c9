// The catalog as one principal sees it under Lake Formation: every call checks the caller's
// permission on what it touches and fails with AccessDeniedException (recorded in the audit log)
// when it is missing; listings show only what the caller may see, without a denial for each
// resource left out. Built over the Catalog and Permissions ports, so it governs any catalog.
//
// A database belongs to the account of its owner domain (sim/governance/accounts.h), and so do its
// tables. What each call needs (Lake Formation's permissions reference, "Lake Formation permissions
// reference"):
//   CreateDatabase              CREATE_DATABASE on the owner's catalog
//   GetDatabase                 DESCRIBE on the database
//   DeleteDatabase              DROP on the database
//   CreateTable                 CREATE_TABLE on the database
//   GetTable, GetTableVersion(s) DESCRIBE (or SELECT) on the table; with SELECT on some of its
//                               columns only, GetTable shows those columns only
//   UpdateTable, DeleteTableVersion  ALTER on the table
//   DeleteTable                 DROP on the table
//   GetPartition(s)             SELECT on the table or on some of its columns
//   Create/BatchCreate/UpdatePartition  INSERT on the table
//   DeletePartition             DELETE on the table
//   GetDatabases, GetTables, SearchTables: those the caller may DESCRIBE (tables: or SELECT)
// A database or table that does not exist is the inner catalog's EntityNotFoundException.
#pragma once

#include "sim/ports/catalog.h"
#include "sim/ports/permissions.h"

namespace meshsim {

class GovernedCatalog final : public Catalog {
 public:
  // `inner` and `permissions` must outlive this view.
  GovernedCatalog(Catalog& inner, Permissions& permissions, Principal caller)
      : inner_(inner), permissions_(permissions), caller_(std::move(caller)) {}

  const Principal& caller() const { return caller_; }

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

  // The columns of the table the caller may SELECT, in the table's order: every column with
  // SELECT on the table, else those its column-level grants name (Lake Formation's
  // TableWithColumns); empty when none. Not audited: a check, not a call.
  Result<std::vector<std::string>> SelectableColumns(const std::string& database,
                                                     const std::string& table) const;

 private:
  // The check of `permission` on the database, or on one of its tables when `table` is given.
  Status OnDatabase(const std::string& database, Permission permission) const;
  Status OnTable(const std::string& database, const std::string& table,
                 Permission permission) const;
  // The Lake Formation resource of an existing table: its database's owner account and names.
  Result<TableResource> ResourceOf(const std::string& database, const std::string& table) const;
  // The table as the caller may see it: whole with SELECT on it (or, when `denied_as` is
  // DESCRIBE, with DESCRIBE), else with the columns it may SELECT; with none of those, the
  // denial of `denied_as`, audited.
  Result<Table> Shown(const std::string& database, const std::string& table,
                      Permission denied_as) const;
  bool ColumnSelectable(const TableResource& table, const std::string& column) const;
  // Reading a table's partitions (and so its data): SELECT on it or on some of its columns.
  Status OnTableSelect(const std::string& database, const std::string& table) const;
  // A table is seen by a caller with DESCRIBE or SELECT on it, or SELECT on some of its columns.
  Status OnTableSeen(const std::string& database, const std::string& table) const;
  Result<std::vector<Table>> Visible(Result<std::vector<Table>> tables) const;

  Catalog& inner_;
  Permissions& permissions_;  // checks write the audit log, so not const even for reads
  Principal caller_;
};

}  // namespace meshsim

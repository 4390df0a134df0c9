#include "sim/governance/governed_catalog.h"

#include <algorithm>

#include "sim/governance/accounts.h"

namespace meshsim {

Status GovernedCatalog::OnDatabase(const std::string& database, Permission permission) const {
  auto db = inner_.GetDatabase(database);
  if (!db.ok()) return db.status();
  return permissions_.Check(
      caller_, DatabaseResource{std::string(DomainAccount(db->owner_domain)), db->name},
      permission);
}

Result<TableResource> GovernedCatalog::ResourceOf(const std::string& database,
                                                  const std::string& table) const {
  auto db = inner_.GetDatabase(database);
  if (!db.ok()) return db.status();
  auto t = inner_.GetTable(database, table);
  if (!t.ok()) return t.status();
  return TableResource{std::string(DomainAccount(db->owner_domain)), db->name, t->name, false};
}

Status GovernedCatalog::OnTable(const std::string& database, const std::string& table,
                                Permission permission) const {
  auto r = ResourceOf(database, table);
  if (!r.ok()) return r.status();
  return permissions_.Check(caller_, *r, permission);
}

Result<Table> GovernedCatalog::Shown(const std::string& database, const std::string& table,
                                     Permission denied_as) const {
  auto r = ResourceOf(database, table);
  if (!r.ok()) return r.status();
  Result<Table> t = inner_.GetTable(database, table);
  if (!t.ok()) return t;
  if (permissions_.Allowed(caller_, *r, Permission::kSelect)) return t;
  if (denied_as == Permission::kDescribe && permissions_.Allowed(caller_, *r, denied_as)) return t;
  // SELECT on some of its columns shows the table with those columns only.
  std::erase_if(t->columns, [&](const Column& c) { return !ColumnSelectable(*r, c.name); });
  if (t->columns.empty()) return permissions_.Check(caller_, *r, denied_as);  // audited
  return t;
}

bool GovernedCatalog::ColumnSelectable(const TableResource& table,
                                       const std::string& column) const {
  return permissions_.Allowed(
      caller_,
      TableWithColumnsResource{
          table.catalog_id, table.database_name, table.name, {column}, std::nullopt},
      Permission::kSelect);
}

Status GovernedCatalog::OnTableSeen(const std::string& database, const std::string& table) const {
  return Shown(database, table, Permission::kDescribe).status();
}

Status GovernedCatalog::OnTableSelect(const std::string& database, const std::string& table) const {
  return Shown(database, table, Permission::kSelect).status();
}

Result<std::vector<std::string>> GovernedCatalog::SelectableColumns(
    const std::string& database, const std::string& table) const {
  auto r = ResourceOf(database, table);
  if (!r.ok()) return r.status();
  auto t = inner_.GetTable(database, table);
  if (!t.ok()) return t.status();
  const bool whole = permissions_.Allowed(caller_, *r, Permission::kSelect);
  std::vector<std::string> names;
  for (const Column& c : t->columns) {
    if (whole || ColumnSelectable(*r, c.name)) names.push_back(c.name);
  }
  return names;
}

Result<std::vector<Table>> GovernedCatalog::Visible(Result<std::vector<Table>> tables) const {
  if (!tables.ok()) return tables;
  std::vector<Table> out;
  for (auto& t : *tables) {
    auto db = inner_.GetDatabase(t.database);
    if (!db.ok()) continue;
    const TableResource r{std::string(DomainAccount(db->owner_domain)), db->name, t.name, false};
    if (permissions_.Allowed(caller_, r, Permission::kDescribe) ||
        permissions_.Allowed(caller_, r, Permission::kSelect)) {
      out.push_back(std::move(t));
    }
  }
  return out;
}

Status GovernedCatalog::CreateDatabase(const Database& database) {
  if (auto s = permissions_.Check(
          caller_, CatalogResource{std::string(DomainAccount(database.owner_domain))},
          Permission::kCreateDatabase);
      !s.ok()) {
    return s;
  }
  return inner_.CreateDatabase(database);
}

Result<Database> GovernedCatalog::GetDatabase(const std::string& name) const {
  if (auto s = OnDatabase(name, Permission::kDescribe); !s.ok()) return s;
  return inner_.GetDatabase(name);
}

Result<std::vector<Database>> GovernedCatalog::GetDatabases() const {
  auto all = inner_.GetDatabases();
  if (!all.ok()) return all;
  std::vector<Database> out;
  for (auto& db : *all) {
    if (permissions_.Allowed(caller_,
                             DatabaseResource{std::string(DomainAccount(db.owner_domain)), db.name},
                             Permission::kDescribe)) {
      out.push_back(std::move(db));
    }
  }
  return out;
}

Status GovernedCatalog::DeleteDatabase(const std::string& name) {
  if (auto s = OnDatabase(name, Permission::kDrop); !s.ok()) return s;
  return inner_.DeleteDatabase(name);
}

Status GovernedCatalog::CreateTable(const Table& table) {
  if (auto s = OnDatabase(table.database, Permission::kCreateTable); !s.ok()) return s;
  return inner_.CreateTable(table);
}

Status GovernedCatalog::UpdateTable(const Table& table, const UpdateTableOptions& options) {
  if (auto s = OnTable(table.database, table.name, Permission::kAlter); !s.ok()) return s;
  return inner_.UpdateTable(table, options);
}

Result<Table> GovernedCatalog::GetTable(const std::string& database,
                                        const std::string& name) const {
  return Shown(database, name, Permission::kDescribe);
}

Result<std::vector<Table>> GovernedCatalog::GetTables(const std::string& database) const {
  if (auto db = inner_.GetDatabase(database); !db.ok()) return db.status();
  return Visible(inner_.GetTables(database));
}

Status GovernedCatalog::DeleteTable(const std::string& database, const std::string& name) {
  if (auto s = OnTable(database, name, Permission::kDrop); !s.ok()) return s;
  return inner_.DeleteTable(database, name);
}

Result<std::vector<Table>> GovernedCatalog::GetTableVersions(const std::string& database,
                                                             const std::string& name) const {
  if (auto s = OnTableSeen(database, name); !s.ok()) return s;
  return inner_.GetTableVersions(database, name);
}

Result<Table> GovernedCatalog::GetTableVersion(const std::string& database, const std::string& name,
                                               const std::string& version_id) const {
  if (auto s = OnTableSeen(database, name); !s.ok()) return s;
  return inner_.GetTableVersion(database, name, version_id);
}

Status GovernedCatalog::DeleteTableVersion(const std::string& database, const std::string& name,
                                           const std::string& version_id) {
  if (auto s = OnTable(database, name, Permission::kAlter); !s.ok()) return s;
  return inner_.DeleteTableVersion(database, name, version_id);
}

Result<std::vector<Table>> GovernedCatalog::SearchTables(const std::string& text) const {
  return Visible(inner_.SearchTables(text));
}

Result<std::vector<Table>> GovernedCatalog::SearchTables(const TableSearch& search) const {
  return Visible(inner_.SearchTables(search));
}

Status GovernedCatalog::CreatePartition(const Partition& partition) {
  if (auto s = OnTable(partition.database, partition.table, Permission::kInsert); !s.ok()) return s;
  return inner_.CreatePartition(partition);
}

Result<std::vector<PartitionError>> GovernedCatalog::BatchCreatePartition(
    const std::string& database, const std::string& table,
    const std::vector<Partition>& partitions) {
  if (auto s = OnTable(database, table, Permission::kInsert); !s.ok()) return s;
  return inner_.BatchCreatePartition(database, table, partitions);
}

Result<Partition> GovernedCatalog::GetPartition(const std::string& database,
                                                const std::string& table,
                                                const std::vector<std::string>& values) const {
  if (auto s = OnTableSelect(database, table); !s.ok()) return s;
  return inner_.GetPartition(database, table, values);
}

Result<std::vector<Partition>> GovernedCatalog::GetPartitions(const std::string& database,
                                                              const std::string& table,
                                                              const std::string& expression) const {
  if (auto s = OnTableSelect(database, table); !s.ok()) return s;
  return inner_.GetPartitions(database, table, expression);
}

Status GovernedCatalog::UpdatePartition(const std::string& database, const std::string& table,
                                        const std::vector<std::string>& values,
                                        const Partition& partition) {
  if (auto s = OnTable(database, table, Permission::kInsert); !s.ok()) return s;
  return inner_.UpdatePartition(database, table, values, partition);
}

Status GovernedCatalog::DeletePartition(const std::string& database, const std::string& table,
                                        const std::vector<std::string>& values) {
  if (auto s = OnTable(database, table, Permission::kDelete); !s.ok()) return s;
  return inner_.DeletePartition(database, table, values);
}

}  // namespace meshsim

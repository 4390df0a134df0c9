#include "sim/governance/accounts.h"

#include <algorithm>
#include <array>
#include <utility>

namespace meshsim {
namespace {

constexpr std::array<std::pair<std::string_view, std::string_view>, 6> kAccounts = {{
    {"users", "111111111111"},
    {"songs", "222222222222"},
    {"podcasts", "333333333333"},
    {"interactions", "444444444444"},
    {"recommendations", "555555555555"},
    {"analytics", "666666666666"},
}};

Status NotFound(const std::string& what) {
  return Status(Code::kEntityNotFound, what + " not found");
}

// The database if it exists and belongs to `catalog_id`'s domain.
Result<Database> OwnedDatabase(const Catalog& catalog, const std::string& catalog_id,
                               const std::string& name) {
  auto db = catalog.GetDatabase(name);
  if (!db.ok() || DomainAccount(db->owner_domain) != catalog_id) {
    return NotFound("Database " + name + " in catalog " + catalog_id);
  }
  return db;
}

Result<Table> OwnedTable(const Catalog& catalog, const std::string& catalog_id,
                         const std::string& database, const std::string& name) {
  if (auto db = OwnedDatabase(catalog, catalog_id, database); !db.ok()) return db.status();
  auto table = catalog.GetTable(database, name);
  if (!table.ok()) return NotFound("Table " + database + "." + name + " in catalog " + catalog_id);
  return table;
}

}  // namespace

std::string_view DomainAccount(std::string_view domain) {
  for (const auto& [d, account] : kAccounts) {
    if (d == domain) return account;
  }
  return {};
}

std::string_view AccountDomain(std::string_view account) {
  for (const auto& [domain, a] : kAccounts) {
    if (a == account) return domain;
  }
  return {};
}

std::function<Status(const Resource&)> CatalogResourceFinder(const Catalog& catalog) {
  return [&catalog](const Resource& resource) -> Status {
    if (const auto* db = std::get_if<DatabaseResource>(&resource)) {
      return OwnedDatabase(catalog, db->catalog_id, db->name).status();
    }
    if (const auto* t = std::get_if<TableResource>(&resource)) {
      if (t->table_wildcard)
        return OwnedDatabase(catalog, t->catalog_id, t->database_name).status();
      return OwnedTable(catalog, t->catalog_id, t->database_name, t->name).status();
    }
    if (const auto* c = std::get_if<TableWithColumnsResource>(&resource)) {
      auto table = OwnedTable(catalog, c->catalog_id, c->database_name, c->name);
      if (!table.ok()) return table.status();
      std::vector<std::string> names = c->column_names;
      if (c->column_wildcard) names = c->column_wildcard->excluded_column_names;
      for (const auto& name : names) {
        const bool found = std::any_of(table->columns.begin(), table->columns.end(),
                                       [&name](const Column& col) { return col.name == name; });
        if (!found) {
          return NotFound("Column " + name + " of table " + c->database_name + "." + c->name);
        }
      }
      return Status::Ok();
    }
    return Status::Ok();  // a catalog: every account has one
  };
}

}  // namespace meshsim

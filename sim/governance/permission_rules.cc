#include "sim/governance/permission_rules.h"

#include <algorithm>
#include <array>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <tuple>
#include <utility>
#include <vector>

#include "sim/text/ascii.h"

namespace meshsim {
namespace {

struct PermissionNames {
  Permission permission;
  std::string_view name;
  std::string_view title;
};

constexpr std::array<PermissionNames, 9> kPermissions = {{
    {Permission::kAll, "ALL", "All"},
    {Permission::kSelect, "SELECT", "Select"},
    {Permission::kAlter, "ALTER", "Alter"},
    {Permission::kDrop, "DROP", "Drop"},
    {Permission::kDelete, "DELETE", "Delete"},
    {Permission::kInsert, "INSERT", "Insert"},
    {Permission::kDescribe, "DESCRIBE", "Describe"},
    {Permission::kCreateDatabase, "CREATE_DATABASE", "Create Database"},
    {Permission::kCreateTable, "CREATE_TABLE", "Create Table"},
}};

constexpr std::array<std::pair<ResourceKind, std::string_view>, 6> kKinds = {{
    {ResourceKind::kCatalog, "catalog"},
    {ResourceKind::kDatabase, "database"},
    {ResourceKind::kTable, "table"},
    {ResourceKind::kTableWildcard, "table_wildcard"},
    {ResourceKind::kColumn, "column"},
    {ResourceKind::kColumnWildcard, "column_wildcard"},
}};

// Glue's NameString: 1-255 characters.
constexpr size_t kMaxNameChars = 255;

size_t CharCount(std::string_view text) {
  return std::count_if(text.begin(), text.end(),
                       [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; });
}

Status InvalidInput(std::string message) { return Status(Code::kInvalidInput, std::move(message)); }

// Glue's single-line name, lower-cased in place: 1-255 characters, no control characters.
Status NormalizeName(std::string_view field, std::string& name) {
  size_t chars = CharCount(name);
  if (chars == 0 || chars > kMaxNameChars) {
    return InvalidInput(std::string(field) + " must be 1-255 characters");
  }
  bool has_control = std::any_of(name.begin(), name.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u < 0x20 || u == 0x7F;
  });
  if (has_control) {
    return InvalidInput(std::string(field) + " must not contain control characters");
  }
  name = AsciiLower(name);
  return Status::Ok();
}

Status NormalizeNames(std::string_view field, std::vector<std::string>& names) {
  for (std::string& name : names) {
    if (Status s = NormalizeName(field, name); !s.ok()) return s;
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return Status::Ok();
}

std::string Field(std::string_view shape, std::string_view member) {
  std::string out = "Resource.";
  out += shape;
  out += '.';
  out += member;
  return out;
}

std::string JoinNames(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) {
    if (!out.empty()) out += ", ";
    out += name;
  }
  return out;
}

bool Matches(const GrantRow& row, Permission permission, bool need_grant_option) {
  return (row.permission == permission || row.permission == Permission::kAll) &&
         (!need_grant_option || row.grantable);
}

bool Contains(const std::vector<std::string>& sorted, const std::string& name) {
  return std::binary_search(sorted.begin(), sorted.end(), name);
}

// SELECT on every column of `table`, present and future.
bool AllowsWholeTable(const std::vector<GrantRow>& rows, const std::string& database,
                      const std::string& table, Permission permission, bool need_grant_option) {
  return std::any_of(rows.begin(), rows.end(), [&](const GrantRow& row) {
    if (row.database_name != database || !Matches(row, permission, need_grant_option)) {
      return false;
    }
    switch (row.kind) {
      case ResourceKind::kTableWildcard:
        return true;
      case ResourceKind::kTable:
        return row.table_name == table;
      case ResourceKind::kColumnWildcard:
        return permission == Permission::kSelect && row.table_name == table &&
               row.excluded.empty() && row.permission == Permission::kSelect;
      default:
        return false;
    }
  });
}

bool AllowsColumns(const std::vector<GrantRow>& rows, const TableWithColumnsResource& columns,
                   bool need_grant_option) {
  const std::string& database = columns.database_name;
  const std::string& table = columns.name;
  if (AllowsWholeTable(rows, database, table, Permission::kSelect, need_grant_option)) return true;
  auto on_table = [&](const GrantRow& row) {
    return row.database_name == database && row.table_name == table &&
           row.permission == Permission::kSelect && (!need_grant_option || row.grantable);
  };
  if (columns.column_wildcard) {
    // Every column but E: a wildcard that excludes no more than E.
    const std::vector<std::string>& asked_excluded = columns.column_wildcard->excluded_column_names;
    return std::any_of(rows.begin(), rows.end(), [&](const GrantRow& row) {
      return on_table(row) && row.kind == ResourceKind::kColumnWildcard &&
             std::includes(asked_excluded.begin(), asked_excluded.end(), row.excluded.begin(),
                           row.excluded.end());
    });
  }
  return std::all_of(
      columns.column_names.begin(), columns.column_names.end(), [&](const std::string& name) {
        return std::any_of(rows.begin(), rows.end(), [&](const GrantRow& row) {
          if (!on_table(row)) return false;
          if (row.kind == ResourceKind::kColumn) return row.column_name == name;
          return row.kind == ResourceKind::kColumnWildcard && !Contains(row.excluded, name);
        });
      });
}

}  // namespace

std::string_view PermissionName(Permission permission) {
  for (const PermissionNames& p : kPermissions) {
    if (p.permission == permission) return p.name;
  }
  return "UNKNOWN";
}

std::string_view PermissionTitle(Permission permission) {
  for (const PermissionNames& p : kPermissions) {
    if (p.permission == permission) return p.title;
  }
  return "Unknown";
}

bool PermissionOfName(std::string_view name, Permission* permission) {
  for (const PermissionNames& p : kPermissions) {
    if (p.name == name) {
      *permission = p.permission;
      return true;
    }
  }
  return false;
}

std::string_view AuditActionName(AuditEntry::Action action) {
  switch (action) {
    case AuditEntry::Action::kGrant:
      return "GRANT";
    case AuditEntry::Action::kRevoke:
      return "REVOKE";
    case AuditEntry::Action::kDenial:
      return "DENIAL";
  }
  return "UNKNOWN";
}

std::string_view ResourceKindName(ResourceKind kind) {
  for (const auto& [k, name] : kKinds) {
    if (k == kind) return name;
  }
  return "unknown";
}

bool ResourceKindOfName(std::string_view name, ResourceKind* kind) {
  for (const auto& [k, n] : kKinds) {
    if (n == name) {
      *kind = k;
      return true;
    }
  }
  return false;
}

ResourceKind KindOf(const Resource& resource) {
  switch (resource.index()) {
    case 0:
      return ResourceKind::kCatalog;
    case 1:
      return ResourceKind::kDatabase;
    case 2:
      return std::get<TableResource>(resource).table_wildcard ? ResourceKind::kTableWildcard
                                                              : ResourceKind::kTable;
    default:
      return ResourceKind::kColumn;
  }
}

const std::string& CatalogIdOf(const Resource& resource) {
  return std::visit([](const auto& r) -> const std::string& { return r.catalog_id; }, resource);
}

bool IsAccountId(std::string_view text) {
  return text.size() == 12 &&
         std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Status CheckAccountId(std::string_view field, std::string_view value) {
  if (IsAccountId(value)) return Status::Ok();
  std::string message(field);
  message += " must be a 12-digit AWS account id, not '";
  message += value;
  message += "'";
  return InvalidInput(std::move(message));
}

Result<Resource> NormalizedResource(const Resource& resource) {
  Resource out = resource;
  Status s = std::visit(
      [](auto& r) -> Status {
        using T = std::decay_t<decltype(r)>;
        if constexpr (std::is_same_v<T, CatalogResource>) {
          return CheckAccountId("Resource.Catalog.CatalogId", r.catalog_id);
        } else if constexpr (std::is_same_v<T, DatabaseResource>) {
          if (Status c = CheckAccountId(Field("Database", "CatalogId"), r.catalog_id); !c.ok()) {
            return c;
          }
          return NormalizeName(Field("Database", "Name"), r.name);
        } else if constexpr (std::is_same_v<T, TableResource>) {
          if (Status c = CheckAccountId(Field("Table", "CatalogId"), r.catalog_id); !c.ok()) {
            return c;
          }
          if (Status c = NormalizeName(Field("Table", "DatabaseName"), r.database_name); !c.ok()) {
            return c;
          }
          if (r.table_wildcard) {
            if (!r.name.empty()) {
              return InvalidInput("Resource.Table: give Name or TableWildcard, not both");
            }
            return Status::Ok();
          }
          if (r.name.empty()) {
            return InvalidInput(
                "Resource.Table: at least one of Name or TableWildcard is required");
          }
          return NormalizeName(Field("Table", "Name"), r.name);
        } else {
          std::string shape = "TableWithColumns";
          if (Status c = CheckAccountId(Field(shape, "CatalogId"), r.catalog_id); !c.ok()) return c;
          if (Status c = NormalizeName(Field(shape, "DatabaseName"), r.database_name); !c.ok()) {
            return c;
          }
          if (Status c = NormalizeName(Field(shape, "Name"), r.name); !c.ok()) return c;
          if (r.column_wildcard.has_value() == !r.column_names.empty()) {
            return InvalidInput(
                "Resource.TableWithColumns: exactly one of ColumnNames or ColumnWildcard is "
                "required");
          }
          if (r.column_wildcard) {
            return NormalizeNames(Field(shape, "ColumnWildcard.ExcludedColumnNames"),
                                  r.column_wildcard->excluded_column_names);
          }
          return NormalizeNames(Field(shape, "ColumnNames"), r.column_names);
        }
      },
      out);
  if (!s.ok()) return s;
  return out;
}

bool IsValidOn(Permission permission, ResourceKind kind, bool is_link) {
  using P = Permission;
  if (is_link) return permission == P::kDescribe || permission == P::kDrop;
  switch (kind) {
    case ResourceKind::kCatalog:
      return permission == P::kAll || permission == P::kAlter || permission == P::kCreateDatabase ||
             permission == P::kDescribe || permission == P::kDrop;
    case ResourceKind::kDatabase:
      return permission == P::kAll || permission == P::kAlter || permission == P::kCreateTable ||
             permission == P::kDescribe || permission == P::kDrop;
    case ResourceKind::kTable:
    case ResourceKind::kTableWildcard:
      return permission != P::kCreateDatabase && permission != P::kCreateTable;
    case ResourceKind::kColumn:
    case ResourceKind::kColumnWildcard:
      return permission == P::kSelect;
  }
  return false;
}

Status CheckPermissionList(std::string_view field, const std::vector<Permission>& permissions,
                           const Resource& resource, bool is_link, bool required) {
  if (required && permissions.empty()) {
    return InvalidInput(std::string(field) + " must not be empty");
  }
  std::set<Permission> seen;
  ResourceKind kind = KindOf(resource);
  for (Permission p : permissions) {
    if (!seen.insert(p).second) {
      return InvalidInput(std::string(field) + " lists " + std::string(PermissionName(p)) +
                          " twice");
    }
    if (!IsValidOn(p, kind, is_link)) {
      std::string message(field);
      message += ": ";
      message += PermissionName(p);
      message += " is not valid on ";
      message += is_link ? "resource link " : "";
      message += DescribeResource(resource);
      if (is_link) message += "; grant it on the link's target";
      return InvalidInput(std::move(message));
    }
  }
  return Status::Ok();
}

std::string DescribeResource(const Resource& resource) {
  return std::visit(
      [](const auto& r) -> std::string {
        using T = std::decay_t<decltype(r)>;
        std::string out;
        if constexpr (std::is_same_v<T, CatalogResource>) {
          return "catalog " + r.catalog_id;
        } else if constexpr (std::is_same_v<T, DatabaseResource>) {
          out = "database " + r.name;
        } else if constexpr (std::is_same_v<T, TableResource>) {
          out = r.table_wildcard ? "all tables in " + r.database_name
                                 : "table " + r.database_name + "." + r.name;
        } else {
          if (r.column_wildcard) {
            out = r.column_wildcard->excluded_column_names.empty()
                      ? "all columns"
                      : "all columns except " + JoinNames(r.column_wildcard->excluded_column_names);
          } else {
            out = "columns " + JoinNames(r.column_names);
          }
          out += " of table " + r.database_name + "." + r.name;
        }
        out += " (catalog " + r.catalog_id + ")";
        return out;
      },
      resource);
}

std::vector<GrantRow> RowsOf(const Resource& resource, const std::vector<Permission>& permissions,
                             bool grantable) {
  std::vector<GrantRow> rows;
  for (Permission permission : permissions) {
    GrantRow row;
    row.kind = KindOf(resource);
    row.permission = permission;
    row.grantable = grantable;
    if (const auto* database = std::get_if<DatabaseResource>(&resource)) {
      row.database_name = database->name;
    } else if (const auto* table = std::get_if<TableResource>(&resource)) {
      row.database_name = table->database_name;
      row.table_name = table->name;
    } else if (const auto* columns = std::get_if<TableWithColumnsResource>(&resource)) {
      row.database_name = columns->database_name;
      row.table_name = columns->name;
      if (columns->column_wildcard) {
        row.kind = ResourceKind::kColumnWildcard;
        row.excluded = columns->column_wildcard->excluded_column_names;
      } else {
        for (const std::string& name : columns->column_names) {
          row.column_name = name;
          rows.push_back(row);
        }
        continue;
      }
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

bool SameRowKey(const GrantRow& a, const GrantRow& b) {
  return a.kind == b.kind && a.database_name == b.database_name && a.table_name == b.table_name &&
         a.column_name == b.column_name && a.permission == b.permission;
}

bool RowsAllow(const std::vector<GrantRow>& rows, const Resource& resource, Permission permission,
               bool need_grant_option) {
  if (std::holds_alternative<CatalogResource>(resource)) {
    return std::any_of(rows.begin(), rows.end(), [&](const GrantRow& row) {
      return row.kind == ResourceKind::kCatalog && Matches(row, permission, need_grant_option);
    });
  }
  if (const auto* database = std::get_if<DatabaseResource>(&resource)) {
    return std::any_of(rows.begin(), rows.end(), [&](const GrantRow& row) {
      if (row.database_name != database->name) return false;
      if (row.kind == ResourceKind::kDatabase) return Matches(row, permission, need_grant_option);
      // "If you grant permissions on all tables in a database, you are implicitly granting the
      // DESCRIBE permission on the database."
      return row.kind == ResourceKind::kTableWildcard && permission == Permission::kDescribe &&
             (!need_grant_option || row.grantable);
    });
  }
  if (const auto* table = std::get_if<TableResource>(&resource)) {
    if (table->table_wildcard) {
      return std::any_of(rows.begin(), rows.end(), [&](const GrantRow& row) {
        return row.kind == ResourceKind::kTableWildcard &&
               row.database_name == table->database_name &&
               Matches(row, permission, need_grant_option);
      });
    }
    return AllowsWholeTable(rows, table->database_name, table->name, permission, need_grant_option);
  }
  if (permission != Permission::kSelect) return false;
  return AllowsColumns(rows, std::get<TableWithColumnsResource>(resource), need_grant_option);
}

std::vector<Grant> GrantsOfRows(const Principal& principal, const std::string& catalog_id,
                                const std::vector<GrantRow>& rows) {
  // Keyed so the output is ordered by resource; named columns of one table (with one grant
  // option) are one TableWithColumns grant, as Lake Formation lists them.
  using Key = std::tuple<std::string, std::string, int, std::vector<std::string>, bool>;
  std::map<Key, Grant> grants;
  for (const GrantRow& row : rows) {
    bool columns = row.kind == ResourceKind::kColumn;
    Key key{row.database_name, row.table_name, static_cast<int>(row.kind), row.excluded,
            columns && row.grantable};
    auto [it, inserted] = grants.try_emplace(key);
    Grant& grant = it->second;
    if (inserted) {
      grant.principal = principal;
      switch (row.kind) {
        case ResourceKind::kCatalog:
          grant.resource = CatalogResource{catalog_id};
          break;
        case ResourceKind::kDatabase:
          grant.resource = DatabaseResource{catalog_id, row.database_name};
          break;
        case ResourceKind::kTable:
          grant.resource = TableResource{catalog_id, row.database_name, row.table_name, false};
          break;
        case ResourceKind::kTableWildcard:
          grant.resource = TableResource{catalog_id, row.database_name, "", true};
          break;
        case ResourceKind::kColumn:
          grant.resource = TableWithColumnsResource{
              catalog_id, row.database_name, row.table_name, {}, std::nullopt};
          break;
        case ResourceKind::kColumnWildcard:
          grant.resource = TableWithColumnsResource{
              catalog_id, row.database_name, row.table_name, {}, ColumnWildcard{row.excluded}};
          break;
      }
    }
    if (columns) {
      std::get<TableWithColumnsResource>(grant.resource).column_names.push_back(row.column_name);
      if (grant.permissions.empty()) grant.permissions.push_back(Permission::kSelect);
      if (row.grantable && grant.permissions_with_grant_option.empty()) {
        grant.permissions_with_grant_option.push_back(Permission::kSelect);
      }
      continue;
    }
    grant.permissions.push_back(row.permission);
    if (row.grantable) grant.permissions_with_grant_option.push_back(row.permission);
  }
  std::vector<Grant> out;
  out.reserve(grants.size());
  for (auto& [key, grant] : grants) {
    std::sort(grant.permissions.begin(), grant.permissions.end());
    std::sort(grant.permissions_with_grant_option.begin(),
              grant.permissions_with_grant_option.end());
    if (auto* columns = std::get_if<TableWithColumnsResource>(&grant.resource)) {
      std::sort(columns->column_names.begin(), columns->column_names.end());
    }
    out.push_back(std::move(grant));
  }
  return out;
}

}  // namespace meshsim

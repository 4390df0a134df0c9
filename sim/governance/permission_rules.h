// Lake Formation's permission rules as pure functions over the port's types: names of
// permissions, which permission is valid on which resource, request validation that names the
// field at fault, and whether a principal's stored grants allow a permission. Shared by the SQLite
// fake and, later, by the HTTP endpoint that decodes Lake Formation requests, so both reject the
// same requests with the same messages. No storage here.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sim/core/status.h"
#include "sim/ports/permissions.h"

namespace meshsim {

// Lake Formation's wire name: "SELECT", "CREATE_TABLE", ...
std::string_view PermissionName(Permission permission);
// The name as Lake Formation's denials spell it: "Select", "Create Table", ...
std::string_view PermissionTitle(Permission permission);
// The permission whose PermissionName() is `name`, or false.
bool PermissionOfName(std::string_view name, Permission* permission);
std::string_view AuditActionName(AuditEntry::Action action);  // "GRANT", "REVOKE", "DENIAL"

// What a resource is, and what a stored grant row is on. A TableWithColumnsResource is stored as
// one kColumn row per named column, or one kColumnWildcard row with its exclusions.
enum class ResourceKind {
  kCatalog,
  kDatabase,
  kTable,
  kTableWildcard,
  kColumn,
  kColumnWildcard,
};
std::string_view ResourceKindName(ResourceKind kind);  // "catalog", "table_wildcard", ...
bool ResourceKindOfName(std::string_view name, ResourceKind* kind);
// kColumn for every TableWithColumnsResource (named columns or wildcard).
ResourceKind KindOf(const Resource& resource);
const std::string& CatalogIdOf(const Resource& resource);

// Twelve ASCII digits.
bool IsAccountId(std::string_view text);
// InvalidInputException "<field> must be a 12-digit AWS account id, not '<value>'".
Status CheckAccountId(std::string_view field, std::string_view value);

// The resource with database, table and column names lower-cased and column lists sorted without
// duplicates, or InvalidInputException naming the field that is missing or malformed
// ("Resource.Table.DatabaseName", "Resource.TableWithColumns.ColumnNames", ...).
Result<Resource> NormalizedResource(const Resource& resource);

// Lake Formation's "permissions per resource type": Catalog ALL ALTER CREATE_DATABASE DESCRIBE
// DROP; Database ALL ALTER CREATE_TABLE DESCRIBE DROP; Table ALL ALTER DELETE DESCRIBE DROP INSERT
// SELECT; table with columns SELECT; a resource link DESCRIBE DROP.
bool IsValidOn(Permission permission, ResourceKind kind, bool is_link);
// InvalidInputException naming `field` for an empty list (when `required`), a duplicate, or a
// permission not valid on the resource.
Status CheckPermissionList(std::string_view field, const std::vector<Permission>& permissions,
                           const Resource& resource, bool is_link, bool required);

// "table music_domain.songs (catalog 111122223333)": how messages name a resource.
std::string DescribeResource(const Resource& resource);

// One permission a principal holds on one resource in one catalog, as stored.
struct GrantRow {
  ResourceKind kind = ResourceKind::kTable;
  std::string database_name;          // empty for kCatalog
  std::string table_name;             // empty for kCatalog, kDatabase, kTableWildcard
  std::string column_name;            // kColumn only
  std::vector<std::string> excluded;  // kColumnWildcard only, sorted
  Permission permission = Permission::kSelect;
  bool grantable = false;
  bool operator==(const GrantRow&) const = default;
};

// The rows a normalized grant of `permissions` on `resource` stores.
std::vector<GrantRow> RowsOf(const Resource& resource, const std::vector<Permission>& permissions,
                             bool grantable);
// True when `a` and `b` are the same stored grant (kColumnWildcard rows ignore exclusions: a
// principal holds one column wildcard per table).
bool SameRowKey(const GrantRow& a, const GrantRow& b);

// Whether `rows` (one principal's explicit grants in the resource's catalog) allow `permission`
// on the normalized `resource`, with the grant option when `need_grant_option`. Implicit owner
// and administrator rights are the caller's to add. ALL implies every permission on the same
// resource; a table wildcard covers each table; table SELECT (or a column wildcard excluding
// nothing) covers every column; a table wildcard implies DESCRIBE on its database.
bool RowsAllow(const std::vector<GrantRow>& rows, const Resource& resource, Permission permission,
               bool need_grant_option);

// The grants `rows` of `principal` in `catalog_id` make, grouped as ListPermissions shows them:
// one Grant per resource, named columns of one table in one Grant.
std::vector<Grant> GrantsOfRows(const Principal& principal, const std::string& catalog_id,
                                const std::vector<GrantRow>& rows);

}  // namespace meshsim

// The Permissions port on SQLite. A principal's grants are rows of one permission on one resource
// (sim/governance/permission_rules.h decides what they allow); resource links and the audit log are
// tables beside them. A write call checks and authorises every change, then writes all of them and
// their audit entries in one transaction, so a call that fails leaves the store exactly as it was;
// only its denial, if it was one, is written afterwards.
#include "fakes/lake_formation/permissions.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "fakes/lake_formation/permission_columns.h"
#include "fakes/sqlite/sqlite_db.h"
#include "sim/governance/permission_rules.h"

namespace meshsim::fakes {
namespace {

using sqlite::Query;
using sqlite::Statement;

// A grant row keeps its key in seven columns so that a grant, a revocation and a check are each
// one indexed statement; excluded_columns belongs to kColumnWildcard rows only.
constexpr std::string_view kSchema = R"sql(
BEGIN;
CREATE TABLE IF NOT EXISTS grants (
  principal TEXT NOT NULL,
  catalog_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  database_name TEXT NOT NULL,
  table_name TEXT NOT NULL,
  column_name TEXT NOT NULL,
  permission TEXT NOT NULL,
  excluded_columns TEXT NOT NULL,
  grantable INTEGER NOT NULL,
  PRIMARY KEY (principal, catalog_id, kind, database_name, table_name, column_name, permission)
);
CREATE TABLE IF NOT EXISTS resource_links (
  catalog_id TEXT NOT NULL,
  database_name TEXT NOT NULL,
  table_name TEXT NOT NULL,
  target_catalog_id TEXT NOT NULL,
  target_database_name TEXT NOT NULL,
  target_table_name TEXT NOT NULL,
  PRIMARY KEY (catalog_id, database_name, table_name)
);
CREATE TABLE IF NOT EXISTS audit_log (
  sequence INTEGER PRIMARY KEY AUTOINCREMENT,
  time_micros INTEGER NOT NULL,
  action TEXT NOT NULL,
  actor TEXT NOT NULL,
  principal TEXT NOT NULL,
  resource_kind TEXT NOT NULL,
  catalog_id TEXT NOT NULL,
  database_name TEXT NOT NULL,
  table_name TEXT NOT NULL,
  columns TEXT NOT NULL,
  permissions TEXT NOT NULL,
  grantable TEXT NOT NULL,
  message TEXT NOT NULL
);
COMMIT;
)sql";

#define MESHSIM_ROW_KEY                                                                          \
  "principal = ?1 AND catalog_id = ?2 AND kind = ?3 AND database_name = ?4 AND table_name = ?5 " \
  "AND column_name = ?6 AND permission = ?7"

Status AccessDenied(std::string message) { return Status(Code::kAccessDenied, std::move(message)); }

bool Contains(const std::vector<Permission>& list, Permission p) {
  return std::find(list.begin(), list.end(), p) != list.end();
}

// A resource after following the resource link it names or passes through.
struct Resolved {
  std::optional<Resource> link;  // the link (a database or table), if there is one
  bool is_link = false;          // the resource is the link itself, not something behind it
  Resource target;
};

class SqlitePermissions final : public Permissions {
 public:
  static Result<std::unique_ptr<Permissions>> Open(PermissionsOptions options) {
    if (!options.find_resource) {
      return Status(Code::kInvalidInput, "PermissionsOptions.find_resource is required");
    }
    for (const Principal& admin : options.data_lake_admins) {
      if (Status s = CheckAccountId("PermissionsOptions.data_lake_admins", admin); !s.ok()) {
        return s;
      }
    }
    Result<sqlite::DbHandle> db = sqlite::Open(options.path, kSchema, "permissions");
    if (!db.ok()) return db.status();
    std::unique_ptr<SqlitePermissions> store(
        new SqlitePermissions(std::move(db).value(), std::move(options)));
    if (Status s = store->PrepareStatements(); !s.ok()) return s;
    return std::unique_ptr<Permissions>(std::move(store));
  }

  Status Apply(const Principal& actor, const std::vector<PermissionChange>& changes) override {
    if (Status s = CheckAccountId("Caller", actor); !s.ok()) return s;
    std::optional<AuditEntry> denial;
    {
      sqlite::Transaction txn(db(), begin_, commit_, rollback_);
      if (Status s = txn.Begin(); !s.ok()) return s;
      for (const PermissionChange& change : changes) {
        Status s = ApplyOne(actor, change, &denial);
        if (!s.ok()) {
          if (!denial) return s;
          // Nothing of the call stays; then the denial is written on its own.
          if (Status r = txn.Rollback(); !r.ok()) return r;
          if (Status w = WriteAudit(*denial); !w.ok()) return w;
          return s;
        }
      }
      return txn.Commit();
    }
  }

  Result<std::vector<Grant>> ListPermissions(
      const Principal& caller, const std::optional<Principal>& principal,
      const std::optional<Resource>& resource) const override {
    if (Status s = CheckAccountId("Caller", caller); !s.ok()) return s;
    if (principal) {
      if (Status s = CheckAccountId("Principal.DataLakePrincipalIdentifier", *principal); !s.ok()) {
        return s;
      }
    }
    std::optional<Resource> filter;
    if (resource) {
      Result<Resource> normalized = NormalizedResource(*resource);
      if (!normalized.ok()) return normalized.status();
      filter = std::move(normalized).value();
    }
    // Rows come ordered by principal then catalog; each run of one pair becomes its grants.
    std::vector<std::pair<std::pair<Principal, std::string>, std::vector<GrantRow>>> runs;
    Query select(select_all_rows_);
    Status listed = select.ForEachRow([&](const Query& row) {
      std::pair<Principal, std::string> key{row.Text(0), row.Text(1)};
      if (runs.empty() || runs.back().first != key) runs.push_back({key, {}});
      runs.back().second.push_back(ReadRow(row, 2));
    });
    if (!listed.ok()) return listed;
    std::vector<Grant> out;
    for (const auto& [key, rows] : runs) {
      if (principal && key.first != *principal) continue;
      for (Grant& grant : GrantsOfRows(key.first, key.second, rows)) {
        if (filter && !MatchesFilter(grant.resource, *filter)) continue;
        Result<bool> visible = MaySee(caller, grant);
        if (!visible.ok()) return visible.status();
        if (*visible) out.push_back(std::move(grant));
      }
    }
    return out;
  }

  Status Check(const Principal& principal, const Resource& resource,
               Permission permission) override {
    return Decide(principal, resource, permission, true);
  }

  bool Allowed(const Principal& principal, const Resource& resource,
               Permission permission) override {
    return Decide(principal, resource, permission, false).ok();
  }

  // Check's decision; a denial is written to the audit log only with `record`.
  Status Decide(const Principal& principal, const Resource& resource, Permission permission,
                bool record) {
    auto deny = [&](const Resource& on, Permission p) { return Deny(principal, on, p, record); };
    if (Status s = CheckAccountId("Principal.DataLakePrincipalIdentifier", principal); !s.ok()) {
      return s;
    }
    Result<Resource> normalized = NormalizedResource(resource);
    if (!normalized.ok()) return normalized.status();
    if (!IsValidOn(permission, KindOf(*normalized), false)) {
      return Status(Code::kInvalidInput, "Permission: " + std::string(PermissionName(permission)) +
                                             " is not valid on " + DescribeResource(*normalized));
    }
    Result<Resolved> resolved = Resolve(*normalized);
    if (!resolved.ok()) return resolved.status();
    // DESCRIBE and DROP of a link are the link's own; everything else needs DESCRIBE on the link
    // and the permission on its target.
    bool on_link = resolved->is_link &&
                   (permission == Permission::kDescribe || permission == Permission::kDrop);
    if (resolved->link) {
      Permission on_link_permission = on_link ? permission : Permission::kDescribe;
      Result<bool> allowed = Holds(principal, *resolved->link, on_link_permission, false);
      if (!allowed.ok()) return allowed.status();
      if (!*allowed) return deny(*resolved->link, on_link_permission);
      if (on_link) return Status::Ok();
    }
    const Resource& target = resolved->target;
    if (Status s = Exists(target); !s.ok()) {
      if (s.code() != Code::kEntityNotFound || CatalogIdOf(target) == principal) return s;
      return deny(target, permission);  // does not say whether it exists
    }
    Result<bool> allowed = Holds(principal, target, permission, false);
    if (!allowed.ok()) return allowed.status();
    if (!*allowed) return deny(target, permission);
    return Status::Ok();
  }

  Status RegisterResourceLink(const Principal& caller, const ResourceLink& link) override {
    if (Status s = CheckAccountId("Caller", caller); !s.ok()) return s;
    Result<Resource> from = NormalizedResource(link.link);
    if (!from.ok()) return from.status();
    Result<Resource> to = NormalizedResource(link.target);
    if (!to.ok()) return to.status();
    ResourceKind kind = KindOf(*from);
    if ((kind != ResourceKind::kDatabase && kind != ResourceKind::kTable) || KindOf(*to) != kind) {
      return Status(Code::kInvalidInput,
                    "ResourceLink: a link and its target are both databases or both named tables");
    }
    if (CatalogIdOf(*from) != caller) {
      return AccessDenied("A resource link is created in the caller's own catalog: " + caller +
                          " cannot create " + DescribeResource(*from));
    }
    Result<Resolved> target = Resolve(*to);
    if (!target.ok()) return target.status();
    if (target->link) {
      return Status(Code::kInvalidInput, "ResourceLink.Target: " + DescribeResource(*to) +
                                             " is a resource link, not a database or table");
    }
    if (Status s = Exists(*to); !s.ok()) return s;
    Result<Resolved> existing = Resolve(*from);
    if (!existing.ok()) return existing.status();
    if (existing->is_link || (!existing->link && Exists(*from).ok())) {
      return Status(Code::kAlreadyExists, DescribeResource(*from) + " already exists.");
    }
    if (existing->link) {
      return Status(Code::kInvalidInput, "ResourceLink.Link: " + DescribeResource(*from) +
                                             " is inside a database resource link");
    }
    if (const auto* table = std::get_if<TableResource>(&*from)) {
      Status s = Exists(DatabaseResource{table->catalog_id, table->database_name});
      if (!s.ok()) return s;
    }
    StoredResource a = StoreResource(*from);
    StoredResource b = StoreResource(*to);
    Query insert(insert_link_);
    insert.Bind(a.catalog_id).Bind(a.database_name).Bind(a.table_name);
    return insert.Bind(b.catalog_id).Bind(b.database_name).Bind(b.table_name).Run();
  }

  Result<std::vector<ResourceLink>> ListResourceLinks(const Principal& catalog_id) const override {
    if (Status s = CheckAccountId("CatalogId", catalog_id); !s.ok()) return s;
    std::vector<ResourceLink> out;
    Query select(select_links_);
    Status s = select.Bind(catalog_id).ForEachRow([&](const Query& row) {
      out.push_back({MakeResource(catalog_id, row.Text(0), row.Text(1)),
                     MakeResource(row.Text(2), row.Text(3), row.Text(4))});
    });
    if (!s.ok()) return s;
    return out;
  }

  Result<std::vector<AuditEntry>> AuditLog(int64_t after_sequence) const override {
    std::vector<AuditEntry> out;
    Query select(select_audit_);
    Status s = select.Bind(after_sequence).ForEachRow([&](const Query& row) {
      AuditEntry entry;
      entry.sequence = row.Int(0);
      entry.time_micros = row.Int(1);
      std::string action = row.Text(2);
      entry.action = action == "GRANT"    ? AuditEntry::Action::kGrant
                     : action == "REVOKE" ? AuditEntry::Action::kRevoke
                                          : AuditEntry::Action::kDenial;
      entry.actor = row.Text(3);
      entry.grant.principal = row.Text(4);
      entry.grant.resource =
          LoadResource({row.Text(5), row.Text(6), row.Text(7), row.Text(8), row.Text(9)});
      entry.grant.permissions = SplitPermissions(row.Text(10));
      entry.grant.permissions_with_grant_option = SplitPermissions(row.Text(11));
      entry.message = row.Text(12);
      out.push_back(std::move(entry));
    });
    if (!s.ok()) return s;
    return out;
  }

 private:
  SqlitePermissions(sqlite::DbHandle db, PermissionsOptions options)
      : db_(std::move(db)),
        options_(std::move(options)),
        admins_(options_.data_lake_admins.begin(), options_.data_lake_admins.end()) {}

  sqlite3* db() const { return db_.get(); }

  Status PrepareStatements() {
    const std::pair<Statement*, std::string_view> statements[] = {
        {&begin_, "BEGIN IMMEDIATE"},
        {&commit_, "COMMIT"},
        {&rollback_, "ROLLBACK"},
        {&select_rows_,
         "SELECT kind, database_name, table_name, column_name, excluded_columns, permission, "
         "grantable FROM grants WHERE principal = ?1 AND catalog_id = ?2"},
        {&select_all_rows_,
         "SELECT principal, catalog_id, kind, database_name, table_name, column_name, "
         "excluded_columns, permission, grantable FROM grants ORDER BY principal, catalog_id"},
        {&upsert_row_,
         "INSERT INTO grants (principal, catalog_id, kind, database_name, table_name, column_name, "
         "permission, excluded_columns, grantable) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) "
         "ON CONFLICT DO UPDATE SET excluded_columns = excluded.excluded_columns, "
         "grantable = max(grantable, excluded.grantable)"},
        {&delete_row_, "DELETE FROM grants WHERE " MESHSIM_ROW_KEY},
        {&clear_grant_option_, "UPDATE grants SET grantable = 0 WHERE " MESHSIM_ROW_KEY},
        {&select_link_,
         "SELECT target_catalog_id, target_database_name, target_table_name FROM resource_links "
         "WHERE catalog_id = ?1 AND database_name = ?2 AND table_name = ?3"},
        {&insert_link_,
         "INSERT INTO resource_links (catalog_id, database_name, table_name, target_catalog_id, "
         "target_database_name, target_table_name) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"},
        {&select_links_,
         "SELECT database_name, table_name, target_catalog_id, target_database_name, "
         "target_table_name FROM resource_links WHERE catalog_id = ?1 "
         "ORDER BY database_name, table_name"},
        {&insert_audit_,
         "INSERT INTO audit_log (time_micros, action, actor, principal, resource_kind, catalog_id, "
         "database_name, table_name, columns, permissions, grantable, message) "
         "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"},
        {&select_audit_,
         "SELECT sequence, time_micros, action, actor, principal, resource_kind, catalog_id, "
         "database_name, table_name, columns, permissions, grantable, message FROM audit_log "
         "WHERE sequence > ?1 ORDER BY sequence"},
    };
    for (const auto& [statement, sql] : statements) {
      if (Status s = statement->Prepare(db(), sql); !s.ok()) return s;
    }
    return Status::Ok();
  }

  static Resource MakeResource(const std::string& catalog_id, const std::string& database,
                               const std::string& table) {
    if (table.empty()) return DatabaseResource{catalog_id, database};
    return TableResource{catalog_id, database, table, false};
  }

  // REQUIRES: the row's kind column is at `first`, followed by the rest of select_rows_'s.
  static GrantRow ReadRow(const Query& row, int first) {
    GrantRow out;
    (void)ResourceKindOfName(row.Text(first), &out.kind);
    out.database_name = row.Text(first + 1);
    out.table_name = row.Text(first + 2);
    out.column_name = row.Text(first + 3);
    out.excluded = SplitList(row.Text(first + 4));
    (void)PermissionOfName(row.Text(first + 5), &out.permission);
    out.grantable = row.Int(first + 6) != 0;
    return out;
  }

  Result<std::vector<GrantRow>> RowsOfPrincipal(const Principal& principal,
                                                const std::string& catalog_id) const {
    std::vector<GrantRow> rows;
    Query select(select_rows_);
    Status s = select.Bind(principal).Bind(catalog_id).ForEachRow([&](const Query& row) {
      rows.push_back(ReadRow(row, 0));
    });
    if (!s.ok()) return s;
    return rows;
  }

  // The target of the link at (catalog, database, table), table empty for a database link.
  Result<std::optional<Resource>> LinkAt(const std::string& catalog_id, const std::string& database,
                                         const std::string& table) const {
    Query select(select_link_);
    select.Bind(catalog_id).Bind(database).Bind(table);
    Result<bool> row = select.Step();
    if (!row.ok()) return row.status();
    if (!*row) return std::optional<Resource>();
    return std::optional<Resource>(MakeResource(select.Text(0), select.Text(1), select.Text(2)));
  }

  // REQUIRES: `resource` is normalized.
  Result<Resolved> Resolve(const Resource& resource) const {
    Resolved out{std::nullopt, false, resource};
    if (std::holds_alternative<CatalogResource>(resource)) return out;
    const std::string& catalog_id = CatalogIdOf(resource);
    std::string database;
    std::string table;
    if (const auto* d = std::get_if<DatabaseResource>(&resource)) database = d->name;
    if (const auto* t = std::get_if<TableResource>(&resource)) {
      database = t->database_name;
      table = t->name;
    }
    if (const auto* c = std::get_if<TableWithColumnsResource>(&resource)) {
      database = c->database_name;
      table = c->name;
    }
    if (!table.empty()) {
      Result<std::optional<Resource>> link = LinkAt(catalog_id, database, table);
      if (!link.ok()) return link.status();
      if (link->has_value()) {
        const auto& target = std::get<TableResource>(**link);
        out.link = TableResource{catalog_id, database, table, false};
        out.is_link = std::holds_alternative<TableResource>(resource);
        Retarget(out.target, target.catalog_id, target.database_name, target.name);
        return out;
      }
    }
    Result<std::optional<Resource>> link = LinkAt(catalog_id, database, "");
    if (!link.ok()) return link.status();
    if (link->has_value()) {
      const auto& target = std::get<DatabaseResource>(**link);
      out.link = DatabaseResource{catalog_id, database};
      out.is_link = std::holds_alternative<DatabaseResource>(resource);
      Retarget(out.target, target.catalog_id, target.name, table);
    }
    return out;
  }

  // Points `resource` at another catalog, database and (when not empty) table, keeping its shape.
  static void Retarget(Resource& resource, const std::string& catalog_id,
                       const std::string& database, const std::string& table) {
    std::visit(
        [&](auto& r) {
          using T = std::decay_t<decltype(r)>;
          r.catalog_id = catalog_id;
          if constexpr (std::is_same_v<T, DatabaseResource>) {
            r.name = database;
          } else if constexpr (!std::is_same_v<T, CatalogResource>) {
            r.database_name = database;
            if (!table.empty()) r.name = table;
          }
        },
        resource);
  }

  // REQUIRES: `resource` is normalized and no link lies on its way.
  Status Exists(const Resource& resource) const {
    if (std::holds_alternative<CatalogResource>(resource)) return Status::Ok();
    return options_.find_resource(resource);
  }

  // Whether `principal` holds `permission` on `resource` (a link's own coordinates, or a resource
  // with no link on its way), implicitly or by grant.
  Result<bool> Holds(const Principal& principal, const Resource& resource, Permission permission,
                     bool need_grant_option) const {
    if (CatalogIdOf(resource) == principal) return true;
    if (admins_.count(principal) > 0 &&
        (need_grant_option || permission == Permission::kDescribe)) {
      return true;
    }
    Result<std::vector<GrantRow>> rows = RowsOfPrincipal(principal, CatalogIdOf(resource));
    if (!rows.ok()) return rows.status();
    return RowsAllow(*rows, resource, permission, need_grant_option);
  }

  Status Deny(const Principal& principal, const Resource& resource, Permission permission,
              bool record = true) {
    std::string message = "Insufficient Lake Formation permission(s): Required ";
    message += PermissionTitle(permission);
    message += " on " + DescribeResource(resource) + " for principal " + principal;
    if (!record) return AccessDenied(std::move(message));
    AuditEntry entry;
    entry.action = AuditEntry::Action::kDenial;
    entry.actor = principal;
    entry.grant = {principal, resource, {permission}, {}};
    entry.message = message;
    if (Status s = WriteAudit(entry); !s.ok()) return s;
    return AccessDenied(std::move(message));
  }

  // Validates, authorises and writes one change. REQUIRES: inside a transaction. On an
  // AccessDeniedException `*denial` says what to record once the transaction is rolled back.
  Status ApplyOne(const Principal& actor, const PermissionChange& change,
                  std::optional<AuditEntry>* denial) {
    bool grant = change.kind == PermissionChange::Kind::kGrant;
    const Grant& request = change.grant;
    if (Status s = CheckAccountId("Principal.DataLakePrincipalIdentifier", request.principal);
        !s.ok()) {
      return s;
    }
    Result<Resource> normalized = NormalizedResource(request.resource);
    if (!normalized.ok()) return normalized.status();
    const Resource& resource = *normalized;
    Result<Resolved> resolved = Resolve(resource);
    if (!resolved.ok()) return resolved.status();
    if (resolved->link && !resolved->is_link) {
      return Status(Code::kInvalidInput,
                    "Resource: " + DescribeResource(resource) + " is reached through resource " +
                        "link " + DescribeResource(*resolved->link) + "; grant on its target " +
                        DescribeResource(resolved->target));
    }
    bool is_link = resolved->is_link;
    const std::vector<Permission>& permissions = request.permissions;
    const std::vector<Permission>& with_option = request.permissions_with_grant_option;
    bool required = grant || with_option.empty();
    if (Status s = CheckPermissionList("Permissions", permissions, resource, is_link, required);
        !s.ok()) {
      return s;
    }
    Status option_list =
        CheckPermissionList("PermissionsWithGrantOption", with_option, resource, is_link, false);
    if (!option_list.ok()) return option_list;
    for (Permission p : with_option) {
      if (grant && !Contains(permissions, p)) {
        return Status(Code::kInvalidInput,
                      "PermissionsWithGrantOption: " + std::string(PermissionName(p)) +
                          " is not in Permissions");
      }
    }
    if (!is_link) {
      if (Status s = Exists(resource); !s.ok()) return s;
    }
    std::vector<Permission> asked = permissions;
    for (Permission p : with_option) {
      if (!Contains(asked, p)) asked.push_back(p);
    }
    for (Permission p : asked) {
      Result<bool> may = Holds(actor, resource, p, true);
      if (!may.ok()) return may.status();
      if (*may) continue;
      std::string message =
          "Resource does not exist or requester is not authorized to access requested "
          "permissions: ";
      message += actor + " holds no grantable " + std::string(PermissionName(p)) + " on " +
                 DescribeResource(resource);
      AuditEntry entry;
      entry.action = AuditEntry::Action::kDenial;
      entry.actor = actor;
      entry.grant = {request.principal, resource, permissions, with_option};
      entry.message = message;
      *denial = std::move(entry);
      return AccessDenied(std::move(message));
    }
    Status written = grant ? WriteGrant(request.principal, resource, permissions, with_option)
                           : WriteRevoke(request.principal, resource, permissions, with_option);
    if (!written.ok()) return written;
    AuditEntry entry;
    entry.action = grant ? AuditEntry::Action::kGrant : AuditEntry::Action::kRevoke;
    entry.actor = actor;
    entry.grant = {request.principal, resource, permissions, with_option};
    return WriteAudit(entry);
  }

  Status WriteGrant(const Principal& grantee, const Resource& resource,
                    const std::vector<Permission>& permissions,
                    const std::vector<Permission>& with_option) {
    const std::string& catalog_id = CatalogIdOf(resource);
    for (Permission p : permissions) {
      for (const GrantRow& row : RowsOf(resource, {p}, Contains(with_option, p))) {
        Query upsert(upsert_row_);
        BindKey(upsert, grantee, catalog_id, row);
        upsert.Bind(JoinList(row.excluded)).Bind(static_cast<int64_t>(row.grantable));
        if (Status s = upsert.Run(); !s.ok()) return s;
      }
    }
    return Status::Ok();
  }

  // Every row revoked must be held: a revocation that changes nothing is a mistake to report.
  Status WriteRevoke(const Principal& grantee, const Resource& resource,
                     const std::vector<Permission>& permissions,
                     const std::vector<Permission>& with_option) {
    const std::string& catalog_id = CatalogIdOf(resource);
    Result<std::vector<GrantRow>> held = RowsOfPrincipal(grantee, catalog_id);
    if (!held.ok()) return held.status();
    auto holds = [&](const GrantRow& row) {
      return std::any_of(held->begin(), held->end(), [&](const GrantRow& h) {
        return SameRowKey(h, row) && h.excluded == row.excluded;
      });
    };
    std::vector<std::pair<Statement*, GrantRow>> writes;
    for (Permission p : permissions) {
      for (GrantRow& row : RowsOf(resource, {p}, false)) writes.push_back({&delete_row_, row});
    }
    for (Permission p : with_option) {
      if (Contains(permissions, p)) continue;
      for (GrantRow& row : RowsOf(resource, {p}, false)) {
        writes.push_back({&clear_grant_option_, row});
      }
    }
    for (const auto& [statement, row] : writes) {
      if (holds(row)) continue;
      std::string message = "No permissions revoked. Grantee " + grantee + " has no " +
                            std::string(PermissionName(row.permission));
      if (row.kind == ResourceKind::kColumn) message += " on column " + row.column_name + " of";
      message += " on " + DescribeResource(resource);
      return Status(Code::kInvalidInput, std::move(message));
    }
    for (const auto& [statement, row] : writes) {
      Query write(*statement);
      BindKey(write, grantee, catalog_id, row);
      if (Status s = write.Run(); !s.ok()) return s;
    }
    return Status::Ok();
  }

  static void BindKey(Query& query, const Principal& principal, const std::string& catalog_id,
                      const GrantRow& row) {
    query.Bind(principal).Bind(catalog_id).Bind(ResourceKindName(row.kind));
    query.Bind(row.database_name).Bind(row.table_name).Bind(row.column_name);
    query.Bind(PermissionName(row.permission));
  }

  Status WriteAudit(const AuditEntry& entry) {
    StoredResource resource = StoreResource(entry.grant.resource);
    int64_t now = options_.now_micros ? options_.now_micros() : 0;
    Query insert(insert_audit_);
    insert.Bind(now).Bind(AuditActionName(entry.action)).Bind(entry.actor);
    insert.Bind(entry.grant.principal).Bind(resource.kind).Bind(resource.catalog_id);
    insert.Bind(resource.database_name).Bind(resource.table_name).Bind(resource.columns);
    insert.Bind(JoinPermissions(entry.grant.permissions));
    insert.Bind(JoinPermissions(entry.grant.permissions_with_grant_option));
    return insert.Bind(entry.message).Run();
  }

  // A Table filter matches the table's column grants too, as ListPermissions documents.
  static bool MatchesFilter(const Resource& granted, const Resource& filter) {
    if (granted == filter) return true;
    const auto* table = std::get_if<TableResource>(&filter);
    const auto* columns = std::get_if<TableWithColumnsResource>(&granted);
    if (table == nullptr || columns == nullptr || table->table_wildcard) return false;
    return table->catalog_id == columns->catalog_id &&
           table->database_name == columns->database_name && table->name == columns->name;
  }

  // Lake Formation shows others' grants on a resource only to its owner, an administrator, or a
  // principal holding a permission on it with the grant option.
  Result<bool> MaySee(const Principal& caller, const Grant& grant) const {
    if (grant.principal == caller) return true;
    for (Permission p : grant.permissions) {
      Result<bool> holds = Holds(caller, grant.resource, p, true);
      if (!holds.ok() || *holds) return holds;
    }
    return false;
  }

  // Declared first so it is destroyed last, after the statements that belong to it.
  sqlite::DbHandle db_;
  PermissionsOptions options_;
  std::set<Principal> admins_;
  mutable Statement begin_, commit_, rollback_;
  mutable Statement select_rows_, select_all_rows_, upsert_row_, delete_row_, clear_grant_option_;
  mutable Statement select_link_, insert_link_, select_links_;
  mutable Statement insert_audit_, select_audit_;
};

#undef MESHSIM_ROW_KEY

}  // namespace

Result<std::unique_ptr<Permissions>> MakeSqlitePermissions(PermissionsOptions options) {
  return SqlitePermissions::Open(std::move(options));
}

}  // namespace meshsim::fakes

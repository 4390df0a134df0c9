// Permissions: who may read and change which data product, with Lake Formation's model. Principals
// are domain accounts; a grant gives an account permissions on a catalog, a database, a table (or
// every table of a database) or some columns of a table, optionally with the grant option that
// lets it pass them on. Catalog reads and data-product reads call Check() and fail with its
// AccessDeniedException; grants, revocations and denials go to an audit log.
//
// Abstract so domains run unchanged on the SQLite fake (fakes/lake_formation/permissions.h,
// MakeSqlitePermissions) and on AWS Lake Formation through SigV4-signed HTTPS (backends/, later).
// Shapes follow Lake Formation's GrantPermissions / RevokePermissions / ListPermissions (botocore's
// lakeformation 2017-03-31 model); errors use its types: InvalidInputException (a malformed
// request, naming the field), EntityNotFoundException (no such resource), AccessDeniedException.
//
// The model, from Lake Formation's developer guide ("Implicit Lake Formation permissions",
// "Lake Formation permissions reference", "How resource links work"):
//  - A resource belongs to the account whose catalog holds it (its CatalogId). That account holds
//    every permission on it, with the grant option, without any grant: it is the creator of its
//    databases and tables and the data-lake administrator of its own catalog.
//  - A data-lake administrator (an account named as one at construction) may DESCRIBE everything
//    and grant or revoke anything, but has no other implicit permission: it can grant itself more.
//  - Permissions do not flow down: ALL on a database gives nothing on its tables. ALL ("Super") on
//    a resource implies every permission on that resource. A grant on every table of a database
//    (TableWildcard) implies DESCRIBE on the database.
//  - A principal may grant (or revoke) a permission only if it owns the resource, administers the
//    data lake, or holds that permission (or ALL) on the resource with the grant option.
//    Revocation does not cascade to grants the grantee made.
//  - A resource link is a database or table in one account's catalog that points at a database or
//    table in another. DESCRIBE and DROP are the only permissions on a link; a grant on a link does
//    not grant the target. Using a link for anything else needs DESCRIBE on the link and the
//    permission on the target.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/core/status.h"

namespace meshsim {

// A domain's 12-digit AWS account id ("111122223333"), as Lake Formation names an external
// account in DataLakePrincipalIdentifier and in CatalogId.
using Principal = std::string;

enum class Permission {
  kAll,  // "Super": every permission on the resource
  kSelect,
  kAlter,
  kDrop,
  kDelete,
  kInsert,
  kDescribe,
  kCreateDatabase,
  kCreateTable,
};

// The Resource shapes of Lake Formation that meshsim uses. Names are case-insensitive, as in Glue:
// they are compared and stored lower-cased.
struct CatalogResource {
  std::string catalog_id;
  bool operator==(const CatalogResource&) const = default;
};
struct DatabaseResource {
  std::string catalog_id;
  std::string name;
  bool operator==(const DatabaseResource&) const = default;
};
// One table, or (table_wildcard, name empty) every table of the database, present and future.
struct TableResource {
  std::string catalog_id;
  std::string database_name;
  std::string name;
  bool table_wildcard = false;
  bool operator==(const TableResource&) const = default;
};
struct ColumnWildcard {
  std::vector<std::string> excluded_column_names;
  bool operator==(const ColumnWildcard&) const = default;
};
// Some columns of a table, for SELECT only: column_names, or every column but the excluded ones.
// Exactly one of the two is given.
struct TableWithColumnsResource {
  std::string catalog_id;
  std::string database_name;
  std::string name;
  std::vector<std::string> column_names;
  std::optional<ColumnWildcard> column_wildcard;
  bool operator==(const TableWithColumnsResource&) const = default;
};
using Resource =
    std::variant<CatalogResource, DatabaseResource, TableResource, TableWithColumnsResource>;

// A principal's permissions on one resource: a request to grant or revoke, or a ListPermissions
// row. permissions_with_grant_option is, on a grant, a subset of permissions.
struct Grant {
  Principal principal;
  Resource resource;
  std::vector<Permission> permissions;
  std::vector<Permission> permissions_with_grant_option;
  bool operator==(const Grant&) const = default;
};

struct PermissionChange {
  enum class Kind { kGrant, kRevoke };
  Kind kind = Kind::kGrant;
  Grant grant;  // grant.principal is the grantee
};

// `link` (a named DatabaseResource or TableResource) lives in the catalog of the account that
// registers it and points at `target` (of the same kind) in another catalog, usually a producer's.
struct ResourceLink {
  Resource link;
  Resource target;
  bool operator==(const ResourceLink&) const = default;
};

struct AuditEntry {
  enum class Action { kGrant, kRevoke, kDenial };
  int64_t sequence = 0;     // 1, 2, ... in the order the entries were written; never reused
  int64_t time_micros = 0;  // the simulation time of the call
  Action action = Action::kGrant;
  Principal actor;      // the grantor, revoker, or the principal whose check or call was denied
  Grant grant;          // what was granted, revoked, or asked for and denied
  std::string message;  // for a denial, the AccessDeniedException's message
};

class Permissions {
 public:
  virtual ~Permissions() = default;

  // Applies every change or none: all are validated and authorised first, then written together.
  // `actor` is the principal making the call (the grantor or revoker).
  // InvalidInputException naming the field for a malformed principal, resource or permission
  // list, a permission not valid on the resource's type, a grant option on a permission not
  // granted, or a revocation of something the grantee does not hold; EntityNotFoundException for
  // a resource that does not exist; AccessDeniedException when `actor` may not grant or revoke
  // (recorded in the audit log).
  virtual Status Apply(const Principal& actor, const std::vector<PermissionChange>& changes) = 0;

  // Lake Formation's GrantPermissions: one Apply. A grant adds to what the grantee holds; it never
  // removes a grant option.
  Status GrantPermissions(const Principal& grantor, const Principal& grantee,
                          const Resource& resource, std::vector<Permission> permissions,
                          std::vector<Permission> permissions_with_grant_option = {}) {
    PermissionChange change{
        PermissionChange::Kind::kGrant,
        {grantee, resource, std::move(permissions), std::move(permissions_with_grant_option)}};
    return Apply(grantor, {std::move(change)});
  }

  // Lake Formation's RevokePermissions: `permissions` are revoked with their grant option;
  // `permissions_with_grant_option` lose only the grant option. At least one is not empty.
  Status RevokePermissions(const Principal& revoker, const Principal& grantee,
                           const Resource& resource, std::vector<Permission> permissions,
                           std::vector<Permission> permissions_with_grant_option = {}) {
    PermissionChange change{
        PermissionChange::Kind::kRevoke,
        {grantee, resource, std::move(permissions), std::move(permissions_with_grant_option)}};
    return Apply(revoker, {std::move(change)});
  }

  // The explicit grants (implicit ones are not listed, as in Lake Formation), filtered by
  // `principal` and by `resource` (a Table also matches its column grants), and by what `caller`
  // may see: its own grants, and others' on resources it owns, administers, or holds a permission
  // on with the grant option. Ordered by principal, then resource.
  virtual Result<std::vector<Grant>> ListPermissions(
      const Principal& caller, const std::optional<Principal>& principal = std::nullopt,
      const std::optional<Resource>& resource = std::nullopt) const = 0;

  // OK when `principal` may use `permission` on `resource`; otherwise AccessDeniedException
  // "Insufficient Lake Formation permission(s): Required Select on ..." naming the permission,
  // the resource and the principal, recorded in the audit log. A resource that does not exist is
  // EntityNotFoundException for its owner and AccessDeniedException for everyone else, so a
  // check does not reveal what exists. InvalidInputException for a malformed request.
  // Not const: a denial is written to the audit log.
  virtual Status Check(const Principal& principal, const Resource& resource,
                       Permission permission) = 0;
  // Whether Check would pass, with no audit entry: for listings, which show only what the caller
  // may DESCRIBE (as Lake Formation filters GetDatabases and GetTables) without a denial for
  // each resource left out. Not const: it shares the store's prepared statements.
  virtual bool Allowed(const Principal& principal, const Resource& resource,
                       Permission permission) = 0;

  // Registers a resource link in the catalog of `caller`, which must be link.link's CatalogId.
  // AlreadyExistsException if the name is taken by another link; EntityNotFoundException if the
  // target (or, for a table link, the database holding it) does not exist.
  virtual Status RegisterResourceLink(const Principal& caller, const ResourceLink& link) = 0;
  // The links in `catalog_id`'s catalog, ordered by name.
  virtual Result<std::vector<ResourceLink>> ListResourceLinks(
      const Principal& catalog_id) const = 0;

  // Entries with a sequence number above `after_sequence`, oldest first.
  virtual Result<std::vector<AuditEntry>> AuditLog(int64_t after_sequence = 0) const = 0;
};

// Forwards every call to `target` (LevelDB's EnvWrapper): a decorator (latency, faults,
// metering) derives from it and overrides only the calls it changes. `target` must outlive it.
class ForwardingPermissions : public Permissions {
 public:
  explicit ForwardingPermissions(Permissions& target) : target_(target) {}

  Status Apply(const Principal& actor, const std::vector<PermissionChange>& changes) override {
    return target_.Apply(actor, changes);
  }
  Result<std::vector<Grant>> ListPermissions(
      const Principal& caller, const std::optional<Principal>& principal,
      const std::optional<Resource>& resource) const override {
    return target_.ListPermissions(caller, principal, resource);
  }
  Status Check(const Principal& principal, const Resource& resource,
               Permission permission) override {
    return target_.Check(principal, resource, permission);
  }
  bool Allowed(const Principal& principal, const Resource& resource,
               Permission permission) override {
    return target_.Allowed(principal, resource, permission);
  }
  Status RegisterResourceLink(const Principal& caller, const ResourceLink& link) override {
    return target_.RegisterResourceLink(caller, link);
  }
  Result<std::vector<ResourceLink>> ListResourceLinks(const Principal& catalog_id) const override {
    return target_.ListResourceLinks(catalog_id);
  }
  Result<std::vector<AuditEntry>> AuditLog(int64_t after_sequence) const override {
    return target_.AuditLog(after_sequence);
  }

 protected:
  Permissions& target() const { return target_; }

 private:
  Permissions& target_;
};

}  // namespace meshsim

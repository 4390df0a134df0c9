// The Subscriptions port on SQLite. A call reads the subscription, checks the caller and the
// transition, makes its permission changes in one Permissions::Apply (all or none), then writes
// the new state. The permissions live in another store, so the two writes are not one
// transaction: should SQLite fail to write the state after the grants, the grants stand and the
// call reports InternalServiceException.
#include "fakes/lake_formation/subscriptions.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "fakes/lake_formation/permission_columns.h"
#include "fakes/sqlite/sqlite_db.h"
#include "sim/core/ids.h"
#include "sim/governance/permission_rules.h"

namespace meshsim::fakes {
namespace {

using sqlite::Query;
using sqlite::Statement;

constexpr std::string_view kSchema = R"sql(
BEGIN;
CREATE TABLE IF NOT EXISTS subscriptions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  owner TEXT NOT NULL,
  subscriber TEXT NOT NULL,
  database_name TEXT NOT NULL,
  table_names TEXT NOT NULL,
  requested TEXT NOT NULL,
  permitted TEXT NOT NULL,
  grantable TEXT NOT NULL,
  status TEXT NOT NULL,
  notes TEXT NOT NULL,
  creation_micros INTEGER NOT NULL,
  updated_micros INTEGER NOT NULL,
  finalized INTEGER NOT NULL
);
COMMIT;
)sql";

constexpr std::string_view kIdPrefix = "sub-";

#define MESHSIM_SUBSCRIPTION_ROW                                                         \
  "id, owner, subscriber, database_name, table_names, requested, permitted, grantable, " \
  "status, notes, creation_micros, updated_micros, finalized"

Status InvalidInput(std::string message) { return Status(Code::kInvalidInput, std::move(message)); }

bool Contains(const std::vector<Permission>& list, Permission p) {
  return std::find(list.begin(), list.end(), p) != list.end();
}

std::string Names(std::initializer_list<SubscriptionStatus> statuses) {
  std::string out;
  for (SubscriptionStatus s : statuses) {
    if (!out.empty()) out += " or ";
    out += SubscriptionStatusName(s);
  }
  return out;
}

// InvalidInputException naming the state, in SubscriberTracker's words.
Status RequireStatus(const Subscription& sub, std::string_view action,
                     std::initializer_list<SubscriptionStatus> allowed) {
  if (std::find(allowed.begin(), allowed.end(), sub.status) != allowed.end()) return Status::Ok();
  std::string message = "Invalid State Transition: cannot ";
  message += action;
  message += " subscription " + sub.subscription_id + " in state ";
  message += SubscriptionStatusName(sub.status);
  message += "; it must be " + Names(allowed);
  return InvalidInput(std::move(message));
}

// Table permissions a subscription may carry, named by `field`.
Status CheckGrants(std::string_view field, const std::vector<Permission>& permissions,
                   bool required) {
  if (required && permissions.empty()) {
    return InvalidInput(std::string(field) + " must not be empty");
  }
  for (Permission p : permissions) {
    if (!IsValidOn(p, ResourceKind::kTable, false)) {
      return InvalidInput(std::string(field) + ": " + std::string(PermissionName(p)) +
                          " is not valid on a table");
    }
  }
  return Status::Ok();
}

class SqliteSubscriptions final : public Subscriptions {
 public:
  static Result<std::unique_ptr<Subscriptions>> Open(Permissions& permissions,
                                                     SubscriptionsOptions options) {
    Result<sqlite::DbHandle> db = sqlite::Open(options.path, kSchema, "subscriptions");
    if (!db.ok()) return db.status();
    std::unique_ptr<SqliteSubscriptions> store(
        new SqliteSubscriptions(std::move(db).value(), permissions, std::move(options)));
    if (Status s = store->PrepareStatements(); !s.ok()) return s;
    return std::unique_ptr<Subscriptions>(std::move(store));
  }

  Result<Subscription> RequestAccess(const Principal& consumer,
                                     const AccessRequest& request) override {
    if (Status s = CheckAccountId("SubscriberPrincipal", consumer); !s.ok()) return s;
    if (Status s = CheckAccountId("OwnerPrincipal", request.owner_principal); !s.ok()) return s;
    if (consumer == request.owner_principal) {
      return InvalidInput("SubscriberPrincipal: a domain does not subscribe to its own product");
    }
    // The names are checked, and lower-cased, as the grants will use them.
    Result<Resource> database =
        NormalizedResource(DatabaseResource{request.owner_principal, request.database_name});
    if (!database.ok()) return database.status();
    Subscription sub;
    sub.owner_principal = request.owner_principal;
    sub.subscriber_principal = consumer;
    sub.database_name = std::get<DatabaseResource>(*database).name;
    for (const std::string& table : request.table_names) {
      Result<Resource> t =
          NormalizedResource(TableResource{request.owner_principal, sub.database_name, table});
      if (!t.ok()) return t.status();
      sub.table_names.push_back(std::get<TableResource>(*t).name);
    }
    std::sort(sub.table_names.begin(), sub.table_names.end());
    sub.table_names.erase(std::unique(sub.table_names.begin(), sub.table_names.end()),
                          sub.table_names.end());
    if (Status s = CheckGrants("RequestedGrants", request.permissions, true); !s.ok()) return s;
    sub.requested_grants = request.permissions;

    Result<std::vector<Subscription>> mine = List(sub.owner_principal, consumer, std::nullopt);
    if (!mine.ok()) return mine.status();
    for (Subscription& existing : *mine) {
      if (existing.database_name != sub.database_name || existing.table_names != sub.table_names ||
          existing.requested_grants != sub.requested_grants) {
        continue;
      }
      if (existing.status != SubscriptionStatus::kDeleted) return existing;
      existing.status = SubscriptionStatus::kPending;  // Deleted -> Pending
      if (Status s = Write(existing); !s.ok()) return s;
      return existing;
    }
    sub.status = SubscriptionStatus::kPending;
    sub.creation_micros = sub.updated_micros = Now();
    {
      Query insert(insert_);
      insert.Bind(sub.owner_principal).Bind(sub.subscriber_principal).Bind(sub.database_name);
      insert.Bind(JoinList(sub.table_names)).Bind(JoinPermissions(sub.requested_grants));
      insert.Bind(std::string_view(SubscriptionStatusName(sub.status))).Bind(sub.creation_micros);
      if (Status s = insert.Run(); !s.ok()) return s;
    }
    sub.subscription_id =
        NumberedId(kIdPrefix, static_cast<uint64_t>(sqlite3_last_insert_rowid(db())));
    return sub;
  }

  Status Approve(const Principal& producer, const std::string& subscription_id,
                 std::vector<Permission> grant_permissions,
                 std::vector<Permission> grantable_permissions, const std::string& notes) override {
    Result<Subscription> sub = Load(subscription_id);
    if (!sub.ok()) return sub.status();
    if (Status s = RequireParty(producer, *sub, false); !s.ok()) return s;
    Status state = RequireStatus(
        *sub, "approve",
        {SubscriptionStatus::kPending, SubscriptionStatus::kDenied, SubscriptionStatus::kDeleted});
    if (!state.ok()) return state;
    if (grant_permissions.empty()) grant_permissions = sub->requested_grants;
    if (Status s = CheckGrants("GrantPermissions", grant_permissions, true); !s.ok()) return s;
    if (Status s = CheckGrants("GrantablePermissions", grantable_permissions, false); !s.ok()) {
      return s;
    }
    for (Permission p : grantable_permissions) {
      if (!Contains(grant_permissions, p)) {
        return InvalidInput("GrantablePermissions: " + std::string(PermissionName(p)) +
                            " is not in GrantPermissions");
      }
    }
    // As DataMeshProducer.approve_access_request: DESCRIBE on the database, then the approved
    // permissions on each table.
    std::vector<PermissionChange> changes = {
        {PermissionChange::Kind::kGrant,
         {sub->subscriber_principal, DatabaseOf(*sub), {Permission::kDescribe}, {}}}};
    for (const Resource& table : TablesOf(*sub)) {
      changes.push_back(
          {PermissionChange::Kind::kGrant,
           {sub->subscriber_principal, table, grant_permissions, grantable_permissions}});
    }
    if (Status s = permissions_.Apply(producer, changes); !s.ok()) return s;
    sub->status = SubscriptionStatus::kActive;
    sub->permitted_grants = std::move(grant_permissions);
    sub->grantable_grants = std::move(grantable_permissions);
    if (!notes.empty()) sub->notes.push_back(notes);
    return Write(*sub);
  }

  Status Deny(const Principal& producer, const std::string& subscription_id,
              const std::string& notes) override {
    Result<Subscription> sub = Load(subscription_id);
    if (!sub.ok()) return sub.status();
    if (Status s = RequireParty(producer, *sub, false); !s.ok()) return s;
    if (Status s = RequireStatus(*sub, "deny", {SubscriptionStatus::kPending}); !s.ok()) return s;
    sub->status = SubscriptionStatus::kDenied;
    if (!notes.empty()) sub->notes.push_back(notes);
    return Write(*sub);
  }

  Status Finalize(const Principal& consumer, const std::string& subscription_id) override {
    Result<Subscription> sub = Load(subscription_id);
    if (!sub.ok()) return sub.status();
    if (Status s = CheckAccountId("Caller", consumer); !s.ok()) return s;
    if (consumer != sub->subscriber_principal) {
      return Status(Code::kAccessDenied, "Only subscriber " + sub->subscriber_principal +
                                             " may finalize subscription " + subscription_id);
    }
    if (Status s = RequireStatus(*sub, "finalize", {SubscriptionStatus::kActive}); !s.ok()) {
      return s;
    }
    ResourceLink link{DatabaseResource{consumer, sub->database_name}, DatabaseOf(*sub)};
    Result<std::vector<ResourceLink>> links = permissions_.ListResourceLinks(consumer);
    if (!links.ok()) return links.status();
    if (std::find(links->begin(), links->end(), link) == links->end()) {
      if (Status s = permissions_.RegisterResourceLink(consumer, link); !s.ok()) return s;
    }
    sub->finalized = true;
    return Write(*sub);
  }

  Status Delete(const Principal& caller, const std::string& subscription_id,
                const std::string& reason) override {
    Result<Subscription> sub = Load(subscription_id);
    if (!sub.ok()) return sub.status();
    if (Status s = RequireParty(caller, *sub, true); !s.ok()) return s;
    if (Status s = RequireStatus(*sub, "delete", {SubscriptionStatus::kActive}); !s.ok()) return s;
    // Revoke what the consumer still holds of what was granted (the producer may have revoked
    // some already), as the owner: the consumer may end its subscription without grant options.
    std::vector<PermissionChange> changes;
    for (const Resource& table : TablesOf(*sub)) {
      Result<std::vector<Permission>> held = Held(*sub, table);
      if (!held.ok()) return held.status();
      std::vector<Permission> revoke;
      for (Permission p : sub->permitted_grants) {
        if (Contains(*held, p)) revoke.push_back(p);
      }
      if (!revoke.empty()) {
        changes.push_back(
            {PermissionChange::Kind::kRevoke, {sub->subscriber_principal, table, revoke, {}}});
      }
    }
    Result<bool> shared = DatabaseStillNeeded(*sub);
    if (!shared.ok()) return shared.status();
    Result<std::vector<Permission>> describe = Held(*sub, DatabaseOf(*sub));
    if (!describe.ok()) return describe.status();
    if (!*shared && Contains(*describe, Permission::kDescribe)) {
      changes.push_back(
          {PermissionChange::Kind::kRevoke,
           {sub->subscriber_principal, DatabaseOf(*sub), {Permission::kDescribe}, {}}});
    }
    if (!changes.empty()) {
      if (Status s = permissions_.Apply(sub->owner_principal, changes); !s.ok()) return s;
    }
    sub->status = SubscriptionStatus::kDeleted;
    if (!reason.empty()) sub->notes.push_back(reason);
    return Write(*sub);
  }

  Result<Subscription> Get(const std::string& subscription_id) const override {
    return Load(subscription_id);
  }

  Result<std::vector<Subscription>> List(
      const std::optional<Principal>& owner, const std::optional<Principal>& subscriber,
      const std::optional<SubscriptionStatus>& status) const override {
    std::vector<Subscription> out;
    Query select(select_all_);
    Status s = select.ForEachRow([&](const Query& row) {
      Subscription sub = ReadRow(row);
      if (owner && sub.owner_principal != *owner) return;
      if (subscriber && sub.subscriber_principal != *subscriber) return;
      if (status && sub.status != *status) return;
      out.push_back(std::move(sub));
    });
    if (!s.ok()) return s;
    return out;
  }

 private:
  SqliteSubscriptions(sqlite::DbHandle db, Permissions& permissions, SubscriptionsOptions options)
      : db_(std::move(db)), permissions_(permissions), options_(std::move(options)) {}

  sqlite3* db() const { return db_.get(); }
  int64_t Now() const { return options_.now_micros ? options_.now_micros() : 0; }

  Status PrepareStatements() {
    const std::pair<Statement*, std::string_view> statements[] = {
        {&insert_,
         "INSERT INTO subscriptions (owner, subscriber, database_name, table_names, requested, "
         "permitted, grantable, status, notes, creation_micros, updated_micros, finalized) "
         "VALUES (?1, ?2, ?3, ?4, ?5, '', '', ?6, '', ?7, ?7, 0)"},
        {&select_one_, "SELECT " MESHSIM_SUBSCRIPTION_ROW " FROM subscriptions WHERE id = ?1"},
        {&select_all_, "SELECT " MESHSIM_SUBSCRIPTION_ROW " FROM subscriptions ORDER BY id"},
        {&update_,
         "UPDATE subscriptions SET permitted = ?2, grantable = ?3, status = ?4, notes = ?5, "
         "updated_micros = ?6, finalized = ?7 WHERE id = ?1"},
    };
    for (const auto& [statement, sql] : statements) {
      if (Status s = statement->Prepare(db(), sql); !s.ok()) return s;
    }
    return Status::Ok();
  }

  static Subscription ReadRow(const Query& row) {
    Subscription sub;
    sub.subscription_id = NumberedId(kIdPrefix, static_cast<uint64_t>(row.Int(0)));
    sub.owner_principal = row.Text(1);
    sub.subscriber_principal = row.Text(2);
    sub.database_name = row.Text(3);
    sub.table_names = SplitList(row.Text(4));
    sub.requested_grants = SplitPermissions(row.Text(5));
    sub.permitted_grants = SplitPermissions(row.Text(6));
    sub.grantable_grants = SplitPermissions(row.Text(7));
    std::string status = row.Text(8);
    for (SubscriptionStatus s : {SubscriptionStatus::kPending, SubscriptionStatus::kActive,
                                 SubscriptionStatus::kDenied, SubscriptionStatus::kDeleted}) {
      if (SubscriptionStatusName(s) == status) sub.status = s;
    }
    sub.notes = SplitList(row.Text(9));
    sub.creation_micros = row.Int(10);
    sub.updated_micros = row.Int(11);
    sub.finalized = row.Int(12) != 0;
    return sub;
  }

  Result<Subscription> Load(const std::string& subscription_id) const {
    auto not_found = [&] {
      return Status(Code::kEntityNotFound, "Subscription " + subscription_id + " not found.");
    };
    if (subscription_id.rfind(kIdPrefix, 0) != 0) return not_found();
    std::string digits = subscription_id.substr(kIdPrefix.size());
    if (digits.empty() || digits.size() > 18 ||
        !std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return not_found();
    }
    Query select(select_one_);
    select.Bind(static_cast<int64_t>(std::stoll(digits)));
    Result<bool> row = select.Step();
    if (!row.ok()) return row.status();
    if (!*row) return not_found();
    return ReadRow(select);
  }

  Status Write(Subscription& sub) {
    sub.updated_micros = Now();
    Query update(update_);
    update.Bind(static_cast<int64_t>(std::stoll(sub.subscription_id.substr(kIdPrefix.size()))));
    update.Bind(JoinPermissions(sub.permitted_grants)).Bind(JoinPermissions(sub.grantable_grants));
    update.Bind(SubscriptionStatusName(sub.status)).Bind(JoinList(sub.notes));
    update.Bind(sub.updated_micros).Bind(static_cast<int64_t>(sub.finalized));
    return update.Run();
  }

  // The producer decides; either side may end a subscription.
  static Status RequireParty(const Principal& caller, const Subscription& sub,
                             bool subscriber_too) {
    if (Status s = CheckAccountId("Caller", caller); !s.ok()) return s;
    if (caller == sub.owner_principal) return Status::Ok();
    if (subscriber_too && caller == sub.subscriber_principal) return Status::Ok();
    return Status(Code::kAccessDenied, caller + " is not the owner" +
                                           (subscriber_too ? " or the subscriber" : "") +
                                           " of subscription " + sub.subscription_id);
  }

  static Resource DatabaseOf(const Subscription& sub) {
    return DatabaseResource{sub.owner_principal, sub.database_name};
  }

  static std::vector<Resource> TablesOf(const Subscription& sub) {
    std::vector<Resource> out;
    if (sub.table_names.empty()) {
      out.push_back(TableResource{sub.owner_principal, sub.database_name, "", true});
    }
    for (const std::string& name : sub.table_names) {
      out.push_back(TableResource{sub.owner_principal, sub.database_name, name, false});
    }
    return out;
  }

  // What the subscriber holds explicitly on exactly `resource`.
  Result<std::vector<Permission>> Held(const Subscription& sub, const Resource& resource) const {
    Result<std::vector<Grant>> grants =
        permissions_.ListPermissions(sub.owner_principal, sub.subscriber_principal, resource);
    if (!grants.ok()) return grants.status();
    for (const Grant& grant : *grants) {
      if (grant.resource == resource) return grant.permissions;
    }
    return std::vector<Permission>{};
  }

  // Another Active subscription of the same consumer to the same database keeps its DESCRIBE.
  Result<bool> DatabaseStillNeeded(const Subscription& sub) const {
    Result<std::vector<Subscription>> active =
        List(sub.owner_principal, sub.subscriber_principal, SubscriptionStatus::kActive);
    if (!active.ok()) return active.status();
    return std::any_of(active->begin(), active->end(), [&](const Subscription& other) {
      return other.subscription_id != sub.subscription_id &&
             other.database_name == sub.database_name;
    });
  }

  // Declared first so it is destroyed last, after the statements that belong to it.
  sqlite::DbHandle db_;
  Permissions& permissions_;
  SubscriptionsOptions options_;
  mutable Statement insert_, select_one_, select_all_, update_;
};

#undef MESHSIM_SUBSCRIPTION_ROW

}  // namespace

Result<std::unique_ptr<Subscriptions>> MakeSqliteSubscriptions(Permissions& permissions,
                                                               SubscriptionsOptions options) {
  return SqliteSubscriptions::Open(permissions, std::move(options));
}

}  // namespace meshsim::fakes

// Subscriptions: the data-product access workflow of awslabs' aws-data-mesh-utils. A consumer
// domain requests permissions on a producer's database (or some of its tables); the producer
// approves, which grants them through the Permissions port, or denies, which changes no
// permission; the consumer finalizes an approved subscription, which imports it into its own
// catalog as a resource link; either side ends it, which revokes what was granted.
//
// States and transitions as aws-data-mesh-utils' SubscriberTracker.update_status allows them:
// Pending -> Active (approve), Pending -> Denied (deny), Denied -> Active (approve),
// Active -> Deleted (delete), Deleted -> Active (approve), Deleted -> Pending (request again).
// Any other transition is InvalidInputException naming the subscription's state.
//
// Abstract so the workflow runs on SQLite (fakes/lake_formation/subscriptions.h) and, later, on the
// DynamoDB table aws-data-mesh-utils keeps (AwsDataMeshSubscriptions).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/status.h"
#include "sim/ports/permissions.h"

namespace meshsim {

enum class SubscriptionStatus { kPending, kActive, kDenied, kDeleted };

// aws-data-mesh-utils' spelling: "Pending", "Active", "Denied", "Deleted".
inline std::string_view SubscriptionStatusName(SubscriptionStatus status) {
  switch (status) {
    case SubscriptionStatus::kPending:
      return "Pending";
    case SubscriptionStatus::kActive:
      return "Active";
    case SubscriptionStatus::kDenied:
      return "Denied";
    case SubscriptionStatus::kDeleted:
      return "Deleted";
  }
  return "Unknown";
}

// The fields of aws-data-mesh-utils' subscription record that meshsim uses.
struct Subscription {
  std::string subscription_id;
  Principal owner_principal;       // the producer's account
  Principal subscriber_principal;  // the consumer's account
  std::string database_name;
  std::vector<std::string> table_names;  // empty: every table of the database
  std::vector<Permission> requested_grants;
  std::vector<Permission> permitted_grants;  // what the producer approved
  std::vector<Permission> grantable_grants;  // what the consumer may pass on
  SubscriptionStatus status = SubscriptionStatus::kPending;
  std::vector<std::string> notes;  // decision notes and reasons, oldest first
  int64_t creation_micros = 0;
  int64_t updated_micros = 0;
  bool finalized = false;  // the consumer imported it: its resource link exists
  bool operator==(const Subscription&) const = default;
};

struct AccessRequest {
  Principal owner_principal;
  std::string database_name;
  std::vector<std::string> table_names;  // empty: the whole database
  std::vector<Permission> permissions;   // table permissions: SELECT, DESCRIBE, INSERT, ...
};

class Subscriptions {
 public:
  virtual ~Subscriptions() = default;

  // A Pending subscription. Asking again for the same product and permissions returns the
  // existing subscription, moving it back to Pending if it was Deleted. InvalidInputException
  // naming the field for a malformed account, name or permission.
  virtual Result<Subscription> RequestAccess(const Principal& consumer,
                                             const AccessRequest& request) = 0;

  // The producer's decision. Approve grants DESCRIBE on the database and `grant_permissions`
  // (default: those requested) on each table, with the grant option on `grantable_permissions`
  // (a subset), in one Permissions::Apply, then makes the subscription Active. Deny changes no
  // permission. AccessDeniedException unless `producer` owns the subscription's product.
  virtual Status Approve(const Principal& producer, const std::string& subscription_id,
                         std::vector<Permission> grant_permissions = {},
                         std::vector<Permission> grantable_permissions = {},
                         const std::string& notes = "") = 0;
  virtual Status Deny(const Principal& producer, const std::string& subscription_id,
                      const std::string& notes = "") = 0;

  // The consumer's import of an Active subscription: a database resource link of the same name
  // in its catalog, pointing at the producer's database. Finalizing twice is harmless.
  virtual Status Finalize(const Principal& consumer, const std::string& subscription_id) = 0;

  // Either side ends an Active subscription: what it granted is revoked (DESCRIBE on the
  // database stays while another Active subscription of the consumer needs it) and it is
  // Deleted.
  virtual Status Delete(const Principal& caller, const std::string& subscription_id,
                        const std::string& reason) = 0;

  // EntityNotFoundException for an unknown id.
  virtual Result<Subscription> Get(const std::string& subscription_id) const = 0;
  // Filtered by each given field; ordered by id.
  virtual Result<std::vector<Subscription>> List(
      const std::optional<Principal>& owner, const std::optional<Principal>& subscriber,
      const std::optional<SubscriptionStatus>& status) const = 0;
};

// Forwards every call to `target` (LevelDB's EnvWrapper): a decorator (latency, faults,
// metering) derives from it and overrides only the calls it changes. `target` must outlive it.
class ForwardingSubscriptions : public Subscriptions {
 public:
  explicit ForwardingSubscriptions(Subscriptions& target) : target_(target) {}

  Result<Subscription> RequestAccess(const Principal& consumer,
                                     const AccessRequest& request) override {
    return target_.RequestAccess(consumer, request);
  }
  Status Approve(const Principal& producer, const std::string& subscription_id,
                 std::vector<Permission> grant_permissions,
                 std::vector<Permission> grantable_permissions, const std::string& notes) override {
    return target_.Approve(producer, subscription_id, std::move(grant_permissions),
                           std::move(grantable_permissions), notes);
  }
  Status Deny(const Principal& producer, const std::string& subscription_id,
              const std::string& notes) override {
    return target_.Deny(producer, subscription_id, notes);
  }
  Status Finalize(const Principal& consumer, const std::string& subscription_id) override {
    return target_.Finalize(consumer, subscription_id);
  }
  Status Delete(const Principal& caller, const std::string& subscription_id,
                const std::string& reason) override {
    return target_.Delete(caller, subscription_id, reason);
  }
  Result<Subscription> Get(const std::string& subscription_id) const override {
    return target_.Get(subscription_id);
  }
  Result<std::vector<Subscription>> List(
      const std::optional<Principal>& owner, const std::optional<Principal>& subscriber,
      const std::optional<SubscriptionStatus>& status) const override {
    return target_.List(owner, subscriber, status);
  }

 protected:
  Subscriptions& target() const { return target_; }

 private:
  Subscriptions& target_;
};

}  // namespace meshsim

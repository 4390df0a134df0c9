#include "sim/product_access.h"

#include "sim/accounts.h"

namespace meshsim {

ProductAccess::ProductAccess(Runtime& runtime, Catalog& catalog, Permissions& permissions,
                             Subscriptions& subscriptions)
    : runtime_(runtime),
      catalog_(catalog),
      permissions_(permissions),
      subscriptions_(subscriptions) {}

Catalog& ProductAccess::CatalogOf(const std::string& domain) {
  auto& view = views_[domain];
  if (!view) {
    view = std::make_unique<GovernedCatalog>(catalog_, permissions_,
                                             std::string(DomainAccount(domain)));
  }
  return *view;
}

Status ProductAccess::Subscribe(const std::string& consumer, const std::string& producer,
                                const std::string& database, const std::string& table) {
  const std::string consumer_account(DomainAccount(consumer));
  const std::string producer_account(DomainAccount(producer));
  AccessRequest request{
      producer_account, database, {table}, {Permission::kDescribe, Permission::kSelect}};
  auto subscription = subscriptions_.RequestAccess(consumer_account, request);
  if (!subscription.ok()) return subscription.status();
  if (subscription->status != SubscriptionStatus::kActive) {
    if (auto s = subscriptions_.Approve(producer_account, subscription->subscription_id, {}, {},
                                        "approved by the " + producer + " domain");
        !s.ok()) {
      return s;
    }
  }
  return subscriptions_.Finalize(consumer_account, subscription->subscription_id);
}

bool ProductAccess::Revoke(const std::string& consumer, const std::string& producer,
                           const std::string& reason) {
  const std::string producer_account(DomainAccount(producer));
  auto active = subscriptions_.List(producer_account, std::string(DomainAccount(consumer)),
                                    SubscriptionStatus::kActive);
  if (!active.ok()) return false;
  bool revoked = false;
  for (const auto& s : *active) {
    revoked = subscriptions_.Delete(producer_account, s.subscription_id, reason).ok() || revoked;
  }
  return revoked;
}

Status ProductAccess::Read(const std::string& consumer, const std::string& database,
                           const std::string& table) {
  Catalog& view = CatalogOf(consumer);
  Status status = view.GetTable(database, table).status();
  if (status.ok()) status = view.GetPartitions(database, table, "").status();
  ProductRead& read = reads_.emplace_back();
  read.at_us = runtime_.NowMicros();
  read.consumer = consumer;
  read.product = database + "." + table;
  read.allowed = status.ok();
  if (!status.ok()) {
    read.reason = status.ToString();
    ++denials_;
  }
  return status;
}

}  // namespace meshsim

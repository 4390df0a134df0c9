#include "sim/static_plane/product_access.h"

#include <nlohmann/json.hpp>

#include "sim/governance/accounts.h"
#include "sim/text/csv.h"

namespace meshsim {
namespace {

// The rows of one product file: CSV (its first line the header when the table says so) or JSON
// Lines, each value as text in the columns' order.
Status ParseProductFile(const Table& table, const std::string& name, const std::string& body,
                        std::vector<ProductRow>* rows) {
  const size_t width = table.columns.size();
  if (table.format == "json") {
    size_t start = 0;
    for (int line = 1; start < body.size(); ++line) {
      size_t end = body.find('\n', start);
      if (end == std::string::npos) end = body.size();
      const auto j = nlohmann::json::parse(body.substr(start, end - start), nullptr, false);
      start = end + 1;
      if (!j.is_object()) {
        return Status(Code::kInvalidInput, name + ":" + std::to_string(line) + ": not an object");
      }
      ProductRow& row = rows->emplace_back();
      for (const Column& c : table.columns) {
        auto v = j.find(c.name);
        row.push_back(v == j.end() || v->is_null() ? std::string()
                      : v->is_string()             ? v->get<std::string>()
                                                   : v->dump());
      }
    }
    return Status::Ok();
  }
  Result<std::vector<CsvRow>> csv = ParseCsv(body, name);
  if (!csv.ok()) return Status(Code::kInvalidInput, csv.status().message());
  auto skip = table.parameters.find("skip.header.line.count");
  const size_t header = skip != table.parameters.end() && skip->second == "1" ? 1 : 0;
  for (size_t i = header; i < csv->size(); ++i) {
    const CsvRow& r = (*csv)[i];
    if (r.fields.size() != width) {
      return Status(Code::kInvalidInput, CsvError(name, r.line, 1,
                                                  std::to_string(r.fields.size()) + " values for " +
                                                      std::to_string(width) + " columns"));
    }
    ProductRow& row = rows->emplace_back();
    for (const CsvField& f : r.fields) row.push_back(f.value);
  }
  return Status::Ok();
}

}  // namespace

ProductAccess::ProductAccess(Runtime& runtime, Catalog& catalog, Permissions& permissions,
                             Subscriptions& subscriptions, ObjectStore* objects)
    : runtime_(runtime),
      catalog_(catalog),
      permissions_(permissions),
      subscriptions_(subscriptions),
      objects_(objects) {}

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

Result<ProductData> ProductAccess::Read(const std::string& consumer, const std::string& database,
                                        const std::string& table) {
  Catalog& view = CatalogOf(consumer);
  ProductRead& read = reads_.emplace_back();
  read.at_us = runtime_.NowMicros();
  read.consumer = consumer;
  read.product = database + "." + table;
  Result<Table> definition = view.GetTable(database, table);
  Result<std::vector<Partition>> partitions =
      definition.ok() ? view.GetPartitions(database, table, "")
                      : Result<std::vector<Partition>>(definition.status());
  if (!partitions.ok()) {
    read.reason = partitions.status().ToString();
    // Only Lake Formation's refusal is a denial; a missing table or a catalog that failed is a
    // failed read, so a count of denials means what it says.
    if (partitions.status().code() == Code::kAccessDenied) {
      ++denials_;
    } else {
      read.failed = true;
    }
    return partitions.status();
  }
  read.allowed = true;
  // The files hold every column: they are read with the whole table's definition, then only
  // the columns the consumer may SELECT are kept (Lake Formation's column-level grants).
  Result<Table> whole = catalog_.GetTable(database, table);
  if (!whole.ok()) {
    read.failed = true;
    read.reason = whole.status().ToString();
    return whole.status();
  }
  std::vector<size_t> keep;
  for (size_t i = 0; i < whole->columns.size(); ++i) {
    for (const Column& c : definition->columns) {
      if (c.name == whole->columns[i].name) keep.push_back(i);
    }
  }
  ProductData data;
  data.columns = definition->columns;
  if (objects_ == nullptr) return data;
  // Every file of every partition, or none: a read that fails part way returns nothing.
  Status status;
  for (const Partition& p : *partitions) {
    const auto [bucket, prefix] = SplitS3Uri(p.location);
    ListObjectsRequest request;
    request.bucket = bucket;
    request.prefix = prefix;
    for (bool more = true; more && status.ok();) {
      Result<ListObjectsResult> page = objects_->ListObjectsV2(request);
      if (!page.ok()) {
        status = page.status();
        break;
      }
      for (const ObjectInfo& o : page->contents) {
        Result<std::string> body = objects_->GetObject(bucket, o.key);
        status = body.ok() ? ParseProductFile(*whole, S3Uri(bucket, o.key), *body, &data.rows)
                           : body.status();
        if (!status.ok()) break;
        ++read.files;
      }
      more = page->is_truncated;
      request.continuation_token = page->next_continuation_token;
    }
    if (!status.ok()) break;
    ++read.partitions;
  }
  if (!status.ok()) {
    read.failed = true;
    read.reason = status.ToString();
    read.files = read.partitions = 0;
    return status;
  }
  if (keep.size() != whole->columns.size()) {
    for (ProductRow& row : data.rows) {
      ProductRow visible;
      for (size_t i : keep) visible.push_back(std::move(row[i]));
      row = std::move(visible);
    }
  }
  read.rows = data.rows.size();
  read.columns = keep.size();
  return data;
}

}  // namespace meshsim

#include "sim/static_plane/etl_jobs.h"

#include <charconv>
#include <chrono>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>

namespace meshsim {
namespace {

Column Col(const char* name, const char* type) { return Column{name, type, ""}; }

ProductSpec Spec(const std::string& domain, const std::string& table, std::string description,
                 std::vector<Column> columns, ProductFormat format) {
  ProductSpec spec;
  spec.bucket = domain + "-domain";
  spec.database =
      Database{domain + "_domain", "Data products of the " + domain + " domain", domain};
  spec.table.database = spec.database.name;
  spec.table.name = table;
  spec.table.description = std::move(description);
  spec.table.owner_domain = domain;
  spec.table.columns = std::move(columns);
  spec.format = format;
  return spec;
}

// Every key under `prefix`, across pages.
Result<std::vector<std::string>> KeysUnder(const ObjectStore& store, const std::string& bucket,
                                           const std::string& prefix) {
  ListObjectsRequest request;
  request.bucket = bucket;
  request.prefix = prefix;
  std::vector<std::string> keys;
  for (;;) {
    Result<ListObjectsResult> page = store.ListObjectsV2(request);
    if (!page.ok()) return page.status();
    for (const ObjectInfo& o : page->contents) keys.push_back(o.key);
    if (!page->is_truncated) return keys;
    request.continuation_token = page->next_continuation_token;
  }
}

std::string Text(const nlohmann::json& j, const char* field) {
  auto it = j.find(field);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

std::string SimDate(int64_t sim_us) {
  using namespace std::chrono;
  const sys_seconds t{seconds(SimUnixSeconds(sim_us))};
  const year_month_day ymd{floor<days>(t)};
  char text[16];
  std::snprintf(text, sizeof text, "%04d-%02u-%02u", static_cast<int>(ymd.year()),
                static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
  return text;
}

int SimHour(int64_t sim_us) { return static_cast<int>((SimUnixSeconds(sim_us) % 86'400) / 3'600); }

Result<std::vector<std::string>> LandInteractions(ObjectStore& store, const std::string& bucket,
                                                  const std::vector<Interaction>& events) {
  std::map<std::string, std::string> bodies;  // "dt=.../hour=HH/" → lines
  for (const Interaction& e : events) {
    if (e.timestamp_us < 0) {
      return Status(Code::kValidation, "An event before the scenario epoch: " + e.event_id);
    }
    char hour[16];
    std::snprintf(hour, sizeof hour, "hour=%02d/", SimHour(e.timestamp_us));
    nlohmann::ordered_json line = {{"event_id", e.event_id},     {"user_id", e.user_id},
                                   {"item_id", e.item_id},       {"event_type", e.event_type},
                                   {"session_id", e.session_id}, {"timestamp", e.timestamp_us}};
    std::string& body = bodies["raw/dt=" + SimDate(e.timestamp_us) + "/" + hour];
    body += line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    body += '\n';
  }
  // All or nothing: a put that fails takes back the files this landing already wrote.
  std::vector<std::string> keys;
  const auto undo = [&](const Status& why) -> Result<std::vector<std::string>> {
    for (const std::string& k : keys) (void)store.DeleteObject(bucket, k);
    return why;
  };
  for (const auto& [folder, body] : bodies) {
    Result<std::vector<std::string>> existing = KeysUnder(store, bucket, folder);
    if (!existing.ok()) return undo(existing.status());
    // One past the folder's highest part, so a part never replaces another, even after a
    // deletion.
    uint64_t next = 0;
    for (const std::string& k : *existing) {
      const std::string_view name = std::string_view(k).substr(folder.size());
      uint64_t n = 0;
      if (!name.starts_with("part-")) continue;
      const auto [end, ec] = std::from_chars(name.data() + 5, name.data() + name.size(), n);
      if (ec == std::errc() && std::string_view(end, name.data() + name.size()) == ".jsonl" &&
          n >= next) {
        next = n + 1;
      }
    }
    char part[32];
    std::snprintf(part, sizeof part, "part-%05llu.jsonl", static_cast<unsigned long long>(next));
    std::string key = folder + part;
    if (Result<ObjectInfo> put = store.PutObject(bucket, key, body); !put.ok()) {
      return undo(put.status());
    }
    keys.push_back(std::move(key));
  }
  return keys;
}

ProductSpec UsersProduct(ProductFormat format) {
  return Spec(
      "users", "users", "Registered users and their favourite genres",
      {Col("user_id", "string"), Col("genres", "string"), Col("creation_timestamp", "bigint")},
      format);
}

ProductSpec ItemsProduct(const std::string& domain, ProductFormat format) {
  return Spec(domain, domain, "The " + domain + " catalogue",
              {Col("item_id", "string"), Col("item_type", "string"), Col("genre", "string"),
               Col("creation_timestamp", "bigint")},
              format);
}

ProductSpec InteractionsProduct(ProductFormat format) {
  return Spec(
      "interactions", "interactions", "Listening events: play, skip, like",
      {Col("event_id", "string"), Col("user_id", "string"), Col("item_id", "string"),
       Col("event_type", "string"), Col("session_id", "string"), Col("timestamp", "bigint")},
      format);
}

namespace {

Result<ProductPartition> UsersSnapshot(const UserStore& users, int64_t now_us) {
  ProductPartition partition{SimDate(now_us), {}};
  std::string after;
  for (;;) {
    Result<std::vector<UserProfile>> page = users.ListUsers(after, 500);
    if (!page.ok()) return page.status();
    for (const UserProfile& u : *page) {
      partition.rows.push_back({u.user_id, u.genres, std::to_string(u.created_us)});
    }
    if (page->size() < 500) break;
    after = page->back().user_id;
  }
  return partition;
}

Result<ProductPartition> ItemsSnapshot(const KvStore& kv, const std::string& table,
                                       const ProductSpec& spec, int64_t now_us) {
  ProductPartition partition{SimDate(now_us), {}};
  ScanRequest request{table, std::nullopt, std::nullopt};
  for (;;) {
    Result<ScanResult> page = kv.Scan(request);
    if (!page.ok()) return page.status();
    for (const KvItem& item : page->items) {
      ProductRow row;
      for (const Column& c : spec.table.columns) {
        auto it = item.find(c.name);
        row.push_back(it == item.end() ? std::string() : it->second.value);
      }
      partition.rows.push_back(std::move(row));
    }
    if (!page->last_evaluated_key) break;
    request.exclusive_start_key = page->last_evaluated_key;
  }
  return partition;
}

Result<std::vector<ProductPartition>> LandedByDate(const ObjectStore& store,
                                                   const ProductSpec& spec) {
  Result<std::vector<std::string>> keys = KeysUnder(store, spec.bucket, "raw/dt=");
  if (!keys.ok()) return keys.status();
  std::map<std::string, ProductPartition> by_date;
  for (const std::string& key : *keys) {
    const std::string dt = key.substr(7, 10);  // raw/dt=YYYY-MM-DD/...
    Result<std::string> body = store.GetObject(spec.bucket, key);
    if (!body.ok()) return body.status();
    ProductPartition& partition = by_date.try_emplace(dt, ProductPartition{dt, {}}).first->second;
    size_t start = 0;
    for (int line = 1; start < body->size(); ++line) {
      size_t end = body->find('\n', start);
      if (end == std::string::npos) end = body->size();
      const nlohmann::json j =
          nlohmann::json::parse(body->substr(start, end - start), nullptr, false);
      start = end + 1;
      auto ts = j.is_object() ? j.find("timestamp") : j.end();
      if (!j.is_object() || ts == j.end() || !ts->is_number_integer()) {
        return Status(Code::kInvalidInput,
                      key + ":" + std::to_string(line) + ": not an interaction event");
      }
      partition.rows.push_back({Text(j, "event_id"), Text(j, "user_id"), Text(j, "item_id"),
                                Text(j, "event_type"), Text(j, "session_id"),
                                std::to_string(ts->get<int64_t>())});
    }
  }
  std::vector<ProductPartition> partitions;
  for (auto& [dt, partition] : by_date) partitions.push_back(std::move(partition));
  return partitions;
}

}  // namespace

Co<Result<PublishedProduct>> RunUsersEtl(const UserStore& users, ObjectStore& store,
                                         Catalog& catalog, ProductSpec spec, int64_t now_us) {
  Result<ProductPartition> partition = UsersSnapshot(users, now_us);
  if (!partition.ok()) co_return partition.status();
  std::vector<ProductPartition> partitions;  // not a braced list: GCC 12 fails on one in co_await
  partitions.push_back(std::move(*partition));
  co_return co_await PublishProduct(store, catalog, std::move(spec), std::move(partitions));
}

Co<Result<PublishedProduct>> RunItemsEtl(const KvStore& kv, std::string table, ObjectStore& store,
                                         Catalog& catalog, ProductSpec spec, int64_t now_us) {
  Result<ProductPartition> partition = ItemsSnapshot(kv, table, spec, now_us);
  if (!partition.ok()) co_return partition.status();
  std::vector<ProductPartition> partitions;  // not a braced list: GCC 12 fails on one in co_await
  partitions.push_back(std::move(*partition));
  co_return co_await PublishProduct(store, catalog, std::move(spec), std::move(partitions));
}

Co<Result<PublishedProduct>> RunInteractionsEtl(ObjectStore& store, Catalog& catalog,
                                                ProductSpec spec) {
  Result<std::vector<ProductPartition>> partitions = LandedByDate(store, spec);
  if (!partitions.ok()) co_return partitions.status();
  co_return co_await PublishProduct(store, catalog, std::move(spec), std::move(*partitions));
}

}  // namespace meshsim

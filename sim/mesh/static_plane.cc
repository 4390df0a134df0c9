#include "sim/mesh/static_plane.h"

#include "sim/static_plane/etl_jobs.h"

namespace meshsim {

StaticPlane::StaticPlane(Runtime& runtime, const StoreSettings& settings, StoreSet stores,
                         std::function<Catalog&(const std::string&)> catalog_of)
    : runtime_(runtime), settings_(settings), stores_(stores), catalog_of_(std::move(catalog_of)) {}

Status StaticPlane::Start() {
  // The landing bucket from the start, so an interactions job before the first landing publishes
  // an empty product rather than failing.
  const std::string bucket = SpecOf("interactions").bucket;
  if (Status s = stores_.objects->HeadBucket(bucket); !s.ok()) {
    if (s.code() != Code::kNoSuchBucket) return s;
    if (Status c = stores_.objects->CreateBucket(bucket); !c.ok()) return c;
  }
  for (const char* table : {"songs", "podcasts"}) {
    if (stores_.items->DescribeTable(table).ok()) continue;
    if (Status s = stores_.items->CreateTable({table, "item_id", AttributeValue::Type::kS});
        !s.ok()) {
      return s;
    }
  }
  return Status::Ok();
}

void StaticPlane::Failed(const Status& s) {
  if (counts_.failed_writes++ == 0) counts_.first_failure = s.ToString();
}

void StaticPlane::User(const UserProfile& user) {
  if (Status s = stores_.users->PutUser(user); !s.ok()) return Failed(s);
  ++counts_.users;
}

void StaticPlane::Item(const CatalogItem& item) {
  const KvItem row = {{"item_id", AttributeValue::S(item.item_id)},
                      {"item_type", AttributeValue::S(std::string(ItemTypeName(item.type)))},
                      {"genre", AttributeValue::S(item.genre)},
                      {"creation_timestamp", AttributeValue::N(item.created_us)}};
  const char* table = item.type == ItemType::kSong ? "songs" : "podcasts";
  if (Status s = stores_.items->PutItem(table, row); !s.ok()) return Failed(s);
  ++counts_.items;
}

void StaticPlane::Event(const Interaction& event) {
  waiting_.push_back(event);
  if (landing_scheduled_) return;
  // At the end of the interval the event falls in: one timer an interval, and none while no
  // events come, so a drained mesh has nothing of ours left scheduled but the last landing.
  const int64_t interval = settings_.landing_interval_us;
  const int64_t now = runtime_.NowMicros();
  landing_scheduled_ = true;
  runtime_.ScheduleAfter(interval - now % interval, [this] { Land(); });
}

void StaticPlane::Land() {
  landing_scheduled_ = false;
  if (waiting_.empty()) return;
  std::vector<Interaction> batch;
  batch.swap(waiting_);
  Result<std::vector<std::string>> keys =
      LandInteractions(*stores_.objects, SpecOf("interactions").bucket, batch);
  if (!keys.ok()) {
    // Nothing of the batch was written: it waits again, ahead of what came since, for the next
    // landing (kept, never dropped).
    waiting_.insert(waiting_.begin(), batch.begin(), batch.end());
    return Failed(keys.status());
  }
  counts_.events_landed += batch.size();
  counts_.files_landed += keys->size();
}

ProductSpec StaticPlane::SpecOf(const std::string& domain) {
  if (domain == "users") return UsersProduct();
  if (domain == "interactions") return InteractionsProduct();
  return ItemsProduct(domain);
}

void StaticPlane::Etl(const std::string& domain) {
  ProductSpec spec = SpecOf(domain);
  EtlRun run;
  run.at_us = runtime_.NowMicros();
  run.domain = domain;
  run.table = spec.table.database + "." + spec.table.name;
  if (running_.count(domain)) {
    run.reason = "an ETL run of " + domain + " is still running";
    runs_.push_back(std::move(run));
    return;
  }
  if (domain == "interactions") Land();
  Catalog& catalog = catalog_of_(domain);
  Co<Result<PublishedProduct>> job =
      domain == "users"
          ? RunUsersEtl(*stores_.users, *stores_.objects, catalog, std::move(spec), run.at_us)
      : domain == "interactions" ? RunInteractionsEtl(*stores_.objects, catalog, std::move(spec))
                                 : RunItemsEtl(*stores_.items, domain, *stores_.objects, catalog,
                                               std::move(spec), run.at_us);
  running_.insert(domain);
  Spawn<Result<PublishedProduct>>(
      std::move(job), [this, run = std::move(run)](Result<PublishedProduct> published) mutable {
        running_.erase(run.domain);
        run.published = published.ok();
        if (published.ok()) {
          run.locations = published->locations;
          for (size_t rows : published->rows) run.rows += rows;
        } else {
          run.reason = published.status().ToString();
        }
        runs_.push_back(std::move(run));
      });
}

}  // namespace meshsim

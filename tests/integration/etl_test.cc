#include <catch2/catch.hpp>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "fakes/glue_catalog/catalog.h"
#include "fakes/storage/kv_store.h"
#include "fakes/storage/object_store.h"
#include "fakes/storage/user_store.h"
#include "sim/static_plane/etl_jobs.h"
#include "tests/support/deferring_catalog.h"
#include "tests/support/failing_catalog.h"
#include "tests/support/failing_puts.h"
#include "tests/support/inline_co.h"
#include "tests/support/temp_dir.h"

namespace meshsim {
namespace {

constexpr int64_t kHourUs = 3'600'000'000;

using meshsim::testing::FailingPuts;
using meshsim::testing::Inline;

struct Rig {
  meshsim::testing::TempDir dir;
  std::unique_ptr<ObjectStore> store;
  std::unique_ptr<Catalog> catalog;
  Rig() {
    auto s = fakes::MakeFolderObjectStore(dir.File("objects"));
    REQUIRE(s.ok());
    store = std::move(s).value();
    auto c = fakes::MakeSqliteCatalog();
    REQUIRE(c.ok());
    catalog = std::move(c).value();
  }
  std::vector<std::string> Keys(const std::string& bucket) const {
    ListObjectsRequest r;
    r.bucket = bucket;
    std::vector<std::string> keys;
    Result<ListObjectsResult> page = store->ListObjectsV2(r);
    REQUIRE(page.ok());
    for (const ObjectInfo& o : page->contents) keys.push_back(o.key);
    return keys;
  }
};

Interaction Event(const std::string& id, int64_t at_us) {
  return Interaction{id, "u1", "s1", "play", "sess1", at_us};
}

// Two events landed in the interactions bucket, a day apart: a run publishes two partitions.
void LandTwoDays(Rig& rig) {
  REQUIRE(rig.store->CreateBucket("interactions-domain").ok());
  REQUIRE(LandInteractions(*rig.store, "interactions-domain",
                           {Event("e1", 0), Event("e2", 24 * kHourUs)})
              .ok());
}

TEST_CASE("Sim time 0 is 2026-11-24T00:00:00Z", "[etl]") {
  CHECK(SimDate(0) == "2026-11-24");
  CHECK(SimHour(0) == 0);
  CHECK(SimDate(24 * kHourUs - 1) == "2026-11-24");
  CHECK(SimHour(24 * kHourUs - 1) == 23);
  CHECK(SimDate(24 * kHourUs) == "2026-11-25");
  CHECK(SimDate(7 * 24 * kHourUs) == "2026-12-01");
}

TEST_CASE("The users ETL writes a CSV product with its columns and registers its partition",
          "[etl]") {
  Rig rig;
  auto users = fakes::MakeSqliteUserStore();
  REQUIRE(users.ok());
  REQUIRE((*users)->PutUser({"u2", "rock|jazz", 20}).ok());
  REQUIRE((*users)->PutUser({"u1", "pop, indie", 10}).ok());
  Result<PublishedProduct> run =
      Inline(RunUsersEtl(**users, *rig.store, *rig.catalog, UsersProduct(), 5));
  INFO(run.status().ToString());
  REQUIRE(run.ok());
  const std::string key = "products/users/dt=2026-11-24/run-00001/part-00000.csv";
  CHECK(run->keys == std::vector<std::string>{key});
  CHECK(std::filesystem::is_regular_file(rig.dir.path() / "objects/users-domain" / key));
  CHECK(*rig.store->GetObject("users-domain", key) ==
        "user_id,genres,creation_timestamp\nu1,\"pop, indie\",10\nu2,rock|jazz,20\n");

  Result<Table> table = rig.catalog->GetTable("users_domain", "users");
  REQUIRE(table.ok());
  CHECK(table->location == "s3://users-domain/products/users/");
  CHECK(table->format == "csv");
  CHECK(table->serde.serialization_library == "org.apache.hadoop.hive.serde2.OpenCSVSerde");
  CHECK(table->parameters.at("skip.header.line.count") == "1");
  REQUIRE(table->partition_keys.size() == 1);
  CHECK(table->partition_keys[0].name == "dt");
  CHECK(table->columns.size() == 3);
  Result<Partition> partition = rig.catalog->GetPartition("users_domain", "users", {"2026-11-24"});
  REQUIRE(partition.ok());
  CHECK(partition->location == "s3://users-domain/products/users/dt=2026-11-24/run-00001/");

  // A second run of the day replaces the partition: new files, old ones gone, one table version.
  REQUIRE((*users)->DeleteUser("u2").ok());
  REQUIRE(Inline(RunUsersEtl(**users, *rig.store, *rig.catalog, UsersProduct(), 6)).ok());
  CHECK(rig.Keys("users-domain") ==
        std::vector<std::string>{"products/users/dt=2026-11-24/run-00002/part-00000.csv"});
  CHECK(rig.catalog->GetPartition("users_domain", "users", {"2026-11-24"})->location ==
        "s3://users-domain/products/users/dt=2026-11-24/run-00002/");
  CHECK(rig.catalog->GetTableVersions("users_domain", "users")->size() == 1);
}

TEST_CASE("The songs ETL scans the key-value store into JSON Lines", "[etl]") {
  Rig rig;
  auto kv = fakes::MakeMemoryKvStore();
  REQUIRE(kv->CreateTable({"songs", "item_id", AttributeValue::Type::kS}).ok());
  REQUIRE(kv->PutItem("songs", {{"item_id", AttributeValue::S("s1")},
                                {"item_type", AttributeValue::S("SONG")},
                                {"genre", AttributeValue::S("rock")},
                                {"creation_timestamp", AttributeValue::N(3)}})
              .ok());
  const ProductSpec spec = ItemsProduct("songs", ProductFormat::kJsonLines);
  Result<PublishedProduct> run =
      Inline(RunItemsEtl(*kv, "songs", *rig.store, *rig.catalog, spec, 25 * kHourUs));
  INFO(run.status().ToString());
  REQUIRE(run.ok());
  REQUIRE(run->keys ==
          std::vector<std::string>{"products/songs/dt=2026-11-25/run-00001/part-00000.json"});
  const auto line = nlohmann::json::parse(*rig.store->GetObject("songs-domain", run->keys[0]));
  CHECK(line == nlohmann::json{{"item_id", "s1"},
                               {"item_type", "SONG"},
                               {"genre", "rock"},
                               {"creation_timestamp", 3}});
  Result<Table> table = rig.catalog->GetTable("songs_domain", "songs");
  REQUIRE(table.ok());
  CHECK(table->format == "json");
  CHECK(table->serde.serialization_library == "org.openx.data.jsonserde.JsonSerDe");
}

TEST_CASE("Interactions land by date and hour and publish one partition a date", "[etl]") {
  Rig rig;
  REQUIRE(rig.store->CreateBucket("interactions-domain").ok());
  Result<std::vector<std::string>> landed = LandInteractions(
      *rig.store, "interactions-domain",
      {Event("e1", 0), Event("e2", kHourUs + 5), Event("e3", 24 * kHourUs), Event("e4", 10)});
  REQUIRE(landed.ok());
  CHECK(*landed == std::vector<std::string>{"raw/dt=2026-11-24/hour=00/part-00000.jsonl",
                                            "raw/dt=2026-11-24/hour=01/part-00000.jsonl",
                                            "raw/dt=2026-11-25/hour=00/part-00000.jsonl"});
  // A later landing in the same hour adds a part.
  landed = LandInteractions(*rig.store, "interactions-domain", {Event("e5", 20)});
  CHECK(*landed == std::vector<std::string>{"raw/dt=2026-11-24/hour=00/part-00001.jsonl"});
  CHECK(LandInteractions(*rig.store, "interactions-domain", {Event("bad", -1)}).status().code() ==
        Code::kValidation);

  Result<PublishedProduct> run =
      Inline(RunInteractionsEtl(*rig.store, *rig.catalog, InteractionsProduct()));
  INFO(run.status().ToString());
  REQUIRE(run.ok());
  CHECK(run->keys ==
        std::vector<std::string>{"products/interactions/dt=2026-11-24/run-00001/part-00000.csv",
                                 "products/interactions/dt=2026-11-25/run-00001/part-00000.csv"});
  CHECK(*rig.store->GetObject("interactions-domain", run->keys[1]) ==
        "event_id,user_id,item_id,event_type,session_id,timestamp\n"
        "e3,u1,s1,play,sess1,86400000000\n");
  const std::string first = *rig.store->GetObject("interactions-domain", run->keys[0]);
  CHECK(std::count(first.begin(), first.end(), '\n') == 5);  // header + e1 e4 e5 e2
  Result<std::vector<Partition>> partitions =
      rig.catalog->GetPartitions("interactions_domain", "interactions", "");
  REQUIRE(partitions.ok());
  REQUIRE(partitions->size() == 2);
  CHECK(partitions->at(1).values == std::vector<std::string>{"2026-11-25"});
}

TEST_CASE("A failed ETL write leaves the previous product and the catalog as they were", "[etl]") {
  Rig rig;
  LandTwoDays(rig);
  REQUIRE(Inline(RunInteractionsEtl(*rig.store, *rig.catalog, InteractionsProduct())).ok());
  const std::vector<std::string> before = rig.Keys("interactions-domain");
  const auto partitions_before =
      *rig.catalog->GetPartitions("interactions_domain", "interactions", "");
  const auto versions_before =
      *rig.catalog->GetTableVersions("interactions_domain", "interactions");

  REQUIRE(LandInteractions(*rig.store, "interactions-domain", {Event("e3", 1)}).ok());
  const std::vector<std::string> landed = rig.Keys("interactions-domain");
  // Every failure point of the run: its first put, its second.
  for (int fail_at : {1, 2}) {
    INFO("fail at put " << fail_at);
    FailingPuts failing(*rig.store, fail_at);
    Result<PublishedProduct> run =
        Inline(RunInteractionsEtl(failing, *rig.catalog, InteractionsProduct()));
    REQUIRE_FALSE(run.ok());
    CHECK(run.status().code() == Code::kInternal);
    CHECK(rig.Keys("interactions-domain") == landed);  // nothing of the run left behind
    CHECK(*rig.catalog->GetPartitions("interactions_domain", "interactions", "") ==
          partitions_before);
    CHECK(rig.catalog->GetTableVersions("interactions_domain", "interactions")->size() ==
          versions_before.size());
  }
  for (const std::string& key : before)
    CHECK(rig.store->GetObject("interactions-domain", key).ok());

  // A bad row is refused before anything is written.
  ProductSpec spec = UsersProduct();
  Result<PublishedProduct> bad = Inline(PublishProduct(
      *rig.store, *rig.catalog, spec, {{"2026-11-24", {{"u1", "rock", "not-a-number"}}}}));
  CHECK(bad.status().code() == Code::kInvalidInput);
  CHECK(rig.store->HeadBucket("users-domain").code() == Code::kNoSuchBucket);
  CHECK(rig.catalog->GetDatabase("users_domain").status().code() == Code::kEntityNotFound);
}

TEST_CASE("A landing that fails part way writes nothing; parts number on past gaps", "[etl]") {
  Rig rig;
  REQUIRE(rig.store->CreateBucket("interactions-domain").ok());
  FailingPuts failing(*rig.store, 2);  // the second hour's file fails
  auto landed =
      LandInteractions(failing, "interactions-domain", {Event("e1", 0), Event("e2", kHourUs)});
  REQUIRE_FALSE(landed.ok());
  CHECK(rig.Keys("interactions-domain").empty());
  // Parts are numbered past the highest, not by count: a removed part is never overwritten.
  for (int i = 0; i < 2; ++i) {
    REQUIRE(LandInteractions(*rig.store, "interactions-domain", {Event("e3", 0)}).ok());
  }
  REQUIRE(
      rig.store->DeleteObject("interactions-domain", "raw/dt=2026-11-24/hour=00/part-00000.jsonl")
          .ok());
  auto third = LandInteractions(*rig.store, "interactions-domain", {Event("e4", 0)});
  REQUIRE(third.ok());
  CHECK(third->at(0) == "raw/dt=2026-11-24/hour=00/part-00002.jsonl");
}

TEST_CASE("A double column takes finite numbers only, and renders what it checked", "[etl]") {
  Rig rig;
  ProductSpec spec = UsersProduct(ProductFormat::kJsonLines);
  spec.table.columns.push_back(Column{"score", "double", ""});
  for (const char* bad : {"nan", "inf", "-inf", "1e999"}) {
    INFO(bad);
    auto refused = Inline(PublishProduct(*rig.store, *rig.catalog, spec,
                                         {{"2026-11-24", {{"u1", "rock", "1", bad}}}}));
    CHECK(refused.status().code() == Code::kInvalidInput);
  }
  CHECK(rig.catalog->GetDatabase("users_domain").status().code() == Code::kEntityNotFound);
  // A value std::stod would throw on (subnormal) is published.
  auto published = Inline(PublishProduct(*rig.store, *rig.catalog, spec,
                                         {{"2026-11-24", {{"u1", "rock", "1", "1e-310"}}}}));
  REQUIRE(published.ok());
  const auto body = rig.store->GetObject("users-domain", published->keys.at(0));
  REQUIRE(body.ok());
  CHECK(body->find("\"score\":1e-310") != std::string::npos);
}

TEST_CASE("A catalog failure on a first run leaves no database, table, partition or file",
          "[etl]") {
  // The run's changing calls: CreateDatabase, CreateTable, BatchCreatePartition (two new dates:
  // the failing one creates the first and refuses the second).
  for (int fail_at : {1, 2, 3}) {
    INFO("fail at catalog change " << fail_at);
    Rig rig;
    LandTwoDays(rig);
    const std::vector<std::string> landed = rig.Keys("interactions-domain");
    testing::FailingCatalog failing(*rig.catalog, fail_at);
    Result<PublishedProduct> run =
        Inline(RunInteractionsEtl(*rig.store, failing, InteractionsProduct()));
    REQUIRE_FALSE(run.ok());
    CHECK(run.status().code() == Code::kInternal);
    CHECK(rig.catalog->GetDatabase("interactions_domain").status().code() == Code::kEntityNotFound);
    CHECK(rig.Keys("interactions-domain") == landed);
  }
}

TEST_CASE("A catalog failure on a later run puts back the partitions it moved", "[etl]") {
  // Run 1 publishes 2026-11-24. Run 2 moves it and adds 2026-11-25: its changing calls are
  // UpdatePartition, then BatchCreatePartition.
  for (int fail_at : {1, 2}) {
    INFO("fail at catalog change " << fail_at);
    Rig rig;
    REQUIRE(rig.store->CreateBucket("interactions-domain").ok());
    REQUIRE(LandInteractions(*rig.store, "interactions-domain", {Event("e1", 0)}).ok());
    REQUIRE(Inline(RunInteractionsEtl(*rig.store, *rig.catalog, InteractionsProduct())).ok());
    const auto partitions_before =
        *rig.catalog->GetPartitions("interactions_domain", "interactions", "");
    const auto versions_before =
        *rig.catalog->GetTableVersions("interactions_domain", "interactions");
    REQUIRE(LandInteractions(*rig.store, "interactions-domain", {Event("e2", 24 * kHourUs)}).ok());
    const std::vector<std::string> landed = rig.Keys("interactions-domain");
    testing::FailingCatalog failing(*rig.catalog, fail_at);
    REQUIRE_FALSE(Inline(RunInteractionsEtl(*rig.store, failing, InteractionsProduct())).ok());
    CHECK(*rig.catalog->GetPartitions("interactions_domain", "interactions", "") ==
          partitions_before);
    CHECK(*rig.catalog->GetTableVersions("interactions_domain", "interactions") == versions_before);
    CHECK(rig.Keys("interactions-domain") == landed);  // run 1's files are still the product
  }
}

// The ETL's run as a catalog across a network sees it: every call waits for its answer, and the
// run goes on only then, without the caller blocking in between.
struct DeferredRun {
  std::optional<Result<PublishedProduct>> result;
  size_t answered = 0;  // catalog calls answered
};
DeferredRun RunDeferred(Rig& rig, Catalog& inner) {
  testing::DeferringCatalog remote(inner);
  DeferredRun run;
  Spawn<Result<PublishedProduct>>(
      RunInteractionsEtl(*rig.store, remote, InteractionsProduct()),
      [&run](Result<PublishedProduct> r) { run.result.emplace(std::move(r)); });
  // Spawn returned with the run waiting on its first catalog call, and nothing changed yet.
  REQUIRE_FALSE(run.result.has_value());
  REQUIRE(remote.waiting() == 1);
  CHECK(inner.GetDatabase("interactions_domain").status().code() == Code::kEntityNotFound);
  run.answered = remote.AnswerAll();
  REQUIRE(run.result.has_value());
  return run;
}

TEST_CASE("The ETL waits on a catalog across a network without blocking, and ends as in process",
          "[etl]") {
  Rig in_process;
  Rig remote;
  LandTwoDays(in_process);
  LandTwoDays(remote);
  REQUIRE(Inline(RunInteractionsEtl(*in_process.store, *in_process.catalog, InteractionsProduct()))
              .ok());
  const DeferredRun run = RunDeferred(remote, *remote.catalog);
  REQUIRE(run.result->ok());
  // GetTable, GetDatabase, CreateDatabase, CreateTable, BatchCreatePartition.
  CHECK(run.answered == 5);
  CHECK((*run.result)->rows == std::vector<size_t>{1, 1});
  CHECK(*remote.catalog->GetPartitions("interactions_domain", "interactions", "") ==
        *in_process.catalog->GetPartitions("interactions_domain", "interactions", ""));
  CHECK(remote.Keys("interactions-domain") == in_process.Keys("interactions-domain"));
}

TEST_CASE("An ETL run that fails on a catalog across a network undoes itself across it too",
          "[etl]") {
  Rig rig;
  LandTwoDays(rig);
  const std::vector<std::string> landed = rig.Keys("interactions-domain");
  testing::FailingCatalog failing(*rig.catalog, 3);  // BatchCreatePartition creates one of two
  const DeferredRun run = RunDeferred(rig, failing);
  REQUIRE_FALSE(run.result->ok());
  CHECK(run.result->status().code() == Code::kInternal);
  // The five calls of a run, then the undo: DeletePartition, DeleteTable, DeleteDatabase.
  CHECK(run.answered == 8);
  CHECK(rig.catalog->GetDatabase("interactions_domain").status().code() == Code::kEntityNotFound);
  CHECK(rig.Keys("interactions-domain") == landed);
}

}  // namespace
}  // namespace meshsim

// The static data plane wired into the mesh (issue 6): the producers keep their stores, the etl
// action publishes their data products, and a later run on the same state directory finds them.
#include "sim/static_plane.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "apps/backend_registry.h"
#include "apps/harness.h"
#include "sim/etl_jobs.h"
#include "tests/support/failing_puts.h"
#include "tests/support/temp_dir.h"

using namespace meshsim;
using Catch::Matchers::Contains;
using meshsim::testing::FailingPuts;

namespace {

// A small mesh with its stores on, ETL at 10 s and 20 s.
constexpr const char* kSmall = R"({
  "name": "small_static", "seed": 5, "duration_s": 30,
  "population": {"users": 20, "songs": 30, "podcasts": 6},
  "traffic": {"events_per_second": 20},
  "stores": {"enabled": true, "landing_interval_s": 5},
  "timeline": [
    {"at_s": 10, "action": "etl", "domain": "all"},
    {"at_s": 20, "action": "etl", "domain": "interactions"}
  ]})";

std::unique_ptr<Harness> Start(const std::string& text, const std::string& state_dir = "") {
  auto scenario = ParseScenario(text, "small.json");
  INFO(scenario.status().ToString());
  REQUIRE(scenario.ok());
  HarnessOptions options;
  options.state_dir = state_dir;
  auto h = Harness::FromScenario(std::move(*scenario), options);
  INFO(h.status().ToString());
  REQUIRE(h.ok());
  return std::move(*h);
}

std::vector<Partition> PartitionsOf(const Catalog& catalog, const std::string& domain) {
  const ProductSpec spec = StaticPlane::SpecOf(domain);
  auto partitions = catalog.GetPartitions(spec.database.name, spec.table.name, "");
  REQUIRE(partitions.ok());
  return *partitions;
}

}  // namespace

TEST_CASE("static plane: off unless the scenario asks, so a run without it pays nothing") {
  auto h = Start(R"({"name": "plain", "duration_s": 5, "population": {"users": 5, "songs": 5,
                     "podcasts": 1}, "traffic": {"events_per_second": 5}})");
  CHECK(h->mesh().static_plane() == nullptr);
  CHECK(h->mesh().ports().stores.objects == nullptr);
  REQUIRE(h->Run().ok());
  const auto report = h->Report();
  CHECK(report["stores"]["enabled"] == false);
  CHECK(report["etl"]["runs"] == 0);
}

TEST_CASE("static plane: the producers keep their stores and each ETL job publishes its product") {
  auto h = Start(kSmall);
  REQUIRE(h->Run().ok());
  const auto report = h->Report();
  const auto& stores = report["stores"];
  CHECK(stores["enabled"] == true);
  CHECK(stores["users"] == 20);
  CHECK(stores["items"] == 36);
  // Every interaction is at rest after the drain, in a few files (batched, not one an event).
  CHECK(stores["events_landed"] == report["workload"]["interactions"]);
  CHECK(stores["files_landed"].get<uint64_t>() <= 7);
  CHECK(stores["failed_writes"] == 0);

  const auto& etl = report["etl"];
  CHECK(etl["runs"] == 5);
  CHECK(etl["published"] == 5);
  CHECK(etl["failed"] == 0);
  const auto& jobs = etl["jobs"];
  REQUIRE(jobs.size() == 5);
  CHECK(jobs[0]["domain"] == "users");
  CHECK(jobs[0]["table"] == "users_domain.users");
  CHECK(jobs[0]["rows"] == 20);
  CHECK(jobs[0]["locations"][0] == "s3://users-domain/products/users/dt=2026-11-24/run-00001/");
  CHECK(jobs[1]["rows"] == 30);
  CHECK(jobs[2]["rows"] == 6);
  CHECK(jobs[3]["domain"] == "interactions");
  // The second interactions run sees what landed since the first, and supersedes it.
  CHECK(jobs[4]["rows"].get<uint64_t>() > jobs[3]["rows"].get<uint64_t>());
  CHECK(jobs[4]["locations"][0] ==
        "s3://interactions-domain/products/interactions/dt=2026-11-24/run-00002/");

  const Catalog& catalog = *h->mesh().ports().catalog;
  const auto interactions = PartitionsOf(catalog, "interactions");
  REQUIRE(interactions.size() == 1);
  CHECK(interactions[0].location == jobs[4]["locations"][0]);
  ObjectStore& objects = *h->mesh().ports().stores.objects;
  auto body =
      objects.GetObject("users-domain", "products/users/dt=2026-11-24/run-00001/part-00000.csv");
  REQUIRE(body.ok());
  CHECK(body->starts_with("user_id,genres,creation_timestamp\n"));
  CHECK_FALSE(objects
                  .HeadObject("interactions-domain",
                              "products/interactions/dt=2026-11-24/run-00001/part-00000.csv")
                  .ok());  // superseded
}

TEST_CASE("static plane: a failed ETL run is reported and leaves the previous product in place") {
  auto scenario = ParseScenario(kSmall, "small.json");
  REQUIRE(scenario.ok());
  scenario->timeline.clear();
  auto runtime = MakeVirtualRuntime(scenario->seed);
  auto backends = MakeBackends(*runtime, *scenario);
  REQUIRE(backends.ok());
  FailingPuts objects(*backends->objects);
  MeshPorts ports = backends->ports();
  ports.stores.objects = &objects;
  Mesh mesh(*runtime, *scenario, ports);
  REQUIRE(mesh.Start().ok());
  mesh.RunFor(5 * kMicrosPerSecond);
  REQUIRE(mesh.RunEtl("songs"));
  objects.FailFromNow();
  REQUIRE(mesh.RunEtl("songs"));
  CHECK_FALSE(mesh.RunEtl("analytics"));  // not a producer
  const auto& runs = mesh.static_plane()->runs();
  REQUIRE(runs.size() == 2);
  CHECK(runs[0].published);
  CHECK_FALSE(runs[1].published);
  CHECK_THAT(runs[1].reason, Contains("injected"));
  const auto songs = PartitionsOf(*ports.catalog, "songs");
  REQUIRE(songs.size() == 1);
  CHECK(songs[0].location == runs[0].locations[0]);
  CHECK(objects.HeadObject("songs-domain", "products/songs/dt=2026-11-24/run-00001/part-00000.csv")
            .ok());
}

TEST_CASE(
    "static plane: reads go through Lake Formation to the product's files; a missing grant and "
    "a revoked one are denied and reported") {
  auto h = Start(R"({
    "name": "reads", "seed": 5, "duration_s": 30,
    "population": {"users": 20, "songs": 30, "podcasts": 6},
    "traffic": {"events_per_second": 20},
    "stores": {"enabled": true, "landing_interval_s": 5},
    "timeline": [
      {"at_s": 10, "action": "etl", "domain": "all"},
      {"at_s": 11, "action": "read_product", "consumer": "recommendations", "domain": "songs"},
      {"at_s": 11, "action": "read_product", "consumer": "analytics", "domain": "interactions"},
      {"at_s": 12, "action": "read_product", "consumer": "analytics", "domain": "users"},
      {"at_s": 15, "action": "revoke_access", "consumer": "analytics", "domain": "interactions"},
      {"at_s": 16, "action": "read_product", "consumer": "analytics", "domain": "interactions"}
    ]})");
  REQUIRE(h->Run().ok());
  const auto report = h->Report();
  const auto& catalog = report["catalog"];
  const auto& reads = catalog["reads"];
  // Five reads at the start (the products have no partitions yet), then the timeline's four.
  REQUIRE(reads.size() == 9);
  CHECK(reads[0]["outcome"] == "allowed");
  CHECK(reads[0]["rows"] == 0);
  CHECK(reads[5]["product"] == "songs_domain.songs");
  CHECK(reads[5]["outcome"] == "allowed");
  CHECK(reads[5]["partitions"] == 1);
  CHECK(reads[5]["files"] == 1);
  CHECK(reads[5]["rows"] == 30);
  const uint64_t interactions = report["etl"]["jobs"][3]["rows"].get<uint64_t>();
  CHECK(reads[6]["rows"] == interactions);
  CHECK(reads[7]["consumer"] == "analytics");
  CHECK(reads[7]["product"] == "users_domain.users");
  CHECK(reads[7]["outcome"] == "denied");
  CHECK_FALSE(reads[7].contains("rows"));
  CHECK_THAT(reads[7]["reason"].get<std::string>(), Contains("AccessDeniedException"));
  CHECK(reads[8]["outcome"] == "denied");
  CHECK(catalog["denials"] == 2);
  CHECK(catalog["rows_read"] == 30 + interactions);

  // Analytics read the interaction history at rest: its rows counted per item.
  const auto& history = report["analytics"]["history_at_rest"];
  REQUIRE(history.size() == 2);  // at the start (empty) and at 11 s
  CHECK(history[1]["rows"] == interactions);
  REQUIRE_FALSE(history[1]["top_items"].empty());
  uint64_t previous = UINT64_MAX;
  for (const auto& t : history[1]["top_items"]) {
    CHECK(t["count"].get<uint64_t>() <= previous);
    previous = t["count"].get<uint64_t>();
  }
}

TEST_CASE(
    "static plane: a product file that does not fit its columns fails the read, not a denial") {
  auto h = Start(kSmall);
  REQUIRE(h->Run().ok());
  ObjectStore& objects = *h->mesh().ports().stores.objects;
  REQUIRE(objects
              .PutObject("songs-domain", "products/songs/dt=2026-11-24/run-00001/part-00000.csv",
                         "item_id,item_type,genre,creation_timestamp\ns1,SONG\n")
              .ok());
  REQUIRE(h->mesh().ReadProduct("recommendations", "songs"));
  const ProductRead& read = h->mesh().product_access()->reads().back();
  CHECK(read.allowed);
  CHECK(read.failed);
  CHECK(read.rows == 0);
  CHECK_THAT(read.reason, Contains("InvalidInputException") &&
                              Contains("s3://songs-domain/products/songs/dt=2026-11-24/run-00001/"
                                       "part-00000.csv:2:1: 2 values for 4 columns"));
  CHECK(h->mesh().product_access()->denials() == 0);
  CHECK(h->Report()["catalog"]["reads"].back()["outcome"] == "failed");
}

// The static data plane wired into the mesh (issue 6): the producers keep their stores, the etl
// action publishes their data products, and a later run on the same state directory finds them.
#include "sim/mesh/static_plane.h"

#include <catch2/catch.hpp>
#include <filesystem>
#include <map>
#include <string>

#include "apps/harness/harness.h"
#include "apps/registry/backend_registry.h"
#include "fakes/glue_catalog/catalog.h"
#include "fakes/storage/kv_store.h"
#include "fakes/storage/object_store.h"
#include "fakes/storage/user_store.h"
#include "sim/domains/recommendations_etl.h"
#include "sim/governance/accounts.h"
#include "sim/static_plane/etl_jobs.h"
#include "sim/static_plane/product_access.h"
#include "tests/support/deferring_catalog.h"
#include "tests/support/failing_puts.h"
#include "tests/support/inline_co.h"
#include "tests/support/temp_dir.h"

using namespace meshsim;
using Catch::Matchers::Contains;
using meshsim::testing::FailingPuts;
using meshsim::testing::Inline;

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
  // Before anything landed the interactions job publishes an empty product.
  REQUIRE(mesh.RunEtl("interactions"));
  REQUIRE(mesh.static_plane()->runs().size() == 1);
  CHECK(mesh.static_plane()->runs()[0].published);
  CHECK(mesh.static_plane()->runs()[0].rows == 0);
  mesh.RunFor(5 * kMicrosPerSecond);
  REQUIRE(mesh.RunEtl("songs"));
  objects.FailFromNow();
  REQUIRE(mesh.RunEtl("songs"));
  CHECK_FALSE(mesh.RunEtl("analytics"));  // not a producer
  const auto& runs = mesh.static_plane()->runs();
  REQUIRE(runs.size() == 3);
  CHECK(runs[1].published);
  CHECK_FALSE(runs[2].published);
  CHECK_THAT(runs[2].reason, Contains("injected"));
  const auto songs = PartitionsOf(*ports.catalog, "songs");
  REQUIRE(songs.size() == 1);
  CHECK(songs[0].location == runs[1].locations[0]);
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

namespace {

const std::string kStaticPlane = MESHSIM_SOURCE_DIR "/scenarios/static_plane.json";

struct Products {
  std::map<std::string, std::string> location;  // by domain: the dt partition's location
  std::map<std::string, size_t> versions;       // by domain: the table's kept versions
  std::map<std::string, Table> tables;          // by domain: the table's current definition
};

// What the state directory holds after a run, read as the data-lake administrator would.
Products ProductsIn(const std::string& dir) {
  auto state = OpenState(nullptr, dir, true);
  INFO(state.status().ToString());
  REQUIRE(state.ok());
  Products p;
  for (const char* domain : {"users", "songs", "podcasts", "interactions"}) {
    const ProductSpec spec = StaticPlane::SpecOf(domain);
    const auto partitions = PartitionsOf(*state->catalog, domain);
    REQUIRE(partitions.size() == 1);
    CHECK(partitions[0].values == std::vector<std::string>{"2026-11-24"});
    p.location[domain] = partitions[0].location;
    // The partition's files are in the folder object store under DIR/objects.
    const std::string prefix = "s3://" + spec.bucket + "/";
    REQUIRE(partitions[0].location.starts_with(prefix));
    const std::string key = partitions[0].location.substr(prefix.size()) + "part-00000.csv";
    CHECK(std::filesystem::is_regular_file(std::filesystem::path(dir) / kObjectsFolder /
                                           spec.bucket / key));
    auto versions = state->catalog->GetTableVersions(spec.database.name, spec.table.name);
    REQUIRE(versions.ok());
    p.versions[domain] = versions->size();
    p.tables[domain] = versions->front();
  }
  auto users = state->users->ListUsers("", 1000);
  REQUIRE(users.ok());
  CHECK(users->size() == 200);
  auto podcasts = state->items->Scan({"podcasts", std::nullopt, std::nullopt});
  REQUIRE(podcasts.ok());
  CHECK(podcasts->items.size() == 40);
  return p;
}

nlohmann::ordered_json RunStaticPlane(const std::string& dir) {
  HarnessOptions options;
  options.state_dir = dir;
  auto h = Harness::FromFile(kStaticPlane, options);
  INFO(h.status().ToString());
  REQUIRE(h.ok());
  REQUIRE((*h)->Run().ok());
  auto report = (*h)->Report();
  for (const auto& x : report["expectations"]) {
    INFO(x.dump());
    CHECK(x["status"] == "passed");
  }
  CHECK(report["passed"] == true);
  return report;
}

}  // namespace

TEST_CASE(
    "static_plane.json: a second run on the same state directory finds the first's products") {
  testing::TempDir dir("meshsim_static_plane_");
  const std::string state = dir.path().string();

  const auto first = RunStaticPlane(state);
  // The first run starts with no products: its opening reads find nothing.
  for (size_t i = 0; i < 5; ++i) CHECK(first["catalog"]["reads"][i]["rows"] == 0);
  const Products after_first = ProductsIn(state);
  CHECK(after_first.location.at("users") ==
        "s3://users-domain/products/users/dt=2026-11-24/run-00001/");
  CHECK(after_first.location.at("interactions") ==
        "s3://interactions-domain/products/interactions/dt=2026-11-24/run-00002/");
  const uint64_t interactions = first["etl"]["jobs"][4]["rows"].get<uint64_t>();

  const auto second = RunStaticPlane(state);
  // The consumers' reads at the start of the second run find the first run's products.
  const auto& reads = second["catalog"]["reads"];
  CHECK(reads[0]["product"] == "users_domain.users");
  CHECK(reads[0]["rows"] == 200);
  CHECK(reads[1]["rows"] == 300);
  CHECK(reads[2]["rows"] == 40);
  CHECK(reads[3]["rows"] == interactions);
  CHECK(second["analytics"]["history_at_rest"][0]["rows"] == interactions);
  // Its ETL runs continue the first run's numbering, and the interactions job takes both runs'
  // landed events.
  const auto& jobs = second["etl"]["jobs"];
  CHECK(jobs[0]["locations"][0] == "s3://users-domain/products/users/dt=2026-11-24/run-00002/");
  CHECK(jobs[3]["rows"].get<uint64_t>() > interactions);
  const Products after_second = ProductsIn(state);
  CHECK(after_second.location.at("users") == jobs[0]["locations"][0]);
  CHECK(after_second.location.at("interactions") ==
        "s3://interactions-domain/products/interactions/dt=2026-11-24/run-00004/");
  // The tables were kept, not recreated: the second run's update archived the first run's
  // version beside its own (a recreated table would start again at one). What changed is only
  // the schema reference: the registry lives in memory, so each run registers the topic's
  // schema anew under a new version id.
  for (const auto& [domain, n] : after_first.versions) {
    INFO(domain);
    CHECK(after_second.versions.at(domain) == n + 1);
    Table first_table = after_first.tables.at(domain);
    Table second_table = after_second.tables.at(domain);
    for (Table* t : {&first_table, &second_table}) {
      t->schema_reference.reset();
      t->version_id.clear();
    }
    CHECK(second_table == first_table);
  }
  // The superseded run's files went when the partition moved.
  CHECK_FALSE(std::filesystem::exists(dir.path() / kObjectsFolder /
                                      "users-domain/products/users/dt=2026-11-24/run-00001"));

  // Each run's Recommendations ETL merged songs and podcasts into one items dataset, imported
  // and deployed it (RunStaticPlane checked every expectation, podcasts in recommendations
  // among them), each in a folder of its own: the second goes on from the first.
  for (const auto* run : {&first, &second}) {
    const auto& deploy = (*run)["recommender"]["deploys"][0];
    CHECK(deploy["outcome"] == "deployed");
    CHECK(deploy["merged"]["items"] == 340);
    CHECK(deploy["merged"]["podcasts"] == 40);
  }
  CHECK(first["recommender"]["deploys"][0]["merged"]["run"] == 1);
  CHECK(second["recommender"]["deploys"][0]["merged"]["run"] == 2);
  for (const char* file : {"interactions.csv", "items.csv", "users.csv"}) {
    CHECK(std::filesystem::exists(dir.path() / kObjectsFolder /
                                  "recommendations-domain/personalize/run-00002" / file));
  }
}

namespace meshsim {
namespace {

// Data-product access over in-memory state and an object store, without a mesh.
struct AccessRig {
  std::unique_ptr<Runtime> rt = MakeVirtualRuntime(1);
  StateStores state = Open(rt.get());
  std::unique_ptr<ObjectStore> objects = fakes::MakeMemoryObjectStore();
  ProductAccess access{*rt, *state.catalog, *state.permissions, *state.subscriptions,
                       objects.get()};

  static StateStores Open(Runtime* rt) {
    auto s = OpenState(rt, "");
    REQUIRE(s.ok());
    return std::move(s).value();
  }
};

TEST_CASE("a read with SELECT on some columns gets those columns of every row, no more") {
  AccessRig rig;
  ProductAccess& access = rig.access;
  ObjectStore* objects = rig.objects.get();
  StateStores* state = &rig.state;
  const ProductSpec spec = UsersProduct();
  REQUIRE(Inline(PublishProduct(*objects, access.CatalogOf("users"), spec,
                                {{"2026-11-24", {{"u1", "rock|pop", "5"}, {"u2", "jazz", "7"}}}}))
              .ok());
  const std::string users(DomainAccount("users"));
  const std::string analytics(DomainAccount("analytics"));
  CHECK(access.Read("analytics", "users_domain", "users").status().code() == Code::kAccessDenied);
  REQUIRE(
      state->permissions
          ->GrantPermissions(
              users, analytics,
              TableWithColumnsResource{
                  users, "users_domain", "users", {"user_id", "creation_timestamp"}, std::nullopt},
              {Permission::kSelect})
          .ok());
  auto data = access.Read("analytics", "users_domain", "users");
  REQUIRE(data.ok());
  REQUIRE(data->columns.size() == 2);
  CHECK(data->columns[0].name == "user_id");
  CHECK(data->columns[1].name == "creation_timestamp");
  CHECK(data->rows == std::vector<ProductRow>{{"u1", "5"}, {"u2", "7"}});  // no genres
  CHECK(access.reads().back().columns == 2);
  CHECK(access.denials() == 1);
}

TEST_CASE("the Recommendations ETL finds each product in the catalog, whatever its table's name") {
  AccessRig rig;
  ProductAccess& access = rig.access;
  ObjectStore* objects = rig.objects.get();
  ProductSpec songs = ItemsProduct("songs");
  songs.table.name = "catalogue";  // not the mesh's usual name
  const std::vector<std::pair<ProductSpec, ProductRow>> products = {
      {UsersProduct(), {"u1", "rock", "5000000"}},
      {songs, {"s1", "SONG", "rock", "1000000"}},
      {ItemsProduct("podcasts"), {"p1", "PODCAST", "true-crime", "2000000"}},
      {InteractionsProduct(), {"e1", "u1", "s1", "play", "u1-s1", "6000000"}}};
  for (const auto& [spec, row] : products) {
    REQUIRE(Inline(PublishProduct(*objects, access.CatalogOf(spec.table.owner_domain), spec,
                                  {{"2026-11-24", {row}}}))
                .ok());
    REQUIRE(access
                .Subscribe("recommendations", spec.table.owner_domain, spec.database.name,
                           spec.table.name)
                .ok());
  }
  auto merged = RunRecommendationsEtl(access, *objects);
  REQUIRE(merged.ok());
  CHECK(merged->items == 2);
  CHECK(merged->podcasts == 1);
  CHECK(merged->interactions == 1);
  bool read_catalogue = false;
  for (const ProductRead& r : access.reads())
    read_catalogue |= r.product == "songs_domain.catalogue";
  CHECK(read_catalogue);
  auto items = objects->GetObject("recommendations-domain", "personalize/run-00001/items.csv");
  REQUIRE(items.ok());
  CHECK(items->find("s1,SONG,rock,1795478401") != std::string::npos);  // epoch + 1 s
}

}  // namespace
}  // namespace meshsim

TEST_CASE(
    "static plane: an ETL run waits on a catalog across a network, one run a domain at a time") {
  auto runtime = MakeVirtualRuntime(1);
  meshsim::testing::TempDir dir;
  auto objects = fakes::MakeFolderObjectStore(dir.File("objects"));
  auto users = fakes::MakeSqliteUserStore();
  auto items = fakes::MakeSqliteKvStore();
  auto inner = fakes::MakeSqliteCatalog();
  REQUIRE((objects.ok() && users.ok() && items.ok() && inner.ok()));
  meshsim::testing::DeferringCatalog remote(**inner);
  StoreSettings settings;
  settings.enabled = true;
  StaticPlane plane(*runtime, settings, {objects->get(), users->get(), items->get()},
                    [&](const std::string&) -> Catalog& { return remote; });
  REQUIRE(plane.Start().ok());
  plane.User(UserProfile{"u1", "pop", 0});

  plane.Etl("users");  // returns while its first catalog call waits
  CHECK(plane.running() == 1);
  CHECK(plane.runs().empty());
  plane.Etl("users");  // a second run of the same domain is refused, not interleaved
  REQUIRE(plane.runs().size() == 1);
  CHECK_FALSE(plane.runs()[0].published);
  CHECK(plane.runs()[0].reason == "an ETL run of users is still running");

  remote.AnswerAll();
  CHECK(plane.running() == 0);
  REQUIRE(plane.runs().size() == 2);
  CHECK(plane.runs()[1].published);
  CHECK(plane.runs()[1].rows == 1);
}

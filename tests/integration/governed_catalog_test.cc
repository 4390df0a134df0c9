// The catalog as each domain account sees it under Lake Formation
// (sim/governance/governed_catalog.h), on the SQLite catalog and permissions.
#include "sim/governance/governed_catalog.h"

#include <catch2/catch.hpp>

#include "apps/harness/harness.h"
#include "apps/registry/backend_registry.h"
#include "sim/governance/accounts.h"

using namespace meshsim;
using Catch::Matchers::Contains;

namespace {

struct SmallMesh {
  SmallMesh() {
    auto state = OpenState(nullptr, "");
    REQUIRE(state.ok());
    catalog = std::move(state->catalog);
    permissions = std::move(state->permissions);
    GovernedCatalog producer(*catalog, *permissions, songs);
    REQUIRE(producer.CreateDatabase({"songs_domain", "songs", "songs"}).ok());
    Table t;
    t.database = "songs_domain";
    t.name = "songs";
    t.owner_domain = "songs";
    t.location = "s3://songs-domain/products/songs/";
    t.format = "csv";
    t.columns = {{"item_id", "string", ""}, {"genre", "string", ""}};
    t.partition_keys = {{"dt", "string", ""}};
    REQUIRE(producer.CreateTable(t).ok());
    Partition p;
    p.database = "songs_domain";
    p.table = "songs";
    p.values = {"2026-11-24"};
    p.location = "s3://songs-domain/products/songs/dt=2026-11-24/";
    REQUIRE(producer.CreatePartition(p).ok());
  }

  GovernedCatalog As(const std::string& account) {
    return GovernedCatalog(*catalog, *permissions, account);
  }
  void Grant(std::vector<Permission> what, bool on_database = false) {
    const Resource r = on_database ? Resource(DatabaseResource{songs, "songs_domain"})
                                   : Resource(TableResource{songs, "songs_domain", "songs", false});
    REQUIRE(permissions->GrantPermissions(songs, recommendations, r, std::move(what)).ok());
  }

  std::unique_ptr<Catalog> catalog;
  std::unique_ptr<Permissions> permissions;
  const std::string songs{DomainAccount("songs")};
  const std::string recommendations{DomainAccount("recommendations")};
};

size_t Denials(Permissions& p, const std::string& actor) {
  auto log = p.AuditLog();
  REQUIRE(log.ok());
  size_t n = 0;
  for (const auto& e : *log) n += e.action == AuditEntry::Action::kDenial && e.actor == actor;
  return n;
}

}  // namespace

TEST_CASE("governed catalog: the owner sees and changes its own products without grants") {
  SmallMesh m;
  auto owner = m.As(m.songs);
  CHECK(owner.GetTable("songs_domain", "songs").ok());
  CHECK(owner.GetPartitions("songs_domain", "songs", "").ok());
  REQUIRE(owner.GetDatabases().ok());
  CHECK(owner.GetDatabases()->size() == 1);
}

TEST_CASE("governed catalog: a consumer without a grant is denied, and the denial is logged") {
  SmallMesh m;
  auto consumer = m.As(m.recommendations);
  auto table = consumer.GetTable("songs_domain", "songs");
  REQUIRE_FALSE(table.ok());
  CHECK(table.status().code() == Code::kAccessDenied);
  CHECK_THAT(table.status().message(), Contains(m.recommendations));
  CHECK(Denials(*m.permissions, m.recommendations) == 1);
  // Listings leave out what the consumer cannot see, without a denial each.
  REQUIRE(consumer.GetDatabases().ok());
  CHECK(consumer.GetDatabases()->empty());
  REQUIRE(consumer.SearchTables("songs").ok());
  CHECK(consumer.SearchTables("songs")->empty());
  CHECK(Denials(*m.permissions, m.recommendations) == 1);
  // Writing into another account's database is denied too, and changes nothing.
  Table t;
  t.database = "songs_domain";
  t.name = "stolen";
  t.owner_domain = "recommendations";
  t.location = "s3://x/y/";
  t.format = "csv";
  t.columns = {{"a", "string", ""}};
  CHECK(consumer.CreateTable(t).code() == Code::kAccessDenied);
  CHECK(m.catalog->GetTable("songs_domain", "stolen").status().code() == Code::kEntityNotFound);
}

TEST_CASE(
    "governed catalog: grants open reads one permission at a time, and revoking closes them") {
  SmallMesh m;
  auto consumer = m.As(m.recommendations);
  m.Grant({Permission::kDescribe}, true);
  REQUIRE(consumer.GetDatabases().ok());
  CHECK(consumer.GetDatabases()->size() == 1);
  CHECK(consumer.GetTables("songs_domain")->empty());  // DESCRIBE on the database is not the table

  m.Grant({Permission::kDescribe});
  CHECK(consumer.GetTable("songs_domain", "songs").ok());
  CHECK(consumer.GetTables("songs_domain")->size() == 1);
  // Reading the partitions is reading data: SELECT.
  CHECK(consumer.GetPartitions("songs_domain", "songs", "").status().code() == Code::kAccessDenied);
  m.Grant({Permission::kSelect});
  auto parts = consumer.GetPartitions("songs_domain", "songs", "dt = '2026-11-24'");
  REQUIRE(parts.ok());
  CHECK(parts->size() == 1);
  // Altering is not granted by reading.
  auto table = m.catalog->GetTable("songs_domain", "songs");
  CHECK(consumer.UpdateTable(*table).code() == Code::kAccessDenied);

  REQUIRE(m.permissions
              ->RevokePermissions(m.songs, m.recommendations,
                                  TableResource{m.songs, "songs_domain", "songs", false},
                                  {Permission::kSelect})
              .ok());
  CHECK(consumer.GetPartitions("songs_domain", "songs", "").status().code() == Code::kAccessDenied);
  CHECK(consumer.GetTable("songs_domain", "songs").ok());  // DESCRIBE is still held
}

TEST_CASE("governed catalog: the data-lake administrator sees every database") {
  SmallMesh m;
  auto admin = m.As(kGovernanceAccount);
  REQUIRE(admin.GetDatabases().ok());
  CHECK(admin.GetDatabases()->size() == 1);
  CHECK(admin.GetTable("songs_domain", "songs").ok());
}

TEST_CASE("governed catalog: a missing table is Glue's EntityNotFound") {
  SmallMesh m;
  auto consumer = m.As(m.recommendations);
  CHECK(consumer.GetTable("songs_domain", "nope").status().code() == Code::kEntityNotFound);
  CHECK(consumer.GetTable("nope", "songs").status().code() == Code::kEntityNotFound);
}

TEST_CASE(
    "governed catalog: in the mesh, consumers subscribe, a missing grant and a revoked one "
    "are denied and reported") {
  auto scenario = ParseScenario(R"({
    "name": "access", "seed": 3, "duration_s": 30,
    "population": {"users": 30, "songs": 40, "podcasts": 5},
    "traffic": {"events_per_second": 10},
    "timeline": [
      {"at_s": 5, "action": "read_product", "consumer": "analytics", "domain": "songs"},
      {"at_s": 10, "action": "read_product", "consumer": "recommendations", "domain": "songs"},
      {"at_s": 15, "action": "revoke_access", "consumer": "recommendations", "domain": "songs"},
      {"at_s": 20, "action": "read_product", "consumer": "recommendations", "domain": "songs"}
    ]})",
                                "access.json");
  INFO(scenario.status().ToString());
  REQUIRE(scenario.ok());
  auto h = Harness::FromScenario(std::move(*scenario));
  REQUIRE(h.ok());
  REQUIRE((*h)->Run().ok());
  const auto report = (*h)->Report();
  const auto& catalog = report["catalog"];
  CHECK(catalog["governed"] == true);
  // Five subscriptions at the start and their five reads, then the timeline's three reads.
  REQUIRE(catalog["reads"].size() == 8);
  CHECK(catalog["reads_allowed"] == 6);
  CHECK(catalog["denials"] == 2);
  const auto& no_grant = catalog["reads"][5];
  CHECK(no_grant["consumer"] == "analytics");
  CHECK(no_grant["outcome"] == "denied");
  CHECK_THAT(no_grant["reason"].get<std::string>(), Contains("AccessDeniedException"));
  CHECK(catalog["reads"][6]["outcome"] == "allowed");
  CHECK(catalog["reads"][7]["outcome"] == "denied");
  bool deleted = false;
  for (const auto& s : catalog["subscriptions"]) {
    if (s["consumer"] == "recommendations" && s["producer"] == "songs") {
      deleted = s["status"] == "Deleted";
    }
  }
  CHECK(deleted);
  // The traffic is not the catalog's business: the dynamic plane went on.
  CHECK(report["invariants"]["held"] == true);
}

TEST_CASE("governed catalog: SELECT on some columns shows those columns and their partitions") {
  SmallMesh m;
  auto consumer = m.As(m.recommendations);
  REQUIRE(m.permissions
              ->GrantPermissions(m.songs, m.recommendations,
                                 TableWithColumnsResource{
                                     m.songs, "songs_domain", "songs", {"item_id"}, std::nullopt},
                                 {Permission::kSelect})
              .ok());
  auto table = consumer.GetTable("songs_domain", "songs");
  REQUIRE(table.ok());
  REQUIRE(table->columns.size() == 1);
  CHECK(table->columns[0].name == "item_id");  // genre is not the consumer's to see
  CHECK(consumer.GetPartitions("songs_domain", "songs", "").ok());
  CHECK(*consumer.SelectableColumns("songs_domain", "songs") ==
        std::vector<std::string>{"item_id"});
  // The table's other columns, and the whole table, stay out of reach.
  REQUIRE(m.permissions
              ->RevokePermissions(m.songs, m.recommendations,
                                  TableWithColumnsResource{
                                      m.songs, "songs_domain", "songs", {"item_id"}, std::nullopt},
                                  {Permission::kSelect})
              .ok());
  CHECK(consumer.GetPartitions("songs_domain", "songs", "").status().code() == Code::kAccessDenied);
  CHECK(consumer.GetTable("songs_domain", "songs").status().code() == Code::kAccessDenied);
  CHECK(consumer.SelectableColumns("songs_domain", "songs")->empty());
  // With SELECT on the table, every column.
  m.Grant({Permission::kSelect});
  CHECK(consumer.GetTable("songs_domain", "songs")->columns.size() == 2);
}

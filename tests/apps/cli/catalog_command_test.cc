// `meshsim run --state DIR` keeps the catalog and the grants between runs, and `meshsim catalog`
// shows them.
#include <catch2/catch.hpp>

#include "apps/registry/backend_registry.h"
#include "sim/governance/accounts.h"
#include "tests/support/cli_runner.h"
#include "tests/support/temp_dir.h"

using namespace meshsim;
using Catch::Matchers::Contains;
using meshsim::testing::Cli;

namespace {

constexpr const char* kScenario = R"({
  "name": "state", "seed": 2, "duration_s": 5,
  "population": {"users": 20, "songs": 30, "podcasts": 5},
  "traffic": {"events_per_second": 10}
})";

struct StateRig {
  StateRig()
      : scenario(dir.Write("state.json", kScenario)), state((dir.path() / "state").string()) {}
  testing::TempDir dir;
  std::string scenario;
  std::string state;
};

}  // namespace

TEST_CASE("catalog: a second run on the same state finds the first run's products") {
  StateRig rig;
  REQUIRE(Cli({"run", rig.scenario, "--state", rig.state}).status == 0);
  auto first = Cli({"catalog", "--state", rig.state, "describe", "songs_domain.songs"});
  REQUIRE(first.status == 0);
  CHECK_THAT(first.out, Contains("version 1 (1 kept)"));
  REQUIRE(Cli({"run", rig.scenario, "--state", rig.state}).status == 0);
  auto list = Cli({"catalog", "--state", rig.state, "list"});
  REQUIRE(list.status == 0);
  for (const char* table : {"users_domain.users", "songs_domain.songs", "podcasts_domain.podcasts",
                            "interactions_domain.interactions"}) {
    CHECK_THAT(list.out, Contains(table));
  }
  CHECK_THAT(list.out, Contains("owner songs (222222222222)"));
  auto second = Cli({"catalog", "--state", rig.state, "describe", "songs_domain.songs"});
  CHECK_THAT(second.out, Contains("version 2 (2 kept)"));
  CHECK_THAT(second.out, Contains("columns item_id string, item_type string"));
  auto db = Cli({"catalog", "--state", rig.state, "describe", "users_domain"});
  CHECK_THAT(db.out, Contains("tables 1"));
}

TEST_CASE("catalog: search finds tables by text") {
  StateRig rig;
  REQUIRE(Cli({"run", rig.scenario, "--state", rig.state}).status == 0);
  auto found = Cli({"catalog", "--state", rig.state, "search", "podcast"});
  REQUIRE(found.status == 0);
  CHECK_THAT(found.out, Contains("podcasts_domain.podcasts"));
  CHECK_THAT(found.out, !Contains("songs_domain.songs"));
  auto none = Cli({"catalog", "--state", rig.state, "search", "zzz"});
  CHECK_THAT(none.out, Contains("no tables match \"zzz\""));
}

TEST_CASE("catalog: grants lists what was granted, by principal") {
  StateRig rig;
  REQUIRE(Cli({"run", rig.scenario, "--state", rig.state}).status == 0);
  // The consumers subscribed to the products they read.
  auto subscribed = Cli({"catalog", "--state", rig.state, "grants"});
  REQUIRE(subscribed.status == 0);
  CHECK_THAT(subscribed.out, Contains("555555555555 (recommendations)  SELECT,DESCRIBE  on table "
                                      "songs_domain.songs (catalog 222222222222)"));
  CHECK_THAT(subscribed.out, !Contains("666666666666 (analytics)  DESCRIBE  on database users"));
  {
    auto state = OpenState(nullptr, rig.state);
    REQUIRE(state.ok());
    const std::string users(DomainAccount("users"));
    REQUIRE(state->permissions
                ->GrantPermissions(users, std::string(DomainAccount("analytics")),
                                   DatabaseResource{users, "users_domain"}, {Permission::kDescribe})
                .ok());
  }
  auto all = Cli({"catalog", "--state", rig.state, "grants"});
  CHECK_THAT(all.out, Contains("666666666666 (analytics)  DESCRIBE  on database users_domain"));
  auto one = Cli({"catalog", "--state", rig.state, "grants", "666666666666"});
  CHECK_THAT(one.out, Contains("users_domain"));
  CHECK_THAT(one.out, !Contains("555555555555"));
}

TEST_CASE("catalog: bad input is exit 2 with a message and creates nothing") {
  StateRig rig;
  auto missing = Cli({"catalog", "--state", rig.state, "list"});
  CHECK(missing.status == 2);
  CHECK_THAT(missing.err, Contains("holds no state"));
  CHECK_FALSE(std::filesystem::exists(rig.state));
  REQUIRE(Cli({"run", rig.scenario, "--state", rig.state}).status == 0);
  auto no_db = Cli({"catalog", "--state", rig.state, "describe", "nope.x"});
  CHECK(no_db.status == 2);
  CHECK_THAT(no_db.err, Contains("EntityNotFoundException"));
  auto no_table = Cli({"catalog", "--state", rig.state, "describe", "songs_domain.nope"});
  CHECK(no_table.status == 2);
  CHECK_THAT(no_table.err, Contains("EntityNotFoundException"));
  auto verb = Cli({"catalog", "--state", rig.state, "drop"});
  CHECK(verb.status == 2);
  CHECK_THAT(verb.err, Contains("meshsim catalog: unexpected argument drop\n"));
  CHECK_THAT(verb.err, Contains("usage: meshsim catalog"));
  auto no_verb = Cli({"catalog", "--state", rig.state});
  CHECK(no_verb.status == 2);
  CHECK_THAT(no_verb.err, Contains("a verb (list, describe, search or grants) is required"));
  auto no_state = Cli({"catalog", "list"});
  CHECK(no_state.status == 2);
  CHECK_THAT(no_state.err, Contains("meshsim catalog: --state is required"));
  CHECK(Cli({"catalog", "list", "--state", rig.state}).status == 0);  // --state after the verb
  CHECK(Cli({"catalog", "--state", rig.state, "list", "extra"}).status == 2);
  const std::string file = rig.dir.Write("a-file", "x");
  auto bad_state = Cli({"run", rig.scenario, "--state", file});
  CHECK(bad_state.status == 2);
  CHECK_THAT(bad_state.err, Contains("cannot use it as a state directory"));
}

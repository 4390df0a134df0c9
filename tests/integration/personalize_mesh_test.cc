// The mesh on Personalize in process (an aws-* recipe): the Recommendations domain's events go to
// the dataset group through its tracker from the start, the campaign serves only once a
// deploy_recommender has trained and deployed it, and what a deployment cannot do is reported.
#include <algorithm>
#include <catch2/catch.hpp>
#include <sstream>
#include <string>

#include "apps/cli/cli.h"
#include "apps/harness/harness.h"
#include "apps/registry/backend_registry.h"
#include "sim/scenario/scenario.h"

namespace meshsim {
namespace {

Scenario Parse(const std::string& extra) {
  std::string text = R"({"name": "personalize", "seed": 3, "duration_s": 400,
      "population": {"users": 150, "songs": 200, "podcasts": 30},
      "traffic": {"events_per_second": 40},
      "recommender": {"recipe": "aws-user-personalization", "min_provisioned_tps": 50,
                      "deploy_times": {"import_s": 10, "training_s": 60, "campaign_s": 30}})";
  text += extra;  // appended: GCC 12 misfires -Wrestrict on a + b + c of string literals
  text += "}";
  auto s = ParseScenario(text, "personalize.json");
  REQUIRE(s.ok());
  return std::move(s).value();
}

TEST_CASE("the campaign serves once a deployment from the events has trained it") {
  auto h = Harness::FromScenario(
      Parse(R"(, "timeline": [{"at_s": 150, "action": "deploy_recommender"}])"));
  REQUIRE(h.ok());
  Mesh& mesh = (*h)->mesh();
  REQUIRE(mesh.Start().ok());
  mesh.RunFor(149 * 1'000'000);  // sessions ramp up: some 3,000 events by then
  const auto before = mesh.Recommend("u1", 10);
  REQUIRE_FALSE(before.ok());
  CHECK(before.status().code() == Code::kResourceNotFound);  // no campaign yet

  mesh.RunFor(200 * 1'000'000);  // no import: training 60 s, campaign 30 s, polls 5 s
  REQUIRE(mesh.deploys().size() == 1);
  const RecommenderDeploy& d = mesh.deploys()[0];
  CHECK(d.source == "events");
  CHECK(d.deployed);
  CHECK(d.reason.empty());
  CHECK(d.rows_imported == 0);
  CHECK(d.finished_us >= d.at_us + 90 * 1'000'000);  // the training's and the campaign's time
  const auto after = mesh.Recommend("u1", 10);
  REQUIRE(after.ok());
  CHECK(after->item_list.size() == 10);
  CHECK(std::is_sorted(after->item_list.begin(), after->item_list.end(),
                       [](const auto& a, const auto& b) { return a.score > b.score; }));
  CHECK_FALSE(after->recommendation_id.empty());
  // Real time from here on: what u1 plays now reaches its very next recommendations, through the
  // whole pipeline (producer, topic, function, PutEvents).
  const auto& items = mesh.workload().items();
  REQUIRE(items.size() > 150);
  const std::string played = items[150].item_id;  // an unpopular one
  mesh.workload().Interact("u1", played, "play", "u1-test");
  mesh.RunFor(5 * 1'000'000);
  const auto later = mesh.Recommend("u1", 10);
  REQUIRE(later.ok());
  CHECK(later->item_list != after->item_list);
}

TEST_CASE("a deployment below Personalize's training minimums fails, and is reported") {
  auto h = Harness::FromScenario(
      Parse(R"(, "timeline": [{"at_s": 1, "action": "deploy_recommender"}])"));
  REQUIRE(h.ok());
  REQUIRE((*h)->Run().ok());
  const auto report = (*h)->Report();
  const auto& r = report["recommender"];
  CHECK(r["deployed"] == 0);
  CHECK(r["deploy_failures"] == 1);
  CHECK(r["deploys"][0]["outcome"] == "failed");
  CHECK_THAT(r["deploys"][0]["reason"].get<std::string>(),
             Catch::Contains("Dataset has fewer than 1000 interactions"));
  // It fails when the data is checked: within the scenario's 60 s training, not the 300 s it
  // once took whatever deploy_times said.
  const double took =
      r["deploys"][0]["failed_s"].get<double>() - r["deploys"][0]["at_s"].get<double>();
  CHECK(took <= 60.0);
}

TEST_CASE("a deployment whose product read is denied fails and writes nothing") {
  auto h = Harness::FromScenario(Parse(R"(, "stores": {"enabled": true, "landing_interval_s": 10},
      "timeline": [{"at_s": 30, "action": "etl", "domain": "all"},
                   {"at_s": 31, "action": "revoke_access", "consumer": "recommendations",
                    "domain": "podcasts"},
                   {"at_s": 32, "action": "deploy_recommender"}])"));
  REQUIRE(h.ok());
  REQUIRE((*h)->Run().ok());
  const auto report = (*h)->Report();
  const auto& deploy = report["recommender"]["deploys"][0];
  CHECK(deploy["source"] == "products");
  CHECK(deploy["outcome"] == "failed");
  CHECK_THAT(deploy["reason"].get<std::string>(), Catch::StartsWith("AccessDeniedException: ") &&
                                                      Catch::Contains("podcasts_domain.podcasts"));
  CHECK(report["recommender"]["deployed"] == 0);
  // Users and songs were read before the denial, but nothing was written for Personalize.
  const ObjectStore* objects = (*h)->mesh().ports().stores.objects;
  REQUIRE(objects != nullptr);
  CHECK(objects->HeadBucket("recommendations-domain").code() == Code::kNoSuchBucket);
}

TEST_CASE("an invalid hyperparameter is a scenario error naming it, before anything runs") {
  Scenario s = Parse(R"(, "timeline": [{"at_s": 60, "action": "deploy_recommender"}])");
  s.personalize.hyperparameters.emplace("exploration_weight", "2.5");  // above its 1
  const Status check = CheckBackendSettings(s);
  REQUIRE_FALSE(check.ok());
  CHECK(check.code() == Code::kInvalidInput);
  // At the hyperparameter it names (the scenario was not read from a file: no line and column).
  CHECK_THAT(check.message(),
             Catch::StartsWith(
                 "personalize.json: at /recommender/hyperparameters/exploration_weight: "));
  CHECK_THAT(check.message(), Catch::Contains("exploration_weight"));
  auto h = Harness::FromScenario(s);
  REQUIRE_FALSE(h.ok());
  CHECK(h.status().message() == check.message());
}

}  // namespace
}  // namespace meshsim

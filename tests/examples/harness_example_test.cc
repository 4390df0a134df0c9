// How to test your own mesh with meshsim: an example to copy. It builds a scenario in code (a
// file works the same: Harness::FromFile), runs part of it, looks at what a user is recommended,
// scripts that user's actions, and asserts on counts, latency and recommendations.
#include <catch2/catch.hpp>

#include "apps/harness/harness.h"

using meshsim::Harness;
using meshsim::ParseScenario;

TEST_CASE("example: a listener's plays shape what they are recommended next") {
  // 1. A scenario: a small population, steady traffic, Lambda's default batching window.
  auto scenario = ParseScenario(R"({
    "name": "example",
    "seed": 2026,
    "duration_s": 120,
    "population": {"users": 300, "songs": 600, "podcasts": 60},
    "traffic": {"events_per_second": 40},
    "consumers": {"batch_size": 100, "batching_window_ms": 500},
    "recommender": {"recipe": "co-occurrence"}
  })", "example.json");
  REQUIRE(scenario.ok());

  // 2. The harness wires the mesh to the in-process fakes on the virtual clock.
  auto harness = Harness::FromScenario(std::move(*scenario));
  REQUIRE(harness.ok());
  meshsim::Mesh& mesh = (*harness)->mesh();

  // 3. Run the first minute of simulated time (it takes milliseconds).
  mesh.RunFor(60 * meshsim::kMicrosPerSecond);

  // 4. What does listener u42 get now?
  auto before = mesh.Recommend("u42", 10);
  REQUIRE(before.ok());
  REQUIRE(before->item_list.size() == 10);
  const std::string top = before->item_list.front().item_id;

  // 5. They play their top recommendation. The event goes through the Interactions producer,
  //    the broker, the InteractionsUpdate function's batching window and PutEvents.
  mesh.workload().Interact("u42", top, "play", "u42-example");
  mesh.RunFor(2 * meshsim::kMicrosPerSecond);

  // 6. Something they have played is not recommended back to them.
  auto after = mesh.Recommend("u42", 10);
  REQUIRE(after.ok());
  for (const auto& item : after->item_list) CHECK(item.item_id != top);

  // 7. Finish the run and read the report, as `meshsim run --report` would write it.
  REQUIRE((*harness)->Run().ok());
  const auto report = (*harness)->Report();
  CHECK(report["counts"]["lost"] == 0);
  CHECK(report["counts"]["applied"] == report["counts"]["produced"]);
  // With a 500 ms window, most events reach recommendations within a second of modelled time.
  CHECK(report["latency"]["event_to_recommendation"]["p50_us"].get<int64_t>() < 1'000'000);
}

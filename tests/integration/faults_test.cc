// Broker faults as timeline actions, through the harness and the fake broker's fault powers:
// the mesh must come through each with nothing lost (producers retry what the broker refused for
// a while), or dead-letter with its reason what no retry can mend, and keep its invariants.
#include <catch2/catch.hpp>

#include "apps/harness/harness.h"
#include "sim/ports/topics.h"

using namespace meshsim;

namespace {

std::string ScenarioText(const std::string& timeline) {
  return R"({
    "name": "faults", "seed": 5, "duration_s": 60,
    "population": {"users": 100, "songs": 200, "podcasts": 20},
    "traffic": {"events_per_second": 40, "popularity_skew": 1.1,
                "session": {"mean_events": 4, "mean_think_time_ms": 2000}},
    "topics": {"partitions": 2},
    "timeline": [)" +
         timeline + "]}";
}

std::unique_ptr<Harness> Make(const std::string& timeline) {
  auto scenario = ParseScenario(ScenarioText(timeline), "faults.json");
  INFO(scenario.status().ToString());
  REQUIRE(scenario.ok());
  auto h = Harness::FromScenario(std::move(*scenario));
  REQUIRE(h.ok());
  return std::move(*h);
}

uint64_t Retries(Mesh& mesh) {
  uint64_t n = 0;
  for (const auto& p : mesh.producers()) n += p->retries();
  return n;
}

void CheckInvariantsHeld(const nlohmann::ordered_json& report) {
  CHECK(report["counts"]["lost"] == 0);
  CHECK(report["invariants"]["held"] == true);
  CHECK(report["passed"] == true);
}

}  // namespace

TEST_CASE("faults: a broker down for a span loses nothing: producers retry with backoff") {
  auto h = Make(R"({"at_s": 20, "action": "broker_down", "for_s": 5})");
  Mesh& mesh = h->mesh();
  h->runtime().RunUntil(22'000'000);
  const uint64_t produced_at_22 = mesh.metrics().topic(kInteractionsTopic).produced;
  h->runtime().RunUntil(24'900'000);
  // Down: nothing more reaches the log, and what was sent waits to be retried.
  CHECK(mesh.metrics().topic(kInteractionsTopic).produced <= produced_at_22 + 1);
  CHECK(mesh.producers()[3]->in_flight() > 50);
  REQUIRE(h->Run().ok());
  const auto report = h->Report();
  CheckInvariantsHeld(report);
  CHECK(report["counts"]["rejected"] == 0);
  CHECK(Retries(mesh) > 100);
  CHECK(report["retries"]["produce"] == Retries(mesh));
  CHECK(report["retries"]["throttled_calls"] == 0);
  // The retried records waited out the outage: the produce hop's worst case shows it.
  CHECK(report["latency"]["hops"]["produce"]["max_us"].get<int64_t>() > 4'000'000);
  CHECK(report["timeline"][0]["describe"] == "broker down for 5 s");
}

TEST_CASE("faults: pushed produce errors are retried when retriable, dead-lettered when not") {
  auto h = Make(R"({"at_s": 10, "action": "broker_errors", "api": "produce",
                    "errors": ["NOT_LEADER_OR_FOLLOWER", "REQUEST_TIMED_OUT", "RECORD_TOO_LARGE"]})");
  REQUIRE(h->Run().ok());
  const auto report = h->Report();
  CheckInvariantsHeld(report);
  // Two retriable errors came back as two retries; the third, not retriable, is kept with its
  // reason.
  CHECK(Retries(h->mesh()) == 2);
  CHECK(report["counts"]["rejected"] == 1);
  CHECK(report["dead_letters"]["by_reason"]["produce: RECORD_TOO_LARGE"] == 1);
}

TEST_CASE("faults: fetch and commit errors delay consumers and lose nothing") {
  auto h = Make(R"({"at_s": 10, "action": "broker_errors", "api": "fetch",
                    "errors": ["NOT_LEADER_OR_FOLLOWER", "NETWORK_EXCEPTION"]},
                   {"at_s": 30, "action": "broker_errors", "api": "commit",
                    "errors": ["COORDINATOR_NOT_AVAILABLE"]})");
  REQUIRE(h->Run().ok());
  const auto report = h->Report();
  CheckInvariantsHeld(report);
  CHECK(report["counts"]["rejected"] == 0);
}

TEST_CASE("faults: a leader change costs one retry on each side and loses nothing") {
  auto h = Make(R"({"at_s": 15, "action": "leader_change", "topic": "interactions",
                    "partition": 1})");
  REQUIRE(h->Run().ok());
  const auto report = h->Report();
  CheckInvariantsHeld(report);
  CHECK(report["counts"]["rejected"] == 0);
  CHECK(Retries(h->mesh()) == 1);
}

TEST_CASE("faults: added broker latency holds each acknowledgement that much longer") {
  // The fake appends at once and answers late, so a producer has about rate x latency records
  // in flight (Little's law): sampled over ten seconds, 40 ms at ~40 records/s is ~1.7.
  auto mean_in_flight = [](Harness& h) {
    double sum = 0;
    for (int i = 0; i < 100; ++i) {
      h.runtime().RunUntil(20'000'000 + i * 100'000);
      sum += static_cast<double>(h.mesh().producers()[3]->in_flight());
    }
    return sum / 100;
  };
  auto base = Make("");
  REQUIRE(base->mesh().Start().ok());
  auto slow = Make(R"({"at_s": 0, "action": "broker_latency", "latency_ms": 40})");
  REQUIRE(slow->mesh().Start().ok());
  const double base_in_flight = mean_in_flight(*base);
  const double slow_in_flight = mean_in_flight(*slow);
  CHECK(slow_in_flight > 0.8);
  CHECK(slow_in_flight > 5 * base_in_flight);
  REQUIRE(slow->Run().ok());
  CheckInvariantsHeld(slow->Report());
}

TEST_CASE("faults: a bad fault action is a scenario error that names the field") {
  auto bad = ParseScenario(ScenarioText(R"({"at_s": 10, "action": "broker_errors", "api": "produce",
                   "errors": ["NOT_A_KAFKA_ERROR"]})"),
                           "faults.json");
  REQUIRE_FALSE(bad.ok());
  CHECK_THAT(bad.status().message(), Catch::Contains("/timeline/0/errors"));
  CHECK_THAT(bad.status().message(), Catch::Contains("not a Kafka error name"));
  auto aws = ParseScenario(ScenarioText(R"({"at_s": 10, "action": "broker_errors", "api": "produce",
                                        "errors": ["ThrottlingException"]})"),
                           "faults.json");
  CHECK_FALSE(aws.ok());
  auto partition = ParseScenario(ScenarioText(R"({"at_s": 10, "action": "leader_change",
                                              "topic": "users", "partition": 2})"),
                                 "faults.json");
  REQUIRE_FALSE(partition.ok());
  CHECK_THAT(partition.status().message(), Catch::Contains("/timeline/0/partition"));
}

TEST_CASE("faults: poison records are dead-lettered with their reason and the partition goes on") {
  auto h = Make(R"({"at_s": 20, "action": "poison_record", "domain": "interactions", "count": 5},
                   {"at_s": 25, "action": "poison_record", "domain": "songs"})");
  REQUIRE(h->Run().ok());
  const auto report = h->Report();
  CheckInvariantsHeld(report);
  CHECK(report["counts"]["rejected"] == 6);
  CHECK(report["dead_letters"]["by_reason"]["decode: SerializationException"] == 6);
  // Everything produced after the poison, on every partition, was applied.
  const auto& interactions = report["counts"]["by_topic"]["interactions"];
  CHECK(interactions["applied"].get<uint64_t>() + 5 == interactions["produced"].get<uint64_t>());
  CHECK(h->mesh().analytics().undecodable() == 5);
  CHECK(report["timeline"][0]["describe"] == "publish 5 poison records to interactions");
}

TEST_CASE("faults: PutEvents past the TPS limit are retried with backoff and nothing is lost") {
  // 40 interactions/s arrive as ~40 PutEvents/s against a limit of 25.
  auto scenario = ParseScenario(ScenarioText(""), "faults.json");
  REQUIRE(scenario.ok());
  scenario->put_events_tps = 25;
  scenario->consumers.max_retries = 50;
  auto h = Harness::FromScenario(std::move(*scenario));
  REQUIRE(h.ok());
  REQUIRE((*h)->Run().ok());
  const auto report = (*h)->Report();
  CheckInvariantsHeld(report);
  CHECK(report["counts"]["rejected"] == 0);
  CHECK(report["retries"]["throttled_calls"].get<uint64_t>() > 100);
  // Throttling shows as time: the apply hop's tail grows past the SDK's backoff.
  CHECK(report["latency"]["hops"]["apply"]["max_us"].get<int64_t>() > 100'000);
}

TEST_CASE("faults: batches delivered twice are applied once") {
  auto h = Make(R"({"at_s": 20, "action": "duplicate_delivery", "function": "InteractionsUpdate",
                    "batches": 5},
                   {"at_s": 20, "action": "duplicate_delivery", "function": "InteractionsIngestor",
                    "batches": 2})");
  REQUIRE(h->Run().ok());
  const auto report = h->Report();
  CheckInvariantsHeld(report);
  CHECK(h->mesh().FindConsumer("InteractionsUpdate")->duplicated_batches() == 5);
  CHECK(h->mesh().FindConsumer("InteractionsIngestor")->duplicated_batches() == 2);
  const auto& interactions = report["counts"]["by_topic"]["interactions"];
  CHECK(interactions["applied"] == interactions["produced"]);
  CHECK(interactions["delivered"] == interactions["produced"]);  // a redelivery counts once
  // Analytics has no ledger: it counts what it is handed, at least once.
  CHECK(h->mesh().analytics().consumed() > interactions["produced"].get<uint64_t>());
}

TEST_CASE("faults: a slow consumer's lag grows while it is slow, then drains") {
  auto h = Make(R"({"at_s": 20, "action": "slow_consumer", "function": "InteractionsUpdate",
                    "extra_ms": 3000, "for_s": 20})");
  Mesh& mesh = h->mesh();
  auto lag = [&] { return mesh.FindConsumer("InteractionsUpdate")->Lag(); };
  h->runtime().RunUntil(19'000'000);
  const int64_t before = lag();
  h->runtime().RunUntil(38'000'000);
  const int64_t during = lag();
  CHECK(during > before + 100);
  h->runtime().RunUntil(58'000'000);
  CHECK(lag() < during / 2);
  REQUIRE(h->Run().ok());
  CheckInvariantsHeld(h->Report());
  CHECK(h->Report()["counts"]["rejected"] == 0);
}

TEST_CASE("faults: on the real clock a broker outage is waited out and loses nothing too") {
  // Three wall-clock seconds: the broker is down for one of them.
  auto scenario = ParseScenario(R"({
    "name": "real-clock fault", "seed": 5, "duration_s": 3,
    "population": {"users": 50, "songs": 100, "podcasts": 10},
    "traffic": {"events_per_second": 100, "session": {"mean_events": 4, "mean_think_time_ms": 200}},
    "topics": {"partitions": 2},
    "consumers": {"batching_window_ms": 50},
    "timeline": [{"at_s": 1, "action": "broker_down", "for_s": 1},
                 {"at_s": 1.5, "action": "broker_errors", "api": "produce",
                  "errors": ["RECORD_TOO_LARGE"]}]})",
                                "real_faults.json");
  INFO(scenario.status().ToString());
  REQUIRE(scenario.ok());
  HarnessOptions options;
  options.clock = ClockKind::kReal;
  auto h = Harness::FromScenario(std::move(*scenario), options);
  REQUIRE(h.ok());
  REQUIRE((*h)->Run().ok());
  const auto report = (*h)->Report();
  CHECK(report["clock"] == "real");
  CHECK(report["counts"]["lost"] == 0);
  CHECK(report["invariants"]["held"] == true);
  CHECK(Retries((*h)->mesh()) > 0);
  // The error stack waits for the first produce after the outage, which it refuses.
  CHECK(report["dead_letters"]["by_reason"]["produce: RECORD_TOO_LARGE"] == 1);
  CHECK(report["counts"]["produced"].get<uint64_t>() > 100);
}

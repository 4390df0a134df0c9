// Schemas on the event path through the whole mesh: producers write with the registered version,
// a compatible evolution rolls out while traffic flows, an incompatible one is refused and
// reported, and a record the schema refuses is rejected at the producer and kept in the topic's
// dead-letter topic.
#include <catch2/catch.hpp>

#include "apps/harness/harness.h"
#include "sim/ports/topics.h"
#include "sim/serde/entity_avro.h"
#include "sim/serde/glue_wire.h"
#include "tests/support/read_topic.h"

using namespace meshsim;
using Catch::Matchers::Contains;

namespace {

std::string ScenarioText(const std::string& timeline, const std::string& extra = "") {
  return R"({
    "name": "schemas", "seed": 9, "duration_s": 40,
    "population": {"users": 100, "songs": 200, "podcasts": 20},
    "traffic": {"events_per_second": 40,
                "session": {"mean_events": 4, "mean_think_time_ms": 2000}},
    "topics": {"partitions": 2},)" +
         extra + R"(
    "timeline": [)" +
         timeline + "]}";
}

std::unique_ptr<Harness> Make(const std::string& timeline, const std::string& extra = "") {
  auto scenario = ParseScenario(ScenarioText(timeline, extra), "schemas.json");
  INFO(scenario.status().ToString());
  REQUIRE(scenario.ok());
  auto h = Harness::FromScenario(std::move(*scenario));
  REQUIRE(h.ok());
  return std::move(*h);
}

// The Interaction schema with one more field (a JSON field object).
std::string InteractionWith(const std::string& field) {
  std::string base(InteractionSchemaJson());
  base.resize(base.size() - 2);
  return base + "," + field + "]}";
}

std::vector<ConsumedRecord> ReadAll(Mesh& mesh, const std::string& topic) {
  return testing::ReadTopic(*mesh.ports().stream, topic);
}

void CheckHeld(const nlohmann::ordered_json& report) {
  CHECK(report["counts"]["lost"] == 0);
  CHECK(report["invariants"]["held"] == true);
}

}  // namespace

TEST_CASE("schemas: each topic's records carry the version they were written with") {
  auto h = Make("");
  REQUIRE(h->Run().ok());
  const auto report = h->Report();
  CheckHeld(report);
  for (const char* topic : {kUsersTopic, kSongsTopic, kPodcastsTopic, kInteractionsTopic}) {
    INFO(topic);
    const auto& writer = report["schemas"]["writers"][topic];
    CHECK(writer["version"] == 1);
    const auto records = ReadAll(h->mesh(), topic);
    REQUIRE_FALSE(records.empty());
    auto framed = UnframeRecord(records.front().value);
    REQUIRE(framed.ok());
    CHECK(framed->schema_version_id.ToString() == writer["version_id"]);
  }
  CHECK(report["schemas"]["compatibility"] == "BACKWARD");
}

TEST_CASE("schemas: a compatible evolution rolls out while traffic flows and loses nothing") {
  const std::string v2 = InteractionWith(R"({"name":"device","type":"string","default":"web"})");
  auto h = Make(R"({"at_s": 20, "action": "evolve_schema", "domain": "interactions",
                    "definition": )" +
                v2 + R"(, "values": {"device": "mobile"}})");
  REQUIRE(h->Run().ok());
  const auto report = h->Report();
  CheckHeld(report);
  CHECK(report["dead_letters"]["count"] == 0);
  CHECK(report["schemas"]["registered"] == 1);
  CHECK(report["schemas"]["refused"] == 0);
  CHECK(report["schemas"]["changes"][0]["outcome"] == "registered");
  CHECK(report["schemas"]["changes"][0]["version"] == 2);
  const std::string v2_id = report["schemas"]["writers"]["interactions"]["version_id"];
  CHECK(report["schemas"]["writers"]["interactions"]["version"] == 2);
  // Records of both versions are in the log, and every one of them was applied.
  uint64_t old_records = 0;
  uint64_t new_records = 0;
  for (const auto& r : ReadAll(h->mesh(), kInteractionsTopic)) {
    auto framed = UnframeRecord(r.value);
    REQUIRE(framed.ok());
    (framed->schema_version_id.ToString() == v2_id ? new_records : old_records)++;
  }
  CHECK(old_records > 100);
  CHECK(new_records > 100);
  const auto& counts = report["counts"]["by_topic"]["interactions"];
  CHECK(counts["applied"] == counts["produced"]);
  CHECK(counts["applied"].get<uint64_t>() == old_records + new_records);
}

TEST_CASE("schemas: an incompatible evolution is refused with the reason and changes nothing") {
  // BACKWARD: a new field without a default cannot be read from the old records.
  auto h = Make(R"({"at_s": 10, "action": "evolve_schema", "domain": "interactions",
                    "definition": )" +
                InteractionWith(R"({"name":"country","type":"string"})") + "}");
  REQUIRE(h->Run().ok());
  const auto report = h->Report();
  CheckHeld(report);
  CHECK(report["schemas"]["registered"] == 0);
  CHECK(report["schemas"]["refused"] == 1);
  const auto& change = report["schemas"]["changes"][0];
  CHECK(change["outcome"] == "refused");
  CHECK_THAT(change["reason"].get<std::string>(), Contains("InvalidInputException"));
  CHECK_THAT(change["reason"].get<std::string>(), Contains("country"));
  CHECK(report["schemas"]["writers"]["interactions"]["version"] == 1);
  CHECK(report["dead_letters"]["count"] == 0);
}

TEST_CASE("schemas: a record that fails validation is refused at the producer and kept") {
  auto h = Make(R"({"at_s": 5, "action": "publish_record", "domain": "interactions", "count": 3,
                    "record": {"event_id": "bad-1", "user_id": "u1", "item_id": "s1",
                               "event_type": "play", "session_id": "x",
                               "timestamp": "yesterday"}},
                   {"at_s": 6, "action": "publish_record", "domain": "interactions",
                    "record": {"event_id": "good-1", "user_id": "u2", "item_id": "s2",
                               "event_type": "like", "session_id": "y",
                               "timestamp": 6000000}})");
  REQUIRE(h->Run().ok());
  const auto report = h->Report();
  CheckHeld(report);
  CHECK(report["counts"]["by_topic"]["interactions"]["rejected"] == 3);
  CHECK(report["dead_letters"]["count"] == 3);
  const auto& reasons = report["dead_letters"]["by_reason"];
  REQUIRE(reasons.size() == 1);
  CHECK(reasons.begin().key() == "serialize: SerializationException");
  for (const auto& letter : h->mesh().metrics().dead_letters()) {
    CHECK(letter.stage == "serialize");
    CHECK_THAT(letter.reason, Contains("at /timestamp"));
  }
  // The dead-letter topic holds each refused record with its reason.
  const auto dlq = ReadAll(h->mesh(), "interactions-dlq");
  REQUIRE(dlq.size() == 3);
  for (const auto& r : dlq) {
    CHECK(r.key == std::optional<std::string>("u1"));
    CHECK_THAT(r.value, Contains("yesterday"));
    bool has_reason = false;
    for (const auto& header : r.headers) {
      if (header.key == "dlq-reason") {
        has_reason = true;
        CHECK_THAT(header.value, Contains("/timestamp"));
      }
    }
    CHECK(has_reason);
  }
  // The valid record went the whole way.
  bool found = false;
  for (const auto& r : ReadAll(h->mesh(), kInteractionsTopic)) {
    auto framed = UnframeRecord(r.value);
    REQUIRE(framed.ok());
    Interaction i;
    REQUIRE(DecodeInteraction(framed->payload, &i));
    found = found || i.event_id == "good-1";
  }
  CHECK(found);
  const auto& counts = report["counts"]["by_topic"]["interactions"];
  CHECK(counts["applied"] == counts["produced"]);
}

TEST_CASE("schemas: zlib compression on the wire loses nothing") {
  auto h = Make("", R"("schemas": {"compression": "ZLIB"},)");
  REQUIRE(h->Run().ok());
  const auto report = h->Report();
  CheckHeld(report);
  CHECK(report["schemas"]["compression"] == "ZLIB");
  const auto records = ReadAll(h->mesh(), kInteractionsTopic);
  REQUIRE_FALSE(records.empty());
  CHECK(static_cast<uint8_t>(records.front().value[1]) == kGlueCompressionZlib);
  const auto& counts = report["counts"]["by_topic"]["interactions"];
  CHECK(counts["applied"] == counts["produced"]);
}

TEST_CASE("schemas: a definition that is not Avro is a scenario error at its path") {
  auto scenario =
      ParseScenario(ScenarioText(R"({"at_s": 5, "action": "evolve_schema", "domain": "users",
                       "definition": {"type": "record", "name": "User", "fields": [
                         {"name": "user_id", "type": "strng"}]}})"),
                    "schemas.json");
  REQUIRE_FALSE(scenario.ok());
  CHECK_THAT(scenario.status().message(), Contains("at /timeline/0/definition"));
  CHECK_THAT(scenario.status().message(), Contains("strng"));
}

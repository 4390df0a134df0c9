// The producer domain against the fake broker: what it sends, in what order, and what it keeps
// when the broker or the schema refuses a record.
#include "sim/domains/producer.h"

#include <catch2/catch.hpp>

#include "fakes/glue_catalog/catalog.h"
#include "fakes/glue_schema_registry/schema_registry.h"
#include "fakes/kafka/broker.h"
#include "sim/core/ids.h"
#include "sim/ports/topics.h"
#include "sim/serde/entity_avro.h"
#include "sim/serde/glue_wire.h"
#include "tests/support/read_topic.h"

using namespace meshsim;

namespace {

struct Fixture {
  Fixture() {
    auto c = fakes::MakeSqliteCatalog(":memory:");
    REQUIRE(c.ok());
    catalog = std::move(*c);
    auto r = fakes::MakeFakeSchemaRegistry(*runtime);
    REQUIRE(r.ok());
    registry = std::move(*r);
    ProducerDomainConfig config;
    config.domain = "interactions";
    config.topic = kInteractionsTopic;
    config.partitions = 2;
    config.schema = std::string(InteractionSchemaJson());
    config.database = Database{"interactions_domain", "", "interactions"};
    config.product.database = "interactions_domain";
    config.product.name = "interactions";
    config.product.owner_domain = "interactions";
    config.product.location = "s3://interactions-domain/products/interactions/";
    config.product.format = "csv";
    config.product.columns = {Column{"event_id", "string", ""}};
    producer = std::make_unique<ProducerDomain>(*runtime, *broker.stream, *catalog, *registry,
                                                metrics, config);
    REQUIRE(producer->Start().ok());
  }

  void Publish(const std::string& user, const std::string& event_id) {
    std::string value;
    EncodeInteraction(Interaction{event_id, user, "s1", "play", user + "-s", 0}, &value);
    producer->Publish(user, value);
  }

  // The event ids of `user`'s records in the topic, in offset order.
  std::vector<std::string> EventsOf(const std::string& user) {
    std::vector<std::string> out;
    for (const auto& r : testing::ReadTopic(*broker.stream, kInteractionsTopic)) {
      if (r.key != user) continue;
      auto framed = UnframeRecord(r.value);
      REQUIRE(framed.ok());
      Interaction i;
      REQUIRE(DecodeInteraction(framed->payload, &i));
      out.push_back(i.event_id);
    }
    return out;
  }

  std::unique_ptr<Runtime> runtime = MakeVirtualRuntime(1);
  fakes::FakeBroker broker = fakes::MakeFakeBroker(*runtime);
  std::unique_ptr<Catalog> catalog;
  std::unique_ptr<SchemaRegistry> registry;
  Metrics metrics;
  std::unique_ptr<ProducerDomain> producer;
};

}  // namespace

TEST_CASE("producer: a retried record is not overtaken by a later one of its key") {
  Fixture f;
  // The first send fails with a retriable error and is retried 100 ms later; the key's next
  // records were published at the same instant and must still land after it.
  f.broker.control->PushErrors(fakes::BrokerApi::kProduce, {Code::kNotLeaderOrFollower});
  for (int i = 0; i < 5; ++i) f.Publish("u1", NumberedId("e", static_cast<uint64_t>(i)));
  f.Publish("u2", "other");
  f.runtime->RunUntilIdle();
  CHECK(f.producer->in_flight() == 0);
  CHECK(f.producer->retries() == 1);
  CHECK(f.EventsOf("u1") == std::vector<std::string>{"e0", "e1", "e2", "e3", "e4"});
  CHECK(f.EventsOf("u2") == std::vector<std::string>{"other"});
  CHECK(f.metrics.topic(kInteractionsTopic).produced == 6);
}

TEST_CASE("producer: a broker down holds every key's records in order and loses none") {
  Fixture f;
  f.broker.control->SetDownFor(3'000'000);
  for (int i = 0; i < 40; ++i) {
    f.Publish(NumberedId("u", static_cast<uint64_t>(i % 4)),
              NumberedId("e", static_cast<uint64_t>(i)));
  }
  CHECK(f.producer->in_flight() == 40);
  f.runtime->RunUntilIdle();
  CHECK(f.producer->in_flight() == 0);
  CHECK(f.metrics.topic(kInteractionsTopic).produced == 40);
  for (uint64_t u = 0; u < 4; ++u) {
    std::vector<std::string> expected;
    for (uint64_t i = u; i < 40; i += 4) expected.push_back(NumberedId("e", i));
    CHECK(f.EventsOf(NumberedId("u", u)) == expected);
  }
}

TEST_CASE("producer: a record that cannot be retried is dead-lettered and its key goes on") {
  Fixture f;
  f.broker.control->PushErrors(fakes::BrokerApi::kProduce, {Code::kRecordTooLarge});
  f.Publish("u1", "too-large");
  f.Publish("u1", "next");
  f.runtime->RunUntilIdle();
  CHECK(f.EventsOf("u1") == std::vector<std::string>{"next"});
  CHECK(f.metrics.topic(kInteractionsTopic).rejected == 1);
  REQUIRE(f.metrics.dead_letters().size() == 1);
  CHECK(f.metrics.dead_letters().front().stage == "produce");
}

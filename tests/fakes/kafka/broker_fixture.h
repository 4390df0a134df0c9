// A virtual clock, a fake broker with its control, and the produce and fetch steps the broker's
// suites share.
#pragma once

#include <catch2/catch.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fakes/kafka/broker.h"

namespace meshsim::testing {

struct BrokerFixture {
  explicit BrokerFixture(fakes::FakeBrokerOptions options = {})
      : fake(fakes::MakeFakeBroker(*runtime, options)) {}

  std::unique_ptr<Runtime> runtime = MakeVirtualRuntime(1);
  fakes::FakeBroker fake;
  EventStream& broker = *fake.stream;
  fakes::FakeBrokerControl& control = *fake.control;

  // Produces `record` and returns what its callback got, running the clock until it came.
  Result<RecordMetadata> Produce(const ProducerRecord& record) {
    std::optional<Result<RecordMetadata>> out;
    broker.Produce(record, [&](Result<RecordMetadata> r, const ProducerRecord*) {
      out.emplace(std::move(r));
    });
    while (!out && runtime->Pending() > 0) runtime->RunUntil(runtime->NowMicros() + 1);
    REQUIRE(out.has_value());
    return std::move(*out);
  }

  // A record stamped with the clock's time (CreateTime), as a producer would; must succeed.
  RecordMetadata Send(const std::string& topic, std::optional<std::string> key, std::string value) {
    auto r =
        Produce(ProducerRecord{topic, std::move(key), std::move(value), {}, runtime->NowMicros()});
    INFO(r.status().ToString());
    REQUIRE(r.ok());
    return *r;
  }

  RecordMetadata SendTombstone(const std::string& topic, std::string key) {
    ProducerRecord r{topic, std::move(key), "", {}, runtime->NowMicros()};
    r.null_value = true;
    auto meta = Produce(r);
    REQUIRE(meta.ok());
    return *meta;
  }

  std::unique_ptr<Consumer> Join(ConsumerConfig config) {
    auto c = broker.Subscribe(config);
    INFO(c.status().ToString());
    REQUIRE(c.ok());
    return std::move(*c);
  }

  // Everything `c` can fetch now from `tp` (or, without one, from all it owns).
  static std::vector<ConsumedRecord> FetchAll(Consumer& c,
                                              std::optional<TopicPartition> tp = std::nullopt) {
    RecordBuffer out;
    for (const auto& owned : c.Assignment()) {
      if (tp && owned != *tp) continue;
      auto n = c.Fetch(owned, 1'000'000, &out);
      INFO(n.status().ToString());
      REQUIRE(n.ok());
    }
    return {out.begin(), out.end()};
  }

  static std::vector<int64_t> Offsets(const std::vector<ConsumedRecord>& records) {
    std::vector<int64_t> offsets;
    for (const auto& r : records) offsets.push_back(r.offset);
    return offsets;
  }
};

}  // namespace meshsim::testing

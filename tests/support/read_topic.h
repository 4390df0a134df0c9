// Every record in a topic, read from the earliest offset by a consumer group of the test's own.
#pragma once

#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "sim/ports/event_stream.h"

namespace meshsim::testing {

inline std::vector<ConsumedRecord> ReadTopic(EventStream& stream, const std::string& topic) {
  auto consumer =
      stream.Subscribe(ConsumerConfig{"test-reader-" + topic, {topic}, OffsetReset::kEarliest});
  REQUIRE(consumer.ok());
  std::vector<ConsumedRecord> out;
  for (const auto& tp : (*consumer)->Assignment()) {
    RecordBuffer records;
    for (;;) {
      auto n = (*consumer)->Fetch(tp, 100'000, &records);
      REQUIRE(n.ok());
      if (*n == 0) break;
    }
    for (const auto& r : records) out.push_back(r);
  }
  (*consumer)->Close();
  return out;
}

}  // namespace meshsim::testing

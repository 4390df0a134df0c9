// The compact partition log: what goes in comes out, across chunk boundaries and for records
// larger than a chunk.
#include "fakes/partition_log.h"

#include <catch2/catch.hpp>

using namespace meshsim;
using fakes::PartitionLog;

TEST_CASE("records round-trip with null and empty keys, empty values and headers") {
  PartitionLog log;
  CHECK(log.Append(10, 11, std::nullopt, "v0", {}) == 0);
  CHECK(log.Append(20, 21, std::string(), "", {{"a", "1"}, {"", ""}}) == 1);
  CHECK(log.Append(30, 31, std::string("key"), std::string(1000, 'x'),
                   {{"h", std::string(3, '\0')}}) == 2);
  CHECK(log.EndOffset() == 3);
  ConsumedRecord r;
  log.Read(0, &r);
  CHECK(r.offset == 0);
  CHECK(r.timestamp_us == 10);
  CHECK(r.append_time_us == 11);
  CHECK_FALSE(r.key.has_value());
  CHECK(r.value == "v0");
  CHECK(r.headers.empty());
  log.Read(1, &r);
  REQUIRE(r.key.has_value());
  CHECK(r.key->empty());
  CHECK(r.value.empty());
  REQUIRE(r.headers.size() == 2);
  CHECK(r.headers[0].key == "a");
  CHECK(r.headers[0].value == "1");
  CHECK(r.headers[1].key.empty());
  log.Read(2, &r);
  CHECK(*r.key == "key");
  CHECK(r.value == std::string(1000, 'x'));
  REQUIRE(r.headers.size() == 1);
  CHECK(r.headers[0].value == std::string(3, '\0'));
  log.Read(0, &r);  // reading into a used record clears what the earlier one had
  CHECK_FALSE(r.key.has_value());
  CHECK(r.headers.empty());
}

TEST_CASE("records span many chunks, and one larger than a chunk gets its own") {
  PartitionLog log;
  const std::string value(1000, 'v');
  for (int i = 0; i < 3000; ++i) log.Append(i, i, std::to_string(i), value + std::to_string(i), {});
  const std::string big(PartitionLog::kChunkBytes + 10, 'b');
  const int64_t big_offset = log.Append(0, 0, std::nullopt, big, {});
  log.Append(1, 1, std::string("after"), "tail", {});
  CHECK(log.MemoryBytes() > 3 * PartitionLog::kChunkBytes);
  ConsumedRecord r;
  for (int i = 0; i < 3000; i += 7) {
    log.Read(i, &r);
    CHECK(*r.key == std::to_string(i));
    CHECK(r.value == value + std::to_string(i));
  }
  log.Read(big_offset, &r);
  CHECK(r.value == big);
  log.Read(big_offset + 1, &r);
  CHECK(*r.key == "after");
  CHECK(r.value == "tail");
}

// The compact partition log: what goes in comes out, across chunk boundaries and for records
// larger than a chunk.
#include "fakes/kafka/partition_log.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

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

TEST_CASE("segments roll at segment_bytes, and retention never drops the active one") {
  // "k" and a 10-byte value: 14 bytes (a varint before each, and for the header count), four a
  // segment.
  PartitionLog log(60);
  for (int i = 0; i < 9; ++i) log.Append(i, i, std::string("k"), "0123456789", {});
  CHECK(log.SegmentCount() == 3);
  CHECK(log.rolls() == 2);
  CHECK(log.SizeBytes() == 9 * 14);
  CHECK(log.DeleteRetained(/*now_us=*/1000, /*retention_us=*/0, /*retention_bytes=*/-1) == 2);
  CHECK(log.log_start() == 8);
  CHECK(log.SegmentCount() == 1);
  CHECK(log.SizeBytes() == 14);
  ConsumedRecord r;
  log.Read(8, &r);  // the index still finds what is left
  CHECK(r.timestamp_us == 8);
  CHECK(log.DeleteRetained(1000, 0, 0) == 0);
  CHECK(log.OffsetForTime(0) == 8);
}

TEST_CASE("a null value round-trips as a tombstone, distinct from an empty one") {
  PartitionLog log;
  log.Append(1, 1, std::string("k"), "ignored", {{"h", "v"}}, /*null_value=*/true);
  log.Append(2, 2, std::string("k"), "", {});
  ConsumedRecord r;
  log.Read(0, &r);
  CHECK(r.null_value);
  CHECK(r.value.empty());
  REQUIRE(r.headers.size() == 1);
  log.Read(1, &r);
  CHECK_FALSE(r.null_value);
  CHECK(r.value.empty());
}

TEST_CASE("lengths at every varint width round-trip") {
  PartitionLog log;
  const std::vector<size_t> sizes = {0, 1, 126, 127, 128, 16383, 16384, (size_t{1} << 21) + 5};
  for (size_t n : sizes) {
    log.Append(0, 0, std::string(n, 'k'), std::string(n, 'v'), {{std::string(n, 'h'), "x"}});
  }
  ConsumedRecord r;
  for (size_t i = 0; i < sizes.size(); ++i) {
    CAPTURE(sizes[i]);
    log.Read(static_cast<int64_t>(i), &r);
    CHECK(*r.key == std::string(sizes[i], 'k'));
    CHECK(r.value == std::string(sizes[i], 'v'));
    REQUIRE(r.headers.size() == 1);
    CHECK(r.headers[0].key == std::string(sizes[i], 'h'));
    CHECK(r.headers[0].value == "x");
  }
}

TEST_CASE("repeated header keys cost a byte, and past the dictionary's size stay literal") {
  PartitionLog log;
  // A null key (1 byte), "v" (2), one header (1): "meshsim-trace" by its number (1) and "1" (2).
  log.Append(0, 0, std::nullopt, "v", {{"meshsim-trace", "1"}});
  CHECK(log.SizeBytes() == 7);
  log.Append(0, 0, std::nullopt, "v", {{"meshsim-trace", "2"}});
  CHECK(log.SizeBytes() == 14);
  // Many distinct keys: the dictionary fills, and later keys are written out in full.
  const size_t distinct = fakes::HeaderKeys::kMaxKeys + 20;
  for (size_t i = 0; i < distinct; ++i) {
    log.Append(0, 0, std::nullopt, "v", {{"meshsim-trace", "t"}, {"key-" + std::to_string(i), ""}});
  }
  ConsumedRecord r;
  log.Read(1, &r);
  REQUIRE(r.headers.size() == 1);
  CHECK(r.headers[0].key == "meshsim-trace");
  CHECK(r.headers[0].value == "2");
  for (size_t i = 0; i < distinct; ++i) {
    CAPTURE(i);
    log.Read(static_cast<int64_t>(i + 2), &r);
    REQUIRE(r.headers.size() == 2);
    CHECK(r.headers[0].key == "meshsim-trace");
    CHECK(r.headers[1].key == "key-" + std::to_string(i));
  }
}

// Log compaction (cleanup.policy=compact) on the fake broker, for the entity topics: the latest
// record per key is kept in the closed segments, offsets keep their numbers with gaps between,
// tombstones go after delete.retention.ms, the active segment and young segments are left alone.
#include <catch2/catch.hpp>

#include "tests/fakes/kafka/broker_fixture.h"

using namespace meshsim;
using testing::BrokerFixture;

namespace {

constexpr int64_t kSecond = kMicrosPerSecond;
// A 2-byte key and a 10-byte value take 15 bytes in a segment, so four fill a 60-byte one; a
// tombstone takes 5.
const std::string kValue = "0123456789";

// A 10-byte value that reads as `first`.
std::string Value(char first) {
  std::string v = kValue;
  v[0] = first;
  return v;
}

TopicConfig Compacted(int64_t min_lag_ms = 0) {
  TopicConfig c{"users", 1};
  c.segment_bytes = 60;
  c.cleanup_policy = CleanupPolicy::kCompact;
  c.delete_retention_ms = 1000;
  c.min_compaction_lag_ms = min_lag_ms;
  return c;
}

// The values `c` reads from the start, as "key=value" ("key=null" for a tombstone).
std::vector<std::string> ReadAll(BrokerFixture& f, const char* group) {
  auto c = f.Join({group, {"users"}, OffsetReset::kEarliest});
  std::vector<std::string> out;
  for (const auto& r : BrokerFixture::FetchAll(*c)) {
    out.push_back(*r.key + "=" + (r.null_value ? "null" : r.value.substr(0, 1)));
  }
  return out;
}

}  // namespace

TEST_CASE("compaction keeps the latest record per key and the offsets, with gaps") {
  BrokerFixture f;
  REQUIRE(f.broker.CreateTopic(Compacted()).ok());
  const TopicPartition tp{"users", 0};
  const char* updates[][2] = {{"u1", "a"}, {"u2", "a"}, {"u1", "b"}, {"u3", "a"},  // segment 0
                              {"u1", "c"}, {"u2", "b"}, {"u1", "d"}, {"u2", "c"},  // segment 1
                              {"u1", "e"}};                                        // active
  for (const auto& [key, value] : updates) f.Send("users", key, Value(value[0]));
  auto reader = f.Join({"reader", {"users"}, OffsetReset::kEarliest});

  f.control.RunLogCleaner();
  auto records = BrokerFixture::FetchAll(*reader);
  // u3's only record, u1 and u2's latest in the closed segments, and the active segment as it
  // was: u1=e does not remove u1=d, which is in a segment the cleaner may not see past.
  CHECK(BrokerFixture::Offsets(records) == std::vector<int64_t>{3, 6, 7, 8});
  CHECK(records[1].value[0] == 'd');
  CHECK(f.control.LogStartOffset(tp).value() == 0);
  CHECK(f.broker.EndOffset(tp).value() == 9);
  CHECK(reader->Position(tp).value() == 9);
  CHECK(reader->Lag(tp).value() == 9);  // lag counts offsets, gaps included, as Kafka's does
  REQUIRE(reader->Commit(tp, 7).ok());
  CHECK(reader->Lag(tp).value() == 2);
  // A seek into a gap reads on from the next record kept.
  REQUIRE(reader->Seek(tp, 4).ok());
  CHECK(BrokerFixture::Offsets(BrokerFixture::FetchAll(*reader)) == std::vector<int64_t>{6, 7, 8});
  // Nothing new to clean: another pass changes nothing.
  f.control.RunLogCleaner();
  CHECK(ReadAll(f, "again") == std::vector<std::string>{"u3=a", "u1=d", "u2=c", "u1=e"});
}

TEST_CASE("a tombstone removes its key's records and goes itself after delete.retention.ms") {
  BrokerFixture f;
  REQUIRE(f.broker.CreateTopic(Compacted()).ok());
  f.Send("users", "u1", Value('a'));  // 0
  f.Send("users", "u2", Value('a'));  // 1
  f.SendTombstone("users", "u1");     // 2
  f.Send("users", "u3", Value('a'));  // 3 (segment 0 is 50 bytes)
  for (const char* key : {"u4", "u5", "u6", "u7", "u8"}) f.Send("users", key, Value('a'));
  f.control.RunLogCleaner();  // at 0 s: the first pass over segment 0 keeps the tombstone
  CHECK(ReadAll(f, "g1") == std::vector<std::string>{"u2=a", "u1=null", "u3=a", "u4=a", "u5=a",
                                                     "u6=a", "u7=a", "u8=a"});
  f.runtime->RunUntil(kSecond / 2);
  f.control.RunLogCleaner();
  CHECK(ReadAll(f, "g2").size() == 8);  // not yet
  f.runtime->RunUntil(kSecond);
  f.control.RunLogCleaner();
  CHECK(ReadAll(f, "g3") ==
        std::vector<std::string>{"u2=a", "u3=a", "u4=a", "u5=a", "u6=a", "u7=a", "u8=a"});
}

TEST_CASE("min.compaction.lag.ms leaves young segments as they are") {
  BrokerFixture f;
  REQUIRE(f.broker.CreateTopic(Compacted(/*min_lag_ms=*/1000)).ok());
  for (const char* v : {"a", "b", "c", "d"}) f.Send("users", "u1", Value(v[0]));
  f.runtime->RunUntil(8 * kSecond / 10);
  for (const char* v : {"e", "f", "g", "h", "i"}) f.Send("users", "u1", Value(v[0]));
  f.runtime->RunUntil(9 * kSecond / 10);
  f.control.RunLogCleaner();
  CHECK(ReadAll(f, "g1").size() == 9);  // segment 0 is 0.9 s old
  f.runtime->RunUntil(12 * kSecond / 10);
  f.control.RunLogCleaner();  // segment 0 is old enough, segment 1 (0.4 s) is not
  CHECK(ReadAll(f, "g2") ==
        std::vector<std::string>{"u1=d", "u1=e", "u1=f", "u1=g", "u1=h", "u1=i"});
  f.runtime->RunUntil(2 * kSecond);
  f.control.RunLogCleaner();
  CHECK(ReadAll(f, "g3") == std::vector<std::string>{"u1=h", "u1=i"});
}

TEST_CASE("compaction runs by itself as segments roll") {
  BrokerFixture f;
  REQUIRE(f.broker.CreateTopic(Compacted()).ok());
  for (int i = 0; i < 40; ++i) f.Send("users", "u1", Value(static_cast<char>('0' + i % 10)));
  // Each roll leaves the latest of the closed segments: 39's segment is active (36-39), and
  // 35 is the latest closed one.
  CHECK(BrokerFixture::Offsets(BrokerFixture::FetchAll(*f.Join({"g", {"users"}}))) ==
        std::vector<int64_t>{35, 36, 37, 38, 39});
}

TEST_CASE("a compacted topic refuses unkeyed records with INVALID_RECORD") {
  BrokerFixture f;
  REQUIRE(f.broker.CreateTopic(Compacted()).ok());
  auto r = f.Produce(ProducerRecord{"users", std::nullopt, "v", {}, 0});
  CHECK(r.status().code() == Code::kInvalidRecord);
  CHECK(CodeName(r.status().code()) == "INVALID_RECORD");
  CHECK_FALSE(IsRetriable(r.status().code()));
  CHECK(f.broker.EndOffset({"users", 0}).value() == 0);
}

TEST_CASE("a null value and an empty value are different records") {
  BrokerFixture f;
  REQUIRE(f.broker.CreateTopic({"t", 1}).ok());
  f.Send("t", "k", "");
  f.SendTombstone("t", "k");
  f.Send("t", std::nullopt, "x");
  auto records = BrokerFixture::FetchAll(*f.Join({"g", {"t"}}));
  REQUIRE(records.size() == 3);
  CHECK_FALSE(records[0].null_value);
  CHECK(records[0].value.empty());
  CHECK(records[1].null_value);
  CHECK(records[1].value.empty());
  CHECK_FALSE(records[2].null_value);  // a reused slot does not keep the flag
  CHECK(records[2].value == "x");
}

TEST_CASE("compact,delete both compacts and deletes by retention") {
  BrokerFixture f;
  TopicConfig c = Compacted();
  c.cleanup_policy = CleanupPolicy::kCompactDelete;
  c.retention_ms = 1000;
  REQUIRE(f.broker.CreateTopic(c).ok());
  for (const char* key : {"u1", "u1", "u2", "u2"}) f.Send("users", key, kValue);
  f.runtime->RunUntil(kSecond / 2);
  for (const char* key : {"u3", "u3", "u3", "u3", "u4"}) f.Send("users", key, kValue);
  f.control.RunLogCleaner();
  CHECK(BrokerFixture::Offsets(BrokerFixture::FetchAll(*f.Join({"g1", {"users"}}))) ==
        std::vector<int64_t>{1, 3, 7, 8});
  f.runtime->RunUntil(12 * kSecond / 10);
  f.control.RunLogCleaner();  // segment 0 is past retention, latest values or not
  CHECK(f.control.LogStartOffset({"users", 0}).value() == 4);
  CHECK(BrokerFixture::Offsets(BrokerFixture::FetchAll(*f.Join({"g2", {"users"}}))) ==
        std::vector<int64_t>{7, 8});
}

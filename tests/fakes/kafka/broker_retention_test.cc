// Retention (cleanup.policy=delete) on the fake broker: whole closed segments go by time and by
// size, the log start advances, and a consumer left before it is reset by auto.offset.reset.
#include <catch2/catch.hpp>

#include "fakes/kafka/murmur2.h"
#include "tests/fakes/kafka/broker_fixture.h"

using namespace meshsim;
using testing::BrokerFixture;

namespace {

constexpr int64_t kSecond = kMicrosPerSecond;
// Key "k" and a 10-byte value take 14 bytes in a segment, so four fill a 60-byte one.
const std::string kValue = "0123456789";

TopicConfig SmallSegments(int64_t retention_ms, int64_t retention_bytes = TopicConfig::kForever) {
  TopicConfig c{"t", 1};
  c.segment_bytes = 60;
  c.retention_ms = retention_ms;
  c.retention_bytes = retention_bytes;
  return c;
}

}  // namespace

TEST_CASE("retention.ms deletes closed segments once their newest record is older") {
  BrokerFixture f;
  REQUIRE(f.broker.CreateTopic(SmallSegments(1000)).ok());
  const TopicPartition tp{"t", 0};
  auto earliest = f.Join({"early", {"t"}, OffsetReset::kEarliest});
  auto latest = f.Join({"late", {"t"}, OffsetReset::kLatest});
  auto committed = f.Join({"committed", {"t"}, OffsetReset::kEarliest});

  for (int i = 0; i < 4; ++i) f.Send("t", "k", kValue);  // segment 0: offsets 0-3 at 0 s
  REQUIRE(committed->Commit(tp, 2).ok());
  f.runtime->RunUntil(kSecond / 2);
  for (int i = 0; i < 4; ++i) f.Send("t", "k", kValue);  // rolls; segment 1: 4-7 at 0.5 s
  f.runtime->RunUntil(9 * kSecond / 10);
  f.Send("t", "k", kValue);                          // rolls; segment 2 (active): 8 at 0.9 s
  CHECK(f.control.LogStartOffset(tp).value() == 0);  // nothing old enough at either roll

  // 1.4 s: segment 0 is 1.4 s old, segment 1 0.9 s. The cleaner runs on a roll or when asked.
  f.runtime->RunUntil(14 * kSecond / 10);
  CHECK(f.control.LogStartOffset(tp).value() == 0);
  f.control.RunLogCleaner();
  CHECK(f.control.LogStartOffset(tp).value() == 4);
  CHECK(f.broker.EndOffset(tp).value() == 9);

  // A consumer before the log start gets OFFSET_OUT_OF_RANGE, then resumes as its reset says.
  RecordBuffer out;
  CHECK(earliest->Fetch(tp, 100, &out).status().code() == Code::kOffsetOutOfRange);
  CHECK(earliest->Position(tp).value() == 4);
  CHECK(BrokerFixture::Offsets(BrokerFixture::FetchAll(*earliest)) ==
        std::vector<int64_t>{4, 5, 6, 7, 8});
  CHECK(latest->Fetch(tp, 100, &out).status().code() == Code::kOffsetOutOfRange);
  CHECK(latest->Position(tp).value() == 9);
  CHECK(BrokerFixture::FetchAll(*latest).empty());
  // A committed offset below the log start is reset on the next assignment.
  committed->Close();
  committed = f.Join({"committed", {"t"}, OffsetReset::kEarliest});
  CHECK(committed->Position(tp).value() == 4);
  CHECK(committed->Seek(tp, 3).code() == Code::kOffsetOutOfRange);

  // 2 s: the roll to a new segment deletes segment 1 (1.5 s old); the active one never goes,
  // however old its records.
  f.runtime->RunUntil(2 * kSecond);
  for (int i = 0; i < 4; ++i) f.Send("t", "k", kValue);  // 9-11 fill segment 2; 12 rolls
  CHECK(f.control.LogStartOffset(tp).value() == 8);
  f.runtime->RunUntil(60 * kSecond);
  f.control.RunLogCleaner();
  CHECK(f.control.LogStartOffset(tp).value() == 12);
  CHECK(f.broker.EndOffset(tp).value() == 13);
}

TEST_CASE("retention.bytes deletes the oldest segments while the rest would still exceed it") {
  BrokerFixture f;
  REQUIRE(f.broker.CreateTopic(SmallSegments(TopicConfig::kForever, 120)).ok());
  const TopicPartition tp{"t", 0};
  for (int i = 0; i < 20; ++i) f.Send("t", "k", kValue);  // five segments of 56 bytes
  // At the roll to the fifth segment: 4 x 56 + 14 = 238 bytes; without segment 0, 182 >= 120;
  // without segment 1 too, 126 >= 120; without segment 2, 70 < 120: two go.
  CHECK(f.control.LogStartOffset(tp).value() == 8);
  f.control.RunLogCleaner();  // 168 bytes now, 112 without segment 2: it stays
  CHECK(f.control.LogStartOffset(tp).value() == 8);
  auto c = f.Join({"g", {"t"}, OffsetReset::kEarliest});
  const auto records = BrokerFixture::FetchAll(*c);
  REQUIRE(records.size() == 12);
  CHECK(records.front().offset == 8);
  CHECK(records.back().offset == 19);
  CHECK(c->Lag(tp).value() == 12);
}

TEST_CASE("the default retention keeps a week of records") {
  BrokerFixture f;
  TopicConfig config = SmallSegments(TopicConfig{}.retention_ms);
  REQUIRE(config.retention_ms == 7 * 24 * 3600 * 1000LL);
  REQUIRE(f.broker.CreateTopic(config).ok());
  for (int i = 0; i < 8; ++i) f.Send("t", "k", kValue);
  f.runtime->RunUntil(6 * 24 * 3600 * kSecond);
  f.control.RunLogCleaner();
  CHECK(f.control.LogStartOffset({"t", 0}).value() == 0);
  f.runtime->RunUntil(8 * 24 * 3600 * kSecond);
  f.control.RunLogCleaner();
  CHECK(f.control.LogStartOffset({"t", 0}).value() == 4);
}

TEST_CASE("a periodic log cleaner enforces retention with no produce") {
  BrokerFixture f({.log_cleaner_interval_us = 300 * kSecond});
  REQUIRE(f.broker.CreateTopic(SmallSegments(1000)).ok());
  for (int i = 0; i < 5; ++i) f.Send("t", "k", kValue);
  f.runtime->RunUntil(299 * kSecond);
  CHECK(f.control.LogStartOffset({"t", 0}).value() == 0);
  f.runtime->RunUntil(300 * kSecond);
  CHECK(f.control.LogStartOffset({"t", 0}).value() == 4);
}

TEST_CASE("topic configs are validated, described and enforced") {
  BrokerFixture f;
  TopicConfig bad{"bad", 1};
  bad.segment_bytes = 10;
  CHECK(f.broker.CreateTopic(bad).code() == Code::kInvalidConfig);
  bad = TopicConfig{"bad", 1};
  bad.retention_ms = -2;
  CHECK(f.broker.CreateTopic(bad).code() == Code::kInvalidConfig);
  CHECK(f.broker.PartitionCount("bad").status().code() == Code::kUnknownTopicOrPartition);

  TopicConfig small{"small", 2};
  small.max_message_bytes = 50;
  REQUIRE(f.broker.CreateTopic(small).ok());
  REQUIRE(f.broker.CreateTopic({"plain", 1}).ok());
  auto described = f.control.DescribeTopic("plain");
  REQUIRE(described.ok());
  CHECK(described->max_message_bytes == 1 << 20);  // the broker's message.max.bytes
  CHECK(described->cleanup_policy == CleanupPolicy::kDelete);
  CHECK(f.control.DescribeTopic("small")->max_message_bytes == 50);
  CHECK(f.control.DescribeTopic("nope").status().code() == Code::kUnknownTopicOrPartition);

  auto big = f.Produce(ProducerRecord{"small", "k", std::string(50, 'x'), {}, 0});
  CHECK(big.status().code() == Code::kRecordTooLarge);  // key and value: 51 bytes
  CHECK(f.Produce(ProducerRecord{"small", "k", std::string(49, 'x'), {}, 0}).ok());
  CHECK(f.broker.EndOffset({"small", fakes::KafkaPartitionForKey("k", 2)}).value() == 1);
}

// The in-process broker against the EventStream contract: keyed partitioning as Kafka's default
// partitioner, per-key order, offsets, consumer groups with commits, seek by offset and by time.
#include "fakes/kafka/broker.h"

#include <catch2/catch.hpp>
#include <map>
#include <set>

#include "fakes/kafka/murmur2.h"

using namespace meshsim;

namespace {

struct Fixture {
  std::unique_ptr<Runtime> runtime = MakeVirtualRuntime(1);
  std::unique_ptr<EventStream> broker = fakes::MakeFakeEventStream(*runtime);

  RecordMetadata Send(const std::string& topic, std::optional<std::string> key, std::string value) {
    std::optional<Result<RecordMetadata>> out;
    broker->Produce(
        ProducerRecord{topic, std::move(key), std::move(value), {}, 0},
        [&](Result<RecordMetadata> r, const ProducerRecord*) { out.emplace(std::move(r)); });
    REQUIRE(out.has_value());
    REQUIRE(out->ok());
    return out->value();
  }

  std::vector<ConsumedRecord> FetchAll(Consumer& c) {
    RecordBuffer out;
    for (const auto& tp : c.Assignment()) REQUIRE(c.Fetch(tp, 1'000'000, &out).ok());
    return {out.begin(), out.end()};
  }
};

}  // namespace

TEST_CASE("murmur2 matches Kafka's Utils.murmur2 test vectors") {
  // From Kafka's UtilsTest.testMurmur2.
  CHECK(fakes::Murmur2("21") == -973932308);
  CHECK(fakes::Murmur2("foobar") == -790332482);
  CHECK(fakes::Murmur2("a-little-bit-long-string") == -985981536);
  CHECK(fakes::Murmur2("a-little-bit-longer-string") == -1486304829);
  CHECK(fakes::Murmur2("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8") == -58897971);
  CHECK(fakes::Murmur2(std::string_view("abc")) == 479470107);
}

TEST_CASE("keyed records go to one partition, in order, with dense offsets") {
  Fixture f;
  REQUIRE(f.broker->CreateTopic({"t", 8}).ok());
  std::map<int32_t, int64_t> next_offset;
  for (int i = 0; i < 200; ++i) {
    const std::string key = "user-" + std::to_string(i % 13);
    auto meta = f.Send("t", key, std::to_string(i));
    CHECK(meta.tp.partition == fakes::KafkaPartitionForKey(key, 8));
    CHECK(meta.offset == next_offset[meta.tp.partition]++);
  }
  auto consumer = f.broker->Subscribe({"g", {"t"}, OffsetReset::kEarliest});
  REQUIRE(consumer.ok());
  auto records = f.FetchAll(**consumer);
  REQUIRE(records.size() == 200);
  std::map<std::string, int> last_seen;
  for (const auto& r : records) {
    const int value = std::stoi(r.value);
    auto [it, inserted] = last_seen.try_emplace(*r.key, value);
    if (!inserted) {
      CHECK(value > it->second);  // per-key order kept
      it->second = value;
    }
  }
  CHECK(last_seen.size() == 13);
}

TEST_CASE("unkeyed records spread over partitions") {
  Fixture f;
  REQUIRE(f.broker->CreateTopic({"t", 4}).ok());
  std::set<int32_t> used;
  for (int i = 0; i < 8; ++i) used.insert(f.Send("t", std::nullopt, "v").tp.partition);
  CHECK(used.size() == 4);
}

TEST_CASE("records keep headers, timestamps and get the append time") {
  Fixture f;
  REQUIRE(f.broker->CreateTopic({"t", 1}).ok());
  f.runtime->RunUntil(5000);
  f.broker->Produce(ProducerRecord{"t", "k", "v", {{"h1", "x"}, {"h2", ""}}, 1234},
                    [](Result<RecordMetadata> r, const ProducerRecord*) {
                      REQUIRE(r.ok());
                      CHECK(r->append_time_us == 5000);
                    });
  auto c = f.broker->Subscribe({"g", {"t"}, OffsetReset::kEarliest});
  REQUIRE(c.ok());
  auto records = f.FetchAll(**c);
  REQUIRE(records.size() == 1);
  CHECK(records[0].timestamp_us == 1234);
  CHECK(records[0].append_time_us == 5000);
  REQUIRE(records[0].headers.size() == 2);
  CHECK(records[0].headers[0].key == "h1");
  CHECK(records[0].headers[0].value == "x");
}

TEST_CASE("two groups each receive every record exactly once") {
  Fixture f;
  REQUIRE(f.broker->CreateTopic({"t", 3}).ok());
  auto a = f.broker->Subscribe({"analytics", {"t"}, OffsetReset::kEarliest});
  auto b = f.broker->Subscribe({"recommendations", {"t"}, OffsetReset::kEarliest});
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  for (int i = 0; i < 50; ++i) f.Send("t", std::to_string(i), std::to_string(i));
  auto ra = f.FetchAll(**a);
  auto rb = f.FetchAll(**b);
  CHECK(ra.size() == 50);
  CHECK(rb.size() == 50);
  // A second fetch gets nothing new: no record twice.
  CHECK(f.FetchAll(**a).empty());
  CHECK(f.FetchAll(**b).empty());
  std::set<std::string> values;
  for (const auto& r : ra) values.insert(r.value);
  CHECK(values.size() == 50);
}

TEST_CASE("a member that rejoins resumes from the group's committed offset") {
  Fixture f;
  REQUIRE(f.broker->CreateTopic({"t", 1}).ok());
  for (int i = 0; i < 10; ++i) f.Send("t", "k", std::to_string(i));
  const TopicPartition tp{"t", 0};
  {
    auto c = f.broker->Subscribe({"g", {"t"}, OffsetReset::kEarliest});
    REQUIRE(c.ok());
    RecordBuffer out;
    REQUIRE((*c)->Fetch(tp, 4, &out).ok());
    REQUIRE(out.size() == 4);
    CHECK((*c)->Committed(tp).value() == -1);
    CHECK((*c)->Lag(tp).value() == 10);
    REQUIRE((*c)->Commit(tp, out.back().offset + 1).ok());
    CHECK((*c)->Committed(tp).value() == 4);
    CHECK((*c)->Lag(tp).value() == 6);
    // Read two more without committing: they come again after the restart.
    REQUIRE((*c)->Fetch(tp, 2, &out).ok());
  }
  auto again = f.broker->Subscribe({"g", {"t"}, OffsetReset::kEarliest});
  REQUIRE(again.ok());
  CHECK((*again)->Position(tp).value() == 4);
  auto rest = f.FetchAll(**again);
  REQUIRE(rest.size() == 6);
  CHECK(rest.front().value == "4");
  CHECK(rest.front().offset == 4);
}

TEST_CASE("auto.offset.reset latest starts at the end; earliest at the start") {
  Fixture f;
  REQUIRE(f.broker->CreateTopic({"t", 1}).ok());
  for (int i = 0; i < 5; ++i) f.Send("t", "k", "old");
  auto latest = f.broker->Subscribe({"late", {"t"}, OffsetReset::kLatest});
  auto earliest = f.broker->Subscribe({"early", {"t"}, OffsetReset::kEarliest});
  REQUIRE(latest.ok());
  REQUIRE(earliest.ok());
  f.Send("t", "k", "new");
  auto l = f.FetchAll(**latest);
  REQUIRE(l.size() == 1);
  CHECK(l[0].value == "new");
  CHECK(f.FetchAll(**earliest).size() == 6);
}

TEST_CASE("seek moves the position; out of range is OFFSET_OUT_OF_RANGE") {
  Fixture f;
  REQUIRE(f.broker->CreateTopic({"t", 1}).ok());
  for (int i = 0; i < 5; ++i) f.Send("t", "k", std::to_string(i));
  auto c = f.broker->Subscribe({"g", {"t"}, OffsetReset::kEarliest});
  REQUIRE(c.ok());
  const TopicPartition tp{"t", 0};
  REQUIRE((*c)->Seek(tp, 3).ok());
  auto records = f.FetchAll(**c);
  REQUIRE(records.size() == 2);
  CHECK(records[0].value == "3");
  CHECK((*c)->Seek(tp, 6).code() == Code::kOffsetOutOfRange);
  CHECK((*c)->Seek(tp, -1).code() == Code::kOffsetOutOfRange);
  CHECK((*c)->Commit(tp, 99).code() == Code::kOffsetOutOfRange);
}

TEST_CASE("errors carry Kafka's names and change nothing") {
  Fixture f;
  REQUIRE(f.broker->CreateTopic({"t", 2}).ok());
  CHECK(f.broker->CreateTopic({"t", 2}).code() == Code::kTopicAlreadyExists);
  CHECK(f.broker->CreateTopic({"u", 0}).code() == Code::kInvalidPartitions);
  CHECK(f.broker->PartitionCount("nope").status().code() == Code::kUnknownTopicOrPartition);
  CHECK(f.broker->Subscribe({"g", {"nope"}, OffsetReset::kEarliest}).status().code() ==
        Code::kUnknownTopicOrPartition);

  std::optional<Status> status;
  std::string returned;
  f.broker->Produce(ProducerRecord{"nope", "k", "v", {}, 0},
                    [&](Result<RecordMetadata> r, const ProducerRecord* unsent) {
                      status = r.status();
                      REQUIRE(unsent != nullptr);
                      returned = unsent->value;
                    });
  REQUIRE(status);
  CHECK(status->code() == Code::kUnknownTopicOrPartition);
  CHECK(CodeName(status->code()) == "UNKNOWN_TOPIC_OR_PARTITION");
  CHECK(returned == "v");  // the delivery report hands the record back

  auto big = fakes::MakeFakeEventStream(*f.runtime, {.max_record_bytes = 10});
  REQUIRE(big->CreateTopic({"t", 1}).ok());
  big->Produce(ProducerRecord{"t", "k", std::string(11, 'x'), {}, 0},
               [&](Result<RecordMetadata> r, const ProducerRecord*) { status = r.status(); });
  CHECK(status->code() == Code::kRecordTooLarge);
  CHECK(big->EndOffset({"t", 0}).value() == 0);
}

TEST_CASE("range assignment splits partitions and rebalances when members come and go") {
  Fixture f;
  REQUIRE(f.broker->CreateTopic({"t", 5}).ok());
  auto a = f.broker->Subscribe({"g", {"t"}, OffsetReset::kEarliest});
  REQUIRE(a.ok());
  CHECK((*a)->Assignment().size() == 5);
  auto b = f.broker->Subscribe({"g", {"t"}, OffsetReset::kEarliest});
  REQUIRE(b.ok());
  // RangeAssignor: 5 partitions over 2 members -> [0,1,2] and [3,4].
  CHECK((*a)->Assignment() == std::vector<TopicPartition>{{"t", 0}, {"t", 1}, {"t", 2}});
  CHECK((*b)->Assignment() == std::vector<TopicPartition>{{"t", 3}, {"t", 4}});
  (*a)->Close();
  CHECK((*b)->Assignment().size() == 5);
  RecordBuffer out;
  CHECK((*a)->Fetch({"t", 0}, 1, &out).status().code() == Code::kUnknownMemberId);
}

TEST_CASE("wake-ups are posted after an append, never run inside the produce") {
  Fixture f;
  REQUIRE(f.broker->CreateTopic({"t", 2}).ok());
  auto c = f.broker->Subscribe({"g", {"t"}, OffsetReset::kEarliest});
  REQUIRE(c.ok());
  std::vector<TopicPartition> woken;
  (*c)->SetWakeup([&](const TopicPartition& tp) { woken.push_back(tp); });
  f.runtime->RunUntilIdle();  // the assignment's own wake-ups
  woken.clear();
  auto meta = f.Send("t", "k", "v");
  f.Send("t", "k", "v2");  // coalesced with the first: one wake-up
  CHECK(woken.empty());
  f.runtime->RunUntilIdle();
  CHECK(woken == std::vector<TopicPartition>{meta.tp});
}

TEST_CASE("creating a topic does not rewind a group's fetched, uncommitted records") {
  // Regression: CreateTopic rebalanced every group, resetting positions to committed offsets.
  Fixture f;
  REQUIRE(f.broker->CreateTopic({"t", 1}).ok());
  for (int i = 0; i < 5; ++i) f.Send("t", "k", std::to_string(i));
  auto c = f.broker->Subscribe({"g", {"t"}, OffsetReset::kEarliest});
  REQUIRE(c.ok());
  CHECK(f.FetchAll(**c).size() == 5);
  REQUIRE(f.broker->CreateTopic({"unrelated", 3}).ok());
  CHECK(f.FetchAll(**c).empty());
}

TEST_CASE("a member that keeps a partition through a rebalance keeps its position") {
  Fixture f;
  REQUIRE(f.broker->CreateTopic({"t", 2}).ok());
  auto a = f.broker->Subscribe({"g", {"t"}, OffsetReset::kEarliest});
  REQUIRE(a.ok());
  for (int i = 0; i < 20; ++i) f.Send("t", std::to_string(i), "v");
  const size_t fetched = f.FetchAll(**a).size();
  CHECK(fetched == 20);
  auto b = f.broker->Subscribe({"g", {"t"}, OffsetReset::kEarliest});  // takes partition 1
  REQUIRE(b.ok());
  CHECK(f.FetchAll(**a).empty());        // partition 0 kept: nothing again
  CHECK_FALSE(f.FetchAll(**b).empty());  // partition 1 moved, uncommitted: from the start
}

TEST_CASE("a wake-up posted before a rebalance does nothing after it") {
  // Regression: the posted task indexed the member's topics by position, which a rebalance
  // rebuilds; a stale task wrote past the end of a smaller topic's flags.
  Fixture f;
  REQUIRE(f.broker->CreateTopic({"a", 1}).ok());
  REQUIRE(f.broker->CreateTopic({"b", 8}).ok());
  auto first = f.broker->Subscribe({"g", {"a", "b"}, OffsetReset::kEarliest});
  auto second = f.broker->Subscribe({"g", {"a", "b"}, OffsetReset::kEarliest});
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  std::vector<TopicPartition> woken;
  (*second)->SetWakeup([&](const TopicPartition& tp) { woken.push_back(tp); });
  f.runtime->RunUntilIdle();
  woken.clear();
  for (int i = 0; i < 50; ++i) f.Send("b", std::to_string(i), "v");
  (*first)->Close();  // rebalance before the wake-ups run
  f.runtime->RunUntilIdle();
  const auto owned = (*second)->Assignment();
  for (const auto& tp : woken) {
    INFO(tp.topic << "-" << tp.partition);
    CHECK(std::find(owned.begin(), owned.end(), tp) != owned.end());
  }
}

TEST_CASE("a fetch minimum holds the wake-up until that many records are unread") {
  Fixture f;
  REQUIRE(f.broker->CreateTopic({"t", 1}).ok());
  auto c = f.broker->Subscribe({"g", {"t"}, OffsetReset::kEarliest});
  REQUIRE(c.ok());
  int woken = 0;
  (*c)->SetWakeup([&](const TopicPartition&) { ++woken; });
  f.runtime->RunUntilIdle();  // the assignment's own wake-up
  woken = 0;
  const TopicPartition tp{"t", 0};
  (*c)->SetFetchMinRecords(tp, 3);
  f.Send("t", "k", "1");
  f.Send("t", "k", "2");
  f.runtime->RunUntilIdle();
  CHECK(woken == 0);
  f.Send("t", "k", "3");
  f.runtime->RunUntilIdle();
  CHECK(woken == 1);
  // The minimum counts from the position: after fetching all three, one more record is not
  // three unread, and a minimum of one wakes for it.
  CHECK(f.FetchAll(**c).size() == 3);
  (*c)->SetFetchMinRecords(tp, 3);
  f.Send("t", "k", "4");
  f.runtime->RunUntilIdle();
  CHECK(woken == 1);
  (*c)->SetFetchMinRecords(tp, 1);
  f.Send("t", "k", "5");
  f.runtime->RunUntilIdle();
  CHECK(woken == 2);
  // A seek wakes whatever the minimum.
  (*c)->SetFetchMinRecords(tp, 100);
  REQUIRE((*c)->Seek(tp, 0).ok());
  f.runtime->RunUntilIdle();
  CHECK(woken == 3);
}

TEST_CASE("a reused record buffer is overwritten field by field") {
  // RecordBuffer keeps its records between fetches; a keyed record with headers must not leave
  // its key or headers behind in the slot an unkeyed, header-less record reuses.
  Fixture f;
  REQUIRE(f.broker->CreateTopic({"t", 1}).ok());
  REQUIRE(f.broker->Subscribe({"g", {"t"}, OffsetReset::kEarliest})
              .ok());  // a second group leaves the first's positions alone
  auto c = f.broker->Subscribe({"h", {"t"}, OffsetReset::kEarliest});
  REQUIRE(c.ok());
  std::optional<Result<RecordMetadata>> sent;
  f.broker->Produce(ProducerRecord{"t",
                                   "key",
                                   "a long value that does not fit inline",
                                   {Header{"h1", "v1"}, Header{"h2", "v2"}},
                                   7},
                    [&](Result<RecordMetadata> r, const ProducerRecord*) { sent.emplace(r); });
  REQUIRE(sent->ok());
  f.Send("t", std::nullopt, "short");
  RecordBuffer buffer;
  const TopicPartition tp{"t", 0};
  REQUIRE((*c)->Fetch(tp, 1, &buffer).ok());
  REQUIRE(buffer.size() == 1);
  CHECK(buffer[0].key == std::optional<std::string>("key"));
  CHECK(buffer[0].headers.size() == 2);
  buffer.clear();
  CHECK(buffer.has_storage());
  REQUIRE((*c)->Fetch(tp, 1, &buffer).ok());
  REQUIRE(buffer.size() == 1);
  CHECK(buffer[0].offset == 1);
  CHECK_FALSE(buffer[0].key.has_value());
  CHECK(buffer[0].value == "short");
  CHECK(buffer[0].headers.empty());
  CHECK(buffer[0].timestamp_us == 0);
}

TEST_CASE("OffsetForTime finds the earliest offset at or after a CreateTime") {
  Fixture f;
  fakes::FakeBroker fake = fakes::MakeFakeBroker(*f.runtime);
  TopicConfig config{"t", 1};
  config.segment_bytes = 60;  // a few records a segment, so the search crosses segments
  REQUIRE(fake.stream->CreateTopic(config).ok());
  // CreateTimes need not increase: a producer may stamp them out of order.
  const int64_t times[] = {100, 200, 200, 300, 250, 400};
  for (int64_t t : times) {
    fake.stream->Produce(ProducerRecord{"t", "k", "value", {}, t},
                         [](Result<RecordMetadata> r, const ProducerRecord*) { REQUIRE(r.ok()); });
  }
  auto c = fake.stream->Subscribe({"g", {"t"}, OffsetReset::kEarliest});
  REQUIRE(c.ok());
  const TopicPartition tp{"t", 0};
  auto at = [&](int64_t t) { return (*c)->OffsetForTime(tp, t).value(); };
  CHECK(at(0) == 0);    // before the first
  CHECK(at(100) == 0);  // exactly the first
  CHECK(at(150) == 1);  // between: the next one
  CHECK(at(200) == 1);  // the earliest of equal times
  CHECK(at(260) == 3);  // 300 comes before 250
  CHECK(at(400) == 5);
  CHECK(at(401) == 6);  // after the last: the log end
  CHECK((*c)->OffsetForTime({"t", 3}, 0).status().code() == Code::kUnknownTopicOrPartition);
  // Seeking there replays from that time.
  REQUIRE((*c)->Seek(tp, at(250)).ok());
  auto records = f.FetchAll(**c);
  REQUIRE(records.size() == 3);
  CHECK(records[0].timestamp_us == 300);
}

TEST_CASE("produces that alternate between topics each reach their own topic") {
  // The broker remembers the last topic it appended to; a change of topic must not reuse it.
  Fixture f;
  REQUIRE(f.broker->CreateTopic({"a", 1}).ok());
  REQUIRE(f.broker->CreateTopic({"b", 1}).ok());
  f.Send("a", "k", "1");
  f.Send("b", "k", "2");
  f.Send("a", "k", "3");
  std::optional<Code> unknown;
  f.broker->Produce(ProducerRecord{"c", "k", "4", {}, 0},
                    [&](Result<RecordMetadata> r, const ProducerRecord*) {
                      unknown = r.status().code();
                    });
  CHECK(unknown == Code::kUnknownTopicOrPartition);
  f.Send("a", "k", "5");
  CHECK(f.broker->EndOffset({"a", 0}).value() == 3);
  CHECK(f.broker->EndOffset({"b", 0}).value() == 1);
}

// The EventStream contract (sim/ports/event_stream.h), run against every implementation a factory
// below returns: the fake broker, the fake behind a plain forwarding wrapper, and the fake behind
// the produce-latency decorator. A real backend added later is one more factory in the list; the
// suite reruns unchanged. Each case asserts what the port's header promises, nothing a single
// implementation happens to do.
#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "fakes/kafka/broker.h"
#include "sim/latency/latency_ports.h"
#include "sim/ports/event_stream.h"

namespace meshsim {
namespace {

// The factories. Each gives a runtime on the virtual clock and the stream under test.
struct FakeBrokerStream {
  std::unique_ptr<Runtime> runtime = MakeVirtualRuntime(1);
  std::unique_ptr<EventStream> fake = fakes::MakeFakeEventStream(*runtime);
  EventStream& stream() { return *fake; }
};

struct ForwardedFakeStream {
  std::unique_ptr<Runtime> runtime = MakeVirtualRuntime(1);
  std::unique_ptr<EventStream> fake = fakes::MakeFakeEventStream(*runtime);
  ForwardingEventStream forwarding{*fake};
  EventStream& stream() { return forwarding; }
};

struct DelayedFakeStream {
  std::unique_ptr<Runtime> runtime = MakeVirtualRuntime(1);
  std::unique_ptr<EventStream> fake = fakes::MakeFakeEventStream(*runtime);
  std::unique_ptr<EventStream> delayed =
      MakeDelayedEventStream(*runtime, *fake, LatencyModel::Constant(3000));
  EventStream& stream() { return *delayed; }
};

// What every case does through the port, whichever implementation is under it.
template <typename Impl>
class Rig {
 public:
  EventStream& stream() { return impl_.stream(); }
  Runtime& runtime() { return *impl_.runtime; }

  void Topic(const std::string& name, int32_t partitions) {
    TopicConfig config;
    config.name = name;
    config.partitions = partitions;
    const Status s = stream().CreateTopic(config);
    INFO(s.ToString());
    REQUIRE(s.ok());
  }

  // Produces `record`, runs the clock until its callback came, and returns what it got.
  Result<RecordMetadata> Produce(const ProducerRecord& record, bool* unsent_given = nullptr) {
    std::optional<Result<RecordMetadata>> out;
    int calls = 0;
    stream().Produce(record, [&](Result<RecordMetadata> r, const ProducerRecord* unsent) {
      ++calls;
      if (unsent_given) *unsent_given = unsent != nullptr;
      out.emplace(std::move(r));
    });
    runtime().RunUntilIdle();
    REQUIRE(calls == 1);  // a callback runs exactly once
    return std::move(*out);
  }

  RecordMetadata Send(const std::string& topic, std::optional<std::string> key, std::string value,
                      std::vector<Header> headers = {}) {
    auto r = Produce(ProducerRecord{topic, std::move(key), std::move(value), std::move(headers),
                                    runtime().NowMicros()});
    INFO(r.status().ToString());
    REQUIRE(r.ok());
    return *r;
  }

  std::unique_ptr<Consumer> Join(const std::string& group, std::vector<std::string> topics) {
    ConsumerConfig config;
    config.group_id = group;
    config.topics = std::move(topics);
    auto c = stream().Subscribe(config);
    INFO(c.status().ToString());
    REQUIRE(c.ok());
    runtime().RunUntilIdle();
    return std::move(*c);
  }

  static std::vector<ConsumedRecord> FetchAll(Consumer& c) {
    RecordBuffer out;
    for (const auto& tp : c.Assignment()) {
      auto n = c.Fetch(tp, 1'000'000, &out);
      INFO(n.status().ToString());
      REQUIRE(n.ok());
    }
    return {out.begin(), out.end()};
  }

 private:
  Impl impl_;
};

#define STREAM_CONTRACT(name) \
  TEMPLATE_TEST_CASE("EventStream contract: " name, "[contract][event_stream]", FakeBrokerStream, \
                     ForwardedFakeStream, DelayedFakeStream)

STREAM_CONTRACT("a topic has the partitions it was created with; a second create fails") {
  Rig<TestType> rig;
  rig.Topic("songs", 3);
  auto count = rig.stream().PartitionCount("songs");
  REQUIRE(count.ok());
  CHECK(*count == 3);
  TopicConfig again;
  again.name = "songs";
  again.partitions = 3;
  CHECK(rig.stream().CreateTopic(again).code() == Code::kTopicAlreadyExists);
  CHECK(rig.stream().PartitionCount("nope").status().code() == Code::kUnknownTopicOrPartition);
}

STREAM_CONTRACT("records of one key go to one partition, in order, at increasing offsets") {
  Rig<TestType> rig;
  rig.Topic("interactions", 4);
  std::map<std::string, std::vector<RecordMetadata>> by_key;
  for (int i = 0; i < 40; ++i) {
    std::string key = "u";
    key += std::to_string(i % 5);
    std::string value = "v";
    value += std::to_string(i);
    by_key[key].push_back(rig.Send("interactions", key, value));
  }
  for (const auto& [key, metas] : by_key) {
    for (size_t i = 1; i < metas.size(); ++i) {
      CHECK(metas[i].tp == metas[0].tp);
      CHECK(metas[i].offset > metas[i - 1].offset);
    }
  }
  // Every append moved its partition's end past it.
  for (const auto& [key, metas] : by_key) {
    auto end = rig.stream().EndOffset(metas.back().tp);
    REQUIRE(end.ok());
    CHECK(*end > metas.back().offset);
  }
}

STREAM_CONTRACT("a consumer reads what was produced: key, value, headers, timestamps, tombstones") {
  Rig<TestType> rig;
  rig.Topic("users", 1);
  rig.Send("users", "u1", "alice", {{"meshsim-trace", "t1"}});
  rig.Send("users", "u2", "");  // an empty value, not a tombstone
  ProducerRecord tombstone{"users", "u1", "", {}, rig.runtime().NowMicros()};
  tombstone.null_value = true;
  REQUIRE(rig.Produce(tombstone).ok());
  auto c = rig.Join("g", {"users"});
  const auto records = Rig<TestType>::FetchAll(*c);
  REQUIRE(records.size() == 3);
  CHECK(records[0].key == "u1");
  CHECK(records[0].value == "alice");
  REQUIRE(records[0].headers.size() == 1);
  CHECK(records[0].headers[0].key == "meshsim-trace");
  CHECK(records[0].headers[0].value == "t1");
  CHECK(records[0].append_time_us >= records[0].timestamp_us);
  CHECK((records[1].value.empty() && !records[1].null_value));
  CHECK((records[2].value.empty() && records[2].null_value));
  CHECK(records[0].offset < records[1].offset);
  CHECK(records[1].offset < records[2].offset);
}

STREAM_CONTRACT("the caller may reuse its record at once: the stream sent a copy") {
  Rig<TestType> rig;
  rig.Topic("songs", 1);
  ProducerRecord record{"songs", "s1", "first", {}, 0};
  std::optional<Result<RecordMetadata>> out;
  rig.stream().Produce(record, [&](Result<RecordMetadata> r, const ProducerRecord*) {
    out.emplace(std::move(r));
  });
  record.value = "changed after the call";  // before the clock runs
  record.key = "s2";
  rig.runtime().RunUntilIdle();
  REQUIRE(out.has_value());
  REQUIRE(out->ok());
  auto c = rig.Join("g", {"songs"});
  const auto records = Rig<TestType>::FetchAll(*c);
  REQUIRE(records.size() == 1);
  CHECK(records[0].key == "s1");
  CHECK(records[0].value == "first");
}

STREAM_CONTRACT("a produce to an unknown topic fails and hands back the record unsent") {
  Rig<TestType> rig;
  bool unsent = false;
  auto r = rig.Produce(ProducerRecord{"missing", "k", "v", {}, 0}, &unsent);
  CHECK(r.status().code() == Code::kUnknownTopicOrPartition);
  CHECK(unsent);
  bool unsent_on_success = true;
  rig.Topic("present", 1);
  REQUIRE(rig.Produce(ProducerRecord{"present", "k", "v", {}, 0}, &unsent_on_success).ok());
  CHECK_FALSE(unsent_on_success);
}

STREAM_CONTRACT("commits are the group's: a new member starts from the committed offset") {
  Rig<TestType> rig;
  rig.Topic("songs", 1);
  for (int i = 0; i < 5; ++i) rig.Send("songs", "k", "v");
  const TopicPartition tp{"songs", 0};
  {
    auto c = rig.Join("g", {"songs"});
    CHECK(Rig<TestType>::FetchAll(*c).size() == 5);
    REQUIRE(c->Commit(tp, 3).ok());
    auto committed = c->Committed(tp);
    REQUIRE(committed.ok());
    CHECK(*committed == 3);
    auto lag = c->Lag(tp);
    REQUIRE(lag.ok());
    CHECK(*lag == 2);  // between the commit and the log end
    c->Close();
  }
  rig.runtime().RunUntilIdle();
  auto next = rig.Join("g", {"songs"});
  const auto records = Rig<TestType>::FetchAll(*next);
  REQUIRE(records.size() == 2);
  CHECK(records.front().offset == 3);
  // Another group has its own offsets: it starts at the earliest.
  auto other = rig.Join("other", {"songs"});
  CHECK(Rig<TestType>::FetchAll(*other).size() == 5);
}

STREAM_CONTRACT("seek moves the position; past the end is OFFSET_OUT_OF_RANGE") {
  Rig<TestType> rig;
  rig.Topic("songs", 1);
  for (int i = 0; i < 4; ++i) rig.Send("songs", "k", "v");
  const TopicPartition tp{"songs", 0};
  auto c = rig.Join("g", {"songs"});
  REQUIRE(c->Seek(tp, 2).ok());
  auto position = c->Position(tp);
  REQUIRE(position.ok());
  CHECK(*position == 2);
  const auto records = Rig<TestType>::FetchAll(*c);
  REQUIRE(records.size() == 2);
  CHECK(records[0].offset == 2);
  CHECK(c->Seek(tp, 99).code() == Code::kOffsetOutOfRange);
}

STREAM_CONTRACT("offsetsForTimes: the earliest record at or after a time, else the log end") {
  Rig<TestType> rig;
  rig.Topic("songs", 1);
  const TopicPartition tp{"songs", 0};
  std::vector<int64_t> offsets;
  for (int i = 0; i < 3; ++i) {
    ProducerRecord r{"songs", "k", "v", {}, 1'000'000 * (i + 1)};
    auto meta = rig.Produce(r);
    REQUIRE(meta.ok());
    offsets.push_back(meta->offset);
  }
  auto c = rig.Join("g", {"songs"});
  auto at = c->OffsetForTime(tp, 1'500'000);
  REQUIRE(at.ok());
  CHECK(*at == offsets[1]);
  auto exact = c->OffsetForTime(tp, 3'000'000);
  REQUIRE(exact.ok());
  CHECK(*exact == offsets[2]);
  auto after = c->OffsetForTime(tp, 9'000'000);
  REQUIRE(after.ok());
  auto end = rig.stream().EndOffset(tp);
  REQUIRE(end.ok());
  CHECK(*after == *end);
}

STREAM_CONTRACT("a group shares its partitions; a member that leaves hands them over") {
  Rig<TestType> rig;
  rig.Topic("interactions", 4);
  auto a = rig.Join("g", {"interactions"});
  auto b = rig.Join("g", {"interactions"});
  rig.runtime().RunUntilIdle();
  const auto owned_a = a->Assignment();
  const auto owned_b = b->Assignment();
  CHECK(owned_a.size() + owned_b.size() == 4);
  CHECK(!owned_a.empty());
  CHECK(!owned_b.empty());
  std::set<TopicPartition> all(owned_a.begin(), owned_a.end());
  all.insert(owned_b.begin(), owned_b.end());
  CHECK(all.size() == 4);  // no partition owned twice
  a->Close();
  rig.runtime().RunUntilIdle();
  CHECK(b->Assignment().size() == 4);
}

STREAM_CONTRACT("a member is woken for new records on its partitions, never inline in produce") {
  Rig<TestType> rig;
  rig.Topic("songs", 1);
  auto c = rig.Join("g", {"songs"});
  std::vector<TopicPartition> woken;
  bool producing = false;
  bool inline_wakeup = false;
  c->SetWakeup([&](const TopicPartition& tp) {
    if (producing) inline_wakeup = true;
    woken.push_back(tp);
  });
  producing = true;
  rig.stream().Produce(ProducerRecord{"songs", "k", "v", {}, 0},
                       [](Result<RecordMetadata>, const ProducerRecord*) {});
  producing = false;
  rig.runtime().RunUntilIdle();
  CHECK_FALSE(inline_wakeup);
  REQUIRE(!woken.empty());
  CHECK(woken.back() == TopicPartition{"songs", 0});
}

STREAM_CONTRACT("a subscription needs a group id and topics") {
  Rig<TestType> rig;
  rig.Topic("songs", 1);
  ConsumerConfig no_group;
  no_group.topics = {"songs"};
  CHECK(!rig.stream().Subscribe(no_group).ok());
  ConsumerConfig no_topics;
  no_topics.group_id = "g";
  CHECK(!rig.stream().Subscribe(no_topics).ok());
}

}  // namespace
}  // namespace meshsim

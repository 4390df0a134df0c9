// Fault injection on the fake broker (FakeBrokerControl), in the manner of librdkafka's mock
// cluster: error stacks per API, the broker down for a span, added latency, a leader change.
// Every fault and every call it changed is recorded; a failed call changes nothing.
#include <catch2/catch.hpp>

#include "fakes/kafka/murmur2.h"
#include "tests/fakes/kafka/broker_fixture.h"

using namespace meshsim;
using fakes::AffectedCall;
using fakes::BrokerApi;
using testing::BrokerFixture;

namespace {

std::vector<AffectedCall> AffectedBy(const BrokerFixture& f, BrokerApi api) {
  std::vector<AffectedCall> out;
  for (const auto& call : f.control.affected()) {
    if (call.api == api) out.push_back(call);
  }
  return out;
}

// A producer that retries retriable errors after a fixed backoff, as Kafka's does.
struct RetryingProducer {
  RetryingProducer(BrokerFixture& fixture, int64_t backoff) : f(fixture), backoff_us(backoff) {}

  BrokerFixture& f;
  int64_t backoff_us;
  std::vector<RecordMetadata> acked;
  int attempts = 0;

  void Send(const ProducerRecord& record) {
    f.broker.Produce(record, [this, record](Result<RecordMetadata> r, const ProducerRecord*) {
      ++attempts;
      if (r.ok()) {
        acked.push_back(*r);
        return;
      }
      REQUIRE(IsRetriable(r.status().code()));
      f.runtime->ScheduleAfter(backoff_us, [this, record] { Send(record); });
    });
  }
};

}  // namespace

TEST_CASE("Kafka's retriable errors are the ones a client retries") {
  for (Code code : {Code::kNotLeaderOrFollower, Code::kLeaderNotAvailable, Code::kRequestTimedOut,
                    Code::kNetworkException, Code::kNotEnoughReplicas,
                    Code::kCoordinatorNotAvailable, Code::kUnknownTopicOrPartition}) {
    CHECK(IsRetriable(code));
  }
  for (Code code : {Code::kOk, Code::kRecordTooLarge, Code::kOffsetOutOfRange, Code::kInvalidRecord,
                    Code::kTopicAlreadyExists, Code::kInvalidConfig}) {
    CHECK_FALSE(IsRetriable(code));
  }
  CHECK(CodeName(Code::kNetworkException) == "NETWORK_EXCEPTION");
}

TEST_CASE("pushed errors fail the next calls of their API, in order, and no more") {
  BrokerFixture f;
  REQUIRE(f.broker.CreateTopic({"t", 1}).ok());
  const TopicPartition tp{"t", 0};
  auto c = f.Join({"g", {"t"}});
  f.control.PushErrors(BrokerApi::kProduce, {Code::kNotLeaderOrFollower, Code::kRequestTimedOut,
                                             Code::kNotEnoughReplicas});
  f.control.PushErrors(BrokerApi::kFetch, {Code::kLeaderNotAvailable});
  f.control.PushErrors(BrokerApi::kCommit, {Code::kCoordinatorNotAvailable});
  REQUIRE(f.control.injected().size() == 3);
  CHECK(f.control.injected()[0].description ==
        "push 3 Produce errors: NOT_LEADER_OR_FOLLOWER REQUEST_TIMED_OUT NOT_ENOUGH_REPLICAS");

  std::vector<Code> got;
  for (int i = 0; i < 4; ++i) {
    f.broker.Produce(ProducerRecord{"t", "k", std::to_string(i), {}, 0},
                     [&](Result<RecordMetadata> r, const ProducerRecord* unsent) {
                       got.push_back(r.status().code());
                       CHECK((unsent != nullptr) == !r.ok());
                     });
  }
  CHECK(got == std::vector<Code>{Code::kNotLeaderOrFollower, Code::kRequestTimedOut,
                                 Code::kNotEnoughReplicas, Code::kOk});
  CHECK(f.broker.EndOffset(tp).value() == 1);  // the three failures left nothing behind
  const auto produce = AffectedBy(f, BrokerApi::kProduce);
  REQUIRE(produce.size() == 3);
  CHECK(produce[1].code == Code::kRequestTimedOut);
  CHECK(produce[1].cause == "error stack");

  int woken = 0;
  c->SetWakeup([&](const TopicPartition&) { ++woken; });
  f.runtime->RunUntilIdle();
  woken = 0;
  RecordBuffer out;
  CHECK(c->Fetch(tp, 10, &out).status().code() == Code::kLeaderNotAvailable);
  CHECK(out.empty());
  CHECK(c->Position(tp).value() == 0);
  f.runtime->RunUntilIdle();
  CHECK(woken == 1);  // woken to fetch again, as a client retries
  REQUIRE(c->Fetch(tp, 10, &out).ok());
  REQUIRE(out.size() == 1);
  CHECK(out[0].value == "3");

  CHECK(c->Commit(tp, 1).code() == Code::kCoordinatorNotAvailable);
  CHECK(c->Committed(tp).value() == -1);
  CHECK(c->Commit(tp, 1).ok());
  CHECK(c->Committed(tp).value() == 1);
  CHECK(f.control.affected().size() == 5);
}

TEST_CASE("a broker down for a span fails produces retriably and loses nothing") {
  BrokerFixture f;
  REQUIRE(f.broker.CreateTopic({"t", 1}).ok());
  const TopicPartition tp{"t", 0};
  f.Send("t", "k", "before");
  auto c = f.Join({"g", {"t"}});
  std::vector<int64_t> woken_at;
  c->SetWakeup([&](const TopicPartition&) { woken_at.push_back(f.runtime->NowMicros()); });
  f.runtime->RunUntilIdle();
  woken_at.clear();

  f.control.SetDownFor(kMicrosPerSecond);
  std::optional<Status> status;
  std::string unsent_value;
  f.broker.Produce(ProducerRecord{"t", "k", "x", {}, 0},
                   [&](Result<RecordMetadata> r, const ProducerRecord* unsent) {
                     status = r.status();
                     REQUIRE(unsent);
                     unsent_value = unsent->value;
                   });
  REQUIRE(status);
  CHECK(status->code() == Code::kNetworkException);
  CHECK(IsRetriable(status->code()));
  CHECK(unsent_value == "x");
  CHECK(f.broker.EndOffset(tp).value() == 1);
  RecordBuffer out;
  auto fetched = c->Fetch(tp, 10, &out);
  REQUIRE(fetched.ok());
  CHECK(*fetched == 0);  // "before" is there, but the broker does not answer
  CHECK(c->Commit(tp, 1).code() == Code::kCoordinatorNotAvailable);

  RetryingProducer producer{f, 300'000};
  for (const char* v : {"a", "b", "c"}) producer.Send(ProducerRecord{"t", "k", v, {}, 0});
  f.runtime->RunUntil(kMicrosPerSecond - 1);
  CHECK(f.broker.EndOffset(tp).value() == 1);
  CHECK(woken_at.empty());
  f.runtime->RunUntilIdle();
  // Up at 1 s, which wakes the consumer; the retries at 1.2 s succeed.
  REQUIRE_FALSE(woken_at.empty());
  CHECK(woken_at.front() == kMicrosPerSecond);
  CHECK(producer.attempts == 15);  // at 0, 0.3, 0.6, 0.9 and 1.2 s
  REQUIRE(producer.acked.size() == 3);
  CHECK(producer.acked[0].append_time_us == 1'200'000);
  std::vector<std::string> values;
  for (const auto& r : BrokerFixture::FetchAll(*c)) values.push_back(r.value);
  CHECK(values == std::vector<std::string>{"before", "a", "b", "c"});

  CHECK(AffectedBy(f, BrokerApi::kProduce).size() == 13);
  CHECK(AffectedBy(f, BrokerApi::kFetch).size() == 1);
  CHECK(AffectedBy(f, BrokerApi::kCommit).size() == 1);
  REQUIRE(f.control.injected().size() == 2);
  CHECK(f.control.injected()[0].description == "broker down");
  CHECK(f.control.injected()[1].description == "broker up");
  CHECK(f.control.injected()[1].at_us == kMicrosPerSecond);
}

TEST_CASE("added latency delays produce answers and wake-ups on the virtual clock") {
  BrokerFixture f;
  REQUIRE(f.broker.CreateTopic({"t", 1}).ok());
  const TopicPartition tp{"t", 0};
  auto c = f.Join({"g", {"t"}});
  std::vector<int64_t> woken_at;
  c->SetWakeup([&](const TopicPartition&) { woken_at.push_back(f.runtime->NowMicros()); });
  f.runtime->RunUntil(1000);
  woken_at.clear();

  f.control.SetLatency(5000);
  std::vector<std::pair<int64_t, RecordMetadata>> answers;
  for (const char* v : {"a", "b"}) {
    f.broker.Produce(ProducerRecord{"t", "k", v, {}, 0},
                     [&](Result<RecordMetadata> r, const ProducerRecord*) {
                       REQUIRE(r.ok());
                       answers.emplace_back(f.runtime->NowMicros(), *r);
                     });
  }
  CHECK(answers.empty());
  CHECK(f.broker.EndOffset(tp).value() == 2);  // appended at once; only the answer is late
  f.runtime->RunUntilIdle();
  REQUIRE(answers.size() == 2);
  CHECK(answers[0].first == 6000);
  CHECK(answers[1].first == 6000);
  CHECK(answers[0].second.offset == 0);  // in order
  CHECK(answers[1].second.offset == 1);
  CHECK(answers[0].second.append_time_us == 1000);
  CHECK(woken_at == std::vector<int64_t>{6000});
  const auto delayed = AffectedBy(f, BrokerApi::kProduce);
  REQUIRE(delayed.size() == 2);
  CHECK(delayed[0].cause == "latency");
  CHECK(delayed[0].code == Code::kOk);

  f.control.SetLatency(0);
  CHECK(f.control.affected_count() == 2);
  bool answered = false;
  f.broker.Produce(ProducerRecord{"t", "k", "c", {}, 0},
                   [&](Result<RecordMetadata>, const ProducerRecord*) { answered = true; });
  CHECK(answered);
}

TEST_CASE("affected calls past the recording limit are counted, not kept") {
  BrokerFixture f({.max_recorded_calls = 2});
  REQUIRE(f.broker.CreateTopic({"t", 1}).ok());
  f.control.PushErrors(BrokerApi::kProduce, std::vector<Code>(5, Code::kRequestTimedOut));
  for (int i = 0; i < 5; ++i) CHECK_FALSE(f.Produce(ProducerRecord{"t", "k", "v", {}, 0}).ok());
  CHECK(f.control.affected().size() == 2);
  CHECK(f.control.affected_count() == 5);
  CHECK(f.broker.EndOffset({"t", 0}).value() == 0);
}

TEST_CASE("a leader change fails the next produce and fetch of that partition once") {
  BrokerFixture f;
  REQUIRE(f.broker.CreateTopic({"t", 2}).ok());
  // The first keys "0", "1", ... that murmur2 puts on partitions 0 and 1.
  auto key_on = [](int32_t partition) {
    for (int i = 0;; ++i) {
      if (fakes::KafkaPartitionForKey(std::to_string(i), 2) == partition) return std::to_string(i);
    }
  };
  const std::string moved_key = key_on(0);
  const std::string other_key = key_on(1);
  f.Send("t", moved_key, "old");
  auto c = f.Join({"g", {"t"}});
  CHECK(f.control.ChangeLeader({"t", 9}).code() == Code::kUnknownTopicOrPartition);
  REQUIRE(f.control.ChangeLeader({"t", 0}).ok());

  auto first = f.Produce(ProducerRecord{"t", moved_key, "v", {}, 0});
  CHECK(first.status().code() == Code::kNotLeaderOrFollower);
  CHECK(f.Produce(ProducerRecord{"t", other_key, "v", {}, 0}).ok());  // another partition
  CHECK(f.Produce(ProducerRecord{"t", moved_key, "v", {}, 0}).ok());  // metadata refreshed
  CHECK(f.broker.EndOffset({"t", 0}).value() == 2);

  RecordBuffer out;
  CHECK(c->Fetch({"t", 1}, 10, &out).ok());
  CHECK(c->Fetch({"t", 0}, 10, &out).status().code() == Code::kNotLeaderOrFollower);
  CHECK(out.size() == 1);
  CHECK(c->Fetch({"t", 0}, 10, &out).ok());
  CHECK(out.size() == 3);
  const auto affected = f.control.affected();
  REQUIRE(affected.size() == 2);
  CHECK(affected[0].api == BrokerApi::kProduce);
  CHECK(affected[0].tp == TopicPartition{"t", 0});
  CHECK(affected[1].api == BrokerApi::kFetch);
  CHECK(affected[1].cause == "leader change");
}

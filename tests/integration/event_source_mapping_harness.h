// A test rig for the event-source mapping: a virtual runtime, the in-process broker with one
// topic, and a record of every invocation and every batch sent to the on-failure destination.
#pragma once

#include <catch2/catch.hpp>
#include <memory>
#include <string>
#include <vector>

#include "fakes/kafka/broker.h"
#include "sim/core/runtime.h"
#include "sim/streaming/event_source_mapping.h"

namespace meshsim::esm_test {

constexpr int64_t kMs = kMicrosPerMilli;
constexpr int64_t kSec = kMicrosPerSecond;
const std::string kTopic = "interactions";
const std::string kFunction = "analytics-fn";  // also the consumer group

// What the function saw on one invocation.
struct Invocation {
  TopicPartition tp;
  std::vector<int64_t> offsets;
  std::vector<std::string> values;
  int64_t at_us;
  int attempt;
};

inline std::vector<int64_t> Offsets(const KafkaBatch& batch) {
  std::vector<int64_t> out;
  for (const auto& r : batch.records) out.push_back(r.offset);
  return out;
}

inline std::vector<int64_t> Range(int64_t from, int64_t to) {  // [from, to)
  std::vector<int64_t> out;
  for (int64_t i = from; i < to; ++i) out.push_back(i);
  return out;
}

// A virtual runtime, a broker with one topic, and a record of every invocation and failure.
// Members are declared so that the broker outlives every consumer and the runtime everything.
class Harness {
 public:
  explicit Harness(int32_t partitions = 1)
      : runtime_(MakeVirtualRuntime(1)), stream_(fakes::MakeFakeEventStream(*runtime_)) {
    REQUIRE(stream_->CreateTopic(TopicConfig{kTopic, partitions}).ok());
    // A topic only the observer reads, so that it can join the mapping's group without taking
    // any of the mapping's partitions.
    REQUIRE(stream_->CreateTopic(TopicConfig{"observer-only", 1}).ok());
  }
  ~Harness() {
    mapping_.reset();
    observer_.reset();
  }

  Runtime& rt() { return *runtime_; }
  EventStream& stream() { return *stream_; }

  EventSourceMappingConfig Config(int64_t batch_size, int64_t window_us) {
    EventSourceMappingConfig c;
    c.function_name = kFunction;
    c.topic = kTopic;
    c.batch_size = batch_size;
    c.batching_window_us = window_us;
    return c;
  }

  // A handler that records the invocation and succeeds at once.
  EventSourceMapping::Handler Succeed() {
    return [this](const KafkaBatch& batch, std::function<void(Status)> done) {
      Record(batch);
      done(Status::Ok());
    };
  }

  void Record(const KafkaBatch& batch) {
    Invocation inv{batch.tp, Offsets(batch), {}, runtime_->NowMicros(), batch.attempt};
    for (const auto& r : batch.records) inv.values.push_back(r.value);
    CHECK(batch.delivered_us == runtime_->NowMicros());
    invocations.push_back(std::move(inv));
  }

  // Joins the mapping's group before the mapping starts, so later Committed() reads cause no
  // rebalance of the mapping's partitions.
  void AddObserver() {
    auto c = stream_->Subscribe(ConsumerConfig{kFunction, {"observer-only"}});
    REQUIRE(c.ok());
    observer_ = std::move(*c);
  }
  int64_t Committed(int32_t partition = 0) {
    auto committed = observer_->Committed(TopicPartition{kTopic, partition});
    REQUIRE(committed.ok());
    return *committed;
  }

  EventSourceMapping& Start(EventSourceMappingConfig config, EventSourceMapping::Handler handler) {
    mapping_ = std::make_unique<EventSourceMapping>(
        *runtime_, *stream_, std::move(config), std::move(handler),
        [this](const KafkaBatch& batch, const KafkaFailure& failure) {
          failures.push_back({batch.tp, Offsets(batch), {}, runtime_->NowMicros(), batch.attempt});
          failure_messages.push_back(failure.error.message());
          failure_details.push_back(failure);
        });
    const Status started = mapping_->Start();
    INFO(started.ToString());
    REQUIRE(started.ok());
    return *mapping_;
  }
  EventSourceMapping& mapping() { return *mapping_; }
  void DestroyMapping() { mapping_.reset(); }

  // Produces `n` unkeyed records now; the broker spreads them round-robin over the partitions.
  void Produce(int n) {
    for (int i = 0; i < n; ++i) {
      ProducerRecord record{
          kTopic, std::nullopt, std::to_string(produced_++), {}, runtime_->NowMicros()};
      record.value.insert(0, 1, 'v');  // "v" + to_string trips GCC 12's -Wrestrict false positive
      bool ok = false;
      stream_->Produce(std::move(record),
                       [&](Result<RecordMetadata> meta, const ProducerRecord*) { ok = meta.ok(); });
      REQUIRE(ok);
    }
  }
  // Produces `n` records at `at_us` on the clock.
  void ProduceAt(int64_t at_us, int n) {
    runtime_->ScheduleAfter(at_us - runtime_->NowMicros(), [this, n] { Produce(n); });
  }

  std::vector<Invocation> invocations;
  std::vector<Invocation> failures;
  std::vector<std::string> failure_messages;
  std::vector<KafkaFailure> failure_details;

 private:
  std::unique_ptr<Runtime> runtime_;
  std::unique_ptr<EventStream> stream_;
  std::unique_ptr<Consumer> observer_;
  std::unique_ptr<EventSourceMapping> mapping_;
  int produced_ = 0;
};

}  // namespace meshsim::esm_test

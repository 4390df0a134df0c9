// A Lambda event-source mapping for a Kafka topic: the poller that turns a topic into batches for
// one consumer function. As AWS documents it: records collect per partition until the batch size
// is reached or the batching window ends; one batch per partition is in flight at a time, so order
// per partition holds; offsets are committed only after the function succeeds; a failing batch is
// retried, then handed to the on-failure destination so it is never silently dropped.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/compute_meter.h"
#include "sim/latency_model.h"
#include "sim/ports/event_stream.h"
#include "sim/runtime.h"

namespace meshsim {

struct EventSourceMappingConfig {
  std::string function_name;  // also the consumer group, one per mapping as in AWS
  std::string topic;
  int64_t batch_size = 100;              // Default: 100 (AWS's default for Kafka)
  int64_t batching_window_us = 500'000;  // Default: 500 ms (AWS's default for Kafka)
  OffsetReset starting_position = OffsetReset::kEarliest;  // TRIM_HORIZON; kLatest = LATEST
  int64_t max_retries = 3;               // retries of a failing batch before the destination
  int64_t retry_backoff_us = 1'000'000;  // doubles with each retry
  LatencyModel invoke;                   // invocation overhead, applied on the virtual clock only
  ComputeMeter* meter = nullptr;         // times fetches and handlers when set. Default: none.
};

// One batch for one partition, in offset order.
struct KafkaBatch {
  TopicPartition tp;
  RecordBuffer records;
  int64_t delivered_us = 0;  // when the function was invoked with it
  int attempt = 0;           // 0 for the first invocation
};

class EventSourceMapping {
 public:
  // The function: handles a batch, then calls `done` exactly once (OK commits the batch).
  using Handler = std::function<void(const KafkaBatch&, std::function<void(Status)> done)>;
  // The on-failure destination, called once a batch has failed max_retries + 1 times.
  using FailureDestination = std::function<void(const KafkaBatch&, const Status&)>;

  EventSourceMapping(Runtime& runtime, EventStream& stream, EventSourceMappingConfig config,
                     Handler handler, FailureDestination on_failure);
  ~EventSourceMapping();
  EventSourceMapping(const EventSourceMapping&) = delete;
  EventSourceMapping& operator=(const EventSourceMapping&) = delete;

  // Joins the consumer group and starts polling.
  Status Start();
  // Leaves the group. A batch in flight finishes but is not committed.
  void Stop();

  const EventSourceMappingConfig& config() const { return config_; }
  uint64_t invocations() const { return invocations_; }
  // Batches handed to the on-failure destination.
  uint64_t failed_batches() const { return failed_batches_; }
  // Records between the mapping's committed offsets and the log ends, over its partitions.
  int64_t Lag() const;
  // True when no partition has records buffered or a batch in flight.
  bool Idle() const;

 private:
  struct PartitionState {
    RecordBuffer buffer;
    int64_t window_start_us = 0;
    TimerId window_timer = 0;
    bool in_flight = false;
  };

  PartitionState& StateOf(int32_t partition);
  TopicPartition Tp(int32_t partition) const { return {config_.topic, partition}; }
  void Pump(int32_t partition);
  void Dispatch(int32_t partition);
  void Invoke(std::shared_ptr<KafkaBatch> batch);
  void Complete(std::shared_ptr<KafkaBatch> batch, Status status);

  Runtime& runtime_;
  EventStream& stream_;
  EventSourceMappingConfig config_;
  Handler handler_;
  FailureDestination on_failure_;
  std::unique_ptr<Consumer> consumer_;
  std::vector<PartitionState> partitions_;  // by partition number (one topic per mapping)
  uint64_t invocations_ = 0;
  uint64_t failed_batches_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace meshsim

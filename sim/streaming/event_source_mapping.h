// A Lambda event-source mapping for a Kafka topic: the poller that turns a topic into batches for
// one consumer function. As AWS documents it: records collect per partition until the batch size
// is reached or the batching window ends; one batch per partition is in flight at a time, so order
// per partition holds; offsets are committed only after the function succeeds; a failing batch is
// retried (MaximumRetryAttempts) unless its records are too old (MaximumRecordAgeInSeconds), then
// handed to the on-failure destination so it is never silently dropped, and committed.
//
// The mesh's functions take the batch as it is (KafkaBatch); sim/streaming/kafka_event.h renders it
// as the `aws:kafka` event JSON Lambda hands a function, and a failure as Lambda's on-failure
// record.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string_view>
#include <vector>

#include "sim/core/runtime.h"
#include "sim/ports/event_stream.h"
#include "sim/streaming/event_source_mapping_config.h"

namespace meshsim {

// One batch for one partition, in offset order.
struct KafkaBatch {
  TopicPartition tp;
  RecordBuffer records;
  int64_t delivered_us = 0;  // when the function was invoked with it
  int attempt = 0;           // 0 for the first invocation
};

// Why a batch went to the on-failure destination: requestContext.condition of Lambda's record.
enum class FailureCondition {
  kRetriesExhausted,   // "RetryAttemptsExhausted": failed MaximumRetryAttempts + 1 times
  kRecordAgeExceeded,  // "RecordAgeExceeded": its oldest record passed MaximumRecordAgeInSeconds
};
std::string_view FailureConditionName(FailureCondition condition);

struct KafkaFailure {
  FailureCondition condition = FailureCondition::kRetriesExhausted;
  int invoke_count = 0;  // invocations of the batch (approximateInvokeCount); 0 if never invoked
  Status error;          // the function's last error; OK if the batch was never invoked
  int64_t at_us = 0;     // when the batch was handed to the destination
};

class EventSourceMapping {
 public:
  // The function: handles a batch, then calls `done` exactly once (OK commits the batch).
  using Handler = std::function<void(const KafkaBatch&, std::function<void(Status)> done)>;
  // The on-failure destination, called once for a batch that failed max_retries + 1 times or
  // whose records grew older than max_record_age_us; the batch is committed after it returns.
  // May be empty: the batch is then only committed.
  using FailureDestination = std::function<void(const KafkaBatch&, const KafkaFailure&)>;

  EventSourceMapping(Runtime& runtime, EventStream& stream, EventSourceMappingConfig config,
                     Handler handler, FailureDestination on_failure);
  ~EventSourceMapping();
  EventSourceMapping(const EventSourceMapping&) = delete;
  EventSourceMapping& operator=(const EventSourceMapping&) = delete;

  // Joins the consumer group and starts polling. InvalidParameterValueException, with nothing
  // started, for a config that Validate() refuses.
  Status Start();
  // Leaves the group. A batch in flight finishes but is not committed.
  void Stop();

  // Faults, for scenarios. The next `batches` batches that succeed are delivered again: their
  // commit is lost and the poller re-reads them (at least once, as Lambda is).
  void DuplicateNextBatches(int64_t batches) { duplicate_next_ += batches; }
  uint64_t duplicated_batches() const { return duplicated_batches_; }
  // Every invocation starting in the next `span_us` takes `extra_us` longer: a slow function.
  void SlowDown(int64_t extra_us, int64_t span_us) {
    slow_extra_us_ = extra_us;
    slow_until_us_ = runtime_.NowMicros() + span_us;
  }

  const EventSourceMappingConfig& config() const { return config_; }
  uint64_t invocations() const { return invocations_; }
  // Batches handed to the on-failure destination.
  uint64_t failed_batches() const { return failed_batches_; }
  // Records between the mapping's committed offsets and the log ends, over its partitions.
  int64_t Lag() const;
  // True when no partition has records buffered or a batch in flight.
  bool Idle() const;

 private:
  static constexpr int64_t kPollRetryUs = 100'000;  // the pause before polling after an error

  struct PartitionState {
    RecordBuffer buffer;
    int64_t window_start_us = 0;
    TimerId window_timer = 0;
    TimerId poll_retry_timer = 0;  // a poll again after a retriable fetch error
    bool in_flight = false;
    Status last_error;  // of the batch in flight, for the destination if it then ages out
  };

  PartitionState& StateOf(int32_t partition);
  TopicPartition Tp(int32_t partition) const { return {config_.topic, partition}; }
  void Pump(int32_t partition);
  void Dispatch(int32_t partition);
  void Invoke(std::shared_ptr<KafkaBatch> batch);
  void Complete(std::shared_ptr<KafkaBatch> batch, Status status);
  bool TooOld(const KafkaBatch& batch) const;
  void SendToDestination(const KafkaBatch& batch, FailureCondition condition, int invoke_count,
                         Status error);
  // Commits the batch and looks for the next one of its partition.
  void FinishBatch(std::shared_ptr<KafkaBatch> batch);

  Runtime& runtime_;
  EventStream& stream_;
  EventSourceMappingConfig config_;
  Handler handler_;
  FailureDestination on_failure_;
  std::unique_ptr<Consumer> consumer_;
  std::vector<PartitionState> partitions_;  // by partition number (one topic per mapping)
  uint64_t invocations_ = 0;
  int64_t duplicate_next_ = 0;
  uint64_t duplicated_batches_ = 0;
  int64_t slow_extra_us_ = 0;
  int64_t slow_until_us_ = 0;
  uint64_t failed_batches_ = 0;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace meshsim

// The settings of a Lambda event-source mapping for a Kafka topic (MSK or self-managed), by the
// names and within the limits CreateEventSourceMapping has for them, and their validation.
// Times are microseconds on the Runtime's clock where AWS counts whole seconds: the simulation
// can ask what a 250 ms window does, which the API cannot set.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "sim/core/compute_meter.h"
#include "sim/core/runtime.h"
#include "sim/core/status.h"
#include "sim/latency/latency_model.h"
#include "sim/ports/event_stream.h"

namespace meshsim {

// StartingPosition: where a mapping whose consumer group has no committed offset starts.
// (AT_TIMESTAMP, which AWS added for Kafka later, is not modelled.)
enum class StartingPosition {
  kTrimHorizon,  // "TRIM_HORIZON": the oldest record still in the log
  kLatest,       // "LATEST": only records appended after the mapping starts
};
std::string_view StartingPositionName(StartingPosition position);
// "TRIM_HORIZON" or "LATEST" (exactly, as the API takes them); InvalidParameterValueException
// for anything else.
Result<StartingPosition> ParseStartingPosition(std::string_view name);
OffsetReset ToOffsetReset(StartingPosition position);

inline constexpr int64_t kMaxBatchSize = 10'000;                         // BatchSize
inline constexpr int64_t kMaxBatchingWindowUs = 300 * kMicrosPerSecond;  // 300 s
inline constexpr int64_t kMaxRetryAttempts = 10'000;                     // MaximumRetryAttempts
inline constexpr int64_t kMinRecordAgeUs = 60 * kMicrosPerSecond;        // 60 s
inline constexpr int64_t kMaxRecordAgeUs = 604'800 * kMicrosPerSecond;   // 7 days
inline constexpr int64_t kInfinite = -1;  // MaximumRetryAttempts, MaximumRecordAgeInSeconds

struct EventSourceMappingConfig {
  std::string function_name;  // also the consumer group, one per mapping as in AWS
  // The function's ARN in the on-failure record. Default (empty):
  // arn:aws:lambda:us-east-1:123456789012:function:<function_name>.
  std::string function_arn;
  std::string topic;  // Topics: exactly one
  // EventSourceArn: the MSK cluster, as the event and the on-failure record name it.
  std::string event_source_arn =
      "arn:aws:kafka:us-east-1:123456789012:cluster/meshsim/"
      "6f1c2a4e-8d3b-4f7a-9c21-5e0b7d9a4c13-1";
  // The cluster's brokers, comma-separated host:port, as the event's `bootstrapServers`.
  std::string bootstrap_servers =
      "b-1.meshsim.a1b2c3.c1.kafka.us-east-1.amazonaws.com:9092,"
      "b-2.meshsim.a1b2c3.c1.kafka.us-east-1.amazonaws.com:9092";
  // Unix time in milliseconds of the Runtime's time 0, added to the times the event and the
  // on-failure record show. Default: 0 (the virtual clock's start reads as 1970-01-01).
  int64_t epoch_ms = 0;

  // BatchSize. REQUIRES: 1..10,000. Default: 100 (AWS's default for Kafka).
  int64_t batch_size = 100;
  // MaximumBatchingWindowInSeconds. REQUIRES: 0..300 s. Default: 500 ms (AWS's default for
  // Kafka, which the API cannot set again once changed).
  int64_t batching_window_us = 500'000;
  // StartingPosition. AWS requires it for Kafka; Default here: TRIM_HORIZON.
  StartingPosition starting_position = StartingPosition::kTrimHorizon;
  // MaximumRetryAttempts: retries of a failing batch (not counting the first invocation) before
  // the on-failure destination. REQUIRES: -1 (infinite) or 0..10,000. Default: -1, as AWS's for
  // Kafka: a batch that keeps failing holds its partition until it succeeds or ages out.
  int64_t max_retries = kInfinite;
  // MaximumRecordAgeInSeconds: a batch whose first (oldest) record is older than this when it
  // would be invoked or retried goes to the on-failure destination instead. Age is measured from
  // the record's CreateTime. REQUIRES: -1 (infinite) or 60 s..604,800 s. Default: -1.
  int64_t max_record_age_us = kInfinite;
  // Not an AWS setting (AWS does not document its backoff for Kafka): the delay before the first
  // retry, doubling with each further retry. REQUIRES: >= 0. Default: 1 s.
  int64_t retry_backoff_us = 1'000'000;
  LatencyModel invoke;  // invocation overhead, applied on the virtual clock only
  ComputeMeter* meter = nullptr;  // times fetches and handlers when set. Default: none.
};

// OK, or InvalidParameterValueException naming the first setting out of its range (AWS's
// message where it is known), as CreateEventSourceMapping rejects a request before it creates
// anything.
Status Validate(const EventSourceMappingConfig& config);

// config.function_arn, or the default one derived from config.function_name.
std::string FunctionArn(const EventSourceMappingConfig& config);

}  // namespace meshsim

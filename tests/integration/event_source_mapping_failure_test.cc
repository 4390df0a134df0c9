// The event-source mapping's error handling as AWS documents it for Kafka: MaximumRetryAttempts
// (infinite by default), MaximumRecordAgeInSeconds, the condition the on-failure destination is
// told, and the commit that follows the destination and never precedes success. Exact times on
// the virtual clock.
#include <catch2/catch.hpp>
#include <functional>
#include <string>
#include <vector>

#include "sim/core/runtime.h"
#include "sim/streaming/event_source_mapping.h"
#include "sim/streaming/kafka_event.h"
#include "tests/integration/event_source_mapping_harness.h"

namespace meshsim {
namespace {

using namespace esm_test;  // NOLINT: the rig of this suite

// A handler that records the invocation and fails it.
EventSourceMapping::Handler Fail(Harness& h, std::string message = "boom") {
  return [&h, message](const KafkaBatch& batch, std::function<void(Status)> done) {
    h.Record(batch);
    done(Status(Code::kInternal, message));
  };
}

TEST_CASE("esm failure: retries exhausted go to the destination as RetryAttemptsExhausted",
          "[esm]") {
  Harness h;
  h.AddObserver();
  auto config = h.Config(/*batch_size=*/100, /*window_us=*/0);
  config.max_retries = 2;
  config.retry_backoff_us = 1 * kSec;
  h.Start(config, Fail(h));
  h.Produce(3);

  h.rt().RunUntil(3 * kSec - 1);  // attempts at 0 s and 1 s; the last one is due at 3 s
  CHECK(h.invocations.size() == 2);
  CHECK(h.failures.empty());
  CHECK(h.Committed() == -1);  // nothing is committed while the batch is still being retried

  h.rt().RunUntil(60 * kSec);
  REQUIRE(h.invocations.size() == 3);
  REQUIRE(h.failure_details.size() == 1);
  const KafkaFailure& failure = h.failure_details[0];
  CHECK(failure.condition == FailureCondition::kRetriesExhausted);
  CHECK(FailureConditionName(failure.condition) == "RetryAttemptsExhausted");
  CHECK(failure.invoke_count == 3);
  CHECK(failure.error.code() == Code::kInternal);
  CHECK(failure.error.message() == "boom");
  CHECK(failure.at_us == 3 * kSec);
  CHECK(h.failures[0].offsets == Range(0, 3));
  CHECK(h.Committed() == 3);  // committed after the destination, and the partition moves on
  CHECK(h.mapping().failed_batches() == 1);
  CHECK(h.mapping().Idle());
}

TEST_CASE("esm failure: the default MaximumRetryAttempts (-1) retries until success", "[esm]") {
  Harness h;
  h.AddObserver();
  auto config = h.Config(/*batch_size=*/100, /*window_us=*/0);
  REQUIRE(config.max_retries == -1);
  config.retry_backoff_us = 10 * kMs;
  constexpr int kFailures = 30;  // far past the old default of 3 retries
  h.Start(config, [&](const KafkaBatch& batch, std::function<void(Status)> done) {
    h.Record(batch);
    done(batch.attempt < kFailures ? Status(Code::kThrottling, "again") : Status::Ok());
  });
  h.Produce(2);
  h.rt().RunUntilIdle();
  REQUIRE(h.invocations.size() == kFailures + 1);
  CHECK(h.invocations.back().attempt == kFailures);
  CHECK(h.invocations.back().offsets == Range(0, 2));
  CHECK(h.failures.empty());
  CHECK(h.Committed() == 2);
}

TEST_CASE("esm failure: a batch past the maximum record age is not retried", "[esm]") {
  Harness h;
  h.AddObserver();
  auto config = h.Config(/*batch_size=*/100, /*window_us=*/0);
  config.max_record_age_us = 60 * kSec;
  config.retry_backoff_us = 20 * kSec;  // retries due at 20 s, 60 s and 140 s
  h.Start(config, Fail(h, "still failing"));
  h.Produce(2);
  h.ProduceAt(30 * kSec, 1);  // waits behind the failing batch

  h.rt().RunUntil(140 * kSec - 1);
  // At 60 s the batch is exactly 60 s old, not older: that retry still runs.
  REQUIRE(h.invocations.size() == 3);
  CHECK(h.invocations[0].at_us == 0);
  CHECK(h.invocations[1].at_us == 20 * kSec);
  CHECK(h.invocations[2].at_us == 60 * kSec);
  CHECK(h.failures.empty());
  CHECK(h.Committed() == -1);

  h.rt().RunUntil(200 * kSec);
  CHECK(h.invocations.size() == 3);  // the retry due at 140 s never reaches the function
  REQUIRE(h.failure_details.size() == 2);
  CHECK(h.failures[0].offsets == Range(0, 2));
  CHECK(h.failure_details[0].condition == FailureCondition::kRecordAgeExceeded);
  CHECK(h.failure_details[0].invoke_count == 3);
  CHECK(h.failure_details[0].error.message() == "still failing");  // the last invocation's
  CHECK(h.failure_details[0].at_us == 140 * kSec);
  // Offset 2, produced at 30 s, is 110 s old when its turn comes: discarded uninvoked.
  CHECK(h.failures[1].offsets == Range(2, 3));
  CHECK(h.failure_details[1].condition == FailureCondition::kRecordAgeExceeded);
  CHECK(h.failure_details[1].invoke_count == 0);
  CHECK(h.failure_details[1].error.ok());
  CHECK(h.failure_details[1].at_us == 140 * kSec);
  CHECK(h.Committed() == 3);
}

TEST_CASE("esm failure: a failure past the record age skips the backoff", "[esm]") {
  Harness h;
  auto config = h.Config(/*batch_size=*/100, /*window_us=*/0);
  config.max_record_age_us = 60 * kSec;
  // The function takes 90 s to fail: by then the batch is too old to be worth a retry.
  h.Start(config, [&](const KafkaBatch& batch, std::function<void(Status)> done) {
    h.Record(batch);
    h.rt().ScheduleAfter(90 * kSec, [done] { done(Status(Code::kInternal, "slow")); });
  });
  h.Produce(1);
  h.rt().RunUntilIdle();
  CHECK(h.invocations.size() == 1);
  REQUIRE(h.failure_details.size() == 1);
  CHECK(h.failure_details[0].condition == FailureCondition::kRecordAgeExceeded);
  CHECK(h.failure_details[0].invoke_count == 1);
  CHECK(h.failure_details[0].at_us == 90 * kSec);
}

TEST_CASE("esm failure: records already too old are sent without an invocation", "[esm]") {
  Harness h;
  h.AddObserver();
  h.Produce(3);
  h.rt().RunUntil(61 * kSec);  // a backlog older than the limit before the mapping starts
  auto config = h.Config(/*batch_size=*/2, /*window_us=*/0);
  config.max_record_age_us = 60 * kSec;
  h.Start(config, h.Succeed());
  h.ProduceAt(62 * kSec, 1);  // fresh: it is delivered
  h.rt().RunUntil(70 * kSec);

  REQUIRE(h.failure_details.size() == 2);  // [0, 2) and [2, 3), batch size 2
  CHECK(h.failures[0].offsets == Range(0, 2));
  CHECK(h.failures[1].offsets == Range(2, 3));
  for (const KafkaFailure& f : h.failure_details) {
    CHECK(f.condition == FailureCondition::kRecordAgeExceeded);
    CHECK(f.invoke_count == 0);
    CHECK(f.error.ok());  // the function never ran
    CHECK(f.at_us == 61 * kSec);
  }
  REQUIRE(h.invocations.size() == 1);
  CHECK(h.invocations[0].offsets == Range(3, 4));
  CHECK(h.mapping().invocations() == 1);
  CHECK(h.Committed() == 4);
}

// The last error of a batch is kept for the destination in case the batch then ages out; a
// batch that succeeds on retry must not pass it on to the next batch of its partition.
TEST_CASE("esm failure: a batch aged out uninvoked carries no earlier batch's error", "[esm]") {
  Harness h;
  auto config = h.Config(/*batch_size=*/2, /*window_us=*/0);
  config.max_record_age_us = 60 * kSec;
  h.Start(config, [&](const KafkaBatch& batch, std::function<void(Status)> done) {
    h.Record(batch);
    if (batch.attempt == 0 && batch.records.front().offset == 0) {
      done(Status(Code::kInternal, "first try"));
    } else {  // the retry succeeds, slowly enough that offset 2 is too old by then
      h.rt().ScheduleAfter(70 * kSec, [done] { done(Status::Ok()); });
    }
  });
  h.Produce(3);
  h.rt().RunUntilIdle();
  REQUIRE(h.invocations.size() == 2);
  REQUIRE(h.failure_details.size() == 1);
  CHECK(h.failures[0].offsets == Range(2, 3));
  CHECK(h.failure_details[0].invoke_count == 0);
  CHECK(h.failure_details[0].error.ok());
}

TEST_CASE("esm failure: the destination runs before the commit", "[esm]") {
  Harness h;
  h.AddObserver();
  auto config = h.Config(/*batch_size=*/100, /*window_us=*/0);
  config.max_retries = 0;
  int64_t committed_in_destination = -2;
  EventSourceMapping mapping(
      h.rt(), h.stream(), config, Fail(h),
      [&](const KafkaBatch&, const KafkaFailure&) { committed_in_destination = h.Committed(); });
  REQUIRE(mapping.Start().ok());
  h.Produce(2);
  h.rt().RunUntilIdle();
  CHECK(committed_in_destination == -1);
  CHECK(h.Committed() == 2);
}

TEST_CASE("esm failure: the destination's record for a failed batch", "[esm]") {
  Harness h;
  auto config = h.Config(/*batch_size=*/100, /*window_us=*/0);
  config.max_retries = 1;
  config.epoch_ms = 1'700'000'000'000;  // 2023-11-14T22:13:20Z
  nlohmann::json record;
  EventSourceMapping mapping(h.rt(), h.stream(), config, Fail(h),
                             [&](const KafkaBatch& batch, const KafkaFailure& failure) {
                               record = ToKafkaFailureRecord(batch, failure, config);
                             });
  REQUIRE(mapping.Start().ok());
  h.ProduceAt(250 * kMs, 2);
  h.rt().RunUntilIdle();
  REQUIRE(record.is_object());
  CHECK(record["requestContext"]["condition"] == "RetryAttemptsExhausted");
  CHECK(record["requestContext"]["approximateInvokeCount"] == 2);
  CHECK(record["timestamp"] == "2023-11-14T22:13:21.250Z");  // after the 1 s backoff
  CHECK(record["KafkaBatchInfo"]["recordsInfo"] == nlohmann::json::parse(R"({"interactions-0": {
      "firstRecordOffset": "0", "firstRecordTimestamp": "2023-11-14T22:13:20.250Z",
      "lastRecordOffset": "1", "lastRecordTimestamp": "2023-11-14T22:13:20.250Z"}})"));
}

TEST_CASE("esm failure: Start refuses an invalid config and starts nothing", "[esm]") {
  Harness h;
  auto config = h.Config(/*batch_size=*/10'001, /*window_us=*/0);
  EventSourceMapping mapping(h.rt(), h.stream(), config, h.Succeed(),
                             [](const KafkaBatch&, const KafkaFailure&) {});
  const Status started = mapping.Start();
  CHECK(started.code() == Code::kInvalidParameterValue);
  h.Produce(1);
  h.rt().RunUntilIdle();
  CHECK(h.invocations.empty());
  CHECK(mapping.Lag() == 0);  // no consumer joined
}

}  // namespace
}  // namespace meshsim

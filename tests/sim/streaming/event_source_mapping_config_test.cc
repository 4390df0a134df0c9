#include "sim/streaming/event_source_mapping_config.h"

#include <catch2/catch.hpp>

namespace meshsim {
namespace {

EventSourceMappingConfig Valid() {
  EventSourceMappingConfig c;
  c.function_name = "InteractionsUpdate";
  c.topic = "interactions";
  return c;
}

TEST_CASE("esm config: the defaults are AWS's for Kafka and valid", "[esm]") {
  const EventSourceMappingConfig c = Valid();
  CHECK(c.batch_size == 100);
  CHECK(c.batching_window_us == 500'000);
  CHECK(c.starting_position == StartingPosition::kTrimHorizon);
  CHECK(c.max_retries == -1);
  CHECK(c.max_record_age_us == -1);
  CHECK(c.event_source_arn.rfind("arn:aws:kafka:us-east-1:123456789012:cluster/", 0) == 0);
  CHECK(FunctionArn(c) == "arn:aws:lambda:us-east-1:123456789012:function:InteractionsUpdate");
  CHECK(Validate(c).ok());
}

TEST_CASE("esm config: starting positions by their AWS names", "[esm]") {
  for (auto position : {StartingPosition::kTrimHorizon, StartingPosition::kLatest}) {
    auto parsed = ParseStartingPosition(StartingPositionName(position));
    REQUIRE(parsed.ok());
    CHECK(*parsed == position);
  }
  CHECK(StartingPositionName(StartingPosition::kLatest) == "LATEST");
  CHECK(StartingPositionName(StartingPosition::kTrimHorizon) == "TRIM_HORIZON");
  CHECK(ToOffsetReset(StartingPosition::kLatest) == OffsetReset::kLatest);
  CHECK(ToOffsetReset(StartingPosition::kTrimHorizon) == OffsetReset::kEarliest);

  auto lower = ParseStartingPosition("latest");
  REQUIRE_FALSE(lower.ok());
  CHECK(lower.status().code() == Code::kInvalidParameterValue);
  CHECK(lower.status().ToString() ==
        "InvalidParameterValueException: 1 validation error detected: Value 'latest' at "
        "'startingPosition' failed to satisfy constraint: Member must satisfy enum value set: "
        "[TRIM_HORIZON, LATEST, AT_TIMESTAMP]");
  auto at_timestamp = ParseStartingPosition("AT_TIMESTAMP");
  REQUIRE_FALSE(at_timestamp.ok());
  CHECK(at_timestamp.status().code() == Code::kInvalidParameterValue);
}

// Each limit at its bounds: the bound itself is accepted, one past it refused with AWS's words.
TEST_CASE("esm config: Validate enforces CreateEventSourceMapping's limits", "[esm]") {
  auto message = [](auto&& edit) {
    EventSourceMappingConfig c = Valid();
    edit(c);
    const Status s = Validate(c);
    if (!s.ok()) CHECK(s.code() == Code::kInvalidParameterValue);
    return s.ok() ? std::string("OK") : s.message();
  };
  const std::string prefix = "1 validation error detected: Value '";

  SECTION("BatchSize 1..10000") {
    CHECK(message([](auto& c) { c.batch_size = 1; }) == "OK");
    CHECK(message([](auto& c) { c.batch_size = 10'000; }) == "OK");
    CHECK(message([](auto& c) { c.batch_size = 0; }) ==
          prefix +
              "0' at 'batchSize' failed to satisfy constraint: Member must have value greater "
              "than or equal to 1");
    CHECK(message([](auto& c) { c.batch_size = 10'001; }) ==
          prefix +
              "10001' at 'batchSize' failed to satisfy constraint: Member must have value less "
              "than or equal to 10000");
  }
  SECTION("MaximumBatchingWindowInSeconds 0..300") {
    CHECK(message([](auto& c) { c.batching_window_us = 0; }) == "OK");
    CHECK(message([](auto& c) { c.batching_window_us = 300 * kMicrosPerSecond; }) == "OK");
    CHECK(message([](auto& c) { c.batching_window_us = 300 * kMicrosPerSecond + 500'000; }) ==
          prefix +
              "300.5' at 'maximumBatchingWindowInSeconds' failed to satisfy constraint: Member "
              "must have value less than or equal to 300");
    CHECK(message([](auto& c) { c.batching_window_us = -1 * kMicrosPerSecond; }) ==
          prefix +
              "-1' at 'maximumBatchingWindowInSeconds' failed to satisfy constraint: Member must "
              "have value greater than or equal to 0");
  }
  SECTION("MaximumRetryAttempts -1..10000") {
    CHECK(message([](auto& c) { c.max_retries = -1; }) == "OK");
    CHECK(message([](auto& c) { c.max_retries = 0; }) == "OK");
    CHECK(message([](auto& c) { c.max_retries = 10'000; }) == "OK");
    CHECK(message([](auto& c) { c.max_retries = -2; }) ==
          prefix +
              "-2' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value "
              "greater than or equal to -1");
    CHECK(message([](auto& c) { c.max_retries = 10'001; }) ==
          prefix +
              "10001' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have "
              "value less than or equal to 10000");
  }
  SECTION("MaximumRecordAgeInSeconds -1 or 60..604800") {
    const std::string refused =
        "MaximumRecordAgeInSeconds must be either -1 (forever) or between 60 and 604800 "
        "(inclusive)";
    CHECK(message([](auto& c) { c.max_record_age_us = -1; }) == "OK");
    CHECK(message([](auto& c) { c.max_record_age_us = 60 * kMicrosPerSecond; }) == "OK");
    CHECK(message([](auto& c) { c.max_record_age_us = 604'800 * kMicrosPerSecond; }) == "OK");
    CHECK(message([](auto& c) { c.max_record_age_us = 0; }) == refused);
    CHECK(message([](auto& c) { c.max_record_age_us = 60 * kMicrosPerSecond - 1; }) == refused);
    CHECK(message([](auto& c) { c.max_record_age_us = 604'801 * kMicrosPerSecond; }) == refused);
    CHECK(message([](auto& c) { c.max_record_age_us = -2; }) == refused);
  }
  SECTION("a function, a topic and a backoff") {
    CHECK(message([](auto& c) { c.function_name.clear(); }).find("'functionName'") !=
          std::string::npos);
    CHECK(message([](auto& c) { c.topic.clear(); }).find("Topics") != std::string::npos);
    CHECK(message([](auto& c) { c.retry_backoff_us = -1; }) == "retry_backoff_us must be >= 0");
  }
}

}  // namespace
}  // namespace meshsim

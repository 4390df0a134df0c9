#include "sim/streaming/event_source_mapping_config.h"

#include <cstdio>

namespace meshsim {
namespace {

Status Invalid(std::string message) {
  return Status(Code::kInvalidParameterValue, std::move(message));
}

// AWS's wording for a value outside a member's range.
Status OutOfRange(std::string_view member, std::string_view value, std::string_view relation,
                  std::string_view bound) {
  std::string m = "1 validation error detected: Value '";
  m += value;
  m += "' at '";
  m += member;
  m += "' failed to satisfy constraint: Member must have value ";
  m += relation;
  m += " ";
  m += bound;
  return Invalid(std::move(m));
}

Status CheckRange(std::string_view member, int64_t value, int64_t min, int64_t max) {
  if (value < min) {
    return OutOfRange(member, std::to_string(value), "greater than or equal to",
                      std::to_string(min));
  }
  if (value > max) {
    return OutOfRange(member, std::to_string(value), "less than or equal to", std::to_string(max));
  }
  return Status::Ok();
}

// Microseconds as the seconds the API counts: "300", "0.5".
std::string Seconds(int64_t us) {
  if (us % kMicrosPerSecond == 0) return std::to_string(us / kMicrosPerSecond);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", static_cast<double>(us) / 1e6);
  return buf;
}

}  // namespace

std::string_view StartingPositionName(StartingPosition position) {
  switch (position) {
    case StartingPosition::kTrimHorizon:
      return "TRIM_HORIZON";
    case StartingPosition::kLatest:
      return "LATEST";
  }
  return "TRIM_HORIZON";
}

Result<StartingPosition> ParseStartingPosition(std::string_view name) {
  if (name == "TRIM_HORIZON") return StartingPosition::kTrimHorizon;
  if (name == "LATEST") return StartingPosition::kLatest;
  if (name == "AT_TIMESTAMP") {
    return Invalid("StartingPosition AT_TIMESTAMP is not supported by meshsim's Kafka mappings");
  }
  std::string m = "1 validation error detected: Value '";
  m += name;
  m += "' at 'startingPosition' failed to satisfy constraint: Member must satisfy enum value set: "
       "[TRIM_HORIZON, LATEST, AT_TIMESTAMP]";
  return Invalid(std::move(m));
}

OffsetReset ToOffsetReset(StartingPosition position) {
  return position == StartingPosition::kLatest ? OffsetReset::kLatest : OffsetReset::kEarliest;
}

Status Validate(const EventSourceMappingConfig& config) {
  if (config.function_name.empty()) {
    return Invalid(
        "1 validation error detected: Value '' at 'functionName' failed to satisfy constraint: "
        "Member must have length greater than or equal to 1");
  }
  if (config.topic.empty()) {
    return Invalid("Topics must contain exactly one non-empty topic name");
  }
  if (auto s = CheckRange("batchSize", config.batch_size, 1, kMaxBatchSize); !s.ok()) return s;
  if (config.batching_window_us < 0) {
    return OutOfRange("maximumBatchingWindowInSeconds", Seconds(config.batching_window_us),
                      "greater than or equal to", "0");
  }
  if (config.batching_window_us > kMaxBatchingWindowUs) {
    return OutOfRange("maximumBatchingWindowInSeconds", Seconds(config.batching_window_us),
                      "less than or equal to", "300");
  }
  if (auto s = CheckRange("maximumRetryAttempts", config.max_retries, kInfinite, kMaxRetryAttempts);
      !s.ok()) {
    return s;
  }
  const int64_t age = config.max_record_age_us;
  if (age != kInfinite && (age < kMinRecordAgeUs || age > kMaxRecordAgeUs)) {
    // The API's own range is -1..604800; values 0..59 are refused with this message.
    return Invalid(
        "MaximumRecordAgeInSeconds must be either -1 (forever) or between 60 and 604800 "
        "(inclusive)");
  }
  if (config.retry_backoff_us < 0) return Invalid("retry_backoff_us must be >= 0");
  return Status::Ok();
}

std::string FunctionArn(const EventSourceMappingConfig& config) {
  if (!config.function_arn.empty()) return config.function_arn;
  return "arn:aws:lambda:us-east-1:123456789012:function:" + config.function_name;
}

}  // namespace meshsim

#include "sim/streaming/kafka_event.h"

#include <array>
#include <chrono>
#include <cstdio>
#include <string_view>

#include "sim/core/uuid.h"
#include "sim/text/base64.h"

namespace meshsim {
namespace {

std::string RecordsKey(const TopicPartition& tp) {
  return tp.topic + "-" + std::to_string(tp.partition);
}

int64_t UnixMillis(int64_t runtime_us, const EventSourceMappingConfig& config) {
  return config.epoch_ms + runtime_us / kMicrosPerMilli;
}

nlohmann::json Headers(const std::vector<Header>& headers) {
  nlohmann::json out = nlohmann::json::array();
  for (const Header& h : headers) {
    nlohmann::json bytes = nlohmann::json::array();
    for (char c : h.value) bytes.push_back(static_cast<int8_t>(c));  // Java's signed bytes
    out.push_back(nlohmann::json::object({{h.key, std::move(bytes)}}));
  }
  return out;
}

uint64_t Mix(uint64_t h, std::string_view bytes) {  // FNV-1a, 64-bit
  for (char c : bytes) {
    h ^= static_cast<uint8_t>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

// A version-4-shaped UUID from the facts that identify the last invocation of the batch.
std::string RequestId(const KafkaBatch& batch, const KafkaFailure& failure,
                      const EventSourceMappingConfig& config) {
  const std::string facts = config.function_name + '\0' + RecordsKey(batch.tp) + '\0' +
                            std::to_string(batch.records.front().offset) + '\0' +
                            std::to_string(failure.invoke_count);
  const uint64_t hi = Mix(0xcbf29ce484222325ULL, facts);
  const uint64_t lo = Mix(hi ^ 0x9e3779b97f4a7c15ULL, facts);
  std::array<uint8_t, 16> bytes{};
  for (int i = 0; i < 8; ++i) {
    bytes[i] = static_cast<uint8_t>(hi >> (56 - 8 * i));
    bytes[8 + i] = static_cast<uint8_t>(lo >> (56 - 8 * i));
  }
  bytes[6] = static_cast<uint8_t>((bytes[6] & 0x0F) | 0x40);  // version 4
  bytes[8] = static_cast<uint8_t>((bytes[8] & 0x3F) | 0x80);  // variant 1
  return Uuid(bytes).ToString();
}

}  // namespace

nlohmann::json ToAwsKafkaEvent(const KafkaBatch& batch, const EventSourceMappingConfig& config) {
  nlohmann::json records = nlohmann::json::array();
  for (const ConsumedRecord& r : batch.records) {
    nlohmann::json record = {
        {"topic", r.tp.topic},
        {"partition", r.tp.partition},
        {"offset", r.offset},
        {"timestamp", UnixMillis(r.timestamp_us, config)},
        {"timestampType", "CREATE_TIME"},
        {"value", Base64Encode(r.value)},
        {"headers", Headers(r.headers)},
    };
    if (r.key) record["key"] = Base64Encode(*r.key);
    records.push_back(std::move(record));
  }
  return {
      {"eventSource", "aws:kafka"},
      {"eventSourceArn", config.event_source_arn},
      {"bootstrapServers", config.bootstrap_servers},
      {"records", {{RecordsKey(batch.tp), std::move(records)}}},
  };
}

nlohmann::json ToKafkaFailureRecord(const KafkaBatch& batch, const KafkaFailure& failure,
                                    const EventSourceMappingConfig& config) {
  nlohmann::json records_info = nlohmann::json::object();
  if (!batch.records.empty()) {
    const ConsumedRecord& first = batch.records.front();
    const ConsumedRecord& last = batch.records.back();
    records_info[RecordsKey(batch.tp)] = {
        {"firstRecordOffset", std::to_string(first.offset)},
        {"firstRecordTimestamp", IsoTimestampMillis(UnixMillis(first.timestamp_us, config))},
        {"lastRecordOffset", std::to_string(last.offset)},
        {"lastRecordTimestamp", IsoTimestampMillis(UnixMillis(last.timestamp_us, config))},
    };
  }
  nlohmann::json response = nullptr;
  if (failure.invoke_count > 0) {
    response = {
        {"statusCode", 200}, {"executedVersion", "$LATEST"}, {"functionError", "Unhandled"}};
  }
  return {
      {"requestContext",
       {
           {"requestId", batch.records.empty() ? "" : RequestId(batch, failure, config)},
           {"functionArn", FunctionArn(config)},
           {"condition", FailureConditionName(failure.condition)},
           {"approximateInvokeCount", failure.invoke_count},
       }},
      {"responseContext", std::move(response)},
      {"version", "1.0"},
      {"timestamp", IsoTimestampMillis(UnixMillis(failure.at_us, config))},
      {"KafkaBatchInfo",
       {
           {"batchSize", batch.records.size()},
           {"eventSourceArn", config.event_source_arn},
           {"bootstrapServers", config.bootstrap_servers},
           {"payloadSize", ToAwsKafkaEvent(batch, config).dump().size()},
           {"recordsInfo", std::move(records_info)},
       }},
  };
}

std::string IsoTimestampMillis(int64_t unix_ms) {
  using std::chrono::days;
  using std::chrono::floor;
  using std::chrono::milliseconds;
  const std::chrono::sys_time<milliseconds> t{milliseconds(unix_ms)};
  const auto day = floor<days>(t);
  const std::chrono::year_month_day ymd{day};
  const int64_t ms_of_day = (t - day).count();
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%03dZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(ms_of_day / 3'600'000),
                static_cast<int>(ms_of_day / 60'000 % 60), static_cast<int>(ms_of_day / 1000 % 60),
                static_cast<int>(ms_of_day % 1000));
  return buf;
}

}  // namespace meshsim

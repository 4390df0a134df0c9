#include "sim/streaming/kafka_event.h"

#include <catch2/catch.hpp>
#include <string>

#include "sim/text/base64.h"

namespace meshsim {
namespace {

using nlohmann::json;

EventSourceMappingConfig Config() {
  EventSourceMappingConfig c;
  c.function_name = "InteractionsUpdate";
  c.topic = "interactions";
  c.event_source_arn = "arn:aws:kafka:us-east-1:123456789012:cluster/demo/abcd-1";
  c.bootstrap_servers = "b-1.demo:9092,b-2.demo:9092";
  c.epoch_ms = 1'545'084'650'000;  // 2018-12-17T22:10:50Z
  return c;
}

// Two records of partition 3: one keyed with a header, one with a null key, a binary value
// (bytes past 0x7f) and two headers, one of them binary and one repeated name.
KafkaBatch Batch() {
  KafkaBatch batch;
  batch.tp = {"interactions", 3};
  ConsumedRecord a;
  a.tp = batch.tp;
  a.offset = 15;
  a.timestamp_us = 987'654;  // 987 ms: microseconds are cut, not rounded
  a.append_time_us = 990'000;
  a.key = "recordKey";
  a.value = R"({"key":"value"})";
  a.headers = {{"headerKey", "headerValue"}};
  ConsumedRecord b;
  b.tp = batch.tp;
  b.offset = 16;
  b.timestamp_us = 1'500'000;
  b.value = std::string("\x00\xff\x80\x7f", 4);
  b.headers = {{"bin", std::string("\x01\xc3\xab", 3)}, {"bin", ""}};
  batch.records = {a, b};
  return batch;
}

TEST_CASE("kafka event: a batch as Lambda hands it to a function", "[kafka_event]") {
  const json event = ToAwsKafkaEvent(Batch(), Config());
  const json expected = json::parse(R"({
    "eventSource": "aws:kafka",
    "eventSourceArn": "arn:aws:kafka:us-east-1:123456789012:cluster/demo/abcd-1",
    "bootstrapServers": "b-1.demo:9092,b-2.demo:9092",
    "records": {
      "interactions-3": [
        {
          "topic": "interactions", "partition": 3, "offset": 15,
          "timestamp": 1545084650987, "timestampType": "CREATE_TIME",
          "key": "cmVjb3JkS2V5", "value": "eyJrZXkiOiJ2YWx1ZSJ9",
          "headers": [{"headerKey": [104, 101, 97, 100, 101, 114, 86, 97, 108, 117, 101]}]
        },
        {
          "topic": "interactions", "partition": 3, "offset": 16,
          "timestamp": 1545084651500, "timestampType": "CREATE_TIME",
          "value": "AP+Afw==",
          "headers": [{"bin": [1, -61, -85]}, {"bin": []}]
        }
      ]
    }
  })");
  CHECK(event == expected);
  const json& second = event["records"]["interactions-3"][1];
  CHECK_FALSE(second.contains("key"));  // a null key is absent, not null or ""
  auto value = Base64Decode(second["value"].get<std::string>());
  REQUIRE(value.ok());
  CHECK(*value == std::string("\x00\xff\x80\x7f", 4));
}

TEST_CASE("kafka event: an empty key is present and empty", "[kafka_event]") {
  KafkaBatch batch = Batch();
  batch.records[1].key = "";
  const json event = ToAwsKafkaEvent(batch, Config());
  CHECK(event["records"]["interactions-3"][1]["key"] == "");
}

TEST_CASE("kafka event: the on-failure record", "[kafka_event]") {
  const KafkaBatch batch = Batch();
  const EventSourceMappingConfig config = Config();
  const KafkaFailure failure{FailureCondition::kRetriesExhausted, 4,
                             Status(Code::kInternal, "boom"), 7'021'000};
  const json record = ToKafkaFailureRecord(batch, failure, config);
  const std::string request_id = record["requestContext"]["requestId"].get<std::string>();
  CHECK(request_id.size() == 36);
  CHECK(request_id[14] == '4');  // a version-4-shaped UUID
  const json expected = {
      {"requestContext",
       {{"requestId", request_id},
        {"functionArn", "arn:aws:lambda:us-east-1:123456789012:function:InteractionsUpdate"},
        {"condition", "RetryAttemptsExhausted"},
        {"approximateInvokeCount", 4}}},
      {"responseContext",
       {{"statusCode", 200}, {"executedVersion", "$LATEST"}, {"functionError", "Unhandled"}}},
      {"version", "1.0"},
      {"timestamp", "2018-12-17T22:10:57.021Z"},
      {"KafkaBatchInfo",
       {{"batchSize", 2},
        {"eventSourceArn", config.event_source_arn},
        {"bootstrapServers", config.bootstrap_servers},
        {"payloadSize", ToAwsKafkaEvent(batch, config).dump().size()},
        {"recordsInfo",
         {{"interactions-3",
           {{"firstRecordOffset", "15"},
            {"firstRecordTimestamp", "2018-12-17T22:10:50.987Z"},
            {"lastRecordOffset", "16"},
            {"lastRecordTimestamp", "2018-12-17T22:10:51.500Z"}}}}}}}};
  CHECK(record == expected);
  CHECK(record["KafkaBatchInfo"]["payloadSize"].get<size_t>() > 300);

  // Deterministic, and distinct per invocation.
  CHECK(ToKafkaFailureRecord(batch, failure, config)["requestContext"]["requestId"] == request_id);
  KafkaFailure later = failure;
  later.invoke_count = 5;
  CHECK(ToKafkaFailureRecord(batch, later, config)["requestContext"]["requestId"] != request_id);
}

TEST_CASE("kafka event: a batch discarded by age before any invocation", "[kafka_event]") {
  EventSourceMappingConfig config = Config();
  config.function_arn = "arn:aws:lambda:eu-west-1:111122223333:function:f:prod";
  const KafkaFailure failure{FailureCondition::kRecordAgeExceeded, 0, Status::Ok(), 0};
  const json record = ToKafkaFailureRecord(Batch(), failure, config);
  CHECK(record["requestContext"]["condition"] == "RecordAgeExceeded");
  CHECK(record["requestContext"]["approximateInvokeCount"] == 0);
  CHECK(record["requestContext"]["functionArn"] == config.function_arn);
  CHECK(record["responseContext"].is_null());  // no function ran to respond
}

TEST_CASE("kafka event: ISO 8601 timestamps in UTC with milliseconds", "[kafka_event]") {
  CHECK(IsoTimestampMillis(0) == "1970-01-01T00:00:00.000Z");
  CHECK(IsoTimestampMillis(1'573'691'886'021) == "2019-11-14T00:38:06.021Z");
  CHECK(IsoTimestampMillis(951'782'400'000) == "2000-02-29T00:00:00.000Z");  // a leap day
  CHECK(IsoTimestampMillis(4'102'444'799'999) == "2099-12-31T23:59:59.999Z");
}

}  // namespace
}  // namespace meshsim

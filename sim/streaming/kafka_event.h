// What Lambda hands to, and writes about, a function fed by an event-source mapping for Kafka:
// the `aws:kafka` event a function is invoked with (Amazon MSK's form; self-managed Kafka's only
// differs in `eventSource`), and the invocation record an on-failure destination (SQS, SNS)
// receives for a batch that was discarded. Pure functions of the batch and the mapping's config,
// for users' own handlers, reports and the HTTP endpoints. Not on the event path: the mesh's own
// functions take the KafkaBatch as it is, and these cost a JSON tree per call.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>

#include "sim/streaming/event_source_mapping.h"

namespace meshsim {

// {"eventSource": "aws:kafka", "eventSourceArn", "bootstrapServers", "records": {"topic-partition":
// [{"topic", "partition", "offset", "timestamp" (CreateTime, Unix ms), "timestampType":
// "CREATE_TIME", "key" (base64; absent for a null key), "value" (base64), "headers": [{name:
// [byte, ...]}, ...]}]}}. Header values are arrays of signed bytes (-128..127), as Lambda's Java
// poller writes them; a header list keeps its order and repeats.
nlohmann::json ToAwsKafkaEvent(const KafkaBatch& batch, const EventSourceMappingConfig& config);

// {"requestContext": {"requestId", "functionArn", "condition", "approximateInvokeCount"},
// "responseContext": {"statusCode": 200, "executedVersion": "$LATEST", "functionError":
// "Unhandled"} (null when the batch was never invoked), "version": "1.0", "timestamp" (ISO 8601,
// ms), "KafkaBatchInfo": {"batchSize", "eventSourceArn", "bootstrapServers", "payloadSize" (bytes
// of the event JSON), "recordsInfo": {"topic-partition": {"firstRecordOffset",
// "firstRecordTimestamp", "lastRecordOffset", "lastRecordTimestamp"}}}}, offsets as decimal
// strings as in AWS's example. The requestId is a UUID derived from the function, the batch's
// first offset and the invoke count, so a run renders the same record every time.
nlohmann::json ToKafkaFailureRecord(const KafkaBatch& batch, const KafkaFailure& failure,
                                    const EventSourceMappingConfig& config);

// "2019-11-14T18:16:05.568Z" for Unix time `unix_ms` (UTC).
std::string IsoTimestampMillis(int64_t unix_ms);

}  // namespace meshsim

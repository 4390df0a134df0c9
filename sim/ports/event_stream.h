// EventStream: the dynamic plane's port, Kafka's model. Topics with partitions; keyed produce
// returning (partition, offset); consumer groups with committed offsets; seek; lag. Records are
// bytes plus headers, as in Kafka.
//
// Abstract so the producer and consumer domains run unchanged on the in-process broker
// (fakes/broker.h, MakeFakeEventStream) and on Kafka/MSK through librdkafka (backends/, later).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sim/status.h"

namespace meshsim {

struct Header {
  std::string key;
  std::string value;
};

struct TopicPartition {
  std::string topic;
  int32_t partition = 0;
  auto operator<=>(const TopicPartition&) const = default;
};

struct TopicConfig {
  std::string name;
  int32_t partitions = 1;  // Default: 1. REQUIRES: >= 1.
};

// What a producer sends. An absent key spreads records over partitions; a present one keeps
// every record of that key in one partition, in order.
struct ProducerRecord {
  std::string topic;
  std::optional<std::string> key;
  std::string value;
  std::vector<Header> headers;
  int64_t timestamp_us = 0;  // CreateTime, set by the producer from its Runtime.
};

struct RecordMetadata {
  TopicPartition tp;
  int64_t offset = 0;
  int64_t append_time_us = 0;  // when the broker appended it (LogAppendTime)
};

// What a consumer receives. The pointer-free layout is shared with the broker's log so a fetch
// copies nothing it does not need to.
struct ConsumedRecord {
  TopicPartition tp;
  int64_t offset = 0;
  int64_t timestamp_us = 0;    // CreateTime
  int64_t append_time_us = 0;  // LogAppendTime
  std::optional<std::string> key;
  std::string value;
  std::vector<Header> headers;
};

enum class OffsetReset { kEarliest, kLatest };

struct ConsumerConfig {
  std::string group_id;
  std::vector<std::string> topics;
  OffsetReset auto_offset_reset = OffsetReset::kEarliest;  // where a group with no commit starts
};

// One member of a consumer group. Not thread-safe; use on the Runtime's thread.
class Consumer {
 public:
  virtual ~Consumer() = default;

  // The partitions this member owns now.
  virtual std::vector<TopicPartition> Assignment() const = 0;

  // Appends up to `max_records` records from `tp`, starting at this member's position, to `out`,
  // and advances the position past them. Returns how many were appended.
  virtual Result<size_t> Fetch(const TopicPartition& tp, size_t max_records,
                               std::vector<ConsumedRecord>* out) = 0;

  // Moves the position of `tp`. OFFSET_OUT_OF_RANGE past the end or before the log start.
  virtual Status Seek(const TopicPartition& tp, int64_t offset) = 0;
  virtual Result<int64_t> Position(const TopicPartition& tp) const = 0;

  // Commits `offset` (the next record to read, as in Kafka) for the group.
  virtual Status Commit(const TopicPartition& tp, int64_t offset) = 0;
  virtual Result<int64_t> Committed(const TopicPartition& tp) const = 0;

  // Records between the group's committed offset and the log end.
  virtual Result<int64_t> Lag(const TopicPartition& tp) const = 0;

  // Called (posted on the Runtime, never inline in a produce) when a partition this member owns
  // may have new records, and after the assignment changes. Replaces any earlier callback.
  virtual void SetWakeup(std::function<void(const TopicPartition&)> wakeup) = 0;

  // Leaves the group; its partitions go to the remaining members.
  virtual void Close() = 0;
};

class EventStream {
 public:
  virtual ~EventStream() = default;

  virtual Status CreateTopic(const TopicConfig& config) = 0;
  virtual Result<int32_t> PartitionCount(const std::string& topic) const = 0;

  // Sends a record; `done` runs on the Runtime with the record's metadata or the error. It may
  // run before Produce returns on a fake without modelled latency. On an error `unsent` holds the
  // record as sent (as librdkafka's delivery report does), so the caller can dead-letter it
  // without keeping a copy of every record; on success it is null.
  using ProduceCallback = std::function<void(Result<RecordMetadata>, ProducerRecord* unsent)>;
  virtual void Produce(ProducerRecord record, ProduceCallback done) = 0;

  // Joins `config.group_id` as a new member subscribed to `config.topics`.
  virtual Result<std::unique_ptr<Consumer>> Subscribe(const ConsumerConfig& config) = 0;

  // The next offset to be written to `tp`.
  virtual Result<int64_t> EndOffset(const TopicPartition& tp) const = 0;
};

}  // namespace meshsim

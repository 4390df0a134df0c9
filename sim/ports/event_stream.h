// EventStream: the dynamic plane's port, Kafka's model. Topics with partitions; keyed produce
// returning (partition, offset); consumer groups with committed offsets; seek; lag. Records are
// bytes plus headers, as in Kafka.
//
// Abstract so the producer and consumer domains run unchanged on the in-process broker
// (fakes/kafka/broker.h, MakeFakeEventStream) and on Kafka/MSK through librdkafka (backends/,
// later).
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "sim/core/status.h"

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

// cleanup.policy: what happens to closed segments. kDelete drops them by retention time and
// size; kCompact keeps the latest record per key; kCompactDelete does both.
enum class CleanupPolicy { kDelete, kCompact, kCompactDelete };

// A topic's configuration, with Kafka's names and (where they suit a simulation) its defaults.
// A log is a sequence of segments; retention and compaction work on closed segments only, never
// on the active one (the one being appended to), as in Kafka.
struct TopicConfig {
  static constexpr int64_t kForever = -1;

  std::string name;
  int32_t partitions = 1;  // Default: 1. REQUIRES: >= 1.
  // retention.ms: a closed segment whose newest record (by CreateTime) is older than this is
  // deleted, and the log start offset moves past it. Default: 7 days, as Kafka and MSK; kForever
  // keeps every segment.
  int64_t retention_ms = 7 * 24 * 3600 * 1000LL;
  // retention.bytes: the oldest closed segments are deleted while the partition would still hold
  // at least this many bytes without them. Default: kForever (no limit), as Kafka.
  int64_t retention_bytes = kForever;
  // segment.bytes: a segment closes (rolls) once its records take this many bytes. Default:
  // 1 MiB, not Kafka's 1 GiB: a simulated partition rarely holds a gigabyte, and retention can
  // only ever drop closed segments. REQUIRES: >= 14 (Kafka's minimum).
  int64_t segment_bytes = 1 << 20;
  CleanupPolicy cleanup_policy = CleanupPolicy::kDelete;  // cleanup.policy. Default: delete.
  // delete.retention.ms: on a compacted topic a tombstone (a null value) is kept this long after
  // the cleaner first passed over its segment, so consumers can see the delete. Default: 1 day.
  int64_t delete_retention_ms = 24 * 3600 * 1000LL;
  // min.compaction.lag.ms: a segment is compacted only once its newest record is this old.
  // Default: 0.
  int64_t min_compaction_lag_ms = 0;
  // max.message.bytes: the largest record (key, value and headers) the topic takes; larger ones
  // fail with RECORD_TOO_LARGE. Default: 0, the broker's limit (message.max.bytes, 1 MiB).
  int64_t max_message_bytes = 0;
};

// What a producer sends. An absent key spreads records over partitions; a present one keeps
// every record of that key in one partition, in order.
struct ProducerRecord {
  std::string topic;
  std::optional<std::string> key;
  std::string value;
  std::vector<Header> headers;
  int64_t timestamp_us = 0;  // CreateTime, set by the producer from its Runtime.
  // A null value (Kafka's tombstone: "delete this key" on a compacted topic), distinct from an
  // empty one. REQUIRES: `value` is empty when set.
  bool null_value = false;
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
  bool null_value = false;  // a tombstone; `value` is then empty
};

// Consumed records in storage that outlives a batch: clear() keeps every record and its strings'
// capacity, so a consumer that fetches into the same buffer again allocates nothing once it has
// warmed up. (Fetching into fresh std::strings was the largest allocation cost of the event path:
// a value and a header list per record per consumer group.)
class RecordBuffer {
 public:
  RecordBuffer() = default;
  RecordBuffer(std::initializer_list<ConsumedRecord> records) {
    for (const auto& r : records) push_back(r);
  }

  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  ConsumedRecord& operator[](size_t i) { return slots_[i]; }
  const ConsumedRecord& operator[](size_t i) const { return slots_[i]; }
  const ConsumedRecord& front() const { return slots_.front(); }
  const ConsumedRecord& back() const { return slots_[size_ - 1]; }
  ConsumedRecord* begin() { return slots_.data(); }
  ConsumedRecord* end() { return slots_.data() + size_; }
  const ConsumedRecord* begin() const { return slots_.data(); }
  const ConsumedRecord* end() const { return slots_.data() + size_; }

  // A record at the end, holding whatever an earlier use left in it: the caller sets every field.
  ConsumedRecord& Append() {
    if (size_ == slots_.size()) slots_.emplace_back();
    return slots_[size_++];
  }
  void push_back(ConsumedRecord record) { Append() = std::move(record); }
  void clear() { size_ = 0; }
  void swap(RecordBuffer& other) noexcept {
    slots_.swap(other.slots_);
    std::swap(size_, other.size_);
  }
  // True once the buffer holds storage (used or not) worth keeping.
  bool has_storage() const { return !slots_.empty(); }

 private:
  std::vector<ConsumedRecord> slots_;  // [0, size_) in use; the rest kept for reuse
  size_t size_ = 0;
};

enum class OffsetReset { kEarliest, kLatest };

// partition.assignment.strategy. kRange is Kafka's RangeAssignor: per topic, the members
// subscribed to it (sorted by member id) each take a contiguous range, the first ones one extra.
// kRoundRobin is the RoundRobinAssignor: every subscribed partition, sorted by topic then
// partition, dealt in turn to the members (sorted by id) subscribed to its topic.
enum class AssignmentStrategy { kRange, kRoundRobin };

struct ConsumerConfig {
  std::string group_id;
  std::vector<std::string> topics;
  // Where a partition starts when the group has no committed offset for it, or when its
  // committed offset or position is out of the log's range (retention moved the log start past
  // it). Default: earliest (Kafka's Java client defaults to latest; meshsim's consumers want
  // every record).
  OffsetReset auto_offset_reset = OffsetReset::kEarliest;
  // Every member of a group must name the same strategy (else INCONSISTENT_GROUP_PROTOCOL).
  // Default: range, as Kafka's Java client.
  AssignmentStrategy assignment_strategy = AssignmentStrategy::kRange;
};

// One member of a consumer group. Not thread-safe; use on the Runtime's thread.
class Consumer {
 public:
  virtual ~Consumer() = default;

  // The partitions this member owns now.
  virtual std::vector<TopicPartition> Assignment() const = 0;

  // Appends up to `max_records` records from `tp`, starting at this member's position, to `out`,
  // and advances the position past them. Returns how many were appended. Offsets a compaction
  // removed are skipped. A position outside the log (retention deleted the records under it)
  // fails with OFFSET_OUT_OF_RANGE, and the position is then reset as auto.offset.reset says and
  // a wake-up posted, as Kafka's client resets and fetches again. A retriable error (see
  // IsRetriable) leaves the position alone.
  virtual Result<size_t> Fetch(const TopicPartition& tp, size_t max_records, RecordBuffer* out) = 0;

  // Moves the position of `tp`. OFFSET_OUT_OF_RANGE past the end or before the log start.
  virtual Status Seek(const TopicPartition& tp, int64_t offset) = 0;

  // Kafka's offsetsForTimes for one partition: the earliest offset whose record's CreateTime is
  // at least `timestamp_us`, or the log end if there is none. Seek to it to replay from a time.
  // (librdkafka: rd_kafka_offsets_for_times; its -1 for "none", RD_KAFKA_OFFSET_END, is the end.)
  virtual Result<int64_t> OffsetForTime(const TopicPartition& tp, int64_t timestamp_us) const = 0;
  virtual Result<int64_t> Position(const TopicPartition& tp) const = 0;

  // Commits `offset` (the next record to read, as in Kafka) for the group.
  virtual Status Commit(const TopicPartition& tp, int64_t offset) = 0;
  virtual Result<int64_t> Committed(const TopicPartition& tp) const = 0;

  // Records between the group's committed offset and the log end.
  virtual Result<int64_t> Lag(const TopicPartition& tp) const = 0;

  // Called (posted on the Runtime, never inline in a produce) when a partition this member owns
  // may have new records, and after the assignment changes. Replaces any earlier callback.
  virtual void SetWakeup(std::function<void(const TopicPartition&)> wakeup) = 0;

  // The wake-up for `tp` comes for an append only once at least `min_records` records are
  // unread past the position at the time of this call (Kafka's fetch.min.bytes, in records), so
  // a consumer that waits for a full batch is not woken record by record. Assignment changes and
  // seeks wake regardless. Default: 1; a new assignment starts at 1.
  virtual void SetFetchMinRecords(const TopicPartition& tp, int64_t min_records) = 0;

  // Leaves the group; its partitions go to the remaining members.
  virtual void Close() = 0;
};

class EventStream {
 public:
  virtual ~EventStream() = default;

  virtual Status CreateTopic(const TopicConfig& config) = 0;
  virtual Result<int32_t> PartitionCount(const std::string& topic) const = 0;

  // Sends a copy of `record` (librdkafka's RD_KAFKA_MSG_F_COPY: the caller may reuse its record
  // at once); `done` runs on the Runtime with the record's metadata or the error. It may run
  // before Produce returns on a fake without modelled latency. On an error `unsent` points to the
  // record as sent, valid during the callback (as librdkafka's delivery report does), so the
  // caller can dead-letter it without keeping a copy of every record; on success it is null.
  // After a retriable error (IsRetriable: NOT_LEADER_OR_FOLLOWER, NETWORK_EXCEPTION, ...) the
  // record was not appended, so sending it again cannot duplicate it.
  using ProduceCallback = std::function<void(Result<RecordMetadata>, const ProducerRecord* unsent)>;
  virtual void Produce(const ProducerRecord& record, ProduceCallback done) = 0;

  // Joins `config.group_id` as a new member subscribed to `config.topics`.
  virtual Result<std::unique_ptr<Consumer>> Subscribe(const ConsumerConfig& config) = 0;

  // The next offset to be written to `tp`.
  virtual Result<int64_t> EndOffset(const TopicPartition& tp) const = 0;
};

// Forwards every call to `target` (LevelDB's EnvWrapper): a decorator (latency, faults,
// metering) derives from it and overrides only the calls it changes. `target` must outlive it.
class ForwardingConsumer : public Consumer {
 public:
  explicit ForwardingConsumer(Consumer& target) : target_(target) {}

  std::vector<TopicPartition> Assignment() const override { return target_.Assignment(); }
  Result<size_t> Fetch(const TopicPartition& tp, size_t max_records, RecordBuffer* out) override {
    return target_.Fetch(tp, max_records, out);
  }
  Status Seek(const TopicPartition& tp, int64_t offset) override {
    return target_.Seek(tp, offset);
  }
  Result<int64_t> OffsetForTime(const TopicPartition& tp, int64_t timestamp_us) const override {
    return target_.OffsetForTime(tp, timestamp_us);
  }
  Result<int64_t> Position(const TopicPartition& tp) const override { return target_.Position(tp); }
  Status Commit(const TopicPartition& tp, int64_t offset) override {
    return target_.Commit(tp, offset);
  }
  Result<int64_t> Committed(const TopicPartition& tp) const override {
    return target_.Committed(tp);
  }
  Result<int64_t> Lag(const TopicPartition& tp) const override { return target_.Lag(tp); }
  void SetWakeup(std::function<void(const TopicPartition&)> wakeup) override {
    target_.SetWakeup(std::move(wakeup));
  }
  void SetFetchMinRecords(const TopicPartition& tp, int64_t min_records) override {
    target_.SetFetchMinRecords(tp, min_records);
  }
  void Close() override { target_.Close(); }

 protected:
  Consumer& target() const { return target_; }

 private:
  Consumer& target_;
};

// Forwards every call to `target` (LevelDB's EnvWrapper): a decorator (latency, faults,
// metering) derives from it and overrides only the calls it changes. `target` must outlive it.
class ForwardingEventStream : public EventStream {
 public:
  explicit ForwardingEventStream(EventStream& target) : target_(target) {}

  Status CreateTopic(const TopicConfig& config) override { return target_.CreateTopic(config); }
  Result<int32_t> PartitionCount(const std::string& topic) const override {
    return target_.PartitionCount(topic);
  }
  void Produce(const ProducerRecord& record, ProduceCallback done) override {
    target_.Produce(record, std::move(done));
  }
  Result<std::unique_ptr<Consumer>> Subscribe(const ConsumerConfig& config) override {
    return target_.Subscribe(config);
  }
  Result<int64_t> EndOffset(const TopicPartition& tp) const override {
    return target_.EndOffset(tp);
  }

 protected:
  EventStream& target() const { return target_; }

 private:
  EventStream& target_;
};

}  // namespace meshsim

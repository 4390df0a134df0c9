// A consumer group member of the fake broker: its positions, fetches, seeks, commits and
// wake-ups (fakes/kafka/broker_impl.h).
#include <algorithm>

#include "fakes/kafka/broker_impl.h"

namespace meshsim::fakes::internal {

int64_t* Member::PositionOf(const TopicPartition& tp) {
  OwnedTopic* t = OwnerOf(tp);
  return t ? &t->position[static_cast<size_t>(tp.partition)] : nullptr;
}

void Member::SetFetchMinRecords(const TopicPartition& tp, int64_t min_records) {
  OwnedTopic* t = OwnerOf(tp);
  if (!t) return;
  const auto p = static_cast<size_t>(tp.partition);
  const int64_t min = std::max<int64_t>(min_records, 1);
  t->wake_at[p] = t->position[p] > INT64_MAX - min ? INT64_MAX : t->position[p] + min;
}

Status Member::CheckOwned(const TopicPartition& tp) const {
  if (closed_) return {Code::kUnknownMemberId, "The consumer has left its group"};
  if (!PositionOf(tp)) {
    return {Code::kUnknownTopicOrPartition, "Partition " + tp.topic + "-" +
                                                std::to_string(tp.partition) +
                                                " is not assigned to this member"};
  }
  return Status::Ok();
}

Result<size_t> Member::Fetch(const TopicPartition& tp, size_t max_records, RecordBuffer* out) {
  if (auto s = CheckOwned(tp); !s.ok()) return s;
  if (broker_->faults_armed()) {
    if (auto faulted = broker_->FetchFault(tp, this)) return std::move(*faulted);
  }
  const PartitionLog& log = *broker_->FindLog(tp).value();
  int64_t& position = *PositionOf(tp);
  if (position < log.log_start() || position > log.EndOffset()) {
    const int64_t was = position;
    position = reset_ == OffsetReset::kEarliest ? log.log_start() : log.EndOffset();
    Notify(tp);
    return Status(Code::kOffsetOutOfRange, "Fetch position " + std::to_string(was) +
                                               " is out of range for " + tp.topic + "-" +
                                               std::to_string(tp.partition) + "; reset to " +
                                               std::to_string(position));
  }
  const int64_t end = log.EndOffset();
  if (!log.has_gaps()) {  // every offset a record: no check per record
    const size_t n = std::min(static_cast<size_t>(end - position), max_records);
    for (size_t i = 0; i < n; ++i) {
      ConsumedRecord& r = out->Append();
      r.tp = tp;
      log.Read(position++, &r);
    }
    return n;
  }
  size_t n = 0;
  while (n < max_records && position < end) {
    if (!log.IsLive(position)) {  // removed by compaction
      ++position;
      continue;
    }
    ConsumedRecord& r = out->Append();
    r.tp = tp;
    log.Read(position++, &r);
    ++n;
  }
  return n;
}

Status Member::Seek(const TopicPartition& tp, int64_t offset) {
  if (auto s = CheckOwned(tp); !s.ok()) return s;
  const PartitionLog& log = *broker_->FindLog(tp).value();
  if (offset < log.log_start() || offset > log.EndOffset()) {
    return {Code::kOffsetOutOfRange, "Offset " + std::to_string(offset) + " is out of range [" +
                                         std::to_string(log.log_start()) + ", " +
                                         std::to_string(log.EndOffset()) + "]"};
  }
  *PositionOf(tp) = offset;
  if (offset < log.EndOffset()) Notify(tp);
  return Status::Ok();
}

Result<int64_t> Member::OffsetForTime(const TopicPartition& tp, int64_t timestamp_us) const {
  auto log = broker_->FindLog(tp);
  if (!log.ok()) return log.status();
  return (*log)->OffsetForTime(timestamp_us);
}

Result<int64_t> Member::Position(const TopicPartition& tp) const {
  if (auto s = CheckOwned(tp); !s.ok()) return s;
  return *PositionOf(tp);
}

Status Member::Commit(const TopicPartition& tp, int64_t offset) {
  if (auto s = CheckOwned(tp); !s.ok()) return s;
  if (broker_->faults_armed()) {
    if (auto s = broker_->CommitFault(tp); !s.ok()) return s;
  }
  const PartitionLog& log = *broker_->FindLog(tp).value();
  if (offset < log.log_start() || offset > log.EndOffset()) {
    return {Code::kOffsetOutOfRange,
            "Commit offset " + std::to_string(offset) + " is out of range"};
  }
  broker_->group(group_).committed[tp] = offset;
  return Status::Ok();
}

Result<int64_t> Member::Committed(const TopicPartition& tp) const {
  auto log = broker_->FindLog(tp);
  if (!log.ok()) return log.status();
  const auto& committed = broker_->group(group_).committed;
  auto it = committed.find(tp);
  if (it == committed.end()) return -1;  // Kafka's "no committed offset"
  return it->second;
}

Result<int64_t> Member::Lag(const TopicPartition& tp) const {
  auto log = broker_->FindLog(tp);
  if (!log.ok()) return log.status();
  const auto& committed = broker_->group(group_).committed;
  auto it = committed.find(tp);
  const int64_t from = it != committed.end() ? it->second : (*log)->log_start();
  return (*log)->EndOffset() - from;
}

void Member::Assign(std::vector<TopicPartition> assignment,
                    std::map<TopicPartition, int64_t> positions) {
  // A partition this member keeps keeps its position: only a partition that moves starts again
  // from the group's committed offset.
  for (auto& [tp, position] : positions) {
    if (const int64_t* current = PositionOf(tp)) position = *current;
  }
  ++generation_;  // wake-ups posted for the old assignment are stale
  assignment_ = std::move(assignment);
  owned_.clear();
  for (const auto& [tp, position] : positions) {
    auto t = std::find_if(owned_.begin(), owned_.end(),
                          [&](const OwnedTopic& o) { return o.topic == tp.topic; });
    if (t == owned_.end()) {
      const auto partitions = static_cast<size_t>(broker_->PartitionCount(tp.topic).value());
      t = owned_.insert(
          owned_.end(),
          OwnedTopic{tp.topic, std::vector<int64_t>(partitions, kNotOwned),
                     std::vector<char>(partitions, 0), std::vector<int64_t>(partitions, 0)});
    }
    t->position[static_cast<size_t>(tp.partition)] = position;
  }
  for (const auto& tp : assignment_) Notify(tp);
}

void Member::Notify(const TopicPartition& tp) {
  for (size_t t = 0; t < owned_.size(); ++t) {
    if (owned_[t].topic != tp.topic) continue;
    char& pending = owned_[t].wakeup_pending[static_cast<size_t>(tp.partition)];
    if (pending) return;
    pending = 1;
    // Captures indices, not the TopicPartition, so the task stays within Task's inline storage.
    broker_->PostWakeup([this, t, partition = tp.partition, generation = generation_,
                         alive = std::weak_ptr<bool>(alive_)] {
      if (alive.expired() || generation != generation_) return;
      owned_[t].wakeup_pending[static_cast<size_t>(partition)] = 0;
      if (wakeup_ && !closed_) wakeup_(TopicPartition{owned_[t].topic, partition});
    });
    return;
  }
}

void Member::WakeIfBehind() {
  for (const auto& tp : assignment_) {
    if (*PositionOf(tp) < broker_->FindLog(tp).value()->EndOffset()) Notify(tp);
  }
}

void Member::Close() {
  if (closed_) return;
  closed_ = true;
  alive_.reset();
  assignment_.clear();
  owned_.clear();
  broker_->Leave(group_, this);
}

}  // namespace meshsim::fakes::internal

// The in-process broker: partitioned append-only logs, a group coordinator with range assignment
// and committed offsets. Single-threaded on the Runtime; wake-ups are posted, never run inside a
// produce, so a consumer never re-enters the producer's stack.
#include "fakes/broker.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "fakes/murmur2.h"
#include "fakes/partition_log.h"

namespace meshsim::fakes {
namespace {

class Member;

struct TopicState {
  std::vector<PartitionLog> partitions;
  uint32_t round_robin = 0;                  // next partition for unkeyed records
  std::vector<std::vector<Member*>> owners;  // by partition: the member of each group that owns it
};

class Broker;

class Member final : public Consumer {
 public:
  Member(Broker* broker, std::string group, uint64_t member_id, std::vector<std::string> topics,
         OffsetReset reset)
      : broker_(broker),
        group_(std::move(group)),
        member_id_(member_id),
        topics_(std::move(topics)),
        reset_(reset) {}
  ~Member() override { Close(); }

  std::vector<TopicPartition> Assignment() const override { return assignment_; }
  Result<size_t> Fetch(const TopicPartition& tp, size_t max_records, RecordBuffer* out) override;
  Status Seek(const TopicPartition& tp, int64_t offset) override;
  Result<int64_t> Position(const TopicPartition& tp) const override;
  Status Commit(const TopicPartition& tp, int64_t offset) override;
  Result<int64_t> Committed(const TopicPartition& tp) const override;
  Result<int64_t> Lag(const TopicPartition& tp) const override;
  void SetWakeup(std::function<void(const TopicPartition&)> wakeup) override {
    wakeup_ = std::move(wakeup);
  }
  void SetFetchMinRecords(const TopicPartition& tp, int64_t min_records) override;
  void Close() override;

  // Called by the broker.
  const std::vector<std::string>& topics() const { return topics_; }
  uint64_t member_id() const { return member_id_; }
  OffsetReset reset() const { return reset_; }
  void Assign(std::vector<TopicPartition> assignment, std::map<TopicPartition, int64_t> positions);
  // Wakes the member for `tp`, at most one posted task at a time per partition.
  void Notify(const TopicPartition& tp);
  // An append made `tp`'s log end `end_offset`: wakes the member once its fetch minimum is met.
  void OnAppend(const TopicPartition& tp, int64_t end_offset);

 private:
  // The partitions of one subscribed topic that this member owns, indexed by partition number:
  // looking one up compares one topic name, not a map's worth of TopicPartitions.
  struct OwnedTopic {
    std::string topic;
    std::vector<int64_t> position;     // kNotOwned where another member owns the partition
    std::vector<char> wakeup_pending;  // coalesces wake-ups: one posted task per partition
    std::vector<int64_t> wake_at;      // the log end an append must reach to wake the member
  };
  static constexpr int64_t kNotOwned = -1;

  // The subscribed topic `tp` belongs to, if this member owns the partition, else null.
  OwnedTopic* OwnerOf(const TopicPartition& tp);
  // The position of `tp` if this member owns it, else null.
  int64_t* PositionOf(const TopicPartition& tp);
  const int64_t* PositionOf(const TopicPartition& tp) const {
    return const_cast<Member*>(this)->PositionOf(tp);
  }
  Status CheckOwned(const TopicPartition& tp) const;

  Broker* broker_;
  std::string group_;
  uint64_t member_id_;
  std::vector<std::string> topics_;
  OffsetReset reset_;
  bool closed_ = false;
  std::vector<TopicPartition> assignment_;
  std::vector<OwnedTopic> owned_;
  uint64_t generation_ = 0;  // bumped by each Assign
  std::function<void(const TopicPartition&)> wakeup_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

struct GroupState {
  std::vector<Member*> members;  // in join order; member ids increase
  std::map<TopicPartition, int64_t> committed;
};

class Broker final : public EventStream {
 public:
  Broker(Runtime& runtime, FakeBrokerOptions options) : runtime_(runtime), options_(options) {}

  Status CreateTopic(const TopicConfig& config) override {
    if (config.name.empty() || config.name.size() > 249) {
      return {Code::kInvalidInput, "topic name must be 1-249 characters"};
    }
    if (config.partitions < 1) {
      return {Code::kInvalidPartitions, "number of partitions must be at least 1"};
    }
    auto [it, inserted] = topics_.try_emplace(config.name);
    if (!inserted)
      return {Code::kTopicAlreadyExists, "Topic '" + config.name + "' already exists."};
    it->second.partitions.resize(static_cast<size_t>(config.partitions));
    it->second.owners.resize(static_cast<size_t>(config.partitions));
    // No group can be subscribed to a topic that did not exist, so no group rebalances.
    return Status::Ok();
  }

  Result<int32_t> PartitionCount(const std::string& topic) const override {
    auto it = topics_.find(topic);
    if (it == topics_.end()) return UnknownTopic(topic);
    return static_cast<int32_t>(it->second.partitions.size());
  }

  void Produce(const ProducerRecord& record, ProduceCallback done) override {
    auto result = Append(record);
    const ProducerRecord* unsent = result.ok() ? nullptr : &record;
    done(std::move(result), unsent);
  }

  Result<std::unique_ptr<Consumer>> Subscribe(const ConsumerConfig& config) override {
    if (config.group_id.empty()) return Status(Code::kInvalidInput, "group.id is required");
    if (config.topics.empty()) return Status(Code::kInvalidInput, "no topics to subscribe to");
    for (const auto& topic : config.topics) {
      if (!topics_.count(topic)) return UnknownTopic(topic);
    }
    auto member = std::make_unique<Member>(this, config.group_id, ++next_member_id_, config.topics,
                                           config.auto_offset_reset);
    auto& group = groups_[config.group_id];
    group.members.push_back(member.get());
    Rebalance(config.group_id, group);
    return std::unique_ptr<Consumer>(std::move(member));
  }

  Result<int64_t> EndOffset(const TopicPartition& tp) const override {
    auto log = FindLog(tp);
    if (!log.ok()) return log.status();
    return (*log)->EndOffset();
  }

  // For members.
  Result<const PartitionLog*> FindLog(const TopicPartition& tp) const {
    auto it = topics_.find(tp.topic);
    if (it == topics_.end() || tp.partition < 0 ||
        tp.partition >= static_cast<int32_t>(it->second.partitions.size())) {
      return Status(Code::kUnknownTopicOrPartition,
                    "This server does not host this topic-partition: " + tp.topic + "-" +
                        std::to_string(tp.partition));
    }
    return &it->second.partitions[static_cast<size_t>(tp.partition)];
  }
  GroupState& group(const std::string& id) { return groups_[id]; }
  Runtime& runtime() { return runtime_; }

  void Leave(const std::string& group_id, Member* member) {
    auto it = groups_.find(group_id);
    if (it == groups_.end()) return;
    auto& members = it->second.members;
    members.erase(std::remove(members.begin(), members.end(), member), members.end());
    Rebalance(group_id, it->second);
  }

 private:
  static Status UnknownTopic(const std::string& topic) {
    return {Code::kUnknownTopicOrPartition, "This server does not host this topic: " + topic};
  }

  // Copies the record into the log on success; leaves it untouched on an error.
  Result<RecordMetadata> Append(const ProducerRecord& record) {
    auto it = topics_.find(record.topic);
    if (it == topics_.end()) return UnknownTopic(record.topic);
    size_t size = record.value.size() + (record.key ? record.key->size() : 0);
    for (const auto& h : record.headers) size += h.key.size() + h.value.size();
    if (size > options_.max_record_bytes) {
      return Status(Code::kRecordTooLarge, "The record is " + std::to_string(size) +
                                               " bytes, larger than the maximum of " +
                                               std::to_string(options_.max_record_bytes));
    }
    TopicState& topic = it->second;
    const auto partitions = static_cast<int32_t>(topic.partitions.size());
    const int32_t partition =
        record.key ? KafkaPartitionForKey(*record.key, partitions)
                   : static_cast<int32_t>(topic.round_robin++ % static_cast<uint32_t>(partitions));
    PartitionLog& log = topic.partitions[static_cast<size_t>(partition)];
    RecordMetadata meta{{record.topic, partition}, log.EndOffset(), runtime_.NowMicros()};
    log.Append(record.timestamp_us, meta.append_time_us, record.key, record.value, record.headers);
    for (Member* m : topic.owners[static_cast<size_t>(partition)]) {
      m->OnAppend(meta.tp, log.EndOffset());
    }
    return meta;
  }

  // Kafka's RangeAssignor: per topic, members subscribed to it sorted by id; each takes a
  // contiguous range, the first (partitions % members) one extra.
  void Rebalance(const std::string& group_id, GroupState& group) {
    std::map<Member*, std::vector<TopicPartition>> assignment;
    std::set<std::string> topics;
    for (Member* m : group.members) topics.insert(m->topics().begin(), m->topics().end());
    for (const auto& topic : topics) {
      auto it = topics_.find(topic);
      if (it == topics_.end()) continue;
      std::vector<Member*> subscribers;
      for (Member* m : group.members) {
        const auto& t = m->topics();
        if (std::find(t.begin(), t.end(), topic) != t.end()) subscribers.push_back(m);
      }
      const auto n = static_cast<int32_t>(it->second.partitions.size());
      const auto count = static_cast<int32_t>(subscribers.size());
      int32_t next = 0;
      for (int32_t i = 0; i < count; ++i) {
        const int32_t take = n / count + (i < n % count ? 1 : 0);
        for (int32_t p = next; p < next + take; ++p)
          assignment[subscribers[i]].push_back({topic, p});
        next += take;
      }
    }
    for (Member* m : group.members) {
      std::map<TopicPartition, int64_t> positions;
      for (const auto& tp : assignment[m]) {
        auto committed = group.committed.find(tp);
        const PartitionLog& log = *FindLog(tp).value();
        positions[tp] = committed != group.committed.end()     ? committed->second
                        : m->reset() == OffsetReset::kEarliest ? log.log_start()
                                                               : log.EndOffset();
      }
      m->Assign(std::move(assignment[m]), std::move(positions));
    }
    (void)group_id;
    RebuildOwners();
  }

  // Which member of each group owns each partition, for notifying on append.
  void RebuildOwners() {
    for (auto& [name, topic] : topics_) {
      topic.owners.assign(topic.partitions.size(), {});
    }
    for (auto& [id, group] : groups_) {
      for (Member* m : group.members) {
        for (const auto& tp : m->Assignment()) {
          topics_[tp.topic].owners[static_cast<size_t>(tp.partition)].push_back(m);
        }
      }
    }
  }

  Runtime& runtime_;
  FakeBrokerOptions options_;
  std::map<std::string, TopicState> topics_;
  std::map<std::string, GroupState> groups_;
  uint64_t next_member_id_ = 0;
};

Member::OwnedTopic* Member::OwnerOf(const TopicPartition& tp) {
  for (OwnedTopic& t : owned_) {
    if (t.topic != tp.topic) continue;
    if (tp.partition < 0 || static_cast<size_t>(tp.partition) >= t.position.size()) return nullptr;
    return t.position[static_cast<size_t>(tp.partition)] == kNotOwned ? nullptr : &t;
  }
  return nullptr;
}

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

void Member::OnAppend(const TopicPartition& tp, int64_t end_offset) {
  const OwnedTopic* t = OwnerOf(tp);
  if (t && end_offset >= t->wake_at[static_cast<size_t>(tp.partition)]) Notify(tp);
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
  const PartitionLog& log = *broker_->FindLog(tp).value();
  int64_t& position = *PositionOf(tp);
  if (position < log.log_start() || position > log.EndOffset()) {
    return Status(Code::kOffsetOutOfRange, "Fetch position " + std::to_string(position) +
                                               " is out of range for " + tp.topic + "-" +
                                               std::to_string(tp.partition));
  }
  const auto available = static_cast<size_t>(log.EndOffset() - position);
  const size_t n = std::min(available, max_records);
  for (size_t i = 0; i < n; ++i) {
    ConsumedRecord& r = out->Append();
    r.tp = tp;
    log.Read(position++, &r);
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

Result<int64_t> Member::Position(const TopicPartition& tp) const {
  if (auto s = CheckOwned(tp); !s.ok()) return s;
  return *PositionOf(tp);
}

Status Member::Commit(const TopicPartition& tp, int64_t offset) {
  if (auto s = CheckOwned(tp); !s.ok()) return s;
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
    broker_->runtime().Post([this, t, partition = tp.partition, generation = generation_,
                             alive = std::weak_ptr<bool>(alive_)] {
      if (alive.expired() || generation != generation_) return;
      owned_[t].wakeup_pending[static_cast<size_t>(partition)] = 0;
      if (wakeup_ && !closed_) wakeup_(TopicPartition{owned_[t].topic, partition});
    });
    return;
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

}  // namespace

std::unique_ptr<EventStream> MakeFakeEventStream(Runtime& runtime, FakeBrokerOptions options) {
  return std::make_unique<Broker>(runtime, options);
}

}  // namespace meshsim::fakes

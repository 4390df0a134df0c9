// The fake broker's insides, shared by its two halves: the broker (fakes/kafka/broker.cc: topics,
// produce, the group coordinator, the fault and cleaner powers) and a consumer group member
// (fakes/kafka/group_member.cc: positions, fetch, seek, commit, wake-ups). Not for use elsewhere:
// the public face is fakes/kafka/broker.h.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "fakes/kafka/broker.h"
#include "fakes/kafka/broker_faults.h"
#include "fakes/kafka/partition_log.h"

namespace meshsim::fakes::internal {

class Member;

struct TopicState {
  TopicConfig config;  // with max_message_bytes filled in
  bool compacted = false;
  bool deletes = true;
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
  Result<int64_t> OffsetForTime(const TopicPartition& tp, int64_t timestamp_us) const override;
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
  // Inline, with OwnerOf: the broker calls it on every append.
  void OnAppend(const TopicPartition& tp, int64_t end_offset) {
    const OwnedTopic* t = OwnerOf(tp);
    if (t && end_offset >= t->wake_at[static_cast<size_t>(tp.partition)]) Notify(tp);
  }
  // Wakes the member for every partition it owns with records past its position.
  void WakeIfBehind();

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
  OwnedTopic* OwnerOf(const TopicPartition& tp) {
    for (OwnedTopic& t : owned_) {
      if (t.topic != tp.topic) continue;
      if (tp.partition < 0 || static_cast<size_t>(tp.partition) >= t.position.size()) {
        return nullptr;
      }
      return t.position[static_cast<size_t>(tp.partition)] == kNotOwned ? nullptr : &t;
    }
    return nullptr;
  }
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
  AssignmentStrategy strategy = AssignmentStrategy::kRange;  // its members' common strategy
};

class Broker final : public EventStream, public FakeBrokerControl {
 public:
  Broker(Runtime& runtime, FakeBrokerOptions options)
      : runtime_(runtime), options_(options), faults_(runtime, options.max_recorded_calls) {
    if (options_.log_cleaner_interval_us > 0) ScheduleCleaner();
  }
  ~Broker() override {
    runtime_.Cancel(cleaner_timer_);
    runtime_.Cancel(up_timer_);
  }

  Status CreateTopic(const TopicConfig& config) override;

  Result<int32_t> PartitionCount(const std::string& topic) const override {
    auto it = topics_.find(topic);
    if (it == topics_.end()) return UnknownTopic(topic);
    return static_cast<int32_t>(it->second.partitions.size());
  }

  void Produce(const ProducerRecord& record, ProduceCallback done) override {
    if (faults_.armed()) return ProduceWithFaults(record, std::move(done));
    auto result = Append(record);
    const ProducerRecord* unsent = result.ok() ? nullptr : &record;
    done(std::move(result), unsent);
  }

  Result<std::unique_ptr<Consumer>> Subscribe(const ConsumerConfig& config) override;

  Result<int64_t> EndOffset(const TopicPartition& tp) const override {
    auto log = FindLog(tp);
    if (!log.ok()) return log.status();
    return (*log)->EndOffset();
  }

  // FakeBrokerControl.
  void PushErrors(BrokerApi api, std::vector<Code> errors) override {
    faults_.PushErrors(api, std::move(errors));
  }
  void SetDown() override { faults_.SetDown(true); }
  void SetUp() override;
  void SetDownFor(int64_t span_us) override;
  void SetLatency(int64_t latency_us) override { faults_.SetLatency(latency_us); }
  Status ChangeLeader(const TopicPartition& tp) override {
    if (auto log = FindLog(tp); !log.ok()) return log.status();
    faults_.MoveLeader(tp);
    return Status::Ok();
  }
  void RunLogCleaner() override { CleanAll(/*force=*/true); }
  Result<TopicConfig> DescribeTopic(const std::string& topic) const override {
    auto it = topics_.find(topic);
    if (it == topics_.end()) return UnknownTopic(topic);
    return it->second.config;
  }
  Result<int64_t> LogStartOffset(const TopicPartition& tp) const override {
    auto log = FindLog(tp);
    if (!log.ok()) return log.status();
    return (*log)->log_start();
  }
  const std::vector<InjectedFault>& injected() const override { return faults_.injected(); }
  const std::vector<AffectedCall>& affected() const override { return faults_.affected(); }
  uint64_t affected_count() const override { return faults_.affected_count(); }

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
  bool faults_armed() const { return faults_.armed(); }

  // Posts a member's wake-up, or delays it by the added latency.
  void PostWakeup(Task task) {
    if (faults_.armed() && faults_.delaying()) {
      faults_.Delay(std::move(task));
    } else {
      runtime_.Post(std::move(task));
    }
  }

  // What an armed fault does to a fetch of `tp` by `member`: nullopt if nothing. An error wakes
  // the member again, as a client retries after a retriable error.
  std::optional<Result<size_t>> FetchFault(const TopicPartition& tp, Member* member);

  // What an armed fault does to an offset commit: OK if nothing.
  Status CommitFault(const TopicPartition& tp);

  void Leave(const std::string& group_id, Member* member);

 private:
  static std::string InjectedMessage(Code code, const TopicPartition& tp) {
    return "Injected " + std::string(CodeName(code)) + " for " + tp.topic + "-" +
           std::to_string(tp.partition);
  }

  // The topic named `name`, or null. Remembers the last one found: producers mostly send to one
  // topic after another of the same, and a name compare is cheaper than the map's search.
  TopicState* FindTopic(const std::string& name) {
    if (last_topic_ && last_topic_->config.name == name) return last_topic_;
    auto it = topics_.find(name);
    if (it == topics_.end()) return nullptr;
    last_topic_ = &it->second;  // map nodes stay put, and topics are never deleted
    return last_topic_;
  }

  static Status UnknownTopic(const std::string& topic) {
    return {Code::kUnknownTopicOrPartition, "This server does not host this topic: " + topic};
  }

  // Copies the record into the log on success; leaves it untouched on an error. With
  // `check_leader`, a moved leader fails it with NOT_LEADER_OR_FOLLOWER once.
  Result<RecordMetadata> Append(const ProducerRecord& record, bool check_leader = false);

  void ProduceWithFaults(const ProducerRecord& record, ProduceCallback done);

  // Retention and compaction of one partition, as its topic's cleanup.policy says.
  void Clean(const TopicState& topic, PartitionLog& log, bool force);

  void CleanAll(bool force);

  void ScheduleCleaner();

  // Assigns the group's partitions by its strategy (fakes/kafka/assignors.h). A partition that
  // moves starts at the group's committed offset, or where auto.offset.reset says if there is none
  // or retention has deleted the records under it.
  void Rebalance(GroupState& group);

  // Which member of each group owns each partition, for notifying on append.
  void RebuildOwners();

  Runtime& runtime_;
  FakeBrokerOptions options_;
  BrokerFaults faults_;
  TimerId cleaner_timer_ = 0;
  TimerId up_timer_ = 0;
  std::map<std::string, TopicState> topics_;
  TopicState* last_topic_ = nullptr;  // see FindTopic
  std::map<std::string, GroupState> groups_;
  uint64_t next_member_id_ = 0;
};

}  // namespace meshsim::fakes::internal

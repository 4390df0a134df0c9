// The in-process broker: partitioned, segmented logs with retention and compaction, a group
// coordinator with range and round-robin assignment and committed offsets, and the fault powers
// of FakeBrokerControl. Single-threaded on the Runtime; wake-ups are posted, never run inside a
// produce, so a consumer never re-enters the producer's stack.
#include "fakes/kafka/broker.h"

#include <algorithm>

#include "fakes/kafka/assignors.h"
#include "fakes/kafka/broker_impl.h"
#include "fakes/kafka/murmur2.h"

namespace meshsim::fakes {
namespace internal {
namespace {

// INVALID_CONFIG unless every setting is in Kafka's range (and, for times, fits in microseconds).
Status CheckTopicConfig(const TopicConfig& c) {
  constexpr int64_t kMaxMs = INT64_MAX / kMicrosPerMilli;
  auto bad = [](const char* name) {
    return Status(Code::kInvalidConfig, std::string("Invalid value for ") + name);
  };
  if (c.retention_ms < -1 || c.retention_ms > kMaxMs) return bad("retention.ms");
  if (c.retention_bytes < -1) return bad("retention.bytes");
  if (c.segment_bytes < 14 || c.segment_bytes > (1LL << 30)) return bad("segment.bytes");
  if (c.delete_retention_ms < 0 || c.delete_retention_ms > kMaxMs)
    return bad("delete.retention.ms");
  if (c.min_compaction_lag_ms < 0 || c.min_compaction_lag_ms > kMaxMs) {
    return bad("min.compaction.lag.ms");
  }
  if (c.max_message_bytes < 0) return bad("max.message.bytes");
  return Status::Ok();
}

int64_t MillisToMicros(int64_t ms) { return ms < 0 ? -1 : ms * kMicrosPerMilli; }

}  // namespace

Status Broker::CreateTopic(const TopicConfig& config) {
  if (config.name.empty() || config.name.size() > 249) {
    return {Code::kInvalidInput, "topic name must be 1-249 characters"};
  }
  if (config.partitions < 1) {
    return {Code::kInvalidPartitions, "number of partitions must be at least 1"};
  }
  if (auto s = CheckTopicConfig(config); !s.ok()) return s;
  auto [it, inserted] = topics_.try_emplace(config.name);
  if (!inserted) return {Code::kTopicAlreadyExists, "Topic '" + config.name + "' already exists."};
  TopicState& topic = it->second;
  topic.config = config;
  if (topic.config.max_message_bytes == 0) {
    topic.config.max_message_bytes = static_cast<int64_t>(options_.max_record_bytes);
  }
  topic.compacted = config.cleanup_policy != CleanupPolicy::kDelete;
  topic.deletes = config.cleanup_policy != CleanupPolicy::kCompact;
  topic.partitions.reserve(static_cast<size_t>(config.partitions));
  for (int32_t p = 0; p < config.partitions; ++p) {
    topic.partitions.emplace_back(static_cast<size_t>(config.segment_bytes));
  }
  topic.owners.resize(static_cast<size_t>(config.partitions));
  // No group can be subscribed to a topic that did not exist, so no group rebalances.
  return Status::Ok();
}

Result<std::unique_ptr<Consumer>> Broker::Subscribe(const ConsumerConfig& config) {
  if (config.group_id.empty()) return Status(Code::kInvalidInput, "group.id is required");
  if (config.topics.empty()) return Status(Code::kInvalidInput, "no topics to subscribe to");
  for (const auto& topic : config.topics) {
    if (!topics_.count(topic)) return UnknownTopic(topic);
  }
  auto& group = groups_[config.group_id];
  if (group.members.empty()) {
    group.strategy = config.assignment_strategy;
  } else if (group.strategy != config.assignment_strategy) {
    return Status(Code::kInconsistentGroupProtocol,
                  "The group member's supported protocols are incompatible with those of "
                  "existing members of group " +
                      config.group_id);
  }
  auto member = std::make_unique<Member>(this, config.group_id, ++next_member_id_, config.topics,
                                         config.auto_offset_reset);
  group.members.push_back(member.get());
  Rebalance(group);
  return std::unique_ptr<Consumer>(std::move(member));
}

void Broker::SetUp() {
  faults_.SetDown(false);
  for (auto& [id, group] : groups_) {
    for (Member* m : group.members) m->WakeIfBehind();
  }
}

void Broker::SetDownFor(int64_t span_us) {
  SetDown();
  runtime_.Cancel(up_timer_);
  up_timer_ = runtime_.ScheduleAfter(span_us, [this, generation = faults_.down_generation()] {
    if (faults_.down_generation() == generation) SetUp();
  });
}

std::optional<Result<size_t>> Broker::FetchFault(const TopicPartition& tp, Member* member) {
  if (faults_.down()) {
    faults_.Affected(BrokerApi::kFetch, tp, Code::kOk, "broker down");
    return size_t{0};
  }
  Code code = faults_.PopError(BrokerApi::kFetch, tp);
  if (code == Code::kOk && faults_.TakeLeaderMove(BrokerApi::kFetch, tp)) {
    code = Code::kNotLeaderOrFollower;
  }
  if (code == Code::kOk) return std::nullopt;
  member->Notify(tp);
  return Status(code, InjectedMessage(code, tp));
}

Status Broker::CommitFault(const TopicPartition& tp) {
  if (faults_.down()) {
    faults_.Affected(BrokerApi::kCommit, tp, Code::kCoordinatorNotAvailable, "broker down");
    return {Code::kCoordinatorNotAvailable, "The coordinator is not available."};
  }
  const Code code = faults_.PopError(BrokerApi::kCommit, tp);
  if (code == Code::kOk) return Status::Ok();
  return {code, InjectedMessage(code, tp)};
}

void Broker::Leave(const std::string& group_id, Member* member) {
  auto it = groups_.find(group_id);
  if (it == groups_.end()) return;
  auto& members = it->second.members;
  members.erase(std::remove(members.begin(), members.end(), member), members.end());
  Rebalance(it->second);
}

Result<RecordMetadata> Broker::Append(const ProducerRecord& record, bool check_leader) {
  TopicState* found = FindTopic(record.topic);
  if (!found) return UnknownTopic(record.topic);
  TopicState& topic = *found;
  size_t size = record.value.size() + (record.key ? record.key->size() : 0);
  for (const auto& h : record.headers) size += h.key.size() + h.value.size();
  if (size > static_cast<size_t>(topic.config.max_message_bytes)) {
    return Status(Code::kRecordTooLarge, "The record is " + std::to_string(size) +
                                             " bytes, larger than the maximum of " +
                                             std::to_string(topic.config.max_message_bytes));
  }
  if (topic.compacted && !record.key) {
    return Status(
        Code::kInvalidRecord,
        "Compacted topic cannot accept message without key in topic partition " + record.topic);
  }
  const auto partitions = static_cast<int32_t>(topic.partitions.size());
  const int32_t partition =
      record.key ? KafkaPartitionForKey(*record.key, partitions)
                 : static_cast<int32_t>(topic.round_robin++ % static_cast<uint32_t>(partitions));
  PartitionLog& log = topic.partitions[static_cast<size_t>(partition)];
  RecordMetadata meta{{record.topic, partition}, log.EndOffset(), runtime_.NowMicros()};
  if (check_leader && faults_.TakeLeaderMove(BrokerApi::kProduce, meta.tp)) {
    return Status(Code::kNotLeaderOrFollower, InjectedMessage(Code::kNotLeaderOrFollower, meta.tp));
  }
  const uint64_t rolls = log.rolls();
  log.Append(record.timestamp_us, meta.append_time_us, record.key, record.value, record.headers,
             record.null_value);
  if (log.rolls() != rolls) Clean(topic, log, /*force=*/false);  // a segment closed
  for (Member* m : topic.owners[static_cast<size_t>(partition)]) {
    m->OnAppend(meta.tp, log.EndOffset());
  }
  return meta;
}

void Broker::ProduceWithFaults(const ProducerRecord& record, ProduceCallback done) {
  const TopicPartition unrouted{record.topic, -1};
  auto result = [&]() -> Result<RecordMetadata> {
    if (faults_.down()) {
      faults_.Affected(BrokerApi::kProduce, unrouted, Code::kNetworkException, "broker down");
      return Status(Code::kNetworkException, "The broker is down (injected)");
    }
    if (Code code = faults_.PopError(BrokerApi::kProduce, unrouted); code != Code::kOk) {
      return Status(code, InjectedMessage(code, unrouted));
    }
    return Append(record, /*check_leader=*/true);
  }();
  if (!faults_.delaying()) {
    const ProducerRecord* unsent = result.ok() ? nullptr : &record;
    done(std::move(result), unsent);
    return;
  }
  faults_.Affected(BrokerApi::kProduce, result.ok() ? result->tp : unrouted, result.status().code(),
                   "latency");
  struct Reply {
    Result<RecordMetadata> result;
    ProduceCallback done;
    std::optional<ProducerRecord> unsent;  // a copy: the caller may reuse its record at once
  };
  auto reply = std::make_unique<Reply>(Reply{std::move(result), std::move(done), std::nullopt});
  if (!reply->result.ok()) reply->unsent = record;
  faults_.Delay([reply = std::move(reply)] {
    reply->done(std::move(reply->result), reply->unsent ? &*reply->unsent : nullptr);
  });
}

void Broker::Clean(const TopicState& topic, PartitionLog& log, bool force) {
  const int64_t now = runtime_.NowMicros();
  const TopicConfig& c = topic.config;
  if (topic.deletes) log.DeleteRetained(now, MillisToMicros(c.retention_ms), c.retention_bytes);
  if (topic.compacted) {
    log.Compact(now, MillisToMicros(c.min_compaction_lag_ms), MillisToMicros(c.delete_retention_ms),
                force);
  }
}

void Broker::CleanAll(bool force) {
  for (auto& [name, topic] : topics_) {
    for (PartitionLog& log : topic.partitions) Clean(topic, log, force);
  }
}

void Broker::ScheduleCleaner() {
  cleaner_timer_ = runtime_.ScheduleAfter(options_.log_cleaner_interval_us, [this] {
    CleanAll(/*force=*/false);
    ScheduleCleaner();
  });
}

void Broker::Rebalance(GroupState& group) {
  Subscriptions subscriptions;
  std::map<std::string, int32_t> partitions;
  for (Member* m : group.members) {
    subscriptions.push_back(m->topics());
    for (const auto& topic : m->topics()) {
      if (auto it = topics_.find(topic); it != topics_.end()) {
        partitions[topic] = static_cast<int32_t>(it->second.partitions.size());
      }
    }
  }
  auto assignment = Assign(group.strategy, subscriptions, partitions);
  for (size_t i = 0; i < group.members.size(); ++i) {
    Member* m = group.members[i];
    std::map<TopicPartition, int64_t> positions;
    for (const auto& tp : assignment[i]) {
      const PartitionLog& log = *FindLog(tp).value();
      auto committed = group.committed.find(tp);
      const bool in_range = committed != group.committed.end() &&
                            committed->second >= log.log_start() &&
                            committed->second <= log.EndOffset();
      positions[tp] = in_range                               ? committed->second
                      : m->reset() == OffsetReset::kEarliest ? log.log_start()
                                                             : log.EndOffset();
    }
    m->Assign(std::move(assignment[i]), std::move(positions));
  }
  RebuildOwners();
}

void Broker::RebuildOwners() {
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

}  // namespace internal

using internal::Broker;

std::unique_ptr<EventStream> MakeFakeEventStream(Runtime& runtime, FakeBrokerOptions options) {
  return std::make_unique<Broker>(runtime, options);
}

FakeBroker MakeFakeBroker(Runtime& runtime, FakeBrokerOptions options) {
  auto broker = std::make_unique<Broker>(runtime, options);
  FakeBrokerControl* control = broker.get();
  return {std::move(broker), control};
}

}  // namespace meshsim::fakes

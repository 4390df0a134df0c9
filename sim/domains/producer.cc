#include "sim/domains/producer.h"

#include <algorithm>
#include <functional>

namespace meshsim {

std::string DeadLetterTopic(std::string_view topic) { return std::string(topic) + "-dlq"; }

ProducerDomain::ProducerDomain(Runtime& runtime, EventStream& stream, Catalog& catalog,
                               SchemaRegistry& registry, Metrics& metrics,
                               ProducerDomainConfig config)
    : runtime_(runtime),
      stream_(stream),
      catalog_(catalog),
      registry_(registry),
      metrics_(metrics),
      config_(std::move(config)),
      counts_(metrics.topic(config_.topic)),
      base_schema_(ParseBaseSchema(config_.schema)),
      serializer_(base_schema_, config_.zlib) {
  // The parts of the reused record that never change.
  record_.topic = config_.topic;
  record_.key.emplace();
  record_.headers.resize(1);
  record_.headers[0].key = kTraceHeader;
  dead_letter_.topic = DeadLetterTopic(config_.topic);
  dead_letter_.headers = {{kDeadLetterStageHeader, "serialize"}, {kDeadLetterReasonHeader, ""}};
}

Status ProducerDomain::Start() {
  for (const std::string& name : {config_.topic, dead_letter_.topic}) {
    if (stream_.PartitionCount(name).ok()) continue;
    TopicConfig topic;
    topic.name = name;
    const bool dlq = name == dead_letter_.topic;
    topic.partitions = dlq ? 1 : config_.partitions;
    topic.cleanup_policy = dlq ? CleanupPolicy::kDelete : config_.cleanup_policy;
    if (auto s = stream_.CreateTopic(topic); !s.ok()) return s;
  }
  if (auto s = RegisterSchema(); !s.ok()) return s;
  if (auto db = catalog_.GetDatabase(config_.database.name); !db.ok()) {
    if (db.status().code() != Code::kEntityNotFound) return db.status();
    if (auto s = catalog_.CreateDatabase(config_.database); !s.ok()) return s;
  }
  auto existing = catalog_.GetTable(config_.product.database, config_.product.name);
  if (existing.ok()) return catalog_.UpdateTable(config_.product);
  if (existing.status().code() != Code::kEntityNotFound) return existing.status();
  return catalog_.CreateTable(config_.product);
}

// As the Glue SerDe does with auto-registration on: the schema is created with the domain's
// definition as version 1 if missing; otherwise the version with that definition is used, or
// registered as the next version (which the schema's compatibility mode may refuse).
Status ProducerDomain::RegisterSchema() {
  SchemaId id;
  id.schema_name = config_.topic;
  WriterVersion writer;
  writer.definition = base_schema_;
  std::string version_id;
  auto info = registry_.GetSchema(id);
  if (!info.ok()) {
    if (info.status().code() != Code::kEntityNotFound) return info.status();
    CreateSchemaRequest request;
    request.schema_name = config_.topic;
    request.data_format = DataFormat::kAvro;
    request.compatibility = config_.compatibility;
    request.description = "Records of the " + config_.topic + " topic";
    request.schema_definition = config_.schema;
    auto created = registry_.CreateSchema(request);
    if (!created.ok()) return created.status();
    version_id = created->schema_version_id;
    writer.version_number = 1;
  } else if (auto found = registry_.GetSchemaByDefinition(id, config_.schema); found.ok()) {
    version_id = found->schema_version_id;
    writer.version_number = found->version_number;
  } else {
    auto registered = registry_.RegisterSchemaVersion(id, config_.schema);
    if (!registered.ok()) return registered.status();
    version_id = registered->schema_version_id;
    writer.version_number = registered->version_number;
  }
  auto uuid = Uuid::Parse(version_id);
  if (!uuid) return Status(Code::kInternal, "the registry's version id is not a UUID");
  writer.id = *uuid;
  return serializer_.SetWriter(std::move(writer));
}

Result<RegisterSchemaVersionResponse> ProducerDomain::EvolveSchema(const std::string& definition,
                                                                   const nlohmann::json& values) {
  auto parsed = SchemaDefinition::Parse(DataFormat::kAvro, definition);
  if (!parsed.ok()) return parsed.status();
  WriterVersion writer;
  writer.definition = std::make_shared<const SchemaDefinition>(std::move(*parsed));
  writer.values = values;
  if (auto s = RecordSerializer::CheckWriter(writer); !s.ok()) return s;
  SchemaId id;
  id.schema_name = config_.topic;
  auto registered = registry_.RegisterSchemaVersion(id, definition);
  if (!registered.ok()) return registered.status();
  auto uuid = Uuid::Parse(registered->schema_version_id);
  if (!uuid) return Status(Code::kInternal, "the registry's version id is not a UUID");
  writer.id = *uuid;
  writer.version_number = registered->version_number;
  if (auto s = serializer_.SetWriter(std::move(writer)); !s.ok()) return s;
  return registered;
}

bool ProducerDomain::RefusedPaused(std::string_view key, std::string_view value, int64_t now) {
  if (!paused_) return false;
  ++counts_.rejected;
  metrics_.AddDeadLetter({config_.topic, "produce", "DomainPaused: the domain is paused",
                          std::string(key), std::string(value), now});
  return true;
}

void ProducerDomain::Publish(std::string_view key, std::string_view value) {
  const int64_t now = runtime_.NowMicros();
  if (RefusedPaused(key, value, now)) return;
  const uint64_t key_hash = std::hash<std::string_view>{}(key);
  lane_ids_.Prefetch(key_hash);  // loads while the value is serialised
  // One record reused for every send: the stream copies it, so serialising into it reuses the
  // strings' capacity and a send allocates nothing here.
  if (auto s = serializer_.Serialize(value, &record_.value); !s.ok()) {
    Refuse(key, value, s, now);
    return;
  }
  SendPublished(key, key_hash, now);
}

void ProducerDomain::PublishDatum(std::string_view key, const nlohmann::json& datum) {
  const int64_t now = runtime_.NowMicros();
  if (paused_ && RefusedPaused(key, datum.dump(), now)) return;
  if (auto s = serializer_.SerializeDatum(datum, &record_.value); !s.ok()) {
    Refuse(key, datum.dump(), s, now);
    return;
  }
  SendPublished(key, std::hash<std::string_view>{}(key), now);
}

void ProducerDomain::PublishRaw(std::string_view key, std::string_view value) {
  const int64_t now = runtime_.NowMicros();
  if (RefusedPaused(key, value, now)) return;
  record_.value.assign(value);
  SendPublished(key, std::hash<std::string_view>{}(key), now);
}

void ProducerDomain::SendPublished(std::string_view key, uint64_t key_hash, int64_t now) {
  ProducerRecord& r = record_;
  r.key->assign(key);
  EncodeTraceHeader(now, &r.headers[0].value);
  r.timestamp_us = now;
  ++in_flight_;
  const uint32_t lane = lane_ids_.Intern(key_hash);
  if (lane == lane_state_.size()) {
    lane_state_.push_back(kIdle);
    lanes_.emplace_back();
  }
  if (lane_state_[lane] == kIdle) {
    lane_state_[lane] = kBusy;
    Send(r, nullptr, lane);
    return;
  }
  // An earlier record of the key is still unacknowledged: this one waits its turn with a copy of
  // its own, its delivery timeout running from now as in Kafka's accumulator.
  Retry* held = retries_pool_.Take();
  held->record = r;
  held->first_sent_us = now;
  held->backoff_us = 0;
  held->next = nullptr;
  KeyLane& waiting = lanes_[lane];
  (waiting.tail ? waiting.tail->next : waiting.head) = held;
  waiting.tail = held;
  lane_state_[lane] = kBusyWithWaiting;
}

void ProducerDomain::SendNext(uint32_t lane) {
  if (lane_state_[lane] == kBusy) {
    lane_state_[lane] = kIdle;
    return;
  }
  KeyLane& waiting = lanes_[lane];
  Retry* next = waiting.head;
  waiting.head = next->next;
  if (waiting.head == nullptr) {
    waiting.tail = nullptr;
    lane_state_[lane] = kBusy;  // `next` is in flight, nothing waits behind it
  }
  // On the runtime, not inline: a stream that answers inline would otherwise recurse once per
  // waiting record.
  runtime_.ScheduleAfter(0, [this, next, lane] { Send(next->record, next, lane); });
}

// A record the serializer refuses never reaches the topic: it is counted and dead-lettered here,
// and kept in the dead-letter topic for whoever mends the producer. That send is best effort: the
// dead letter in the metrics is the record of it.
void ProducerDomain::Refuse(std::string_view key, std::string_view value, const Status& why,
                            int64_t now) {
  ++counts_.rejected;
  std::string reason = "SerializationException: " + why.message();
  dead_letter_.key.emplace(key);
  dead_letter_.value.assign(value);
  dead_letter_.headers[1].value = reason;
  dead_letter_.timestamp_us = now;
  stream_.Produce(dead_letter_, [](Result<RecordMetadata>, const ProducerRecord*) {});
  metrics_.AddDeadLetter(
      {config_.topic, "serialize", std::move(reason), std::string(key), std::string(value), now});
}

// A retriable error (the broker down, a leader moving) sends the record again after a backoff
// that doubles from retry.backoff.ms up to retry.backoff.max.ms, until delivery.timeout.ms from
// the first send has passed, as Kafka's producer does; only then, or on an error that retrying
// cannot mend, is it dead-lettered. A record being retried keeps a copy of its own (the stream
// copies what it is sent, and `unsent` is valid only in the callback) and counts as in flight.
//
// One record per key is in flight at a time, so a retried record is never overtaken by a later
// one of its key: the order per partition that Kafka's idempotent producer (enable.idempotence,
// the default since Kafka 3.0) keeps across retries, kept here per key, which is finer.
void ProducerDomain::Send(const ProducerRecord& record, Retry* retry, uint32_t lane) {
  stream_.Produce(
      record, [this, retry, lane](Result<RecordMetadata> result, const ProducerRecord* unsent) {
        if (result.ok()) {
          --in_flight_;
          ++counts_.produced;
          if (retry) retries_pool_.Give(retry);
          SendNext(lane);
          return;
        }
        const int64_t now = runtime_.NowMicros();
        const int64_t first = retry ? retry->first_sent_us : unsent->timestamp_us;
        if (IsRetriable(result.status().code()) && now - first < kDeliveryTimeoutUs) {
          Retry* again = retry;
          if (again == nullptr) {
            again = retries_pool_.Take();
            again->record = *unsent;
            again->first_sent_us = first;
            again->backoff_us = kRetryBackoffUs;
          } else {
            again->backoff_us = again->backoff_us == 0
                                    ? kRetryBackoffUs
                                    : std::min(again->backoff_us * 2, kRetryBackoffMaxUs);
          }
          ++retries_;
          runtime_.ScheduleAfter(std::min(again->backoff_us, first + kDeliveryTimeoutUs - now),
                                 [this, again, lane] { Send(again->record, again, lane); });
          return;
        }
        --in_flight_;
        ++counts_.rejected;
        metrics_.AddDeadLetter({config_.topic, "produce", result.status().ToString(), unsent->key,
                                unsent->value, now});
        if (retry) retries_pool_.Give(retry);
        SendNext(lane);
      });
}

}  // namespace meshsim

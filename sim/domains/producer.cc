#include "sim/domains/producer.h"

#include <algorithm>

namespace meshsim {

ProducerDomain::ProducerDomain(Runtime& runtime, EventStream& stream, Catalog& catalog,
                               Metrics& metrics, ProducerDomainConfig config)
    : runtime_(runtime),
      stream_(stream),
      catalog_(catalog),
      metrics_(metrics),
      config_(std::move(config)),
      counts_(metrics.topic(config_.topic)) {
  // The parts of the reused record that never change.
  record_.topic = config_.topic;
  record_.key.emplace();
  record_.headers.resize(1);
  record_.headers[0].key = kTraceHeader;
}

Status ProducerDomain::Start() {
  if (!stream_.PartitionCount(config_.topic).ok()) {
    TopicConfig topic;
    topic.name = config_.topic;
    topic.partitions = config_.partitions;
    topic.cleanup_policy = config_.cleanup_policy;
    if (auto s = stream_.CreateTopic(topic); !s.ok()) return s;
  }
  if (auto db = catalog_.GetDatabase(config_.database.name); !db.ok()) {
    if (db.status().code() != Code::kEntityNotFound) return db.status();
    if (auto s = catalog_.CreateDatabase(config_.database); !s.ok()) return s;
  }
  auto existing = catalog_.GetTable(config_.product.database, config_.product.name);
  if (existing.ok()) return catalog_.UpdateTable(config_.product);
  if (existing.status().code() != Code::kEntityNotFound) return existing.status();
  return catalog_.CreateTable(config_.product);
}

void ProducerDomain::Publish(std::string_view key, std::string_view value) {
  const int64_t now = runtime_.NowMicros();
  if (paused_) {
    ++counts_.rejected;
    metrics_.AddDeadLetter({config_.topic, "produce", "DomainPaused: the domain is paused",
                            std::string(key), std::string(value), now});
    return;
  }
  // One record reused for every send: the stream copies it, so assigning into it reuses the
  // strings' capacity and a send allocates nothing here.
  ProducerRecord& r = record_;
  r.key->assign(key);
  r.value.assign(value);
  EncodeTraceHeader(now, &r.headers[0].value);
  r.timestamp_us = now;
  ++in_flight_;
  Send(r, nullptr);
}

// A retriable error (the broker down, a leader moving) sends the record again after a backoff
// that doubles from retry.backoff.ms up to retry.backoff.max.ms, until delivery.timeout.ms from
// the first send has passed, as Kafka's producer does; only then, or on an error that retrying
// cannot mend, is it dead-lettered. A record being retried keeps a copy of its own (the stream
// copies what it is sent, and `unsent` is valid only in the callback) and counts as in flight.
void ProducerDomain::Send(const ProducerRecord& record, Retry* retry) {
  stream_.Produce(
      record, [this, retry](Result<RecordMetadata> result, const ProducerRecord* unsent) {
        if (result.ok()) {
          --in_flight_;
          ++counts_.produced;
          if (retry) retries_pool_.Give(retry);
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
            again->backoff_us = std::min(again->backoff_us * 2, kRetryBackoffMaxUs);
          }
          ++retries_;
          runtime_.ScheduleAfter(std::min(again->backoff_us, first + kDeliveryTimeoutUs - now),
                                 [this, again] { Send(again->record, again); });
          return;
        }
        --in_flight_;
        ++counts_.rejected;
        metrics_.AddDeadLetter({config_.topic, "produce", result.status().ToString(), unsent->key,
                                unsent->value, now});
        if (retry) retries_pool_.Give(retry);
      });
}

}  // namespace meshsim

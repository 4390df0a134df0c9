// A producer domain: it owns one kind of entity, publishes every change to its own topic keyed by
// the entity's id, and publishes its data product in the central catalog when it starts. The four
// producers of the mesh (Users, Songs, Podcasts, Interactions) are instances of this one class,
// differing in their topic and product.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/box_pool.h"
#include "sim/metrics.h"
#include "sim/ports/catalog.h"
#include "sim/ports/event_stream.h"
#include "sim/runtime.h"

namespace meshsim {

struct ProducerDomainConfig {
  std::string domain;      // "users" — the owner recorded in the catalog
  std::string topic;       // "users"
  int32_t partitions = 4;  // for the topic, when it does not exist yet
  // The topic's cleanup.policy, when it does not exist yet: the entity topics are compacted (the
  // latest value per id is the entity), interactions are deleted by retention. Default: delete.
  CleanupPolicy cleanup_policy = CleanupPolicy::kDelete;
  Database database;  // the domain's catalog database
  Table product;      // the data product's table
};

class ProducerDomain {
 public:
  ProducerDomain(Runtime& runtime, EventStream& stream, Catalog& catalog, Metrics& metrics,
                 ProducerDomainConfig config);

  // Creates the topic if missing and registers (or updates) the data product in the catalog.
  Status Start();

  // Publishes one encoded entity. The outcome is counted: produced when the broker acknowledges
  // it, rejected and dead-lettered (with the broker's reason) when it refuses it.
  void Publish(std::string_view key, std::string_view value);

  // Stops publishing: later Publish calls are dead-lettered as "domain paused".
  void set_paused(bool paused) { paused_ = paused; }
  bool paused() const { return paused_; }
  // Records sent and not yet acknowledged or refused by the broker (those waiting to be retried
  // included).
  uint64_t in_flight() const { return in_flight_; }
  // Sends repeated after a retriable error.
  uint64_t retries() const { return retries_; }

  // Kafka producer defaults: retry.backoff.ms 100, retry.backoff.max.ms 1000,
  // delivery.timeout.ms 120000.
  static constexpr int64_t kRetryBackoffUs = 100'000;
  static constexpr int64_t kRetryBackoffMaxUs = 1'000'000;
  static constexpr int64_t kDeliveryTimeoutUs = 120'000'000;
  const ProducerDomainConfig& config() const { return config_; }

 private:
  Runtime& runtime_;
  EventStream& stream_;
  Catalog& catalog_;
  Metrics& metrics_;
  ProducerDomainConfig config_;
  TopicCounts& counts_;
  bool paused_ = false;
  struct Retry {
    ProducerRecord record;
    int64_t first_sent_us = 0;
    int64_t backoff_us = 0;
  };
  void Send(const ProducerRecord& record, Retry* retry);

  uint64_t in_flight_ = 0;
  uint64_t retries_ = 0;
  ProducerRecord record_;  // reused by every Publish
  BoxPool<Retry> retries_pool_;
};

}  // namespace meshsim

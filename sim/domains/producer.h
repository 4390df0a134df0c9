// A producer domain: it owns one kind of entity, publishes every change to its own topic keyed by
// the entity's id, and publishes its data product in the central catalog when it starts. The four
// producers of the mesh (Users, Songs, Podcasts, Interactions) are instances of this one class,
// differing in their topic, schema and product.
//
// Records are serialised with the topic's schema in the schema registry (a Glue schema named as
// the topic, as the Glue SerDe names one by default) and framed in the Glue wire format
// (sim/serde/schema_serde.h). A record that fails validation is refused before it is sent: counted
// as rejected, dead-lettered with its reason, and kept in the topic's dead-letter topic
// (`TOPIC-dlq`, the reason in its headers).
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/box_pool.h"
#include "sim/core/hash_index.h"
#include "sim/core/runtime.h"
#include "sim/metrics/metrics.h"
#include "sim/ports/catalog.h"
#include "sim/ports/event_stream.h"
#include "sim/ports/schema_registry.h"
#include "sim/serde/schema_serde.h"

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
  // The Avro schema the domain's records are encoded with (sim/serde/entity_avro.h), and the
  // compatibility mode its registry schema is created with. Default: Glue's, BACKWARD.
  std::string schema;
  Compatibility compatibility = Compatibility::kBackward;
  bool zlib = false;  // compress payloads in the wire format (Glue's compression ZLIB)
};

// The dead-letter topic of `topic`, and the headers its records carry.
std::string DeadLetterTopic(std::string_view topic);
inline constexpr const char* kDeadLetterReasonHeader = "dlq-reason";
inline constexpr const char* kDeadLetterStageHeader = "dlq-stage";

class ProducerDomain {
 public:
  // REQUIRES: config.schema parses as an Avro record schema.
  ProducerDomain(Runtime& runtime, EventStream& stream, Catalog& catalog, SchemaRegistry& registry,
                 Metrics& metrics, ProducerDomainConfig config);

  // Creates the topic and its dead-letter topic if missing, finds or registers the schema
  // version its records are written with (refused if the registry's compatibility check fails),
  // and registers (or updates) the data product in the catalog.
  Status Start();

  // Publishes one entity as the domain's encoder wrote it (sim/serde/entity_avro.h), serialised
  // with the current schema version. The outcome is counted: produced when the broker acknowledges
  // it, rejected and dead-lettered with the reason when serialising fails or the broker refuses it.
  void Publish(std::string_view key, std::string_view value);
  // Publishes a datum (sim/serde/avro/datum.h's JSON form) serialised with the current schema
  // version, as a producer's own code hands one to its SerDe; counted as Publish counts.
  void PublishDatum(std::string_view key, const nlohmann::json& datum);
  // Publishes bytes as they are, past the serializer: what a producer that does not use the
  // registry sends (poison for the consumers).
  void PublishRaw(std::string_view key, std::string_view value);

  // Registers `definition` as the topic schema's next version and, once the registry accepts it,
  // writes every later record with it; `values` fills the fields the domain's records lack (others
  // take their defaults). InvalidInputException, with the registry's reason, for a definition
  // that does not parse, values the schema does not take, or a version the compatibility mode
  // refuses; the writer is then unchanged.
  Result<RegisterSchemaVersionResponse> EvolveSchema(const std::string& definition,
                                                     const nlohmann::json& values);
  const WriterVersion& writer() const { return serializer_.writer(); }

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
  SchemaRegistry& registry_;
  Metrics& metrics_;
  ProducerDomainConfig config_;
  TopicCounts& counts_;
  bool paused_ = false;
  // A record kept by the producer: being retried, or waiting behind an earlier one of its key.
  struct Retry {
    ProducerRecord record;
    int64_t first_sent_us = 0;
    int64_t backoff_us = 0;  // 0 until its first retriable failure
    Retry* next = nullptr;   // the next waiting record of its key
  };
  // A key's records in publish order: one in flight, the rest waiting. Kept for every key seen
  // (a few bytes each), so publishing allocates nothing for keys it has met before. A lane is
  // its number; its state is a byte of lane_state_, so that a publish and an acknowledgement
  // with nothing waiting touch one byte of a small array, and the lane's queue (lanes_) only
  // when records wait.
  enum LaneState : uint8_t { kIdle, kBusy, kBusyWithWaiting };
  struct KeyLane {
    Retry* head = nullptr;
    Retry* tail = nullptr;
  };
  void Send(const ProducerRecord& record, Retry* retry, uint32_t lane);
  // The key's next waiting record goes out, or the lane goes idle.
  void SendNext(uint32_t lane);
  Status RegisterSchema();
  // Sends r (record_, its value set) after the bookkeeping every publish does; `key_hash` is
  // the key's std::hash.
  void SendPublished(std::string_view key, uint64_t key_hash, int64_t now);
  // Counts and dead-letters a publish while paused; false when not paused.
  bool RefusedPaused(std::string_view key, std::string_view value, int64_t now);
  void Refuse(std::string_view key, std::string_view value, const Status& why, int64_t now);

  uint64_t in_flight_ = 0;
  uint64_t retries_ = 0;
  ProducerRecord record_;  // reused by every Publish
  ProducerRecord dead_letter_;
  std::shared_ptr<const SchemaDefinition> base_schema_;
  RecordSerializer serializer_;
  BoxPool<Retry> retries_pool_;
  // By key: lane_ids_ numbers the keys by their hash (a 64-bit collision only makes two keys
  // wait for each other); by lane number, each lane's state and its waiting records.
  HashIndex lane_ids_;
  std::vector<uint8_t> lane_state_;
  std::vector<KeyLane> lanes_;
};

}  // namespace meshsim

// A workload on the virtual clock with nothing behind its producers but a stream that records
// every record it is sent, decoded, with the time it was sent: the generators' output, free of
// the broker, the consumers and their latencies.
#pragma once

#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "sim/core/runtime.h"
#include "sim/domains/producer.h"
#include "sim/metrics/metrics.h"
#include "sim/ports/catalog.h"
#include "sim/ports/event_stream.h"
#include "sim/ports/topics.h"
#include "sim/scenario/scenario.h"
#include "sim/serde/entity_avro.h"
#include "sim/serde/glue_wire.h"
#include "sim/workload/workload.h"

namespace meshsim::testing {

struct Sent {
  int64_t at_us;
  std::string topic;
  std::string value;
};

// Acknowledges every record at once and keeps it.
class RecordingStream : public EventStream {
 public:
  explicit RecordingStream(Runtime& runtime) : runtime_(runtime) {}
  Status CreateTopic(const TopicConfig&) override { return Status::Ok(); }
  Result<int32_t> PartitionCount(const std::string&) const override { return 1; }
  void Produce(const ProducerRecord& record, ProduceCallback done) override {
    sent.push_back({runtime_.NowMicros(), record.topic, record.value});
    done(RecordMetadata{{record.topic, 0}, static_cast<int64_t>(sent.size()) - 1, 0}, nullptr);
  }
  Result<std::unique_ptr<Consumer>> Subscribe(const ConsumerConfig&) override {
    return Status(Code::kInternal, "the recording stream has no consumers");
  }
  Result<int64_t> EndOffset(const TopicPartition&) const override {
    return static_cast<int64_t>(sent.size());
  }

  std::vector<Sent> sent;

 private:
  Runtime& runtime_;
};

// Takes every write and holds nothing: the producers' data products are not what these tests see.
class NullCatalog : public Catalog {
 public:
  Status CreateDatabase(const Database&) override { return Status::Ok(); }
  Result<Database> GetDatabase(const std::string&) const override { return Database{}; }
  Result<std::vector<Database>> GetDatabases() const override { return std::vector<Database>{}; }
  Status DeleteDatabase(const std::string&) override { return Status::Ok(); }
  Status CreateTable(const Table&) override { return Status::Ok(); }
  Status UpdateTable(const Table&, const UpdateTableOptions&) override { return Status::Ok(); }
  Result<Table> GetTable(const std::string&, const std::string&) const override { return Table{}; }
  Result<std::vector<Table>> GetTables(const std::string&) const override { return Tables(); }
  Status DeleteTable(const std::string&, const std::string&) override { return Status::Ok(); }
  Result<std::vector<Table>> GetTableVersions(const std::string&,
                                              const std::string&) const override {
    return Tables();
  }
  Result<Table> GetTableVersion(const std::string&, const std::string&,
                                const std::string&) const override {
    return Table{};
  }
  Status DeleteTableVersion(const std::string&, const std::string&, const std::string&) override {
    return Status::Ok();
  }
  Result<std::vector<Table>> SearchTables(const std::string&) const override { return Tables(); }
  Result<std::vector<Table>> SearchTables(const TableSearch&) const override { return Tables(); }
  Status CreatePartition(const Partition&) override { return Status::Ok(); }
  Result<std::vector<PartitionError>> BatchCreatePartition(
      const std::string&, const std::string&, const std::vector<Partition>&) override {
    return std::vector<PartitionError>{};
  }
  Result<Partition> GetPartition(const std::string&, const std::string&,
                                 const std::vector<std::string>&) const override {
    return Partition{};
  }
  Result<std::vector<Partition>> GetPartitions(const std::string&, const std::string&,
                                               const std::string&) const override {
    return std::vector<Partition>{};
  }
  Status UpdatePartition(const std::string&, const std::string&, const std::vector<std::string>&,
                         const Partition&) override {
    return Status::Ok();
  }
  Status DeletePartition(const std::string&, const std::string&,
                         const std::vector<std::string>&) override {
    return Status::Ok();
  }

 private:
  static std::vector<Table> Tables() { return {}; }
};

// Holds one version of each schema it is asked to create, and has nothing else.
class OneVersionRegistry : public SchemaRegistry {
 public:
  static constexpr const char* kVersionId = "00000000-0000-4000-8000-000000000001";
  Result<Registry> CreateRegistry(const CreateRegistryRequest&) override { return Missing(); }
  Result<Registry> GetRegistry(const RegistryId&) const override { return Missing(); }
  Result<ListPage<Registry>> ListRegistries(const ListRequest&) const override { return Missing(); }
  Result<Registry> DeleteRegistry(const RegistryId&) override { return Missing(); }
  Result<CreateSchemaResponse> CreateSchema(const CreateSchemaRequest& request) override {
    definitions_[request.schema_name] = request.schema_definition;
    CreateSchemaResponse r;
    r.schema_name = request.schema_name;
    r.schema_version_id = kVersionId;
    return r;
  }
  Result<SchemaInfo> GetSchema(const SchemaId&) const override { return Missing(); }
  Result<ListPage<SchemaInfo>> ListSchemas(const RegistryId&, const ListRequest&) const override {
    return Missing();
  }
  Result<SchemaInfo> UpdateSchema(const UpdateSchemaRequest&) override { return Missing(); }
  Result<SchemaInfo> DeleteSchema(const SchemaId&) override { return Missing(); }
  Result<RegisterSchemaVersionResponse> RegisterSchemaVersion(const SchemaId&,
                                                              const std::string&) override {
    return Missing();
  }
  Result<SchemaVersion> GetSchemaVersion(const GetSchemaVersionRequest&) const override {
    return Missing();
  }
  Result<SchemaVersion> GetSchemaByDefinition(const SchemaId&, const std::string&) const override {
    return Missing();
  }
  Result<ListPage<SchemaVersion>> ListSchemaVersions(const SchemaId&,
                                                     const ListRequest&) const override {
    return Missing();
  }
  Result<CheckSchemaVersionValidityResponse> CheckSchemaVersionValidity(
      DataFormat, const std::string&) const override {
    return Missing();
  }

 private:
  static Status Missing() { return Status(Code::kEntityNotFound, "not in this registry"); }
  std::map<std::string, std::string> definitions_;
};

// The codec's payload of a record a producer framed.
inline std::string_view PayloadOf(const std::string& framed) {
  std::string inflated;
  auto view = UnframeView(framed, &inflated);
  REQUIRE(view.ok());
  REQUIRE(!view->zlib);
  return view->payload;
}

struct SentInteraction {
  int64_t at_us;
  Interaction value;
};

inline ProducerDomainConfig Config(const char* topic) {
  ProducerDomainConfig c;
  c.domain = topic;
  c.topic = topic;
  c.schema = std::string(TopicSchemaJson(topic));
  return c;
}

// Parses `json` (asserting it is valid) and builds the workload; Start() it to begin.
class Rig {
 public:
  explicit Rig(const std::string& json, uint64_t seed = 0) {
    auto parsed = ParseScenario(json, "rig.json");
    INFO(parsed.status().ToString());
    REQUIRE(parsed.ok());
    scenario = std::make_unique<Scenario>(std::move(*parsed));
    runtime = MakeVirtualRuntime(seed ? seed : scenario->seed);
    stream = std::make_unique<RecordingStream>(*runtime);
    for (const char* topic : {kUsersTopic, kSongsTopic, kPodcastsTopic, kInteractionsTopic}) {
      producers.push_back(std::make_unique<ProducerDomain>(*runtime, *stream, catalog, registry,
                                                           metrics, Config(topic)));
      REQUIRE(producers.back()->Start().ok());
    }
    workload = std::make_unique<Workload>(
        *runtime, *scenario,
        WorkloadProducers{*producers[0], *producers[1], *producers[2], *producers[3]});
  }

  ProducerDomain& producer(const char* topic) {
    for (auto& p : producers) {
      if (p->config().topic == topic) return *p;
    }
    FAIL("no producer for " << topic);
    return *producers[0];
  }

  void RunUntil(double seconds) { runtime->RunUntil(static_cast<int64_t>(seconds * 1e6)); }

  std::vector<SentInteraction> Interactions(int64_t from_us = 0) const {
    std::vector<SentInteraction> out;
    for (const auto& s : stream->sent) {
      if (s.topic != kInteractionsTopic || s.at_us < from_us) continue;
      SentInteraction i{s.at_us, {}};
      REQUIRE(DecodeInteraction(PayloadOf(s.value), &i.value));
      out.push_back(std::move(i));
    }
    return out;
  }
  std::vector<UserProfile> Users() const {
    std::vector<UserProfile> out;
    for (const auto& s : stream->sent) {
      if (s.topic != kUsersTopic) continue;
      REQUIRE(DecodeUser(PayloadOf(s.value), &out.emplace_back()));
    }
    return out;
  }
  std::vector<CatalogItem> Items() const {
    std::vector<CatalogItem> out;
    for (const auto& s : stream->sent) {
      if (s.topic != kSongsTopic && s.topic != kPodcastsTopic) continue;
      REQUIRE(DecodeItem(PayloadOf(s.value), &out.emplace_back()));
    }
    return out;
  }
  // Item id -> genre, of every item published so far.
  std::map<std::string, std::string> GenreOf() const {
    std::map<std::string, std::string> out;
    for (const auto& item : Items()) out[item.item_id] = item.genre;
    return out;
  }

  std::unique_ptr<Scenario> scenario;
  std::unique_ptr<Runtime> runtime;
  std::unique_ptr<RecordingStream> stream;
  NullCatalog catalog;
  OneVersionRegistry registry;
  Metrics metrics;
  std::vector<std::unique_ptr<ProducerDomain>> producers;
  std::unique_ptr<Workload> workload;
};

}  // namespace meshsim::testing

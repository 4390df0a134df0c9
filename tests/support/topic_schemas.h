// The mesh topics' schemas in an in-memory registry, for tests that produce records straight to a
// broker and consume them with the domains: records are framed as the producer domains frame
// them (sim/serde/schema_serde.h).
#pragma once

#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <string>
#include <string_view>

#include "fakes/glue_schema_registry/schema_registry.h"
#include "sim/ports/topics.h"
#include "sim/serde/entity_avro.h"
#include "sim/serde/glue_wire.h"

namespace meshsim::testing {

class TopicSchemas {
 public:
  explicit TopicSchemas(Runtime& runtime) {
    auto made = fakes::MakeFakeSchemaRegistry(runtime);
    REQUIRE(made.ok());
    registry_ = std::move(*made);
    for (const char* topic : {kUsersTopic, kSongsTopic, kPodcastsTopic, kInteractionsTopic}) {
      CreateSchemaRequest request;
      request.schema_name = topic;
      request.schema_definition = std::string(TopicSchemaJson(topic));
      auto created = registry_->CreateSchema(request);
      REQUIRE(created.ok());
      auto id = Uuid::Parse(created->schema_version_id);
      REQUIRE(id);
      versions_[topic] = *id;
    }
  }

  SchemaRegistry& registry() { return *registry_; }
  // `payload` (the codec's encoding) framed with the topic's version 1.
  std::string Frame(const std::string& topic, std::string_view payload) const {
    return FrameRecord(versions_.at(topic), payload, false);
  }

 private:
  std::unique_ptr<SchemaRegistry> registry_;
  std::map<std::string, Uuid> versions_;
};

}  // namespace meshsim::testing

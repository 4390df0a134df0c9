// Records on the event path go through the schema registry as the AWS Glue Schema Registry SerDe
// library sends them: a producer serialises each record with its registered schema version and
// frames it in the Glue wire format (sim/serde/glue_wire.h), so the record names the version it was
// written with; a consumer looks that version up (once per version) and resolves the writer's
// schema to its own reader schema by Avro's rules.
//
// The domains encode and decode their three record shapes with the hand-written codec
// (sim/serde/entity_avro.h), whose schemas are the "base" here. While the writer's schema is the
// base (the usual case) framing is a header in front of the payload and reading is a view past it:
// no copy, no parse. Only after a schema evolution does a record take the generic path through
// sim/serde/avro/datum.h, and that is where validation can fail.
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "sim/core/status.h"
#include "sim/core/uuid.h"
#include "sim/ports/event_stream.h"
#include "sim/ports/schema_registry.h"
#include "sim/serde/schema_definition.h"

namespace meshsim {

// A schema the code was written against (sim/serde/entity_avro.h's). Null if it does not parse,
// which for those is a bug.
std::shared_ptr<const SchemaDefinition> ParseBaseSchema(std::string_view avro_json);

// The version a producer writes with: its definition, its id, and the values its records carry in
// fields the base lacks (a field in neither takes its default).
struct WriterVersion {
  std::shared_ptr<const SchemaDefinition> definition;
  Uuid id;
  int64_t version_number = 0;
  nlohmann::json values = nlohmann::json::object();
};

class RecordSerializer {
 public:
  // `base`: the schema the domain's encoder writes. REQUIRES: an Avro record schema.
  RecordSerializer(std::shared_ptr<const SchemaDefinition> base, bool zlib);

  // Records from now on are written with `writer`. InvalidInputException, and the writer kept,
  // when `values` is not an object or names a field the writer does not have.
  Status SetWriter(WriterVersion writer);
  // SetWriter's checks alone, and that each of `values` is valid for its field's type (named in
  // the error), so a caller can check before it registers the version.
  static Status CheckWriter(const WriterVersion& writer);
  const WriterVersion& writer() const { return writer_; }
  bool has_writer() const { return writer_.definition != nullptr; }

  // Frames a record the base encoder wrote, re-encoded with the writer's schema when that is not
  // the base: fields the writer lacks are dropped, fields the base lacks take the writer
  // version's values or defaults. InvalidInputException naming the field when the record is not
  // valid for the writer's schema (a field with no value and no default, a value of the wrong
  // type); `out` is then unspecified. Replaces `out`, reusing its capacity. InternalFailure
  // before a writer is set.
  Status Serialize(std::string_view base_payload, std::string* out);
  // Encodes and frames a datum (sim/serde/avro/datum.h's JSON mapping) with the writer's schema:
  // what a producer's code hands a SerDe. InvalidInputException naming the JSON path of a bad
  // value.
  Status SerializeDatum(const nlohmann::json& datum, std::string* out);

 private:
  Status Frame(std::string_view payload, std::string* out);
  static Status NoWriter();

  std::shared_ptr<const SchemaDefinition> base_;
  bool zlib_;
  WriterVersion writer_;
  bool writer_is_base_ = false;
  std::string scratch_;
};

class RecordDeserializer {
 public:
  // `registry` must outlive the deserializer. REQUIRES: `reader` is an Avro schema.
  RecordDeserializer(const SchemaRegistry& registry,
                     std::shared_ptr<const SchemaDefinition> reader);
  // Pinned: Resolve's pending answers find it by its address.
  RecordDeserializer(const RecordDeserializer&) = delete;
  RecordDeserializer& operator=(const RecordDeserializer&) = delete;

  // The record's payload in the reader's encoding: a view into `record` when the writer's schema
  // writes the reader's bytes, else into `*scratch` (resolved: defaults filled, promotions
  // applied, writer-only fields skipped). Errors, as the Glue SerDe's deserializer raises them:
  // not a Glue record (sim/serde/glue_wire.h's reasons), a schema version the registry does not
  // have, or a writer's schema the reader cannot read (the reason names the field and the rule).
  Result<std::string_view> Deserialize(std::string_view record, std::string* scratch);

  // True when the writer version of every framed record in `records` is already known, so
  // Deserialize will not ask the registry. Records that are not framed count as known (they fail
  // in Deserialize, needing no lookup). Cheap: records come in runs of one version.
  bool Known(const RecordBuffer& records) const;

  // Asks the registry, without blocking (SchemaRegistry::GetSchemaVersionAsync), for every writer
  // version in `records` not yet known, once each even across overlapping calls, and calls
  // `ready` once all of them are answered, found or not: then Deserialize reads each record from
  // the cache. `ready` runs on the runtime, inline when every answer comes inline (the fakes).
  // A version Deserialize meets unresolved is looked up with the blocking call, as before.
  void Resolve(const RecordBuffer& records, std::function<void()> ready);

  // Distinct writer versions seen, and records that needed resolving.
  size_t versions_seen() const { return versions_.size(); }
  uint64_t resolved() const { return resolved_; }

 private:
  struct Version {
    Uuid id;
    Status status;  // why records of this version cannot be read; OK if they can
    std::shared_ptr<const SchemaDefinition> writer;
    bool identity = false;  // writes the reader's bytes
  };
  struct Waiter {
    int remaining = 1;  // the versions it waits for, plus one while Resolve is still asking
    std::function<void()> ready;
  };
  struct Lookup {
    Uuid id;
    std::vector<std::shared_ptr<Waiter>> waiters;
  };

  const Version* Cached(const Uuid& id) const;
  const Version& Find(const Uuid& id);
  // Caches what the registry answered for `id`.
  const Version& Store(const Uuid& id, const Result<SchemaVersion>& version);
  void Answered(const Uuid& id, const Result<SchemaVersion>& version);
  static void Release(const std::shared_ptr<Waiter>& waiter);

  const SchemaRegistry& registry_;
  std::shared_ptr<const SchemaDefinition> reader_;
  std::vector<Version> versions_;
  size_t last_ = 0;  // the index last found: records come in runs of one version
  std::string inflated_;
  uint64_t resolved_ = 0;
  std::vector<Lookup> lookups_;  // asked of the registry, not answered yet
  // Answers that come after the deserializer is gone find this expired.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace meshsim

// Records through the schema registry: framing in the Glue wire format, the writer's version
// resolved to the reader's, validation at the producer (sim/serde/schema_serde.h), on the fake
// registry.
#include "sim/serde/schema_serde.h"

#include <catch2/catch.hpp>

#include "fakes/glue_schema_registry/schema_registry.h"
#include "sim/core/runtime.h"
#include "sim/serde/avro/datum.h"
#include "sim/serde/entity_avro.h"
#include "sim/serde/glue_wire.h"

using namespace meshsim;
using Catch::Matchers::Contains;

namespace {

// The Interaction schema with `extra` fields appended (JSON text of field objects).
std::string InteractionWith(const std::string& extra) {
  std::string base(InteractionSchemaJson());
  base.resize(base.size() - 2);  // drop "]}"
  return base + (extra.empty() ? "" : "," + extra) + "]}";
}

std::shared_ptr<const SchemaDefinition> Parsed(const std::string& text) {
  auto parsed = SchemaDefinition::Parse(DataFormat::kAvro, text);
  INFO(parsed.status().ToString());
  REQUIRE(parsed.ok());
  return std::make_shared<const SchemaDefinition>(std::move(*parsed));
}

struct Fixture {
  Fixture() {
    auto made = fakes::MakeFakeSchemaRegistry(*runtime);
    REQUIRE(made.ok());
    registry = std::move(*made);
    CreateSchemaRequest request;
    request.schema_name = "interactions";
    request.compatibility = Compatibility::kBackward;
    request.schema_definition = std::string(InteractionSchemaJson());
    auto created = registry->CreateSchema(request);
    REQUIRE(created.ok());
    v1 = Version(created->schema_version_id, 1, base);
  }

  WriterVersion Version(const std::string& id, int64_t number,
                        std::shared_ptr<const SchemaDefinition> definition,
                        nlohmann::json values = nlohmann::json::object()) {
    auto uuid = Uuid::Parse(id);
    REQUIRE(uuid);
    return WriterVersion{std::move(definition), *uuid, number, std::move(values)};
  }

  // Registers `text` as the next version.
  WriterVersion Register(const std::string& text,
                         nlohmann::json values = nlohmann::json::object()) {
    SchemaId id;
    id.schema_name = "interactions";
    auto registered = registry->RegisterSchemaVersion(id, text);
    INFO(registered.status().ToString());
    REQUIRE(registered.ok());
    return Version(registered->schema_version_id, registered->version_number, Parsed(text),
                   std::move(values));
  }

  std::string Encoded() const {
    std::string out;
    EncodeInteraction(interaction, &out);
    return out;
  }

  std::unique_ptr<Runtime> runtime = MakeVirtualRuntime(1);
  std::unique_ptr<SchemaRegistry> registry;
  std::shared_ptr<const SchemaDefinition> base = Parsed(std::string(InteractionSchemaJson()));
  WriterVersion v1;
  Interaction interaction{"e1", "u1", "s1", "play", "u1-s", 1'700'000'000'000'000};
};

Interaction Decoded(std::string_view payload) {
  Interaction out;
  REQUIRE(DecodeInteraction(payload, &out));
  return out;
}

void CheckSame(const Interaction& a, const Interaction& b) {
  CHECK(a.event_id == b.event_id);
  CHECK(a.user_id == b.user_id);
  CHECK(a.item_id == b.item_id);
  CHECK(a.event_type == b.event_type);
  CHECK(a.session_id == b.session_id);
  CHECK(a.timestamp_us == b.timestamp_us);
}

}  // namespace

TEST_CASE("serde: a record is framed with its version id and read back without a copy") {
  Fixture f;
  RecordSerializer writer(f.base, false);
  REQUIRE(writer.SetWriter(f.v1).ok());
  std::string framed;
  REQUIRE(writer.Serialize(f.Encoded(), &framed).ok());
  REQUIRE(framed.size() == kGlueHeaderSize + f.Encoded().size());
  CHECK(static_cast<uint8_t>(framed[0]) == 3);
  CHECK(static_cast<uint8_t>(framed[1]) == 0);
  CHECK(Uuid::FromBytes(std::string_view(framed).substr(2, 16)) == f.v1.id);

  RecordDeserializer reader(*f.registry, f.base);
  std::string scratch;
  auto payload = reader.Deserialize(framed, &scratch);
  REQUIRE(payload.ok());
  // A view past the header of the record itself.
  CHECK(payload->data() == framed.data() + kGlueHeaderSize);
  CheckSame(Decoded(*payload), f.interaction);
  CHECK(reader.resolved() == 0);
  CHECK(reader.versions_seen() == 1);
}

TEST_CASE("serde: zlib payloads are compressed on the wire and read back") {
  Fixture f;
  RecordSerializer writer(f.base, true);
  REQUIRE(writer.SetWriter(f.v1).ok());
  std::string framed;
  REQUIRE(writer.Serialize(f.Encoded(), &framed).ok());
  CHECK(static_cast<uint8_t>(framed[1]) == 5);
  RecordDeserializer reader(*f.registry, f.base);
  std::string scratch;
  auto payload = reader.Deserialize(framed, &scratch);
  REQUIRE(payload.ok());
  CheckSame(Decoded(*payload), f.interaction);
}

TEST_CASE("serde: a new field with a default is written by v2 and skipped by a v1 reader") {
  Fixture f;
  const WriterVersion v2 =
      f.Register(InteractionWith(R"({"name":"device","type":"string","default":"unknown"})"),
                 {{"device", "mobile"}});
  RecordSerializer writer(f.base, false);
  REQUIRE(writer.SetWriter(v2).ok());
  std::string framed;
  REQUIRE(writer.Serialize(f.Encoded(), &framed).ok());
  CHECK(Uuid::FromBytes(std::string_view(framed).substr(2, 16)) == v2.id);

  // What a v2 reader (a Glue SerDe consumer on the new schema) sees: the given value.
  auto unframed = UnframeRecord(framed);
  REQUIRE(unframed.ok());
  auto datum = avro::Decode(*v2.definition->avro(), unframed->payload);
  REQUIRE(datum.ok());
  CHECK((*datum)["device"] == "mobile");
  CHECK((*datum)["user_id"] == "u1");

  // A v1 reader resolves v2's bytes to its own and reads the same interaction.
  RecordDeserializer reader(*f.registry, f.base);
  std::string scratch;
  auto payload = reader.Deserialize(framed, &scratch);
  REQUIRE(payload.ok());
  CheckSame(Decoded(*payload), f.interaction);
  CHECK(reader.resolved() == 1);
}

TEST_CASE("serde: a new field with no value takes its default") {
  Fixture f;
  const WriterVersion v2 =
      f.Register(InteractionWith(R"({"name":"rating","type":"int","default":3})"));
  RecordSerializer writer(f.base, false);
  REQUIRE(writer.SetWriter(v2).ok());
  std::string framed;
  REQUIRE(writer.Serialize(f.Encoded(), &framed).ok());
  auto unframed = UnframeRecord(framed);
  REQUIRE(unframed.ok());
  auto datum = avro::Decode(*v2.definition->avro(), unframed->payload);
  REQUIRE(datum.ok());
  CHECK((*datum)["rating"] == 3);
}

TEST_CASE("serde: a record the writer's schema cannot take is refused, naming the field") {
  Fixture f;
  // No default and no value: under NONE a registry accepts it, the serializer cannot fill it.
  SchemaId id;
  id.schema_name = "interactions";
  UpdateSchemaRequest none;
  none.schema_id = id;
  none.compatibility = Compatibility::kNone;
  none.schema_version_number = SchemaVersionNumber{true, 0};
  REQUIRE(f.registry->UpdateSchema(none).ok());
  const WriterVersion v2 = f.Register(InteractionWith(R"({"name":"country","type":"string"})"));
  RecordSerializer writer(f.base, false);
  REQUIRE(writer.SetWriter(v2).ok());
  std::string framed;
  const Status s = writer.Serialize(f.Encoded(), &framed);
  CHECK(s.code() == Code::kInvalidInput);
  CHECK_THAT(s.message(), Contains("country"));

  SECTION("a datum of the wrong type names its path") {
    const Status bad = writer.SerializeDatum({{"event_id", "e"},
                                              {"user_id", "u"},
                                              {"item_id", "s"},
                                              {"event_type", "play"},
                                              {"session_id", "x"},
                                              {"timestamp", "yesterday"},
                                              {"country", "NO"}},
                                             &framed);
    CHECK(bad.code() == Code::kInvalidInput);
    CHECK_THAT(bad.message(), Contains("/timestamp"));
  }
}

TEST_CASE("serde: values the writer's schema does not take are refused and the writer kept") {
  Fixture f;
  RecordSerializer writer(f.base, false);
  REQUIRE(writer.SetWriter(f.v1).ok());
  WriterVersion v2{Parsed(InteractionWith(R"({"name":"rating","type":"int","default":3})")),
                   Uuid(),
                   2,
                   {{"rating", "five"}}};
  const Status wrong_type = writer.SetWriter(v2);
  CHECK(wrong_type.code() == Code::kInvalidInput);
  CHECK_THAT(wrong_type.message(), Contains("rating"));
  v2.values = {{"colour", "red"}};
  const Status unknown = writer.SetWriter(v2);
  CHECK_THAT(unknown.message(), Contains("\"colour\" is not a field"));
  CHECK(writer.writer().id == f.v1.id);
}

TEST_CASE("serde: records a reader cannot read are errors that say why") {
  Fixture f;
  RecordDeserializer reader(*f.registry, f.base);
  std::string scratch;
  SECTION("not a Glue record") {
    auto r = reader.Deserialize(f.Encoded(), &scratch);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.status().message(), Contains("header version"));
  }
  SECTION("a version the registry does not have") {
    Rng rng(7);
    auto r = reader.Deserialize(FrameRecord(Uuid::Random(rng), f.Encoded(), false), &scratch);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.status().message(), Contains("is not in the registry"));
  }
  SECTION("a writer that dropped a field the reader needs") {
    // Another schema in the registry, without session_id: the v1 reader has no default for it.
    std::string text(InteractionSchemaJson());
    const std::string field = R"({"name":"session_id","type":"string"},)";
    text.erase(text.find(field), field.size());
    CreateSchemaRequest other;
    other.schema_name = "interactions-lite";
    other.schema_definition = text;
    auto created = f.registry->CreateSchema(other);
    REQUIRE(created.ok());
    auto lite = avro::Encode(*Parsed(text)->avro(), {{"event_id", "e"},
                                                     {"user_id", "u"},
                                                     {"item_id", "s"},
                                                     {"event_type", "play"},
                                                     {"timestamp", 1}});
    REQUIRE(lite.ok());
    auto id = Uuid::Parse(created->schema_version_id);
    auto r = reader.Deserialize(FrameRecord(*id, *lite, false), &scratch);
    REQUIRE_FALSE(r.ok());
    CHECK_THAT(r.status().message(), Contains("session_id"));
  }
  SECTION("a truncated payload of a known version") {
    const std::string framed = FrameRecord(f.v1.id, "\x02", false);
    auto r = reader.Deserialize(framed, &scratch);
    // Framing and version are fine; the codec then refuses the bytes.
    REQUIRE(r.ok());
    Interaction out;
    CHECK_FALSE(DecodeInteraction(*r, &out));
  }
}

namespace {

// A registry across a network, as far as a consumer can tell: GetSchemaVersionAsync answers when
// the test says so, and a blocking GetSchemaVersion is counted (a consumer that resolved first
// must make none).
class DeferredRegistry final : public ForwardingSchemaRegistry {
 public:
  using ForwardingSchemaRegistry::ForwardingSchemaRegistry;
  Result<SchemaVersion> GetSchemaVersion(const GetSchemaVersionRequest& request) const override {
    ++blocking_calls;
    return ForwardingSchemaRegistry::GetSchemaVersion(request);
  }
  void GetSchemaVersionAsync(const GetSchemaVersionRequest& request,
                             SchemaVersionCallback done) const override {
    asked.push_back(request.schema_version_id);
    pending.push_back([this, request, done = std::move(done)] {
      done(ForwardingSchemaRegistry::GetSchemaVersion(request));
    });
  }
  // Answers the oldest question.
  void AnswerOne() {
    REQUIRE(!pending.empty());
    auto answer = std::move(pending.front());
    pending.erase(pending.begin());
    answer();
  }

  mutable int blocking_calls = 0;
  mutable std::vector<std::string> asked;
  mutable std::vector<std::function<void()>> pending;
};

RecordBuffer Records(const std::vector<std::string>& values) {
  RecordBuffer out;
  for (const auto& v : values) {
    ConsumedRecord& r = out.Append();
    r = ConsumedRecord{};
    r.value = v;
  }
  return out;
}

}  // namespace

TEST_CASE("serde: a consumer resolves unseen writer versions without blocking, once each") {
  Fixture f;
  const WriterVersion v2 =
      f.Register(InteractionWith(R"({"name": "device", "type": "string", "default": "web"})"));
  RecordSerializer writer(f.base, false);
  std::string framed_v1, framed_v2;
  REQUIRE(writer.SetWriter(f.v1).ok());
  REQUIRE(writer.Serialize(f.Encoded(), &framed_v1).ok());
  REQUIRE(writer.SetWriter(v2).ok());
  REQUIRE(writer.Serialize(f.Encoded(), &framed_v2).ok());

  DeferredRegistry registry(*f.registry);
  RecordDeserializer reader(registry, f.base);
  const RecordBuffer batch = Records({framed_v1, framed_v1, framed_v2, "not framed", framed_v2});
  CHECK_FALSE(reader.Known(batch));

  int ready_a = 0, ready_b = 0;
  reader.Resolve(batch, [&] { ++ready_a; });
  // An overlapping batch asks nothing new: it waits for the same answers.
  reader.Resolve(Records({framed_v2}), [&] { ++ready_b; });
  CHECK(registry.asked.size() == 2);  // v1 and v2, once each
  CHECK(ready_a == 0);
  registry.AnswerOne();  // v1
  CHECK(ready_a == 0);
  CHECK(ready_b == 0);
  registry.AnswerOne();  // v2
  CHECK(ready_a == 1);
  CHECK(ready_b == 1);
  CHECK(reader.Known(batch));

  // Every record now reads from the cache: no blocking call.
  std::string scratch;
  for (const std::string& record : {framed_v1, framed_v2}) {
    auto payload = reader.Deserialize(record, &scratch);
    INFO(payload.status().ToString());
    REQUIRE(payload.ok());
    CheckSame(Decoded(*payload), f.interaction);
  }
  CHECK(registry.blocking_calls == 0);
  CHECK(reader.versions_seen() == 2);

  // Known versions ask nothing, and `ready` runs at once.
  int ready_c = 0;
  reader.Resolve(batch, [&] { ++ready_c; });
  CHECK(ready_c == 1);
  CHECK(registry.asked.size() == 2);
}

TEST_CASE("serde: a version the registry does not have resolves to its error") {
  Fixture f;
  DeferredRegistry registry(*f.registry);
  RecordDeserializer reader(registry, f.base);
  const Uuid unknown = *Uuid::Parse("00000000-0000-4000-8000-000000000001");
  const std::string framed = FrameRecord(unknown, f.Encoded(), false);
  int ready = 0;
  reader.Resolve(Records({framed}), [&] { ++ready; });
  registry.AnswerOne();
  CHECK(ready == 1);
  std::string scratch;
  auto payload = reader.Deserialize(framed, &scratch);
  REQUIRE(!payload.ok());
  CHECK_THAT(payload.status().message(), Contains("is not in the registry"));
  CHECK(registry.blocking_calls == 0);
}

TEST_CASE("serde: an answer that comes after the consumer is gone is dropped") {
  Fixture f;
  DeferredRegistry registry(*f.registry);
  RecordSerializer writer(f.base, false);
  REQUIRE(writer.SetWriter(f.v1).ok());
  std::string framed;
  REQUIRE(writer.Serialize(f.Encoded(), &framed).ok());
  int ready = 0;
  {
    RecordDeserializer reader(registry, f.base);
    reader.Resolve(Records({framed}), [&] { ++ready; });
  }
  registry.AnswerOne();  // must not touch the destroyed reader
  CHECK(ready == 0);
}

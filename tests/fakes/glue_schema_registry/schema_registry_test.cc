#include "fakes/glue_schema_registry/schema_registry.h"

#include <catch2/catch.hpp>
#include <memory>
#include <regex>
#include <string>

#include "sim/core/uuid.h"

namespace meshsim::fakes {
namespace {

const std::string kV1 = R"({"type":"record","name":"Interaction","fields":[
    {"name":"user_id","type":"string"},{"name":"n","type":"int"}]})";
// v1 plus a defaulted field: BACKWARD compatible.
const std::string kV2 = R"({"type":"record","name":"Interaction","fields":[
    {"name":"user_id","type":"string"},{"name":"n","type":"int"},
    {"name":"genre","type":"string","default":"pop"}]})";
// v1 plus a field without a default: not BACKWARD compatible.
const std::string kBad = R"({"type":"record","name":"Interaction","fields":[
    {"name":"user_id","type":"string"},{"name":"n","type":"int"},
    {"name":"genre","type":"string"}]})";

struct Rig {
  explicit Rig(uint64_t seed = 1) : runtime(MakeVirtualRuntime(seed)) {
    Result<std::unique_ptr<SchemaRegistry>> made = MakeFakeSchemaRegistry(*runtime);
    REQUIRE(made.ok());
    registry = std::move(made).value();
  }

  CreateSchemaResponse Create(const std::string& name, const std::string& definition,
                              Compatibility mode = Compatibility::kBackward,
                              DataFormat format = DataFormat::kAvro) {
    CreateSchemaRequest request;
    request.schema_name = name;
    request.schema_definition = definition;
    request.compatibility = mode;
    request.data_format = format;
    Result<CreateSchemaResponse> created = registry->CreateSchema(request);
    INFO(created.status().ToString());
    REQUIRE(created.ok());
    return *created;
  }

  std::unique_ptr<Runtime> runtime;
  std::unique_ptr<SchemaRegistry> registry;
};

SchemaId Id(const std::string& name) { return {"", name, ""}; }

bool IsUuid(const std::string& s) {
  static const std::regex kPattern(
      "[a-f0-9]{8}-[a-f0-9]{4}-4[a-f0-9]{3}-[89ab][a-f0-9]{3}-[a-f0-9]{12}");
  return std::regex_match(s, kPattern);
}

TEST_CASE("registries are created, listed, found by name or ARN and deleted") {
  Rig rig;
  Result<Registry> created = rig.registry->CreateRegistry({"music", "songs", {{"team", "a"}}});
  REQUIRE(created.ok());
  CHECK(created->registry_arn == "arn:aws:glue:us-east-1:123456789012:registry/music");
  CHECK(created->status == "AVAILABLE");
  CHECK(rig.registry->CreateRegistry({"music", "", {}}).status().code() == Code::kAlreadyExists);
  CHECK(rig.registry->CreateRegistry({"bad name", "", {}}).status().code() == Code::kInvalidInput);
  CHECK(rig.registry->CreateRegistry({std::string(256, 'a'), "", {}}).status().code() ==
        Code::kInvalidInput);
  CHECK(rig.registry->GetRegistry({"", created->registry_arn})->description == "songs");
  CHECK(rig.registry->GetRegistry({"music", created->registry_arn}).status().code() ==
        Code::kInvalidInput);
  CHECK(rig.registry->GetRegistry({"nope", ""}).status().code() == Code::kEntityNotFound);
  for (const char* name : {"a", "b", "c"})
    REQUIRE(rig.registry->CreateRegistry({name, "", {}}).ok());
  Result<ListPage<Registry>> first = rig.registry->ListRegistries({3, ""});
  REQUIRE(first.ok());
  CHECK(first->items.size() == 3);
  CHECK(first->items[0].registry_name == "a");
  Result<ListPage<Registry>> second = rig.registry->ListRegistries({3, first->next_token});
  REQUIRE(second.ok());
  REQUIRE(second->items.size() == 1);
  CHECK(second->items[0].registry_name == "music");
  CHECK(second->next_token.empty());
  CHECK(rig.registry->ListRegistries({0, ""}).status().code() == Code::kInvalidInput);
  CHECK(rig.registry->ListRegistries({10, "x"}).status().code() == Code::kInvalidInput);
  Result<Registry> deleted = rig.registry->DeleteRegistry({"music", ""});
  REQUIRE(deleted.ok());
  CHECK(deleted->status == "DELETING");
  CHECK(rig.registry->GetRegistry({"music", ""}).status().code() == Code::kEntityNotFound);
}

TEST_CASE("a schema starts at version 1 in the default registry") {
  Rig rig;
  const CreateSchemaResponse created = rig.Create("interactions", kV1);
  CHECK(created.registry_name == "default-registry");
  CHECK(created.schema_arn ==
        "arn:aws:glue:us-east-1:123456789012:schema/default-registry/interactions");
  CHECK(created.latest_schema_version == 1);
  CHECK(created.next_schema_version == 2);
  CHECK(created.schema_checkpoint == 1);
  CHECK(created.compatibility == Compatibility::kBackward);
  CHECK(IsUuid(created.schema_version_id));
  CHECK(rig.registry->GetRegistry({})->registry_name == "default-registry");
  Result<SchemaInfo> got = rig.registry->GetSchema({created.schema_arn, "", ""});
  REQUIRE(got.ok());
  CHECK(got->schema_name == "interactions");
  CHECK(rig.registry->GetSchema(Id("missing")).status().code() == Code::kEntityNotFound);
  CHECK(rig.registry->GetSchema({"", "interactions", "no-such-registry"}).status().code() ==
        Code::kEntityNotFound);

  CreateSchemaRequest again;
  again.schema_name = "interactions";
  again.schema_definition = kV1;
  CHECK(rig.registry->CreateSchema(again).status().code() == Code::kAlreadyExists);
  again.registry_id.registry_name = "nowhere";
  CHECK(rig.registry->CreateSchema(again).status().code() == Code::kEntityNotFound);
  CreateSchemaRequest broken;
  broken.schema_name = "broken";
  broken.schema_definition =
      R"({"type":"record","name":"R","fields":[{"name":"a","type":"strng"}]})";
  Result<CreateSchemaResponse> refused = rig.registry->CreateSchema(broken);
  CHECK(refused.status().code() == Code::kInvalidInput);
  CHECK(refused.status().message() ==
        "Schema definition of AVRO data format is invalid: at /fields/0/type: unknown type "
        "\"strng\"");
  CHECK(rig.registry->GetSchema(Id("broken")).status().code() == Code::kEntityNotFound);
}

TEST_CASE("versions count from 1 and are found by id, number or latest") {
  Rig rig;
  const CreateSchemaResponse created = rig.Create("interactions", kV1);
  Result<RegisterSchemaVersionResponse> v2 =
      rig.registry->RegisterSchemaVersion(Id("interactions"), kV2);
  REQUIRE(v2.ok());
  CHECK(v2->version_number == 2);
  CHECK(v2->status == SchemaVersionStatus::kAvailable);
  CHECK(IsUuid(v2->schema_version_id));
  CHECK(v2->schema_version_id != created.schema_version_id);

  Result<SchemaVersion> by_id = rig.registry->GetSchemaVersion({{}, v2->schema_version_id, {}});
  REQUIRE(by_id.ok());
  CHECK(by_id->version_number == 2);
  CHECK(by_id->schema_definition == kV2);
  CHECK(by_id->schema_arn == created.schema_arn);
  Result<SchemaVersion> latest =
      rig.registry->GetSchemaVersion({Id("interactions"), "", SchemaVersionNumber{true, 0}});
  REQUIRE(latest.ok());
  CHECK(latest->schema_version_id == v2->schema_version_id);
  Result<SchemaVersion> first =
      rig.registry->GetSchemaVersion({Id("interactions"), "", SchemaVersionNumber{false, 1}});
  REQUIRE(first.ok());
  CHECK(first->schema_version_id == created.schema_version_id);

  auto code = [&](const GetSchemaVersionRequest& r) {
    return rig.registry->GetSchemaVersion(r).status().code();
  };
  CHECK(code({Id("interactions"), "", SchemaVersionNumber{false, 3}}) == Code::kEntityNotFound);
  CHECK(code({Id("interactions"), "", SchemaVersionNumber{false, 0}}) == Code::kInvalidInput);
  CHECK(code({Id("interactions"), "", SchemaVersionNumber{true, 2}}) == Code::kInvalidInput);
  CHECK(code({Id("interactions"), "", std::nullopt}) == Code::kInvalidInput);
  CHECK(code({{}, "not-a-uuid", {}}) == Code::kInvalidInput);
  CHECK(code({Id("interactions"), v2->schema_version_id, {}}) == Code::kInvalidInput);
  CHECK(code({{}, "00000000-0000-4000-8000-000000000000", {}}) == Code::kEntityNotFound);

  Result<ListPage<SchemaVersion>> listed = rig.registry->ListSchemaVersions(Id("interactions"), {});
  REQUIRE(listed.ok());
  REQUIRE(listed->items.size() == 2);
  CHECK(listed->items[0].version_number == 1);
  CHECK(listed->items[1].schema_version_id == v2->schema_version_id);
  CHECK(listed->items[1].schema_definition.empty());
  Result<SchemaInfo> info = rig.registry->GetSchema(Id("interactions"));
  CHECK(info->latest_schema_version == 2);
  CHECK(info->schema_checkpoint == 2);
  CHECK(info->next_schema_version == 3);
}

TEST_CASE("the same definition returns the existing version and adds nothing") {
  Rig rig;
  const CreateSchemaResponse created = rig.Create("interactions", kV1);
  // The same schema with other whitespace, key order and a doc string.
  const std::string same = R"({"fields":[{"type":"string","name":"user_id","doc":"who"},
      {"name":"n","type":"int"}],"name":"Interaction","type":"record"})";
  Result<RegisterSchemaVersionResponse> again =
      rig.registry->RegisterSchemaVersion(Id("interactions"), same);
  REQUIRE(again.ok());
  CHECK(again->version_number == 1);
  CHECK(again->schema_version_id == created.schema_version_id);
  CHECK(rig.registry->GetSchema(Id("interactions"))->latest_schema_version == 1);
  Result<SchemaVersion> by_definition =
      rig.registry->GetSchemaByDefinition(Id("interactions"), same);
  REQUIRE(by_definition.ok());
  CHECK(by_definition->schema_version_id == created.schema_version_id);
  CHECK(rig.registry->GetSchemaByDefinition(Id("interactions"), kV2).status().code() ==
        Code::kEntityNotFound);
  CHECK(rig.registry->GetSchemaByDefinition(Id("interactions"), "{").status().code() ==
        Code::kInvalidInput);
}

TEST_CASE("an incompatible version is refused with the reason and nothing is stored") {
  Rig rig;
  rig.Create("interactions", kV1);
  Result<RegisterSchemaVersionResponse> refused =
      rig.registry->RegisterSchemaVersion(Id("interactions"), kBad);
  REQUIRE_FALSE(refused.ok());
  CHECK(refused.status().code() == Code::kInvalidInput);
  CHECK(refused.status().message() ==
        "Schema version is not compatible with the schema's compatibility: BACKWARD: the new "
        "schema cannot read data written with version 1: reader field \"genre\" at /Interaction "
        "has no default and is missing in the writer");
  Result<SchemaInfo> info = rig.registry->GetSchema(Id("interactions"));
  CHECK(info->latest_schema_version == 1);
  CHECK(info->next_schema_version == 2);
  CHECK(rig.registry->ListSchemaVersions(Id("interactions"), {})->items.size() == 1);
  CHECK(rig.registry->RegisterSchemaVersion(Id("interactions"), "not json").status().code() ==
        Code::kInvalidInput);
  CHECK(rig.registry->RegisterSchemaVersion(Id("nope"), kV2).status().code() ==
        Code::kEntityNotFound);
  // FORWARD accepts what BACKWARD refused.
  UpdateSchemaRequest update;
  update.schema_id = Id("interactions");
  update.compatibility = Compatibility::kForward;
  CHECK(rig.registry->UpdateSchema(update).status().code() ==
        Code::kInvalidInput);  // no checkpoint
  CHECK(rig.registry->GetSchema(Id("interactions"))->compatibility == Compatibility::kBackward);
  update.schema_version_number = SchemaVersionNumber{true, 0};
  REQUIRE(rig.registry->UpdateSchema(update).ok());
  Result<RegisterSchemaVersionResponse> accepted =
      rig.registry->RegisterSchemaVersion(Id("interactions"), kBad);
  REQUIRE(accepted.ok());
  CHECK(accepted->version_number == 2);
}

TEST_CASE(
    "DISABLED refuses and NONE accepts and _ALL checks every version and the checkpoint moves") {
  Rig rig;
  rig.Create("frozen", kV1, Compatibility::kDisabled);
  CHECK(rig.registry->RegisterSchemaVersion(Id("frozen"), kV2).status().message() ==
        "Schema version is not compatible with the schema's compatibility: compatibility is "
        "DISABLED: no new version of this schema is accepted");
  rig.Create("open", kV1, Compatibility::kNone);
  CHECK(rig.registry->RegisterSchemaVersion(Id("open"), R"("string")").ok());

  // v1 has a defaulted string genre, v2 drops it, v3 re-adds it as an int with a default.
  const std::string g1 = R"({"type":"record","name":"R","fields":[{"name":"id","type":"string"},
      {"name":"genre","type":"string","default":"pop"}]})";
  const std::string g2 = R"({"type":"record","name":"R","fields":[{"name":"id","type":"string"}]})";
  const std::string g3 = R"({"type":"record","name":"R","fields":[{"name":"id","type":"string"},
      {"name":"genre","type":"int","default":0}]})";
  rig.Create("latest-only", g1, Compatibility::kBackward);
  rig.Create("all", g1, Compatibility::kBackwardAll);
  for (const char* name : {"latest-only", "all"}) {
    REQUIRE(rig.registry->RegisterSchemaVersion(Id(name), g2).ok());
  }
  CHECK(rig.registry->RegisterSchemaVersion(Id("latest-only"), g3).ok());
  Result<RegisterSchemaVersionResponse> all = rig.registry->RegisterSchemaVersion(Id("all"), g3);
  REQUIRE_FALSE(all.ok());
  CHECK(all.status().message().find("BACKWARD_ALL: the new schema cannot read data written "
                                    "with version 1: at /R/genre") != std::string::npos);

  // A checkpoint set back to version 1 makes BACKWARD compare with it.
  const std::string h1 = R"({"type":"record","name":"R","fields":[{"name":"a","type":"int"}]})";
  const std::string h2 = R"({"type":"record","name":"R","fields":[{"name":"a","type":"long"}]})";
  const std::string h3 = R"({"type":"record","name":"R","fields":[{"name":"a","type":"float"}]})";
  const std::string h0 = R"({"type":"record","name":"R","fields":[{"name":"a","type":"string"}]})";
  rig.Create("checkpointed", h1, Compatibility::kForward);
  REQUIRE_FALSE(rig.registry->RegisterSchemaVersion(Id("checkpointed"), h2).ok());
  UpdateSchemaRequest none;
  none.schema_id = Id("checkpointed");
  none.compatibility = Compatibility::kNone;
  none.schema_version_number = SchemaVersionNumber{false, 1};
  REQUIRE(rig.registry->UpdateSchema(none).ok());
  REQUIRE(rig.registry->RegisterSchemaVersion(Id("checkpointed"), h2).ok());
  UpdateSchemaRequest backward;
  backward.schema_id = Id("checkpointed");
  backward.compatibility = Compatibility::kBackward;
  backward.schema_version_number = SchemaVersionNumber{false, 1};
  Result<SchemaInfo> updated = rig.registry->UpdateSchema(backward);
  REQUIRE(updated.ok());
  CHECK(updated->schema_checkpoint == 1);
  // Compared with the checkpoint (version 1), not the latest: the message names version 1.
  Result<RegisterSchemaVersionResponse> narrowed =
      rig.registry->RegisterSchemaVersion(Id("checkpointed"), h0);
  CHECK(narrowed.status().message().find("written with version 1") != std::string::npos);
  Result<RegisterSchemaVersionResponse> v3 =
      rig.registry->RegisterSchemaVersion(Id("checkpointed"), h3);
  REQUIRE(v3.ok());
  CHECK(rig.registry->GetSchema(Id("checkpointed"))->schema_checkpoint == 3);
  backward.schema_version_number = SchemaVersionNumber{false, 9};
  CHECK(rig.registry->UpdateSchema(backward).status().code() == Code::kEntityNotFound);
}

TEST_CASE("JSON schemas register and evolve by their own rules") {
  Rig rig;
  const std::string j1 = R"({"type":"object","properties":{"id":{"type":"string"}}})";
  const std::string j2 = R"({"type":"object","properties":{"id":{"type":"string"},
      "age":{"type":"integer"}}})";
  const std::string j3 = R"({"type":"object","properties":{"id":{"type":"string"}},
      "required":["id"]})";
  const CreateSchemaResponse created =
      rig.Create("users", j1, Compatibility::kBackward, DataFormat::kJson);
  CHECK(created.data_format == DataFormat::kJson);
  CHECK(rig.registry->RegisterSchemaVersion(Id("users"), j2)->version_number == 2);
  Result<RegisterSchemaVersionResponse> refused =
      rig.registry->RegisterSchemaVersion(Id("users"), j3);
  CHECK(refused.status().message().find(R"(property "id" at / is required by the reader)") !=
        std::string::npos);
  CHECK(rig.registry->RegisterSchemaVersion(Id("users"), kV1)
            .status()
            .message()
            .rfind("Schema definition of JSON data format is invalid", 0) == 0);
}

TEST_CASE("CheckSchemaVersionValidity says whether and why") {
  Rig rig;
  Result<CheckSchemaVersionValidityResponse> ok =
      rig.registry->CheckSchemaVersionValidity(DataFormat::kAvro, kV1);
  REQUIRE(ok.ok());
  CHECK(ok->valid);
  Result<CheckSchemaVersionValidityResponse> bad =
      rig.registry->CheckSchemaVersionValidity(DataFormat::kAvro, R"(["int","int"])");
  REQUIRE(bad.ok());
  CHECK_FALSE(bad->valid);
  CHECK(bad->error.find(R"(duplicate union branch "int")") != std::string::npos);
  CHECK_FALSE(rig.registry->CheckSchemaVersionValidity(DataFormat::kJson, "  ")->valid);
}

TEST_CASE("deleting a schema removes its versions from lookup by id") {
  Rig rig;
  const CreateSchemaResponse created = rig.Create("interactions", kV1);
  Result<SchemaInfo> deleted = rig.registry->DeleteSchema(Id("interactions"));
  REQUIRE(deleted.ok());
  CHECK(deleted->schema_status == "DELETING");
  CHECK(rig.registry->GetSchema(Id("interactions")).status().code() == Code::kEntityNotFound);
  CHECK(rig.registry->GetSchemaVersion({{}, created.schema_version_id, {}}).status().code() ==
        Code::kEntityNotFound);
  CHECK(rig.registry->ListSchemas({}, {})->items.empty());
  rig.Create("again", kV1);
  REQUIRE(rig.registry->DeleteRegistry({}).ok());
  CHECK(rig.registry->ListRegistries({})->items.empty());
}

TEST_CASE("the same seed gives the same version ids") {
  auto ids = [](uint64_t seed) {
    Rig rig(seed);
    std::vector<std::string> out{rig.Create("a", kV1).schema_version_id};
    out.push_back(rig.registry->RegisterSchemaVersion(Id("a"), kV2)->schema_version_id);
    return out;
  };
  CHECK(ids(5) == ids(5));
  CHECK(ids(5) != ids(6));
}

}  // namespace
}  // namespace meshsim::fakes

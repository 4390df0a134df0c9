// The schema registry's cost per record on the event path (sim/serde/schema_serde.h): framing a
// record its producer encoded, and a consumer reading it back, while the writer's version is the
// reader's (a header and a view) and after an evolution (generic Avro decode and re-encode).
#include <benchmark/benchmark.h>

#include "fakes/glue_schema_registry/schema_registry.h"
#include "sim/serde/entity_avro.h"
#include "sim/serde/schema_serde.h"

using namespace meshsim;

namespace {

struct Serde {
  explicit Serde(bool evolved) {
    auto made = fakes::MakeFakeSchemaRegistry(*runtime);
    registry = std::move(*made);
    CreateSchemaRequest create;
    create.schema_name = "interactions";
    create.schema_definition = std::string(InteractionSchemaJson());
    auto v1 = registry->CreateSchema(create);
    WriterVersion writer{base, *Uuid::Parse(v1->schema_version_id), 1, nlohmann::json::object()};
    if (evolved) {
      std::string text(InteractionSchemaJson());
      text.resize(text.size() - 2);
      text += R"(,{"name":"device","type":"string","default":"web"}]})";
      SchemaId id;
      id.schema_name = "interactions";
      auto v2 = registry->RegisterSchemaVersion(id, text);
      writer = WriterVersion{ParseBaseSchema(text), *Uuid::Parse(v2->schema_version_id), 2,
                             {{"device", "mobile"}}};
    }
    (void)serializer.SetWriter(std::move(writer));
    EncodeInteraction(Interaction{"e123456", "u4242", "s31337", "play", "u4242-s77",
                                  1'700'000'000'000'000},
                      &encoded);
  }

  std::unique_ptr<Runtime> runtime = MakeVirtualRuntime(1);
  std::unique_ptr<SchemaRegistry> registry;
  std::shared_ptr<const SchemaDefinition> base = ParseBaseSchema(InteractionSchemaJson());
  RecordSerializer serializer{base, false};
  std::string encoded;
};

void BM_SerdeSerialize(benchmark::State& state) {
  Serde s(state.range(0) == 1);
  std::string framed;
  for (auto _ : state) benchmark::DoNotOptimize(s.serializer.Serialize(s.encoded, &framed));
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(state.range(0) == 1 ? "evolved writer" : "writer is the base");
}

void BM_SerdeDeserialize(benchmark::State& state) {
  Serde s(state.range(0) == 1);
  std::string framed;
  (void)s.serializer.Serialize(s.encoded, &framed);
  RecordDeserializer reader(*s.registry, s.base);
  std::string scratch;
  InteractionView view;
  for (auto _ : state) {
    auto payload = reader.Deserialize(framed, &scratch);
    benchmark::DoNotOptimize(DecodeInteraction(*payload, &view));
  }
  state.SetItemsProcessed(state.iterations());
  state.SetLabel(state.range(0) == 1 ? "resolved from v2" : "same version");
}

}  // namespace

BENCHMARK(BM_SerdeSerialize)->Arg(0)->Arg(1);
BENCHMARK(BM_SerdeDeserialize)->Arg(0)->Arg(1);

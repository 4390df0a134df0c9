#include "apps/registry/backend_registry.h"

#include <algorithm>
#include <filesystem>

#include "fakes/glue_catalog/catalog.h"
#include "fakes/glue_schema_registry/schema_registry.h"
#include "fakes/kafka/broker.h"
#include "fakes/lake_formation/permissions.h"
#include "fakes/lake_formation/subscriptions.h"
#include "fakes/personalize/deployment.h"
#include "fakes/personalize/model.h"
#include "fakes/personalize/personalize.h"
#include "fakes/storage/kv_store.h"
#include "fakes/storage/object_store.h"
#include "fakes/storage/user_store.h"
#include "sim/governance/accounts.h"
#include "sim/realtime_recommender/realtime_recommender.h"
#include "sim/text/json_source.h"

namespace meshsim {
namespace {

// The in-process broker's control, as the scenario engine's fault powers.
class BrokerFaults final : public StreamFaults {
 public:
  explicit BrokerFaults(fakes::FakeBrokerControl& control) : control_(control) {}
  void BrokerDownFor(int64_t span_us) override { control_.SetDownFor(span_us); }
  void FailNext(StreamApi api, std::vector<Code> errors) override {
    control_.PushErrors(api == StreamApi::kProduce ? fakes::BrokerApi::kProduce
                        : api == StreamApi::kFetch ? fakes::BrokerApi::kFetch
                                                   : fakes::BrokerApi::kCommit,
                        std::move(errors));
  }
  void SetLatency(int64_t latency_us) override { control_.SetLatency(latency_us); }
  Status ChangeLeader(const TopicPartition& tp) override { return control_.ChangeLeader(tp); }

 private:
  fakes::FakeBrokerControl& control_;
};

}  // namespace

namespace {

std::string KindsOf(const std::string& port) {
  std::string out;
  for (const BackendKind& k : BackendKinds()) {
    if (port == k.port) out += (out.empty() ? "" : ", ") + std::string(k.kind);
  }
  return out;
}

Status BadChoice(const std::string& origin, const std::string& message) {
  return Status(Code::kInvalidInput, origin + ": " + message);
}

// Records "KIND[:ARGS]" as `port`'s choice, replacing an earlier one. The kind is checked once
// every choice is in (CheckKind), so a flag can replace a kind this build lacks.
Status Choose(const std::string& port, const std::string& spec, const std::string& origin,
              std::vector<BackendChoice>* choices) {
  auto slot = std::find_if(choices->begin(), choices->end(),
                           [&](const BackendChoice& c) { return c.port == port; });
  if (slot == choices->end()) {
    return BadChoice(origin, "unknown port \"" + port + "\"; the ports are " + BackendPortList());
  }
  const size_t colon = spec.find(':');
  *slot = BackendChoice{port, spec.substr(0, colon),
                        colon == std::string::npos ? "" : spec.substr(colon + 1), origin};
  return Status::Ok();
}

// The registry has `choice`'s kind for its port, and the kind takes its arguments.
Status CheckKind(const BackendChoice& choice) {
  const bool known = std::any_of(
      BackendKinds().begin(), BackendKinds().end(),
      [&](const BackendKind& k) { return choice.port == k.port && choice.kind == k.kind; });
  if (!known) {
    return BadChoice(choice.origin, "unknown kind \"" + choice.kind + "\" for " + choice.port +
                                        "; its kinds are " + KindsOf(choice.port));
  }
  if (choice.kind == "fake" && !choice.args.empty()) {
    return BadChoice(choice.origin, "the fake " + choice.port + " takes no arguments, got \"" +
                                        choice.args + "\"");
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<BackendChoice>> ChooseBackends(const Scenario& scenario,
                                                  const std::vector<std::string>& flags) {
  std::vector<BackendChoice> choices;
  for (const char* port : kBackendPorts) choices.push_back({port, "fake", "", "the default"});
  for (const BackendSetting& s : scenario.backends) {
    if (Status st = Choose(s.port, s.spec, s.where, &choices); !st.ok()) return st;
  }
  for (const std::string& flag : flags) {
    const std::string origin = "--backend " + flag;
    const size_t eq = flag.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == flag.size()) {
      return BadChoice(origin, "expected PORT=KIND[:ARGS], e.g. stream=fake");
    }
    if (Status st = Choose(flag.substr(0, eq), flag.substr(eq + 1), origin, &choices); !st.ok()) {
      return st;
    }
  }
  for (const BackendChoice& choice : choices) {
    if (Status st = CheckKind(choice); !st.ok()) return st;
  }
  return choices;
}

namespace {

Result<std::string> StateFile(const std::string& state_dir, const char* name) {
  if (state_dir.empty()) return std::string(":memory:");
  std::error_code ec;
  std::filesystem::create_directories(state_dir, ec);
  if (ec || !std::filesystem::is_directory(state_dir)) {
    return Status(Code::kInvalidInput, "--state " + state_dir +
                                           ": cannot use it as a state directory" +
                                           (ec ? ": " + ec.message() : ""));
  }
  return (std::filesystem::path(state_dir) / name).string();
}

// The object store in `state_dir`/objects (in memory when it is empty).
Status OpenObjectStore(const std::string& state_dir, StateStores* state) {
  if (state_dir.empty()) {
    state->objects = fakes::MakeMemoryObjectStore();
    return Status::Ok();
  }
  auto folder = StateFile(state_dir, kObjectsFolder);
  if (!folder.ok()) return folder.status();
  auto objects = fakes::MakeFolderObjectStore(*folder);
  if (!objects.ok()) return objects.status();
  state->objects = std::move(*objects);
  return Status::Ok();
}

// The producers' relational and key-value stores in `state_dir` (in memory when it is empty).
Status OpenProducerStores(const std::string& state_dir, StateStores* state) {
  auto users_file = StateFile(state_dir, kUsersFile);
  if (!users_file.ok()) return users_file.status();
  auto users = fakes::MakeSqliteUserStore(*users_file);
  if (!users.ok()) return users.status();
  state->users = std::move(*users);
  auto items_file = StateFile(state_dir, kItemsFile);
  if (!items_file.ok()) return items_file.status();
  auto items = fakes::MakeSqliteKvStore(*items_file);
  if (!items.ok()) return items.status();
  state->items = std::move(*items);
  return Status::Ok();
}

// The catalog, Lake Formation's permissions over it and the subscriptions, in `state_dir`.
Status OpenCatalog(Runtime* runtime, const std::string& state_dir, StateStores* state) {
  auto catalog_file = StateFile(state_dir, kCatalogFile);
  if (!catalog_file.ok()) return catalog_file.status();
  auto catalog = fakes::MakeSqliteCatalog(*catalog_file);
  if (!catalog.ok()) return catalog.status();
  state->catalog = std::move(*catalog);
  auto permissions_file = StateFile(state_dir, kPermissionsFile);
  if (!permissions_file.ok()) return permissions_file.status();
  fakes::PermissionsOptions options;
  options.path = *permissions_file;
  options.find_resource = CatalogResourceFinder(*state->catalog);
  if (runtime) options.now_micros = [runtime] { return runtime->NowMicros(); };
  options.data_lake_admins = {kGovernanceAccount};
  auto permissions = fakes::MakeSqlitePermissions(std::move(options));
  if (!permissions.ok()) return permissions.status();
  state->permissions = std::move(*permissions);
  auto subscriptions_file = StateFile(state_dir, kSubscriptionsFile);
  if (!subscriptions_file.ok()) return subscriptions_file.status();
  fakes::SubscriptionsOptions subscription_options;
  subscription_options.path = *subscriptions_file;
  if (runtime) subscription_options.now_micros = [runtime] { return runtime->NowMicros(); };
  auto subscriptions =
      fakes::MakeSqliteSubscriptions(*state->permissions, std::move(subscription_options));
  if (!subscriptions.ok()) return subscriptions.status();
  state->subscriptions = std::move(*subscriptions);
  return Status::Ok();
}

}  // namespace

Result<StateStores> OpenState(Runtime* runtime, const std::string& state_dir, bool with_stores) {
  StateStores state;
  if (Status s = OpenCatalog(runtime, state_dir, &state); !s.ok()) return s;
  if (with_stores) {
    if (Status s = OpenObjectStore(state_dir, &state); !s.ok()) return s;
    if (Status s = OpenProducerStores(state_dir, &state); !s.ok()) return s;
  }
  return state;
}

namespace {

// Personalize in process for an aws-* recipe: its containers provision at once, the imports,
// trainings and campaign take the scenario's deploy_times, and imports read the object store.
Status MakePersonalize(Runtime& runtime, const Scenario& scenario, Backends& b) {
  fakes::FakePersonalizeOptions options;
  fakes::PersonalizeControlPlaneOptions& c = options.control;
  c.pending_us = c.dataset_group_us = c.dataset_us = c.event_tracker_us = c.solution_us =
      c.filter_us = 0;
  c.import_base_us = scenario.personalize.import_us;
  c.training_floor_us = scenario.personalize.training_us;
  // A training short of Personalize's minimums fails when its data is checked: after 5 minutes,
  // or sooner when the scenario's trainings are shorter than that (once always 300 s).
  c.training_check_us = std::min(c.training_check_us, scenario.personalize.training_us);
  c.campaign_us = scenario.personalize.campaign_us;
  ObjectStore* objects = b.objects.get();
  auto personalize = std::make_unique<fakes::FakePersonalize>(
      runtime,
      [objects](const std::string& uri) -> Result<std::string> {
        const S3Location l = SplitS3Uri(uri);
        if (objects == nullptr || l.bucket.empty() || l.key.empty()) {
          return Status(Code::kNoSuchKey, "no object store holds " + uri);
        }
        return objects->GetObject(l.bucket, l.key);
      },
      options);
  fakes::PersonalizeDeploymentOptions deployment;
  deployment.solution.recipe = scenario.recipe;
  deployment.solution.hyperparameters = scenario.personalize.hyperparameters;
  deployment.solution.min_provisioned_tps =
      static_cast<int>(scenario.personalize.min_provisioned_tps);
  fakes::ProvisionedDatasets datasets;
  auto admin = fakes::MakePersonalizeDeployment(runtime, *personalize, deployment, &datasets);
  if (!admin.ok()) {
    return Status(admin.status().code(),
                  scenario.file + ": at /recommender: " + admin.status().message());
  }
  b.tracking_id = (*admin)->tracking_id();
  b.campaign_arn = (*admin)->campaign_arn();
  b.items_dataset_arn = datasets.items;
  b.users_dataset_arn = datasets.users;
  b.recommender = std::move(personalize);
  b.admin = std::move(*admin);
  return Status::Ok();
}

}  // namespace

Status CheckBackendSettings(const Scenario& scenario) {
  if (!IsPersonalizeRecipe(scenario.recipe)) return Status::Ok();
  const PersonalizeSettings& p = scenario.personalize;
  const Status s = fakes::personalize::ValidateHyperparameters(scenario.recipe, p.hyperparameters);
  if (s.ok()) return s;
  // At the hyperparameter the message names, else at them all; the position is found in the file
  // again, now that a message needs one.
  std::string pointer = "/recommender/hyperparameters";
  for (const auto& [name, value] : p.hyperparameters) {
    if (s.message().find("hyperparameter " + name + " ") != std::string::npos) {
      pointer += "/" + JsonPointerEscape(name);
      break;
    }
  }
  Result<JsonSource> source = JsonSource::Load(scenario.file);
  return Status(s.code(), source.ok() ? source->Describe(pointer, s.message())
                                      : scenario.file + ": at " + pointer + ": " + s.message());
}

namespace {

// What every builder needs: the run, where state persists, and the ports built so far.
struct BuildContext {
  Runtime& runtime;
  const Scenario& scenario;
  const std::string& state_dir;
  Backends& b;
};

Status FakeStream(BuildContext& c, const BackendChoice&) {
  fakes::FakeBroker broker = fakes::MakeFakeBroker(c.runtime);
  c.b.stream = std::move(broker.stream);
  c.b.faults = std::make_unique<BrokerFaults>(*broker.control);
  return Status::Ok();
}

Status FakeCatalog(BuildContext& c, const BackendChoice&) {
  StateStores state;
  if (Status s = OpenCatalog(&c.runtime, c.state_dir, &state); !s.ok()) return s;
  c.b.catalog = std::move(state.catalog);
  c.b.permissions = std::move(state.permissions);
  c.b.subscriptions = std::move(state.subscriptions);
  return Status::Ok();
}

// The object store and the producers' stores exist only when the scenario enables the stores.
Status FakeObjectStore(BuildContext& c, const BackendChoice&) {
  if (!c.scenario.stores.enabled) return Status::Ok();
  StateStores state;
  if (Status s = OpenObjectStore(c.state_dir, &state); !s.ok()) return s;
  c.b.objects = std::move(state.objects);
  return Status::Ok();
}

Status FakeStores(BuildContext& c, const BackendChoice&) {
  if (!c.scenario.stores.enabled) return Status::Ok();
  StateStores state;
  if (Status s = OpenProducerStores(c.state_dir, &state); !s.ok()) return s;
  c.b.users = std::move(state.users);
  c.b.items = std::move(state.items);
  return Status::Ok();
}

// An aws-* recipe: Personalize in process; popularity and co-occurrence: the mesh's own.
Status FakeRecommender(BuildContext& c, const BackendChoice&) {
  if (IsPersonalizeRecipe(c.scenario.recipe)) {
    if (Status s = CheckBackendSettings(c.scenario); !s.ok()) return s;
    return MakePersonalize(c.runtime, c.scenario, c.b);
  }
  realtime::RealtimeRecommenderOptions options;
  options.recipe = c.scenario.recipe;
  options.history_length = static_cast<size_t>(c.scenario.history_length);
  options.tracking_id = c.b.tracking_id;
  options.campaign_arn = c.b.campaign_arn;
  options.put_events_tps = c.scenario.put_events_tps;
  auto recommender = realtime::MakeRealtimeRecommender(c.runtime, options);
  if (!recommender.ok()) return recommender.status();
  c.b.recommender = std::move(*recommender);
  return Status::Ok();
}

Status FakeSchemaRegistry(BuildContext& c, const BackendChoice&) {
  fakes::FakeSchemaRegistryOptions options;
  options.account_id = "000000000000";
  auto registry = fakes::MakeFakeSchemaRegistry(c.runtime, options);
  if (!registry.ok()) return registry.status();
  c.b.registry = std::move(*registry);
  return Status::Ok();
}

using Builder = Status (*)(BuildContext&, const BackendChoice&);

// The registry's one table: each (port, kind), what it is, and its builder; ports in
// kBackendPorts' order, which is the order they are built in (the recommender reads imports from
// the object store, so the object store comes first).
struct KindEntry {
  BackendKind kind;
  Builder build;
};
const std::vector<KindEntry>& Entries() {
  static const std::vector<KindEntry> kEntries = {
      {{"stream", "fake", "the in-process Kafka broker (fakes/kafka), with fault powers"},
       FakeStream},
      {{"catalog", "fake",
        "the Glue Data Catalog and Lake Formation on SQLite (in --state, else in memory)"},
       FakeCatalog},
      {{"object_store", "fake", "S3 as a folder in --state/objects, else in memory"},
       FakeObjectStore},
      {{"stores", "fake", "the producers' relational and key-value stores on SQLite"}, FakeStores},
      {{"recommender", "fake",
        "popularity and co-occurrence: the mesh's real-time recommender; aws-* recipes: "
        "Amazon Personalize in process"},
       FakeRecommender},
      {{"schema_registry", "fake", "the in-process Glue Schema Registry"}, FakeSchemaRegistry},
  };
  return kEntries;
}

Builder BuilderOf(const BackendChoice& choice) {
  for (const KindEntry& e : Entries()) {
    if (choice.port == e.kind.port && choice.kind == e.kind.kind) return e.build;
  }
  return nullptr;
}

}  // namespace

const std::vector<BackendKind>& BackendKinds() {
  static const std::vector<BackendKind> kKinds = [] {
    std::vector<BackendKind> kinds;
    for (const KindEntry& e : Entries()) kinds.push_back(e.kind);
    return kinds;
  }();
  return kKinds;
}

Status CheckBackends(const Scenario& scenario, const std::vector<std::string>& flags) {
  if (auto choices = ChooseBackends(scenario, flags); !choices.ok()) return choices.status();
  return CheckBackendSettings(scenario);
}

Result<Backends> MakeBackends(Runtime& runtime, const Scenario& scenario,
                              const std::vector<std::string>& flags, const std::string& state_dir) {
  auto choices = ChooseBackends(scenario, flags);
  if (!choices.ok()) return choices.status();
  Backends b;
  // The fakes stand for one AWS account in one region.
  b.tracking_id = "meshsim-tracker";
  b.campaign_arn = "arn:aws:personalize:us-east-1:000000000000:campaign/recommendations";
  BuildContext context{runtime, scenario, state_dir, b};
  for (const BackendChoice& choice : *choices) {  // kBackendPorts' order
    Builder build = BuilderOf(choice);
    if (build == nullptr) {
      return Status(Code::kInternal, "no builder for " + choice.port + "=" + choice.kind);
    }
    if (Status s = build(context, choice); !s.ok()) return s;
  }
  return b;
}

}  // namespace meshsim
